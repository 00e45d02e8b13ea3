// The holder's area: connect a wallet, sign in (EIP-4361 through the gateway), identification,
// the risk notice and its acknowledgement (EIP-712, relayed), balances, transfers (from the
// wallet or relayed by the operator), redemption requests (relayed), movements and encumbrances.
// Other signed-in views (the exchange) draw under the same wallet section through `holderView`.
import { BaseError, ContractFunctionRevertedError, getAddress, isAddress } from "viem";
import { assetAbi } from "sdap:abi";
import { get, post, Problem, problemOfError, session } from "./api.js";
import { t } from "./i18n.js";
import { copyable, date, el, table, units } from "./format.js";
import { fromWalletError, showProblem } from "./messages.js";
import { redemptionSection, requestsOf } from "./redemption.js";
import { noticeSection } from "./register.js";
import { Wallet, wallets } from "./wallet.js";

const state = { wallet: null, config: null, pending: [], confirmed: [], draft: {} };

function render() {
  window.dispatchEvent(new Event("sdap:render"));
}

async function config() {
  state.config ??= await get("/v1/web/config");
  return state.config;
}

function walletSection() {
  if (!state.wallet) {
    const found = wallets();
    if (!found.length) return el("p", { class: "problem", role: "alert" }, t("noWallet"));
    return el("div", { class: "actions" }, found.map((entry) =>
      el("button", { type: "button", class: "primary", onclick: () => act(async () => {
        state.wallet = await Wallet.connect(entry);
        follow(state.wallet);
      }) }, entry.icon ? el("img", { src: entry.icon, alt: "", width: 16, height: 16 }) : null, " ", t("connectWith", { name: entry.name }))));
  }
  const parts = [el("p", {}, t("connected", { address: "" }), copyable(state.wallet.address), ` (${state.wallet.name})`)];
  if (state.wallet.chainId !== state.config.chain_id) {
    parts.push(el("p", { class: "problem", role: "alert" }, t("wrongChain", { have: state.wallet.chainId, want: state.config.chain_id })),
      el("button", { type: "button", onclick: () => act(() => state.wallet.switchTo(state.config.chain_id)) }, t("switchChain", { want: state.config.chain_id })));
  } else if (!session.token) {
    parts.push(el("button", { type: "button", class: "primary", id: "sign-in", onclick: () => act(signIn) }, t("signIn")));
  } else {
    parts.push(el("button", { type: "button", id: "sign-out", onclick: () => act(signOut) }, t("signOut")));
  }
  return el("div", {}, parts);
}

const followed = new WeakSet();
/** The wallet's own changes: another account ends the session (it was the other account's); another chain is shown. */
function follow(wallet) {
  const { provider } = wallet;
  if (followed.has(provider) || !provider.on) return;
  followed.add(provider);
  provider.on("accountsChanged", (accounts) => {
    if (state.wallet?.provider !== provider) return;
    const current = state.wallet;
    state.wallet = accounts.length ? new Wallet(current, getAddress(accounts[0]), current.chainId) : null;
    session.set(null);
    render();
  });
  provider.on("chainChanged", (chainId) => {
    if (state.wallet?.provider !== provider) return;
    state.wallet = new Wallet(state.wallet, state.wallet.address, Number(chainId));
    render();
  });
}

async function signIn() {
  const { message } = await get(`/v1/auth/nonce?address=${state.wallet.address}`);
  const signature = await state.wallet.signMessage(message);
  const opened = await post("/v1/auth/sign-in", { message, signature }, false);
  session.set(opened.token);
  sessionStorage.setItem("sdap.address", opened.address);
}

async function signOut() {
  try {
    await post("/v1/auth/sign-out", undefined, false);
  } finally {
    session.set(null);
  }
}

let busy = false;
/** Runs a user's action: announces it, shows its problem if it fails, then redraws. */
export async function act(action, into, redraw = true) {
  if (busy) return;
  busy = true;
  const status = document.getElementById("status");
  status.textContent = t("signing");
  try {
    await action();
    status.textContent = "";
  } catch (error) {
    status.textContent = "";
    const shown = showProblem(await explain(error));
    (into ? document.getElementById(into) : status).replaceChildren(shown);
    busy = false;
    if (into) return;
  }
  busy = false;
  if (redraw) render();
}

/** A viem error: the contract's custom error, by name, if the chain refused; the wallet's words otherwise. */
export async function explain(error) {
  if (error instanceof Problem) return error;
  if (error instanceof BaseError) {
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (revert?.data?.errorName) return problemOfError(revert.data.errorName, revert.data.args);
  }
  return fromWalletError(error);
}

