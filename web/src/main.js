// The app's entry: the language, the hash routes, and a redraw on every change. A failed load
// shows its problem in place of the view.
import { problems } from "./api.js";
import { setLang, lang, t, translateStatic } from "./i18n.js";
import { el } from "./format.js";
import { exchangeView } from "./exchange.js";
import { accountView } from "./holder.js";
import { showProblem } from "./messages.js";
import { issuanceView, registerView } from "./register.js";

const routes = [
  [/^#\/issuance\/(\d+)$/, (main, id) => issuanceView(main, id)],
  [/^#\/account$/, (main) => accountView(main)],
  [/^#\/exchange$/, (main) => exchangeView(main)],
  [/^(#\/register)?$/, (main) => registerView(main)],
];

let drawing = 0;
async function draw() {
  const ticket = ++drawing;
  translateStatic();
  const main = document.getElementById("main");
  for (const link of document.querySelectorAll("header nav a"))
    link.toggleAttribute("aria-current", location.hash.startsWith(link.getAttribute("href")) || (!location.hash && link.getAttribute("href") === "#/register"));
  const hash = location.hash || "";
  const route = routes.find(([pattern]) => pattern.test(hash));
  if (!route) return main.replaceChildren(el("p", {}, t("notFound")));
  const holder = document.createElement("div");
  try {
    await route[1](holder, ...hash.match(route[0]).slice(1));
  } catch (error) {
    holder.replaceChildren(showProblem(error));
  }
  if (ticket !== drawing) return;
  main.replaceChildren(...holder.childNodes);
  document.body.dataset.ready = String(ticket);
}

const select = document.getElementById("lang");
setLang(lang);
select.value = lang;
select.addEventListener("change", () => { setLang(select.value); draw(); });
window.addEventListener("hashchange", () => { draw().then(() => document.getElementById("main").focus()); });
window.addEventListener("sdap:render", draw);
problems();
draw();
