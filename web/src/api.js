// The gateway's HTTP API, same origin. Every failure becomes a Problem with a readable message:
// the gateway's RFC 9457 documents by their code (titles and advice from /v1/problems), the
// contracts' custom errors by their name (the gateway lists them under the same codes).
import { t } from "./i18n.js";

export class Problem extends Error {
  constructor({ code, title, detail, status, advice }) {
    super(detail || title || code);
    Object.assign(this, { code, title, detail, status, advice });
  }
}

let catalogue = null;

export async function problems() {
  if (!catalogue) {
    catalogue = new Map();
    try {
      for (const p of await get("/v1/problems")) catalogue.set(p.code, p);
    } catch {
      // The catalogue only adds advice; a problem is still shown with its own title and detail.
    }
  }
  return catalogue;
}

/** A contract custom error's problem code: `SecuredAsset_RecipientFrozen` -> `secured_asset_recipient_frozen`. */
export function codeOfError(name) {
  return name
    .split("_")
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2").toLowerCase())
    .join("_");
}

const PARTICIPANT_STATUS = ["eligible", "not_registered", "frozen", "identity_expired", "notice_not_acknowledged"];

/** The error's arguments in words where the page knows them, else as the contract gave them. */
function detailOf(name, args) {
  if (name.endsWith("_ParticipantNotEligible") && args?.length === 2)
    return t(`participant.${PARTICIPANT_STATUS[Number(args[1])]}`, { account: args[0] });
  return args?.length ? `${name}(${args.map(String).join(", ")})` : name;
}

export async function problemOfError(name, args) {
  const code = codeOfError(name);
  const known = (await problems()).get(code);
  const detail = detailOf(name, args);
  return new Problem({ code, title: known?.title || name, detail, status: known?.status, advice: known?.description });
}

let token = sessionStorage.getItem("sdap.token");
export const session = {
  get token() { return token; },
  set(value) { token = value; value ? sessionStorage.setItem("sdap.token", value) : sessionStorage.removeItem("sdap.token"); },
};

async function call(method, path, body, headers = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers } };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let answer;
  try {
    answer = await fetch(path, init);
  } catch (error) {
    throw new Problem({ code: "network", title: t("error"), detail: t("network", { detail: error.message }) });
  }
  if (answer.status === 204) return null;
  const type = answer.headers.get("content-type") || "";
  const data = type.includes("json") ? await answer.json().catch(() => null) : await answer.text();
  if (answer.ok) return data;
  if (answer.status === 401 && token) session.set(null);
  const known = data?.code ? (await problems()).get(data.code) : undefined;
  throw new Problem({
    code: data?.code || `http_${answer.status}`,
    title: data?.title || t("unknownProblem", { status: answer.status }),
    detail: data?.detail,
    status: answer.status,
    advice: known?.description,
  });
}

export const get = (path) => call("GET", path);
export const post = (path, body, idempotent = true) =>
  call("POST", path, body, idempotent ? { "Idempotency-Key": crypto.randomUUID() } : {});
