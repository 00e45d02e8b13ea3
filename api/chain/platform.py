"""The platform as the gateway sees it: the SDK's Platform, the keys the gateway holds with one
writer each (api.chain.writer), and role clients whose writes go through those writers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from anyio.lowlevel import EventLoopToken, current_token
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_keys.datatypes import PrivateKey
from eth_utils import is_address, to_checksum_address
from web3 import Web3

from api.chain.journal import Journal, JournalEntry
from api.chain.node import Node
from api.chain.operation import Operation
from api.chain.recovery import LostSends, includable, resumes
from api.chain.writer import KeyWriter
from api.errors import SignerUnavailable
from api.settings import Settings
from sdap.addresses import checksummed
from sdap.clients import (
    ComplianceClient,
    HolderClient,
    IssuerClient,
    OperatorClient,
    PlatformQueries,
    RegulatorClient,
    SettlementAgentClient,
    VerifierClient,
)
from sdap.deployment import Deployment
from sdap.errors import ConfigurationError, SdapError, WalletError
from sdap.platform import Platform
from sdap.rpc import KeepAliveHTTPProvider
from sdap.transactions import Call, Receipt, Transactor, rpc
from sdap.wallet import Keystore, Secret, Signer

C = TypeVar("C")


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
        self,
        platform: Platform,
        signers: Iterable[LocalAccount],
        operator: str,
        node: Node,
        journal: Journal,
        *,
        token: EventLoopToken | None = None,
    ) -> None:
        self.platform = platform
        self.journal = journal
        self.lost = LostSends()
        self._signers: dict[str, LocalAccount] = {to_checksum_address(s.address): s for s in signers}
        self.operator_address = to_checksum_address(operator)
        self.queries = PlatformQueries(platform)
        #: The same node, from the event loop (the writers, the mint's check).
        self.node = node
        #: The event loop the writers run on, for threads that are not its workers (api.gateway's).
        self._token = token
        self._writers = {
            address: KeyWriter(
                account,
                node,
                journal,
                self.lost,
                platform.decoder,
                self._earlier_step,
                chain_id=platform.deployment.chain_id,
                timeout=platform.tx_timeout,
            )
            for address, account in self._signers.items()
        }

    @classmethod
    def connect(cls, settings: Settings, journal: Journal, signers: Iterable[LocalAccount]) -> Chain:
        w3 = Web3(KeepAliveHTTPProvider(settings.rpc_url, timeout=settings.rpc_timeout))
        lean(w3)
        platform = Platform(w3, Deployment.load(settings.deployment), tx_timeout=settings.tx_timeout)
        node = Node(settings.rpc_url, timeout=settings.rpc_timeout)
        chain = cls(platform, signers, settings.operator_address, node, journal)
        chain.bind_loop()  # opened on the event loop (api.app's lifespan), or later (`python -m api`)
        return chain

    @property
    def deployment(self) -> Deployment:
        return self.platform.deployment

    @property
    def w3(self) -> Web3:
        return self.platform.w3

    def holds(self, address: str) -> bool:
        return checksummed(address) in self._signers

    def signer(self, address: str) -> LocalAccount:
        found = self._signers.get(checksummed(address))
        if found is None:
            raise SignerUnavailable(f"this gateway holds no key for {checksummed(address)}")
        return found

    def writer(self, address: str) -> KeyWriter:
        return self._writers[checksummed(self.signer(address).address)]

    async def send(
        self, call: Call, op: Operation | None = None, *, sender: str | None = None, events: bool = True
    ) -> Receipt:
        """Sends `call` from `sender` (the gateway's operator by default), from the event loop; the
        receipt's events are decoded unless `events` is False."""
        return await self.writer(sender or self.operator_address).send(call, op, events=events)

    def resumes(self, op: Operation | None) -> bool:
        """Whether `op`'s next transaction was sent by an interrupted attempt (its checks are not
        made again: see api.chain.recovery.resumes). Blocking: from a worker thread."""
        return resumes(self.w3, self.journal, op)

    # One client per call: clients are light; each key's writer is shared.
    def operator(self, address: str | None = None, op: Operation | None = None) -> OperatorClient:
        """An operator client: the gateway's own operator (which mints and relays) by default."""
        return self._client(OperatorClient, address or self.operator_address, op)

    def regulator(self, address: str, op: Operation | None = None) -> RegulatorClient:
        return self._client(RegulatorClient, address, op)

    def compliance(self, address: str, op: Operation | None = None) -> ComplianceClient:
        return self._client(ComplianceClient, address, op)

    def issuer(self, address: str, op: Operation | None = None) -> IssuerClient:
        return self._client(IssuerClient, address, op)

    def verifier(self, address: str, op: Operation | None = None) -> VerifierClient:
        return self._client(VerifierClient, address, op)

    def settlement_agent(self, address: str, op: Operation | None = None) -> SettlementAgentClient:
        return self._client(SettlementAgentClient, address, op)

    def holder(self, address: str, op: Operation | None = None) -> HolderClient:
        return self._client(HolderClient, address, op)

    def _client(self, kind: Callable[..., C], address: str, op: Operation | None) -> C:
        """A client of `address` whose writes go through its writer, as steps of `op`; for worker
        threads (its calls block)."""
        account = self.signer(address)
        broadcaster = self.writer(account.address).bridge(op, self._token)
        transactor = Transactor(
            self.w3, account, self.platform.decoder, broadcaster=broadcaster, chain_id=self.deployment.chain_id
        )
        return kind(self.platform, account, transactor=transactor)

    def _earlier_step(self, idempotency_id: int, seq: int) -> tuple[JournalEntry | None, bool]:
        step = self.journal.step(idempotency_id, seq)
        found = includable(self.w3, self.journal, step)
        if step is not None and found is None:
            self.dropped(step.sender)
        return found, step is not None

    def dropped(self, sender: str) -> None:
        """A transaction of `sender` was found never to be included: its nonce may still be free,
        and the key's writer, counting on from it, would sign past a gap the node never fills. Its
        next transaction asks the node for the nonce."""
        writer = self._writers.get(checksummed(sender))
        if writer is not None:
            writer.resync()

    def bind_loop(self) -> None:
        """Makes the running event loop the one the writers run on for threads that are not its
        workers (the gateway's periodic tasks), when called on it (as the app starts serving)."""
        try:
            self._token = current_token()
        except Exception:  # noqa: BLE001 - not on an event loop: the one known stays
            return

    def resync_nonces(self) -> None:
        """Every key's next transaction asks the node for its nonce (a key used elsewhere)."""
        for writer in self._writers.values():
            writer.resync()

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
