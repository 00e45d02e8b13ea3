"""A deployed platform: the node, the deployment, the contracts, and clients for each role."""

from __future__ import annotations

import threading
from dataclasses import dataclass, fields, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from eth_account.signers.local import LocalAccount
from eth_utils import to_checksum_address
from web3 import Web3
from web3.contract import Contract

from sdap.artifacts import interface_abi, load_artifact
from sdap.calls import ContractViews
from sdap.clients import (
    ComplianceClient,
    HolderClient,
    IssuerClient,
    OperatorClient,
    PlatformQueries,
    RegulatorCalls,
    RegulatorClient,
    SettlementAgentClient,
    VerifierClient,
)
from sdap.deployment import Deployment, GovernanceSetup, deploy_platform, exchange_of
from sdap.errors import ConfigurationError
from sdap.events import EventDecoder
from sdap.rpc import KeepAliveHTTPProvider
from sdap.transactions import Transactor, rpc

if TYPE_CHECKING:
    from sdap.governance import Governance


@dataclass(frozen=True)
class Contracts:
    registry: Contract
    forwarder: Contract
    collateral: Contract
    asset: Contract
    #: The SecuredExchange the asset deployed: swaps and delivery against payment.
    exchange: Contract


@dataclass(frozen=True)
class Views:
    """The contracts' view functions, each laid out once for this platform (sdap.calls)."""

    registry: ContractViews
    forwarder: ContractViews
    collateral: ContractViews
    asset: ContractViews
    exchange: ContractViews

    @classmethod
    def of(cls, contracts: Contracts) -> Views:
        return cls(*(ContractViews(getattr(contracts, f.name)) for f in fields(cls)))