async function accountSections() {
  const [me, notice, balances, history, encumbrances, redemptions] = await Promise.all([
    get("/v1/holders/me"), get("/v1/risk-notice"), get("/v1/holders/me/balances"), get("/v1/holders/me/history"),
    get("/v1/holders/me/encumbrances"), requestsOf(state.wallet.address),
  ]);
  const statusClass = me.status === "eligible" ? "notice-ok" : "problem";
  const ack = me.acknowledged_notice >= me.notice_in_force
    ? el("p", { class: "ok" }, t("acknowledged", { version: me.acknowledged_notice }))
    : el("div", {},
      el("p", { class: "warn" }, t("mustAcknowledge", { have: me.acknowledged_notice, want: me.notice_in_force })),
      el("button", { type: "button", class: "primary", id: "acknowledge", onclick: () => act(acknowledge, "ack-result") }, t("acknowledge")),
      el("div", { id: "ack-result", "aria-live": "polite" }));
  return [
    el("section", { "aria-labelledby": "id-h" }, el("h2", { id: "id-h" }, t("identification")),
      el("p", { class: statusClass, id: "identification", "data-status": me.status }, t(`status.${me.status}`))),
    el("section", { "aria-labelledby": "ack-h" }, el("h2", { id: "ack-h" }, t("notice")), notice.text
      ? el("div", { class: "notice-text", tabindex: "0" }, notice.text)
      : el("p", {}, el("a", { href: notice.uri, target: "_blank", rel: "noopener noreferrer" }, t("readNotice", { version: notice.version }))),
    ack),
    el("section", { "aria-labelledby": "bal-h" }, el("h2", { id: "bal-h" }, t("balances")),
      el("div", { id: "balances" }, table([t("issuance"), t("free"), t("encumbered"), t("frozen"), t("escrowed"), t("total")],
        balances.map((b) => [el("a", { href: `#/issuance/${b.issuance_id}` }, `${t("issuance")} ${b.issuance_id}`),
          units(b.available), units(b.encumbered), units(b.frozen), units(b.escrowed), units(b.balance)]), [1, 2, 3, 4, 5]))),
    transferSection(balances),
    redemptionSection(balances, redemptions, act, (typed) => state.wallet.signTypedData(typed)),
    el("section", { "aria-labelledby": "mov-h" }, el("h2", { id: "mov-h" }, t("movements")),
      state.pending.length ? el("div", { id: "pending" }, el("h3", {}, t("pendingList")),
        state.pending.map((p) => el("p", { class: "warn" }, t("pending", { tx: "" }), copyable(p)))) : null,
      el("div", { id: "history" }, table([t("time"), t("kind"), t("issuance"), t("direction"), t("amount"), t("block"), t("tx")],
        history.map((m) => [date(m.block_time), t(`kind.${m.kind}`), String(m.issuance_id), t(m.direction), units(m.amount),
          String(m.block_number), copyable(m.tx_hash)]), [4, 5]))),
    el("section", { "aria-labelledby": "enc-h" }, el("h2", { id: "enc-h" }, t("encumbrances")),
      table([t("id"), t("issuance"), t("amount"), t("beneficiary"), t("expiry"), t("reference")],
        encumbrances.map((e) => [String(e.id), String(e.issuance_id), units(e.amount), copyable(e.beneficiary), date(e.expiry),
          copyable(e.reference_hash)]), [2])),
  ];
}

async function acknowledge() {
  const request = await get("/v1/risk-notice/acknowledgement");
  const signature = await state.wallet.signTypedData(request.typed_data);
  await post("/v1/risk-notice/acknowledgements", { ...request.fields, signature });
}

