// Delivery against money paid off the chain: the seller escrows units for a named buyer at a price
// in tenge, with a settlement agent (a bank the regulator named) that confirms the payment on-chain;
// the units then move to the buyer, or the escrow lapses after its deadline and they are the
// seller's again. The seller signs a forward request the operator relays. Open escrows are followed:
// their table is read again every few seconds until each is settled or lapsed.
import { getAddress, isAddress } from "viem";
import { get, post, Problem } from "./api.js";
import { t } from "./i18n.js";
import { copyable, date, el, localInput, money, parseMoney, secondsOf, table, units } from "./format.js";

const DAY = 24 * 3600;
const FOLLOW_MS = 3000;
/** Decimal places of the currencies an escrow's price may be in (ISO 4217 minor units). */
const DECIMALS = { KZT: 2 };
const draft = {};
let following = null;

const priceOf = (e) => money(e.price, DECIMALS[e.currency] ?? 2, e.currency);

function escrowTable(escrows, me, holder) {
  const lapse = (e) => holder.act(async () => {
    await post(`/v1/escrows/${e.escrow_id}/lapse`);
  }, "escrows-result");
  return table([t("id"), t("role"), t("issuance"), t("amount"), t("counterparty"), t("agent"), t("price"), t("paymentDeadline"), t("status")],
    escrows.map((e) => {
      const selling = e.seller.toLowerCase() === me;
      const state = el("span", { class: { open: "warn", settled: "ok", lapsed: "muted" }[e.state], "data-state": e.state },
        t(e.state === "open" && e.expired ? "escrow.expired" : `escrow.${e.state}`));
      return Object.assign([
        String(e.escrow_id), t(selling ? "seller" : "buyer"), `${t("issuance")} ${e.issuance_id}`, units(e.amount),
        copyable(selling ? e.buyer : e.seller), copyable(e.agent), priceOf(e), date(e.deadline),
        e.state === "open" && e.expired
          ? el("span", {}, state, " ", el("button", { type: "button", class: "lapse", onclick: () => lapse(e) }, t("lapse")))
          : state,
      ], { attrs: { "data-escrow": e.escrow_id, "data-state": e.state } });
    }), [3, 6]);
}

/** Reads the holder's escrows again while any is open and the table is on the page; when one is
 * settled or lapses, the whole view is drawn again (the balances changed too). */
function follow(holder, holderTable, escrows) {
  clearTimeout(following);
  if (!escrows.some((e) => e.state === "open")) return;
  const before = escrows.map((e) => `${e.escrow_id}:${e.state}:${e.expired}`).join();
  following = setTimeout(async () => {
    if (!holderTable.isConnected) return;
    let fresh = escrows;
    try {
      fresh = await get(`/v1/escrows?party=${holder.wallet.address}&limit=1000`);
    } catch {
      // The gateway will answer again; the table stays as last read.
    }
    if (!holderTable.isConnected) return;
    if (fresh.map((e) => `${e.escrow_id}:${e.state}:${e.expired}`).join() !== before) window.dispatchEvent(new Event("sdap:render"));
    else follow(holder, holderTable, fresh);
  }, FOLLOW_MS);
}

