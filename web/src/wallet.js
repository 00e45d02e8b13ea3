// The browser wallet: EIP-6963 discovery (several wallets side by side), window.ethereum as the
// fallback, and viem's clients over the chosen EIP-1193 provider.
import { createPublicClient, createWalletClient, custom, getAddress } from "viem";

const announced = new Map();
window.addEventListener("eip6963:announceProvider", (event) => {
  const { info, provider } = event.detail;
  announced.set(info.uuid, { name: info.name, icon: info.icon, rdns: info.rdns, provider });
  document.dispatchEvent(new CustomEvent("sdap:wallets"));
});
window.dispatchEvent(new Event("eip6963:requestProvider"));

/** The wallets found: announced ones, or the injected one when none announced itself. */
export function wallets() {
  const found = [...announced.values()];
  if (!found.length && window.ethereum) found.push({ name: window.ethereum.isMetaMask ? "MetaMask" : "Browser wallet", provider: window.ethereum });
  return found;
}

export class Wallet {
  constructor(entry, address, chainId) {
    this.name = entry.name;
    this.provider = entry.provider;
    this.address = address;
    this.chainId = chainId;
    const transport = custom(entry.provider);
    this.client = createWalletClient({ account: address, transport });
    this.public = createPublicClient({ transport });
  }

  static async connect(entry) {
    const [account] = await entry.provider.request({ method: "eth_requestAccounts" });
    const chainId = Number(await entry.provider.request({ method: "eth_chainId" }));
    return new Wallet(entry, getAddress(account), chainId);
  }

  async switchTo(chainId) {
    await this.provider.request({ method: "wallet_switchEthereumChain", params: [{ chainId: `0x${chainId.toString(16)}` }] });
    this.chainId = Number(await this.provider.request({ method: "eth_chainId" }));
  }

  signMessage(message) {
    return this.client.signMessage({ message });
  }

  /** Signs the gateway's typed data (as eth_signTypedData_v4 takes it; viem adds the domain's type). */
  signTypedData(typed) {
    const { EIP712Domain, ...types } = typed.types;
    return this.client.signTypedData({ domain: typed.domain, types, primaryType: typed.primaryType, message: typed.message });
  }
}
