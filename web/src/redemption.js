// The holder's redemption (Rules item 2.3): ask the issuer to redeem units, signed in the wallet and
// relayed by the operator (the units wait in the asset's custody), and the holder's requests with
// where each stands: requested, confirmed by the issuer (burnt on delivery) or refused (given back).
import { sha256, stringToBytes } from "viem";
import { get, post, Problem } from "./api.js";
import { t } from "./i18n.js";
import { copyable, el, table, units } from "./format.js";

const HASH = /^0x[0-9a-fA-F]{64}$/;

/** What the chain anchors for the holder's delivery reference: a 0x hash as given, any other text by
 * the sha256 of its UTF-8 bytes (as `sdap redemption request --ref` does). */
export const referenceHash = (text) => (HASH.test(text) ? text.toLowerCase() : sha256(stringToBytes(text)));

/** The holder's requests, newest first. */
export async function requestsOf(address) {
  const requests = await get(`/v1/redemptions?holder=${address}&limit=1000`);
  return requests.reverse();
}

/** The form asking for a redemption and the table of the holder's requests. `act` runs an action
 * with its problem shown in the element named; `sign` has the wallet sign typed data. */
export function redemptionSection(balances, requests, act, sign) {
  const id = (name) => `redeem-${name}`;
  const form = el("form", { class: "grid", id: "redeem", onsubmit: (e) => e.preventDefault() },
    el("label", { for: id("issuance") }, t("issuance")),
    el("select", { id: id("issuance"), name: "issuance" }, balances.map((b) => el("option", { value: b.issuance_id }, `${t("issuance")} ${b.issuance_id} (${units(b.available)})`))),
    el("label", { for: id("amount") }, t("redeemAmount")),
    el("input", { id: id("amount"), name: "amount", type: "number", min: "1", step: "1", required: true, inputmode: "numeric" }),
    el("label", { for: id("ref") }, t("deliveryRef")),
    el("input", { id: id("ref"), name: "ref", required: true, autocomplete: "off" }));
  const result = el("div", { id: "redeem-result", "aria-live": "polite" });
  const ask = () => act(async () => {
    const amount = form.elements.amount.value.trim();
    const ref = form.elements.ref.value.trim();
    if (!/^[1-9][0-9]*$/.test(amount)) throw new Problem({ code: "invalid_amount", title: t("redeemAmount"), detail: amount || "—" });
    if (!ref) throw new Problem({ code: "invalid_reference", title: t("deliveryRef"), detail: "—" });
    const query = `issuance_id=${Number(form.elements.issuance.value)}&amount=${amount}&fulfilment_ref=${referenceHash(ref)}`;
    const request = await get(`/v1/redemptions/forward-request?${query}`);
    const signature = await sign(request.typed_data);
    result.replaceChildren(el("p", { class: "warn" }, t("relayingRedemption")));
    const asked = await post("/v1/redemptions", { ...request.fields, signature });
    sessionStorage.setItem("sdap.redeemed", String(asked.request_id));
  }, "redeem-result");
  const last = sessionStorage.getItem("sdap.redeemed");
  if (last) result.replaceChildren(el("p", { class: "notice-ok", id: "redeem-asked" }, t("redeemAsked", { id: last })));
  return el("section", { "aria-labelledby": "red-h" }, el("h2", { id: "red-h" }, t("redemption")),
    el("p", { class: "muted" }, t("redemptionHow")), form,
    el("div", { class: "actions" }, el("button", { type: "button", class: "primary", id: "redeem-ask", onclick: ask }, t("redeemAsk"))),
    result,
    el("div", { id: "redemptions" }, table([t("id"), t("issuance"), t("amount"), t("status"), t("reference")],
      requests.map((r) => [String(r.id), String(r.issuance_id), units(r.amount),
        el("span", { "data-state": r.state }, t(`redemption.${r.state}`)), copyable(r.fulfilment_ref)]), [2])));
}
