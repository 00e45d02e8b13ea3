"""The platform as the gateway sees it: the SDK's Platform whose writes go through the journal,
the keys the gateway holds, and one role client per request."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_keys.datatypes import PrivateKey
from eth_utils import is_address, to_checksum_address
from web3 import Web3

from api.chain.journal import Journal, JournaledTransactor
from api.chain.node import AsyncNode
from api.chain.sender import LoopSender
from api.errors import SignerUnavailable
from api.settings import Settings
from sdap.clients import (
    ComplianceClient,
    HolderClient,
    IssuerClient,
    OperatorClient,
    PlatformQueries,
    RegulatorClient,
    VerifierClient,
)
from sdap.deployment import Deployment
from sdap.errors import ConfigurationError, SdapError, WalletError
from sdap.platform import Platform
from sdap.rpc import KeepAliveHTTPProvider
from sdap.transactions import Transactor, rpc
from sdap.wallet import Keystore, Secret, Signer


class GatewayPlatform(Platform):
    """A Platform whose transactors record every transaction in the journal before sending it."""

    def __init__(self, w3: Web3, deployment: Deployment, journal: Journal, *, tx_timeout: float = 120.0) -> None:
        super().__init__(w3, deployment, tx_timeout=tx_timeout)
        self.journal = journal
        self._journaled: dict[str, JournaledTransactor] = {}
        self._journaled_lock = threading.Lock()

    def transactor(self, account: LocalAccount) -> Transactor:
        with self._journaled_lock:
            existing = self._journaled.get(account.address)
            if existing is None:
                existing = JournaledTransactor(self.w3, account, self.decoder, self.journal, timeout=self.tx_timeout)
                self._journaled[account.address] = existing
            return existing

    def resync_nonces(self) -> None:
        with self._journaled_lock:
            transactors = list(self._journaled.values())
        for transactor in transactors:
            transactor.resync()


@dataclass(frozen=True)
class Readiness:
    chain_reachable: bool
    deployment_found: bool
    signer_unlocked: bool
    chain_id: int | None
    block_number: int | None
    detail: str | None = None

    @property
    def ready(self) -> bool:
        return self.chain_reachable and self.deployment_found and self.signer_unlocked


class Chain:
    """The platform, the keys held by this gateway, and clients acting as them."""

    def __init__(
        self, platform: GatewayPlatform, signers: Iterable[LocalAccount], operator: str, node: AsyncNode
    ) -> None:
        self.platform = platform
        self._signers: dict[str, LocalAccount] = {to_checksum_address(s.address): s for s in signers}
        self.operator_address = to_checksum_address(operator)
        self.queries = PlatformQueries(platform)
        #: The same node, from the event loop (the mint's hot path).
        self.node = node
        self._operator_sender: LoopSender | None = None

    @classmethod
    def connect(cls, settings: Settings, journal: Journal, signers: Iterable[LocalAccount]) -> Chain:
        w3 = Web3(KeepAliveHTTPProvider(settings.rpc_url, timeout=settings.rpc_timeout))
        lean(w3)
        deployment = Deployment.load(settings.deployment)
        platform = GatewayPlatform(w3, deployment, journal, tx_timeout=settings.tx_timeout)
        node = AsyncNode(settings.rpc_url, timeout=settings.rpc_timeout)
        return cls(platform, signers, settings.operator_address, node)

    @property
    def deployment(self) -> Deployment:
        return self.platform.deployment

    @property
    def w3(self) -> Web3:
        return self.platform.w3

    def holds(self, address: str) -> bool:
        return to_checksum_address(address) in self._signers

    def signer(self, address: str) -> LocalAccount:
        found = self._signers.get(to_checksum_address(address))
        if found is None:
            raise SignerUnavailable(f"this gateway holds no key for {to_checksum_address(address)}")
        return found

    # One client per call: clients are light, and the transactor (nonces) is shared per key.
    def operator(self, address: str | None = None) -> OperatorClient:
        """An operator client: the gateway's own operator (which mints and relays) by default."""
        return OperatorClient(self.platform, self.signer(address or self.operator_address))

    def operator_sender(self) -> LoopSender:
        """Sends as the gateway's operator from the event loop, sharing the operator's nonces and journal."""
        if self._operator_sender is None:
            transactor = self.platform.transactor(self.signer(self.operator_address))
            assert isinstance(transactor, JournaledTransactor)
            # One for all requests: it gathers the transactions ready together (api.chain.courier).
            self._operator_sender = LoopSender(transactor, self.node, timeout=self.platform.tx_timeout)
        return self._operator_sender

    def regulator(self, address: str) -> RegulatorClient:
        return RegulatorClient(self.platform, self.signer(address))

    def compliance(self, address: str) -> ComplianceClient:
        return ComplianceClient(self.platform, self.signer(address))

    def issuer(self, address: str) -> IssuerClient:
        return IssuerClient(self.platform, self.signer(address))

    def verifier(self, address: str) -> VerifierClient:
        return VerifierClient(self.platform, self.signer(address))

    def holder(self, address: str) -> HolderClient:
        return HolderClient(self.platform, self.signer(address))

    def readiness(self) -> Readiness:
        try:
            chain_id = int(rpc(lambda: self.w3.eth.chain_id))
            block = int(rpc(lambda: self.w3.eth.block_number))
        except SdapError:
            return Readiness(False, False, self.holds(self.operator_address), None, None, "the node cannot be reached")
        try:
            self.platform.check()
            found, detail = True, None
        except ConfigurationError as exc:
            found, detail = False, str(exc)
        except SdapError:
            found, detail = False, "the deployment could not be checked"
        unlocked = self.holds(self.operator_address)
        if not unlocked and detail is None:
            detail = "the operator's key is not unlocked"
        return Readiness(True, found, unlocked, chain_id, block, detail)


