// The test wallet as a page sees it: an EIP-1193 provider announced by EIP-6963, whose requests
// Python answers (browser.py, InjectedWallet) through a function exposed to the page.
(() => {
  const listeners = {};
  const provider = {
    isSdapTestWallet: true,
    async request({ method, params }) {
      const answer = JSON.parse(await window.__sdapWallet(method, JSON.stringify(params ?? [])));
      if (answer.error) throw Object.assign(new Error(answer.error.message), answer.error);
      return answer.result;
    },
    on(event, listener) { (listeners[event] ??= []).push(listener); return provider; },
    removeListener(event, listener) { listeners[event] = (listeners[event] || []).filter((l) => l !== listener); return provider; },
  };
  const info = { uuid: "7d3c6a1e-0000-4000-8000-000000000001", name: "Test wallet", icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'/%3E", rdns: "org.sdap.test" };
  const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();
