"""A platform with every role in place, for tests that start past onboarding.

Accounts (conftest): 0 deployer, 1 regulator, 2 operator, 3 verifier, 4 compliance officer,
5 issuer, 6 and up holders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3 import Web3

from sdap.clients import (
    ComplianceClient,
    HolderClient,
    IssuerClient,
    OperatorClient,
    PlatformQueries,
    RegulatorClient,
    VerifierClient,
)
from sdap.clients._base import RoleClient
from sdap.platform import Platform
from sdap.types import AssetCategory, Created, IssuanceParams, Role

YEAR = 365 * 24 * 3600

C = TypeVar("C", bound=RoleClient)


def h(text: str) -> bytes:
    """A stand-in document hash."""
    return keccak(text=text)


def chain_time(w3: Web3) -> int:
    return int(w3.eth.get_block("latest")["timestamp"])


def advance(w3: Web3, seconds: int) -> None:
    """Moves the chain's clock forward and mines a block at the new time."""
    w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]


@dataclass
class World:
    platform: Platform
    accounts: list[LocalAccount]
    regulator: RegulatorClient
    operator: OperatorClient
    verifier: VerifierClient
    compliance: ComplianceClient
    issuer: IssuerClient
    holders: list[HolderClient]
    queries: PlatformQueries
    asset_type: int = 0
    notice: int = 0
    issuance: int = 0
    attestation: bytes = b""
    pledges: int = 0  # attestations attached through `attest`, which numbers the receipts it pledges

    @property
    def w3(self) -> Web3:
        return self.platform.w3

    @property
    def a(self) -> HolderClient:
        return self.holders[0]

    @property
    def b(self) -> HolderClient:
        return self.holders[1]

    @property
    def c(self) -> HolderClient:
        return self.holders[2]

    def client_of(self, cls: type[C], index: int) -> C:
        """A client of `cls` acting as account `index`, whatever its role (for refusals)."""
        return cls(self.platform, self.accounts[index])

    def params(self, **overrides: object) -> IssuanceParams:
        fields: dict[str, object] = {
            "issuer": self.issuer.address,
            "asset_type": self.asset_type,
            "decision_hash": h("decision"),
            "decision_uri": "https://issuer.example/decision.pdf",
            "evidence_hash": h("evidence"),
            "unit_description": "1 tonne of wheat, class 3, elevator No. 7",
            "max_supply": 1_000,
        }
        fields.update(overrides)
        return IssuanceParams(**fields)  # type: ignore[arg-type]

    def create_issuance(
        self, params: IssuanceParams | None = None, *, by: OperatorClient | None = None
    ) -> Created[int]:
        """Creates an issuance as the platform does: the issuer the terms name (one of the world's
        accounts) signs its consent to them and to the operator that will run it (`by`, the world's
        operator by default), which submits it."""
        operator = by or self.operator
        terms = params or self.params()
        issuer = self.platform.issuer(self.account(terms.issuer))
        return operator.create_issuance(terms, issuer.sign_consent(terms, operator.address))

    def account(self, address: str) -> LocalAccount:
        """The world's account at `address` (KeyError if none is)."""
        found = [a for a in self.accounts if a.address.lower() == address.lower()]
        if not found:
            raise KeyError(f"{address} is none of the world's accounts")
        return found[0]

    def redeem(self, holder: HolderClient, amount: int, *, issuance: int | None = None) -> int:
        """Redeems `amount` of `holder`'s units as Rules item 2.3 has it, both sides: the holder
        asks (the units go into the asset's custody), the issuance's issuer confirms the delivery
        (they are burnt). Returns the request id."""
        issuance = issuance or self.issuance
        request = holder.request_redemption(issuance, amount, h(f"deliver to {holder.address}")).id
        self.issuer.confirm_redemption(request, h(f"delivered to {holder.address}"))
        return request

    def attest(
        self, units: int, *, issuance: int | None = None, valid_for: int = YEAR, ref: str | None = None
    ) -> bytes:
        """Attaches an attestation of `units` for the issuer's collateral `ref`: by default a
        receipt never pledged before, since a collateral backs one live attestation at a time."""
        self.pledges += 1
        attestation = self.verifier.attestation(
            issuance or self.issuance, self.issuer.address, h(ref or f"warehouse receipt {self.pledges}"), 5_000_000,
            units, chain_time(self.w3) + valid_for,
        )  # fmt: skip
        return self.verifier.attach(self.verifier.sign_attestation(attestation)).id