class Platform:
    """Connects a deployment to a node. Role clients take a Platform and a signing account."""

    def __init__(self, w3: Web3, deployment: Deployment, *, tx_timeout: float = 120.0) -> None:
        self.w3 = w3
        if not deployment.exchange:
            # A format-3 file: the asset names the exchange it deployed.
            deployment = replace(deployment, exchange=exchange_of(w3, deployment.asset))
        self.deployment = deployment
        self.decoder = EventDecoder()
        self.tx_timeout = tx_timeout
        self.contracts = Contracts(
            registry=w3.eth.contract(address=deployment.registry, abi=load_artifact("PlatformRegistry").abi),  # type: ignore[call-overload]
            forwarder=w3.eth.contract(address=deployment.forwarder, abi=load_artifact("HolderForwarder").abi),  # type: ignore[call-overload]
            collateral=w3.eth.contract(address=deployment.collateral, abi=load_artifact("CollateralAttestations").abi),  # type: ignore[call-overload]
            asset=w3.eth.contract(address=deployment.asset, abi=interface_abi("SecuredAsset")),  # type: ignore[call-overload]
            exchange=w3.eth.contract(address=deployment.exchange, abi=load_artifact("SecuredExchange").abi),  # type: ignore[call-overload]
        )
        self.views = Views.of(self.contracts)
        self._transactors: dict[str, Transactor] = {}
        # Clients may be built from many threads (a gateway): two Transactors for one key would
        # hand out the same nonce twice.
        self._transactors_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Platform(chain_id={self.deployment.chain_id}, registry={self.deployment.registry})"

    @classmethod
    def connect(
        cls, rpc_url: str, deployment: Deployment | str | Path, *, request_timeout: float = 30.0, check: bool = True
    ) -> Platform:
        """Loads `deployment` (a Deployment or the path of a deployment file) on the node at
        `rpc_url`; with `check`, refuses a node of another chain or without the contracts."""
        w3 = Web3(KeepAliveHTTPProvider(rpc_url, timeout=request_timeout))
        loaded = deployment if isinstance(deployment, Deployment) else Deployment.load(deployment)
        platform = cls(w3, loaded)
        if check:
            platform.check()
        return platform

    @classmethod
    def deploy(
        cls,
        w3: Web3,
        deployer: LocalAccount,
        regulator: str | None = None,
        metadata_uri: str = "",
        *,
        governance: GovernanceSetup | None = None,
    ) -> Platform:
        """Deploys a new platform for a single-key `regulator`, or one governed by a council and a
        timelock (`governance`), from `deployer` (which keeps no role) and returns it;
        `platform.deployment.save(path)` writes the file `Platform.connect` loads."""
        transactor = Transactor(w3, deployer, EventDecoder())
        return cls(w3, deploy_platform(w3, transactor, regulator, metadata_uri, governance=governance))

    def check(self) -> None:
        """Raises ConfigurationError unless the node is on the deployment's chain and every
        contract of the deployment has code there."""
        chain_id = self.chain_id
        if chain_id != self.deployment.chain_id:
            raise ConfigurationError(f"node is on chain {chain_id}, deployment on {self.deployment.chain_id}")
        for name, address in self.deployment.addresses.items():
            if not rpc(lambda a=address: self.w3.eth.get_code(a)):  # type: ignore[misc]
                raise ConfigurationError(f"no code for {name} at {address} on chain {chain_id}")
        delegate = str(self.views.asset.call("extension"))
        if to_checksum_address(delegate) != to_checksum_address(self.deployment.extension):
            raise ConfigurationError(
                f"the asset runs the extension at {delegate}, the deployment names {self.deployment.extension}"
            )
        exchange = str(self.views.asset.call("exchange"))
        if to_checksum_address(exchange) != to_checksum_address(self.deployment.exchange):
            raise ConfigurationError(
                f"the asset trusts the exchange at {exchange}, the deployment names {self.deployment.exchange}"
            )
        if self.deployment.governed:
            self._check_governance()

    def _check_governance(self) -> None:
        """The timelock holds REGULATOR_ROLE and the council is its proposer: otherwise the file
        describes a governance the chain does not have."""
        d = self.deployment
        registry = self.contracts.registry.functions
        if not rpc(registry.hasRole(rpc(registry.REGULATOR_ROLE().call), d.timelock).call):
            raise ConfigurationError(f"the timelock {d.timelock} does not hold REGULATOR_ROLE in the registry")
        timelock = self.w3.eth.contract(address=d.timelock, abi=load_artifact("RegulatorTimelock").abi)  # type: ignore[call-overload]
        proposer = rpc(timelock.functions.PROPOSER_ROLE().call)
        if not rpc(timelock.functions.hasRole(proposer, d.council).call):
            raise ConfigurationError(f"the council {d.council} is not the timelock's proposer")

    def resync_nonces(self) -> None:
        """Makes every account's next write ask the node for its nonce: needed after the chain was
        rewound under the SDK (a devnet snapshot reverted, a reorganisation)."""
        with self._transactors_lock:
            transactors = list(self._transactors.values())
        for transactor in transactors:
            transactor.resync()

    @cached_property
    def chain_id(self) -> int:
        """The node's chain id, asked once."""
        return rpc(lambda: self.w3.eth.chain_id)

    @cached_property
    def queries(self) -> PlatformQueries:
        """Typed reads that need no key."""
        return PlatformQueries(self)

    def regulator(self, account: LocalAccount) -> RegulatorClient:
        return RegulatorClient(self, account)

    @cached_property
    def regulator_calls(self) -> RegulatorCalls:
        """Every regulator power as a prepared call, to send with a key or propose to the council."""
        return RegulatorCalls(self)

    def governance(self) -> Governance:
        """The council and the timelock of a governed deployment; ConfigurationError on a
        single-key one, whose regulator acts alone with its key."""
        from sdap.governance import Governance

        return Governance(self)

    def operator(self, account: LocalAccount) -> OperatorClient:
        return OperatorClient(self, account)

    def verifier(self, account: LocalAccount) -> VerifierClient:
        return VerifierClient(self, account)

    def compliance(self, account: LocalAccount) -> ComplianceClient:
        return ComplianceClient(self, account)

    def issuer(self, account: LocalAccount) -> IssuerClient:
        return IssuerClient(self, account)

    def holder(self, account: LocalAccount) -> HolderClient:
        return HolderClient(self, account)

    def settlement_agent(self, account: LocalAccount) -> SettlementAgentClient:
        return SettlementAgentClient(self, account)

    def transactor(self, account: LocalAccount) -> Transactor:
        """The one Transactor per account, so every client of that key shares its nonce counter."""
        with self._transactors_lock:
            existing = self._transactors.get(account.address)
            if existing is None:
                existing = Transactor(
                    self.w3, account, self.decoder, timeout=self.tx_timeout, chain_id=self.deployment.chain_id
                )
                self._transactors[account.address] = existing
            return existing
