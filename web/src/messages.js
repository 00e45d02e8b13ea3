// How a problem reads on the page: its title, the gateway's or the chain's detail, and the advice
// the catalogue gives for its code. Announced to screen readers; never swallowed.
import { Problem } from "./api.js";
import { problemTitle, t } from "./i18n.js";
import { el } from "./format.js";

/** A wallet's or viem's error as a Problem (the user declining, a revert with its custom error). */
export function fromWalletError(error) {
  if (error instanceof Problem) return error;
  const code = error?.code ?? error?.cause?.code;
  if (code === 4001 || /reject|denied|declined/i.test(error?.shortMessage || error?.message || ""))
    return new Problem({ code: "user_rejected", title: t("userRejected") });
  return new Problem({ code: "wallet_error", title: t("error"), detail: t("walletError", { detail: error?.shortMessage || error?.message || String(error) }) });
}

export function showProblem(problem) {
  const p = problem instanceof Problem ? problem : fromWalletError(problem);
  console.warn("problem", p.code, p.detail || p.title);
  return el("div", { class: "problem", role: "alert", "data-code": p.code },
    el("strong", {}, problemTitle(p.code, p.title)),
    p.detail ? el("div", {}, p.detail) : null,
    p.advice ? el("div", { class: "muted" }, p.advice) : null,
    p.code && !["user_rejected", "wallet_error", "network"].includes(p.code) ? el("div", { class: "muted" }, el("code", {}, p.code)) : null);
}