def clients(platform: Platform, accounts: list[LocalAccount], holders: int = 4) -> World:
    return World(
        platform=platform,
        accounts=accounts,
        regulator=platform.regulator(accounts[1]),
        operator=platform.operator(accounts[2]),
        verifier=platform.verifier(accounts[3]),
        compliance=platform.compliance(accounts[4]),
        issuer=platform.issuer(accounts[5]),
        holders=[platform.holder(a) for a in accounts[6 : 6 + holders]],
        queries=platform.queries,
    )


def onboard(world: World) -> World:
    """Roles, permit, issuer, asset type, risk notice, and every holder registered and acknowledged."""
    now = chain_time(world.w3)
    reg, op = world.regulator, world.operator
    reg.grant_role(Role.OPERATOR, op.address)
    reg.grant_role("verifier", world.verifier.address)
    reg.grant_role("COMPLIANCE_ROLE", world.compliance.address)
    reg.grant_permit(op.address, 0, now + YEAR, h("permit No. 1"))
    reg.register_issuer(world.issuer.address, "Astana Grain LLP", "123456789012", "KZ", h("issuer details"))
    world.asset_type = reg.list_asset_type("Warehouse receipt for grain", AssetCategory.GOODS).id
    world.notice = reg.publish_risk_notice(h("risk notice v1"), "https://sdap.example/risk/1").id
    for holder in world.holders:
        op.register_participant(holder.address, h(f"kyc {holder.address}"), now + YEAR)
        holder.acknowledge_risk_notice()
    return world


def issue(world: World, *, covered: int = 500, minted: int = 100) -> World:
    """An issuance of 1,000 units at most, `covered` by verified collateral, `minted` to holder a."""
    world.issuance = world.create_issuance(world.params()).id
    world.attestation = world.attest(covered)
    if minted:
        world.operator.mint(world.issuance, world.a.address, minted)
    return world


def build(platform: Platform, accounts: list[LocalAccount]) -> World:
    return issue(onboard(clients(platform, accounts)))


class States:
    """Chain states restored by snapshot, so a module pays once for its setup: the fresh deployment
    (`bare`) and the prepared world (`world`). Reverting to the deployment discards the world's
    snapshot (anvil drops later ones), so a module should run its bare cases first. On exit the
    chain is back at the deployment, as conftest's `platform` fixture expects."""

    def __init__(self, w3: Web3, deployed: Any, accounts: list[LocalAccount]) -> None:
        self.w3, self.deployed, self.accounts = w3, deployed, accounts
        self._world: World | None = None
        self._world_snapshot: str | None = None

    def __enter__(self) -> States:
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore_deployment()

    def bare(self) -> World:
        self.restore_deployment()
        return clients(Platform(self.w3, self.deployed.deployment), self.accounts)

    def world(self) -> World:
        if self._world is None or self._world_snapshot is None:
            self.restore_deployment()
            self._world = build(Platform(self.w3, self.deployed.deployment), self.accounts)
        else:
            self._request("evm_revert", [self._world_snapshot])
            self._world.platform.resync_nonces()
        self._world_snapshot = self._request("evm_snapshot", [])
        return self._world

    def restore_deployment(self) -> None:
        self._request("evm_revert", [self.deployed.snapshot])
        self.deployed.snapshot = self._request("evm_snapshot", [])
        self._world_snapshot = None

    def _request(self, method: str, params: list[Any]) -> str:
        return str(self.w3.provider.make_request(method, params)["result"])  # type: ignore[arg-type]