#: web3's default middleware the gateway does without: it sends only signed raw transactions
#: (chain id, gas and fees set by the transactor) and passes addresses, never ENS names. The
#: validation middleware alone costs an `eth_chainId` round trip per call.
_UNNEEDED_MIDDLEWARE = ("validation", "ens_name_to_address", "gas_price_strategy", "gas_estimate")


def lean(w3: Web3) -> Web3:
    for name in _UNNEEDED_MIDDLEWARE:
        if name in w3.middleware_onion:
            w3.middleware_onion.remove(name)
    return w3


def load_signers(settings: Settings) -> list[LocalAccount]:
    """The keys named by the settings: the operator and any further signer addresses, from the
    keystore directory (or, in development, SDAP_PRIVATE_KEYS)."""
    wanted = [settings.operator_address, *settings.signer_addresses]
    for address in wanted:
        if not is_address(address):
            raise ConfigurationError(f"not an address: {address!r}")
    if settings.private_keys is not None:
        return _from_private_keys(settings.private_keys.get_secret_value().split(","))
    if settings.keystore_dir is None:
        raise ConfigurationError("set SDAP_KEYSTORE_DIR (or, in development, SDAP_PRIVATE_KEYS)")
    keystore = Keystore(settings.keystore_dir)
    password = Secret(settings.keystore_secret().get_secret_value())
    try:
        return [keystore.unlock(to_checksum_address(address), password) for address in dict.fromkeys(wanted)]
    except WalletError as exc:
        raise ConfigurationError(str(exc)) from None


def _from_private_keys(keys: Iterable[str]) -> list[LocalAccount]:
    accounts: list[LocalAccount] = []
    for key in keys:
        key = key.strip()
        if not key:
            continue
        try:
            plain = Account.from_key(key)
        except Exception:  # noqa: BLE001 - never echo the key
            raise ConfigurationError("SDAP_PRIVATE_KEYS holds something that is not a private key") from None
        accounts.append(Signer(PrivateKey(bytes(plain.key)), Account()))
    return accounts
