// The exchange (Law art. 1.1-1.2, Rules item 4): a holder's offers and escrows. An offer gives
// units of one of the holder's issuances for units of another or for a payment token the regulator
// listed; the maker signs it (EIP-712, the gateway's typed data) and the gateway publishes it; a
// taker signs a forward request the operator relays, and both legs move in one transaction. Offers
// a holder cannot take say why, in words. The escrows (delivery against money paid off the chain)
// are in escrow.js.
import { get, post, Problem } from "./api.js";
import { t } from "./i18n.js";
import { copyable, date, el, localInput, money, parseMoney, secondsOf, table, units } from "./format.js";
import { escrowSections } from "./escrow.js";
import { holderView } from "./holder.js";
import { erc20Abi, getAddress, isAddress } from "viem";
import { assetAbi } from "sdap:abi";

const DAY = 24 * 3600;
const draft = {};

/** What one leg of an offer is, in words: units of an issuance, or an amount of a payment token. */
function leg(token, id, amount, asset, tokens) {
  if (token.toLowerCase() === asset.toLowerCase()) return t("leg.units", { amount: units(amount), id });
  const listed = tokens.get(token.toLowerCase());
  return listed ? money(amount, listed.decimals, listed.currency) : `${amount} ${token}`;
}

/** Why the signed-in holder cannot take an offer, in words: the exchange's reason, and for a refused
 * leg the asset's reason (the same codes as a transfer's refusal). */
export function reasonOf(check) {
  const why = t(`offerRefusal.${check.offer_refusal}`);
  if (!check.refusal || check.refusal === "none") return why;
  return `${why} ${t(`refusal.${check.refusal}`)}`;
}

/** The holder's units by issuance: free to offer, held otherwise (encumbered, frozen, in escrow), in all. */
function balancesSection(balances) {
  return el("section", { "aria-labelledby": "xbal-h" }, el("h2", { id: "xbal-h" }, t("myUnits")),
    el("div", { id: "exchange-balances" }, table([t("issuance"), t("free"), t("held"), t("total")],
      balances.map((b) => Object.assign([`${t("issuance")} ${b.issuance_id}`, units(b.available), units(BigInt(b.balance) - BigInt(b.available)), units(b.balance)],
        { attrs: { "data-issuance": b.issuance_id } })), [1, 2, 3])),
    el("p", { class: "muted" }, t("heldHow")));
}

