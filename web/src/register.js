// The public part: the state register (issuers, operators and permits, asset types), every
// issuance with its decision, coverage and unit, and the risk notice in force. No sign-in.
import { get } from "./api.js";
import { t } from "./i18n.js";
import { copyable, date, el, table, units } from "./format.js";
import { showProblem } from "./messages.js";

const badge = (text, kind) => el("span", { class: `badge ${kind}` }, text);

function coverageText(c) {
  const state = c.undercollateralised ? badge(t("under"), "bad") : badge(t("fullyCovered"), "ok");
  return el("span", {}, state, " ", t("covered", { covered: units(c.covered), supply: units(c.supply) }),
    c.covered_until ? ` ${t("coveredUntil", { date: date(c.covered_until) })}` : "");
}

function stateOf(i) {
  if (i.closed) return badge(t("closed"), "muted");
  if (i.paused_by_regulator) return badge(t("pausedByRegulator"), "bad");
  if (i.paused) return badge(t("paused"), "warn");
  return badge(t("open"), "ok");
}

async function settle(promises) {
  return Promise.all(promises.map((p) => p.then((value) => ({ value }), (problem) => ({ problem }))));
}

export async function noticeSection() {
  const notice = await get("/v1/risk-notice");
  return el("section", { "aria-labelledby": "notice-h" },
    el("h2", { id: "notice-h" }, t("notice")),
    el("dl", { class: "facts" },
      el("dt", {}, t("version")), el("dd", {}, String(notice.version)),
      el("dt", {}, t("publishedAt")), el("dd", {}, date(notice.published_at)),
      el("dt", {}, t("noticeHash")), el("dd", {}, copyable(notice.content_hash),
        notice.text_verified ? el("span", { class: "ok" }, " ✓ ", t("textVerified")) : null)),
    notice.text ? el("div", { class: "notice-text", tabindex: "0", "aria-label": t("notice") }, notice.text)
      : el("p", {}, el("a", { href: notice.uri, target: "_blank", rel: "noopener noreferrer" }, t("readNotice", { version: notice.version }))));
}

export async function registerView(main) {
  const [issuances, types] = await Promise.all([get("/v1/issuances"), get("/v1/asset-types")]);
  const config = await get("/v1/web/config");
  const issuerWallets = [...new Set(issuances.map((i) => i.issuer))];
  const operatorWallets = [...new Set([config.operator, ...issuances.map((i) => i.operator)])];
  const issuers = await settle(issuerWallets.map((w) => get(`/v1/issuers/${w}`)));
  const permits = await settle(operatorWallets.map((w) => get(`/v1/permits/${w}`)));
  const typeName = new Map(types.map((a) => [a.type_id, a.name]));
  const coverage = await settle(issuances.map((i) => get(`/v1/issuances/${i.id}/coverage`)));

  main.replaceChildren(
    el("section", { "aria-labelledby": "iss-h" }, el("h2", { id: "iss-h" }, t("issuances")),
      table([t("id"), t("assetType"), t("issuer"), t("supply"), t("maxSupply"), t("coverage"), t("status")],
        issuances.map((i, n) => [
          el("a", { href: `#/issuance/${i.id}` }, `${t("issuance")} ${i.id}`),
          typeName.get(i.asset_type) || String(i.asset_type),
          copyable(i.issuer, t("issuer")),
          units(i.total_supply), units(i.max_supply),
          coverage[n].value ? coverageText(coverage[n].value) : i.undercollateralised ? badge(t("under"), "bad") : badge(t("fullyCovered"), "ok"),
          stateOf(i),
        ]), [3, 4])),
    el("section", { "aria-labelledby": "issuers-h" }, el("h2", { id: "issuers-h" }, t("issuers")),
      table([t("issuer"), t("legalName"), t("businessId"), t("jurisdiction"), t("status")],
        issuers.map((r, n) => r.value
          ? [copyable(r.value.wallet), r.value.legal_name, r.value.business_id, r.value.jurisdiction, r.value.status]
          : [copyable(issuerWallets[n]), showProblem(r.problem), "", "", ""]))),
    el("section", { "aria-labelledby": "ops-h" }, el("h2", { id: "ops-h" }, t("operators")),
      table([t("operator"), t("permit"), t("validFrom"), t("validUntil")],
        permits.map((r, n) => r.value
          ? [copyable(r.value.operator), badge(r.value.state, r.value.state === "active" ? "ok" : "bad"), date(r.value.valid_from), date(r.value.valid_until)]
          : [copyable(operatorWallets[n]), showProblem(r.problem), "", ""]))),
    el("section", { "aria-labelledby": "types-h" }, el("h2", { id: "types-h" }, t("assetTypes")),
      table([t("id"), t("name"), t("category"), t("listed")],
        types.map((a) => [String(a.type_id), a.name, a.category, a.listed ? t("yes") : t("no")]))),
    await noticeSection().catch(showProblem),
  );
}

export async function issuanceView(main, id) {
  const [i, coverage, check, types] = await Promise.all([
    get(`/v1/issuances/${id}`), get(`/v1/issuances/${id}/coverage`), get(`/v1/issuances/${id}/decision-check`), get("/v1/asset-types"),
  ]);
  const type = types.find((a) => a.type_id === i.asset_type);
  const checkClass = { ok: "ok", changed: "bad", unavailable: "bad" }[check.status] || "muted";
  main.replaceChildren(
    el("h2", {}, `${t("issuance")} ${i.id}: ${type ? type.name : i.asset_type}`),
    el("dl", { class: "facts" },
      el("dt", {}, t("unit")), el("dd", {}, i.unit_description),
      el("dt", {}, t("status")), el("dd", {}, stateOf(i)),
      el("dt", {}, t("issuer")), el("dd", {}, copyable(i.issuer)),
      el("dt", {}, t("operator")), el("dd", {}, copyable(i.operator)),
      el("dt", {}, t("supply")), el("dd", {}, units(i.total_supply)),
      el("dt", {}, t("pendingRedemption")), el("dd", { id: "pending-redemption" }, units(i.pending_redemption)),
      el("dt", {}, t("maxSupply")), el("dd", {}, units(i.max_supply)),
      el("dt", {}, t("coverage")), el("dd", {}, coverageText(coverage)),
      el("dt", {}, t("decision")), el("dd", {}, el("a", { href: i.decision_uri, rel: "noopener noreferrer", target: "_blank" }, i.decision_uri)),
      el("dt", {}, t("decisionHash")), el("dd", {}, copyable(i.decision_hash)),
      el("dt", {}, t("decisionCheck")), el("dd", { id: "decision-check" }, el("span", { class: checkClass }, t(`check.${check.status}`)),
        check.checked_at ? ` (${t("checkedAt", { date: date(check.checked_at) })})` : "", check.detail ? ` — ${check.detail}` : ""),
      el("dt", {}, t("evidenceHash")), el("dd", {}, copyable(i.evidence_hash)),
      el("dt", {}, "ERC-1155"), el("dd", {}, el("a", { href: `/v1/metadata/${i.id}.json` }, "metadata JSON"))),
    el("h3", {}, t("attestations")),
    table([t("id"), t("amount"), t("validUntil"), t("status")],
      i.attestations.map((a) => [copyable(a.attestation_id), units(a.units), date(a.valid_until), a.status]), [1]),
    el("h3", {}, t("holders")),
    table([t("holder"), t("balance")], i.holders.map((h) => [copyable(h.holder), units(h.balance)]), [1]),
  );
}