function openEscrowSection(holder, balances) {
  const id = (name) => `escrow-${name}`;
  const form = el("form", { class: "grid", id: "open-escrow", onsubmit: (e) => e.preventDefault() },
    el("label", { for: id("issuance") }, t("issuance")),
    el("select", { id: id("issuance"), name: "issuance" }, balances.map((b) => el("option", { value: b.issuance_id }, `${t("issuance")} ${b.issuance_id} (${units(b.available)})`))),
    el("label", { for: id("amount") }, t("escrowAmount")),
    el("input", { id: id("amount"), name: "amount", type: "number", min: "1", step: "1", required: true, inputmode: "numeric" }),
    el("label", { for: id("buyer") }, t("escrowBuyer")),
    el("input", { id: id("buyer"), name: "buyer", required: true, autocomplete: "off", spellcheck: "false", placeholder: "0x…" }),
    el("label", { for: id("agent") }, t("escrowAgent")),
    el("input", { id: id("agent"), name: "agent", required: true, autocomplete: "off", spellcheck: "false", placeholder: "0x…" }),
    el("label", { for: id("price") }, t("escrowPrice")),
    el("input", { id: id("price"), name: "price", required: true, autocomplete: "off", inputmode: "decimal" }),
    el("label", { for: id("deadline") }, t("paymentDeadline")),
    el("input", { id: id("deadline"), name: "deadline", type: "datetime-local", required: true }));
  const names = ["issuance", "amount", "buyer", "agent", "price", "deadline"];
  form.elements.deadline.value = localInput(Math.floor(Date.now() / 1000) + 3 * DAY);
  for (const name of names) if (draft[name]) form.elements[name].value = draft[name];
  form.addEventListener("input", () => { for (const name of names) draft[name] = form.elements[name].value; });

  const values = () => {
    const f = form.elements;
    const amount = f.amount.value.trim();
    if (!/^[1-9][0-9]*$/.test(amount)) throw new Problem({ code: "invalid_amount", title: t("escrowAmount"), detail: amount || "—" });
    for (const [name, label] of [["buyer", "escrowBuyer"], ["agent", "escrowAgent"]])
      if (!isAddress(f[name].value.trim())) throw new Problem({ code: "invalid_address", title: t(label), detail: f[name].value || "—" });
    const price = parseMoney(f.price.value, DECIMALS.KZT);
    if (!price) throw new Problem({ code: "invalid_amount", title: t("escrowPrice"), detail: f.price.value || "—" });
    const deadline = secondsOf(f.deadline.value);
    if (!deadline) throw new Problem({ code: "invalid_deadline", title: t("paymentDeadline"), detail: f.deadline.value || "—" });
    return {
      issuance_id: f.issuance.value, amount, buyer: getAddress(f.buyer.value.trim()), agent: getAddress(f.agent.value.trim()),
      price, currency: "KZT", payment_deadline: String(deadline),
    };
  };
  const result = el("div", { id: "escrow-result", "aria-live": "polite" });
  const open = () => holder.act(async () => {
    const request = await get(`/v1/escrows/open-request?${new URLSearchParams(values())}`);
    const signature = await holder.sign(request.typed_data);
    result.replaceChildren(el("p", { class: "warn" }, t("relayingEscrow")));
    const opened = await post("/v1/escrows", { ...request.fields, signature });
    sessionStorage.setItem("sdap.escrow", String(opened.escrow_id));
    for (const name of names) delete draft[name];
  }, "escrow-result");
  const last = sessionStorage.getItem("sdap.escrow");
  if (last) result.replaceChildren(el("p", { class: "notice-ok", id: "escrow-opened" }, t("escrowOpened", { id: last })));
  return el("section", { "aria-labelledby": "open-escrow-h" }, el("h2", { id: "open-escrow-h" }, t("openEscrow")),
    el("p", { class: "muted" }, t("escrowHow")), form,
    el("div", { class: "actions" }, el("button", { type: "button", class: "primary", id: "escrow-open", onclick: open }, t("escrowOpen"))),
    result);
}

/** The form opening an escrow and the holder's escrows (as seller and as buyer), followed. */
export async function escrowSections(holder, balances) {
  const me = holder.wallet.address.toLowerCase();
  const escrows = await get(`/v1/escrows?party=${holder.wallet.address}&limit=1000`);
  const holderTable = el("div", { id: "escrows" }, escrowTable(escrows, me, holder));
  follow(holder, holderTable, escrows);
  return [
    openEscrowSection(holder, balances),
    el("section", { "aria-labelledby": "escrows-h" }, el("h2", { id: "escrows-h" }, t("escrows")),
      el("div", { id: "escrows-result", "aria-live": "polite" }), holderTable),
  ];
}