function makeOfferSection(holder, balances, issuances, tokens) {
  const id = (name) => `offer-${name}`;
  const wants = [
    ...issuances.map((i) => el("option", { value: `units:${i.id}` }, t("want.units", { id: i.id }))),
    ...[...tokens.values()].filter((p) => p.listed).map((p) => el("option", { value: `token:${p.token}` }, t("want.token", { currency: p.currency, token: p.token.slice(0, 8) }))),
  ];
  const form = el("form", { class: "grid", id: "make-offer", onsubmit: (e) => e.preventDefault() },
    el("label", { for: id("give") }, t("offerGive")),
    el("select", { id: id("give"), name: "give" }, balances.map((b) => el("option", { value: b.issuance_id }, `${t("issuance")} ${b.issuance_id} (${units(b.available)})`))),
    el("label", { for: id("give-amount") }, t("offerGiveAmount")),
    el("input", { id: id("give-amount"), name: "give_amount", type: "number", min: "1", step: "1", required: true, inputmode: "numeric" }),
    el("label", { for: id("want") }, t("offerWant")),
    el("select", { id: id("want"), name: "want" }, wants),
    el("label", { for: id("want-amount") }, t("offerWantAmount")),
    el("input", { id: id("want-amount"), name: "want_amount", required: true, autocomplete: "off", inputmode: "decimal" }),
    el("label", { for: id("taker") }, t("offerTaker")),
    el("input", { id: id("taker"), name: "taker", autocomplete: "off", spellcheck: "false", placeholder: "0x…" }),
    el("label", { for: id("expiry") }, t("offerExpiry")),
    el("input", { id: id("expiry"), name: "expiry", type: "datetime-local", required: true }));
  const names = ["give", "give_amount", "want", "want_amount", "taker", "expiry"];
  form.elements.expiry.value = localInput(Math.floor(Date.now() / 1000) + 7 * DAY);
  for (const name of names) if (draft[name]) form.elements[name].value = draft[name];
  // Units are exchanged for units of ANOTHER issuance: the one given is not offered as wanted.
  const sameIssuance = () => {
    for (const option of form.elements.want.options) option.disabled = option.value === `units:${form.elements.give.value}`;
    if (form.elements.want.selectedOptions[0]?.disabled) form.elements.want.value = [...form.elements.want.options].find((o) => !o.disabled)?.value ?? "";
  };
  sameIssuance();
  form.addEventListener("input", () => {
    sameIssuance();
    for (const name of names) draft[name] = form.elements[name].value;
  });

  const result = el("div", { id: "offer-result", "aria-live": "polite" });
  const values = () => {
    const f = form.elements;
    const giveAmount = f.give_amount.value.trim();
    if (!/^[1-9][0-9]*$/.test(giveAmount)) throw new Problem({ code: "invalid_amount", title: t("offerGiveAmount"), detail: giveAmount || "—" });
    const [kind, what] = f.want.value.split(":");
    const token = kind === "token" ? tokens.get(what.toLowerCase()) : null;
    const wantAmount = token ? parseMoney(f.want_amount.value, token.decimals) : /^[1-9][0-9]*$/.test(f.want_amount.value.trim()) ? f.want_amount.value.trim() : null;
    if (!wantAmount) throw new Problem({ code: "invalid_amount", title: t("offerWantAmount"), detail: f.want_amount.value || "—" });
    const taker = f.taker.value.trim();
    if (taker && !isAddress(taker)) throw new Problem({ code: "invalid_address", title: t("offerTaker"), detail: taker });
    const expiry = secondsOf(f.expiry.value);
    if (!expiry) throw new Problem({ code: "invalid_expiry", title: t("offerExpiry"), detail: f.expiry.value || "—" });
    return {
      give_id: Number(f.give.value), give_amount: giveAmount,
      ...(token ? { want_token: token.token } : { want_id: Number(what) }), want_amount: wantAmount,
      ...(taker ? { taker: getAddress(taker) } : {}), expiry,
    };
  };
  const publish = () => holder.act(async () => {
    const prepared = await get(`/v1/offers/typed-data?${new URLSearchParams(values())}`);
    const signature = await holder.sign(prepared.typed_data);
    const published = await post("/v1/offers", { offer: prepared.fields.offer, signature });
    sessionStorage.setItem("sdap.offer", published.offer_hash);
    for (const name of names) delete draft[name];
  }, "offer-result");
  const last = sessionStorage.getItem("sdap.offer");
  if (last) result.replaceChildren(el("p", { class: "notice-ok", id: "offer-published" }, t("offerPublished"), " ", copyable(last)));
  return el("section", { "aria-labelledby": "make-h" }, el("h2", { id: "make-h" }, t("makeOffer")),
    el("p", { class: "muted" }, t("exchangeHow")), form,
    el("div", { class: "actions" }, el("button", { type: "button", class: "primary", id: "offer-publish", onclick: publish }, t("offerPublish"))),
    result);
}

