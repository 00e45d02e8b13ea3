// Amounts, addresses, hashes and dates as people read them, in the viewer's locale.
import { lang, t } from "./i18n.js";

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** The viewer's own locale when it speaks the page's language (en-GB, ru-KZ), else the language. */
const locale = () => navigator.languages.find((l) => l.split("-")[0] === lang) || lang;

export const units = (value) => new Intl.NumberFormat(locale()).format(BigInt(value));

export function date(seconds) {
  if (!seconds) return t("never");
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(Number(seconds) * 1000));
}

export const short = (hex) => (hex && hex.length > 14 ? `${hex.slice(0, 6)}…${hex.slice(-4)}` : hex);

/** A shortened address or hash, its whole value in the title, with a button that copies it. */
export function copyable(hex, label) {
  const button = el("button", { type: "button", class: "copy", "aria-label": `${t("copy")} ${label || hex}` }, t("copy"));
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(hex);
      button.textContent = t("copied");
    } catch {
      window.prompt(t("copy"), hex);
    }
  });
  return el("span", { class: "addr", title: hex }, el("span", { "data-full": hex }, short(hex)), button);
}

/** A table of `rows` (arrays of cells; a row's `attrs`, if any, go on its <tr>). */
export function table(headers, rows, numeric = []) {
  if (!rows.length) return el("p", { class: "muted" }, t("none"));
  return el(
    "table",
    {},
    el("thead", {}, el("tr", {}, headers.map((h, i) => el("th", { scope: "col", class: numeric.includes(i) ? "num" : null }, h)))),
    el("tbody", {}, rows.map((row) => el("tr", row.attrs || {}, row.map((cell, i) => el("td", { class: numeric.includes(i) ? "num" : null }, cell))))),
  );
}

/** An amount in a currency's smallest unit (tiyn for "KZT", 2 decimals) as the viewer reads money. */
export function money(amount, decimals, currency) {
  const value = BigInt(amount);
  const scale = 10n ** BigInt(decimals);
  const whole = new Intl.NumberFormat(locale()).format(value / scale);
  if (!decimals) return `${whole} ${currency}`;
  const separator = new Intl.NumberFormat(locale()).formatToParts(1.5).find((p) => p.type === "decimal")?.value || ".";
  return `${whole}${separator}${(value % scale).toString().padStart(decimals, "0")} ${currency}`;
}

/** Typed money ("1500", "1 500,50", "1500.5") in the currency's smallest unit, as a decimal string;
 * null when it is not an amount with at most `decimals` places. */
export function parseMoney(text, decimals) {
  const match = text.replace(/[\s\u00a0\u202f]/g, "").match(/^(\d+)(?:[.,](\d*))?$/);
  if (!match || (match[2] || "").length > decimals) return null;
  const value = BigInt(match[1]) * 10n ** BigInt(decimals) + BigInt((match[2] || "").padEnd(decimals, "0") || "0");
  return value > 0n ? value.toString() : null;
}

/** A date input's local time (`2026-12-05T14:30`) as Unix seconds, and back. */
export const secondsOf = (local) => Math.floor(new Date(local).getTime() / 1000);
export function localInput(seconds) {
  const d = new Date(seconds * 1000);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