function transferSection(balances) {
  const id = (name) => `transfer-${name}`;
  const form = el("form", { class: "grid", id: "transfer", onsubmit: (e) => e.preventDefault() },
    el("label", { for: id("issuance") }, t("issuance")),
    el("select", { id: id("issuance"), name: "issuance" }, balances.map((b) => el("option", { value: b.issuance_id }, `${t("issuance")} ${b.issuance_id} (${units(b.available)})`))),
    el("label", { for: id("to") }, t("to")),
    el("input", { id: id("to"), name: "to", required: true, autocomplete: "off", spellcheck: "false", placeholder: "0x…", pattern: "^0x[0-9a-fA-F]{40}$" }),
    el("label", { for: id("amount") }, t("amount")),
    el("input", { id: id("amount"), name: "amount", type: "number", min: "1", step: "1", required: true, inputmode: "numeric" }));
  // The form survives redraws (a transfer's pending state, a language switch) as typed.
  for (const name of ["issuance", "to", "amount"]) if (state.draft[name]) form.elements[name].value = state.draft[name];
  form.addEventListener("input", () => {
    for (const name of ["issuance", "to", "amount"]) state.draft[name] = form.elements[name].value;
  });
  const values = () => {
    const to = form.elements.to.value.trim();
    const amount = form.elements.amount.value.trim();
    if (!isAddress(to)) throw new Problem({ code: "invalid_address", title: t("to"), detail: to || "—" });
    if (!/^[1-9][0-9]*$/.test(amount)) throw new Problem({ code: "invalid_amount", title: t("amount"), detail: amount || "—" });
    return { to: getAddress(to), issuance_id: Number(form.elements.issuance.value), amount: Number(amount) };
  };
  const requestOf = (v) => get(`/v1/transfers/request?to=${v.to}&issuance_id=${v.issuance_id}&amount=${v.amount}`);
  const result = el("div", { id: "transfer-result", "aria-live": "polite" });
  const say = (node) => result.replaceChildren(node);

  const check = () => act(async () => {
    await requestOf(values());
    say(el("p", { class: "notice-ok" }, t("checkOk")));
  }, "transfer-result", false);
  const gasless = () => act(async () => {
    const v = values();
    const request = await requestOf(v);
    const signature = await state.wallet.signTypedData(request.typed_data);
    // The gateway answers once the transfer is in a block (rights arise at posting): until then it is pending.
    say(el("p", { class: "warn", id: "relaying" }, t("relaying")));
    const done = await post("/v1/transfers", { ...request.fields, signature });
    state.confirmed.unshift(done);
    sessionStorage.setItem("sdap.last", JSON.stringify(done));
  }, "transfer-result");
  const direct = () => act(async () => {
    const v = values();
    await requestOf(v); // the gateway's check, one reason per refusal, before the wallet is asked
    const call = { address: state.config.asset, abi: assetAbi, functionName: "safeTransferFrom",
      args: [state.wallet.address, v.to, BigInt(v.issuance_id), BigInt(v.amount), "0x"], account: state.wallet.address };
    await state.wallet.public.simulateContract(call);
    const hash = await state.wallet.client.writeContract({ ...call, chain: null });
    state.pending.push(hash);
    render();
    const receipt = await state.wallet.public.waitForTransactionReceipt({ hash });
    state.pending = state.pending.filter((p) => p !== hash);
    if (receipt.status !== "success") throw new Problem({ code: "reverted", title: t("refused"), detail: hash });
    const done = { tx_hash: hash, block_number: Number(receipt.blockNumber) };
    state.confirmed.unshift(done);
    sessionStorage.setItem("sdap.last", JSON.stringify(done));
  }, "transfer-result");

  const last = JSON.parse(sessionStorage.getItem("sdap.last") || "null");
  if (last) say(el("p", { class: "notice-ok", id: "confirmed" }, t("confirmed", { block: last.block_number, tx: "" }), copyable(last.tx_hash)));
  return el("section", { "aria-labelledby": "tr-h" }, el("h2", { id: "tr-h" }, t("transfer")), form,
    el("div", { class: "actions" },
      el("button", { type: "button", id: "check", onclick: check }, t("check")),
      el("button", { type: "button", id: "send-wallet", onclick: direct }, t("sendWallet")),
      el("button", { type: "button", class: "primary", id: "send-gasless", onclick: gasless }, t("sendGasless"))),
    result);
}

/** The wallet section, then, once a wallet on the platform's chain is signed in, the sections
 * `draw` makes from the holder's context: its wallet, the chain's config, `act` and `sign`. */
export async function holderView(main, draw) {
  await config();
  if (state.wallet && sessionStorage.getItem("sdap.address") !== state.wallet.address) session.set(null);
  const parts = [el("section", { "aria-labelledby": "wallet-h" }, el("h2", { id: "wallet-h" }, t("connect")), walletSection())];
  if (state.wallet && session.token && state.wallet.chainId === state.config.chain_id) {
    const holder = { wallet: state.wallet, config: state.config, act, sign: (typed) => state.wallet.signTypedData(typed) };
    parts.push(...(await draw(holder)));
  } else {
    parts.push(el("p", { class: "muted" }, t("signInFirst")), await noticeSection().catch(showProblem));
  }
  main.replaceChildren(...parts);
}

export const accountView = (main) => holderView(main, accountSections);

document.addEventListener("sdap:wallets", () => {
  if (!state.wallet && /^#\/(account|exchange)/.test(location.hash)) render();
});