function offersSection(holder, offers, checks, tokens) {
  const me = holder.wallet.address.toLowerCase();
  const asset = holder.config.asset;
  const isUnits = (token) => token.toLowerCase() === asset.toLowerCase();
  const result = el("div", { id: "offers-result", "aria-live": "polite" });
  const take = (o) => holder.act(async () => {
    const request = await get(`/v1/offers/${o.offer_hash}/take-request`);
    const signature = await holder.sign(request.typed_data);
    result.replaceChildren(el("p", { class: "warn" }, t("relayingTake")));
    const done = await post(`/v1/offers/${o.offer_hash}/take`, { ...request.fields, signature });
    sessionStorage.setItem("sdap.offerDone", JSON.stringify({ kind: "taken", ...done }));
  }, "offers-result");
  const cancel = (o) => holder.act(async () => {
    const request = await get(`/v1/offers/${o.offer_hash}/cancel-request`);
    const signature = await holder.sign(request.typed_data);
    result.replaceChildren(el("p", { class: "warn" }, t("relayingCancel")));
    const done = await post(`/v1/offers/${o.offer_hash}/cancellation`, { ...request.fields, signature });
    sessionStorage.setItem("sdap.offerDone", JSON.stringify({ kind: "cancelled", ...done }));
  }, "offers-result");
  // A payment token is a plain ERC-20: the payer allows the exchange to take the price from its own
  // wallet (a transaction it pays gas for), then takes the offer gaslessly.
  const approve = (o) => holder.act(async () => {
    const exchange = await holder.wallet.public.readContract({ address: asset, abi: assetAbi, functionName: "exchange" });
    const call = { address: o.offer.want_token, abi: erc20Abi, functionName: "approve", args: [exchange, BigInt(o.offer.want_amount)], account: holder.wallet.address };
    await holder.wallet.public.simulateContract(call);
    const hash = await holder.wallet.client.writeContract({ ...call, chain: null });
    const receipt = await holder.wallet.public.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Problem({ code: "reverted", title: t("refused"), detail: hash });
  }, "offers-result");
  // The holder's last take or cancellation, confirmed in its block.
  const done = JSON.parse(sessionStorage.getItem("sdap.offerDone") || "null");
  if (done?.kind === "taken") result.replaceChildren(el("p", { class: "notice-ok", id: "offer-taken" }, t("offerTaken", { block: done.block_number }), " ", copyable(done.tx_hash)));
  if (done?.kind === "cancelled") result.replaceChildren(el("p", { class: "notice-ok", id: "offer-cancelled" }, t("offerCancelled"), " ", copyable(done.offer_hash)));

  const action = (o) => {
    const mine = o.offer.maker.toLowerCase() === me;
    if (o.status !== "open") return "";
    if (mine) return el("button", { type: "button", class: "cancel-offer", onclick: () => cancel(o) }, t("cancelOffer"));
    const check = checks.get(o.offer_hash);
    if (check && check.offer_refusal === "payment_not_available" && !isUnits(o.offer.want_token))
      return el("span", {}, el("span", { class: "why-not bad", "data-refusal": check.offer_refusal }, reasonOf(check)), " ",
        el("button", { type: "button", class: "approve-payment", onclick: () => approve(o) },
          t("approvePayment", { amount: leg(o.offer.want_token, 0, o.offer.want_amount, asset, tokens) })));
    if (check && !check.takeable) return el("span", { class: "why-not bad", "data-refusal": check.offer_refusal, "data-code": check.code }, reasonOf(check));
    return el("button", { type: "button", class: "primary take-offer", onclick: () => take(o) }, t("takeOffer"));
  };
  return el("section", { "aria-labelledby": "offers-h" }, el("h2", { id: "offers-h" }, t("offers")), result,
    el("div", { id: "offers" }, table([t("maker"), t("gives"), t("wants"), t("offerTakerColumn"), t("expiry"), t("status"), ""],
      offers.map((o) => {
        const x = o.offer;
        return Object.assign([
          x.maker.toLowerCase() === me ? el("strong", {}, t("you")) : copyable(x.maker),
          leg(x.give_token, x.give_id, x.give_amount, asset, tokens),
          leg(x.want_token, x.want_id, x.want_amount, asset, tokens),
          /^0x0{40}$/.test(x.taker) ? t("anyone") : x.taker.toLowerCase() === me ? t("you") : copyable(x.taker),
          date(x.expiry),
          el("span", { "data-status": o.status }, t(`offer.${o.status}`),
            o.taken ? [" ", t("takenBy"), " ", o.taken.taker.toLowerCase() === me ? t("you") : copyable(o.taken.taker)] : null),
          action(o),
        ], { attrs: { "data-offer": o.offer_hash, "data-status": o.status } });
      }))));
}

async function exchangeSections(holder) {
  const me = holder.wallet.address.toLowerCase();
  const [balances, issuances, tokenList, all] = await Promise.all([
    get("/v1/holders/me/balances"), get("/v1/issuances"), get("/v1/payment-tokens"), get("/v1/offers?limit=1000"),
  ]);
  const escrows = await escrowSections(holder, balances);
  const tokens = new Map(tokenList.map((p) => [p.token.toLowerCase(), p]));
  // Open offers, everyone's, and the holder's own whatever became of them; newest first.
  const offers = all.filter((o) => o.status === "open" || o.offer.maker.toLowerCase() === me).reverse();
  const others = offers.filter((o) => o.status === "open" && o.offer.maker.toLowerCase() !== me);
  const checks = new Map(await Promise.all(others.map(async (o) => [o.offer_hash, (await get(`/v1/offers/${o.offer_hash}?taker=${holder.wallet.address}`)).check])));
  return [
    balancesSection(balances),
    makeOfferSection(holder, balances, issuances, tokens),
    offersSection(holder, offers, checks, tokens),
    ...escrows,
  ];
}

export const exchangeView = (main) => holderView(main, exchangeSections);
