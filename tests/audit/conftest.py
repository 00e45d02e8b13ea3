"""Histories for the auditor's tests, made by driving the real contracts on anvil.

`History` wraps the deployed platform with one short method per act, so a test reads as the story
it replays: issuances are created with the issuer's consent and redeemed in two steps (the holder's
request, the issuer's confirmation), through the SDK. Accounts: 1 regulator, 2 operator, 3 verifier,
4 compliance officer, 5 issuer, 6 to 11 holders, 12 and up spare (a second verifier or operator,
newcomers).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import astuple, replace
from pathlib import Path
from typing import Any

import pytest
from eth_abi import encode
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3 import Web3

from sdap.foundry import foundry_binary
from sdap.platform import Platform
from sdap.signing import consent_digest, sign_attestation
from sdap.transactions import Receipt
from sdap.types import NO_ATTESTATION, CollateralAttestation, IssuanceParams

YEAR = 365 * 24 * 3600


def h(text: str) -> bytes:
    return keccak(text=text)


class History:
    def __init__(self, platform: Platform, accounts: list[LocalAccount]) -> None:
        self.platform = platform
        self.w3: Web3 = platform.w3
        self.accounts = accounts
        self.regulator, self.operator, self.verifier = accounts[1], accounts[2], accounts[3]
        self.compliance, self.issuer = accounts[4], accounts[5]
        self.registry = platform.contracts.registry
        self.asset = platform.contracts.asset
        self.collateral = platform.contracts.collateral
        self._nonce = 0

    def holder(self, i: int) -> LocalAccount:
        return self.accounts[6 + i]

    def now(self) -> int:
        return int(self.w3.eth.get_block("latest")["timestamp"])

    def send(self, account: LocalAccount, fn: Any) -> Receipt:
        return self.platform.transactor(account).send(fn)

    # The regulator's and the operator's set-up ------------------------------------------------

    def setup(self, holders: int = 4) -> History:
        r = self.registry.functions
        for role, account in (
            (r.OPERATOR_ROLE().call(), self.operator),
            (r.VERIFIER_ROLE().call(), self.verifier),
            (r.COMPLIANCE_ROLE().call(), self.compliance),
        ):
            self.send(self.regulator, r.grantRole(role, account.address))
        self.send(self.regulator, r.grantPermit(self.operator.address, 0, self.now() + YEAR, h("permit")))
        self.send(
            self.regulator, r.registerIssuer(self.issuer.address, "Issuer LLP", "123456789012", "KZ", h("issuer"))
        )
        self.send(self.regulator, r.listAssetType("Grain warehouse receipt", 1))
        self.send(self.regulator, r.publishRiskNotice(h("notice 1"), "https://sdap.example/notice/1"))
        for i in range(holders):
            self.onboard(self.holder(i))
        return self

    def onboard(self, account: LocalAccount, acknowledge: bool = True) -> None:
        r = self.registry.functions
        self.send(self.operator, r.registerParticipant(account.address, h(account.address), self.now() + YEAR))
        if acknowledge:
            self.send(account, r.acknowledgeRiskNotice(r.noticeInForce().call()))

    def terms(self, max_supply: int = 1_000_000, asset_type: int = 1, decision: bytes | None = None) -> IssuanceParams:
        return IssuanceParams(
            self.issuer.address,
            asset_type,
            h("decision") if decision is None else decision,
            "https://issuer.example/decision.pdf",
            h("evidence"),
            "1 tonne of wheat, class 3",
            max_supply,
        )

    def create_issuance(self, max_supply: int = 1_000_000, asset_type: int = 1) -> int:
        """The issuer signs its consent to the terms and the operator, which creates the issuance."""
        terms = self.terms(max_supply, asset_type)
        consent = self.platform.issuer(self.issuer).sign_consent(terms, self.operator.address)
        return self.platform.operator(self.operator).create_issuance(terms, consent).id

    def request_redemption(self, holder: LocalAccount, issuance_id: int, amount: int) -> int:
        """The holder asks the issuer to redeem `amount` units: they move into the asset's custody."""
        return self.platform.holder(holder).request_redemption(issuance_id, amount, h("delivery address")).id

    def confirm(self, request_id: int) -> Receipt:
        """The issuer confirms delivery: the units in custody are burnt."""
        return self.platform.issuer(self.issuer).confirm_redemption(request_id, h("delivered"))

    def refuse(self, request_id: int) -> Receipt:
        """The issuer refuses: the units go back to the holder's wallet."""
        return self.platform.issuer(self.issuer).refuse_redemption(request_id, h("out of stock"))

    def redeem(self, holder: LocalAccount, issuance_id: int, amount: int) -> int:
        """Both sides of a redemption that went through: the request and the issuer's confirmation."""
        request_id = self.request_redemption(holder, issuance_id, amount)
        self.confirm(request_id)
        return request_id

    def attestation(
        self,
        issuance_id: int,
        units: int,
        *,
        valid_for: int = YEAR,
        lot: str | None = None,
        supersedes: bytes = NO_ATTESTATION,
        asset: str | None = None,
    ) -> CollateralAttestation:
        """What a verifier signs: `units` of collateral `lot` (a new lot unless named)."""
        self._nonce += 1
        return CollateralAttestation(
            asset=asset or self.asset.address,
            issuance_id=issuance_id,
            owner=self.issuer.address,
            collateral_ref=h(f"warehouse lot {lot if lot is not None else self._nonce}"),
            value=units * 100,
            units=units,
            valid_until=self.now() + valid_for,
            nonce=self._nonce,
            supersedes=supersedes,
        )

    def attest(
        self,
        issuance_id: int,
        units: int,
        valid_for: int = YEAR,
        asset: str | None = None,
        *,
        lot: str | None = None,
        supersedes: bytes = NO_ATTESTATION,
        verifier: LocalAccount | None = None,
    ) -> bytes:
        """Attaches a verifier's attestation (the operator sends it); returns its id."""
        attestation = self.attestation(
            issuance_id, units, valid_for=valid_for, lot=lot, supersedes=supersedes, asset=asset
        )
        signed = sign_attestation(
            verifier or self.verifier, attestation, chain_id=self.w3.eth.chain_id, collateral=self.collateral.address
        )
        fn = self.collateral.functions.attach(attestation.as_tuple(), signed.signature)
        receipt = self.send(self.operator, fn)
        return bytes(receipt.event("AttestationAttached")["attestationId"])

    def wait(self, seconds: int) -> None:
        """Lets `seconds` pass: the next block is that much later."""
        self.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
        self.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]

    # Movements ------------------------------------------------------------------------------

    def mint(self, issuance_id: int, to: LocalAccount, amount: int) -> Receipt:
        return self.send(self.operator, self.asset.functions.mint(issuance_id, to.address, amount))

    def transfer(self, sender: LocalAccount, to: LocalAccount, issuance_id: int, amount: int) -> Receipt:
        fn = self.asset.functions.safeTransferFrom(sender.address, to.address, issuance_id, amount, b"")
        return self.send(sender, fn)

    def encumber(self, holder: LocalAccount, issuance_id: int, amount: int, beneficiary: LocalAccount) -> int:
        fn = self.asset.functions.encumber(issuance_id, amount, beneficiary.address, h("pledge"), 0)
        return int(self.send(holder, fn).event("Encumbered")["encumbranceId"])


@pytest.fixture
def history(platform: Platform, accounts: list[LocalAccount]) -> Iterator[History]:
    yield History(platform, accounts)


def build_clean_history(hist: History) -> dict[str, Any]:
    """Every kind of act the platform knows, all within the rules."""
    hist.setup(holders=4)
    a, b, c, d = (hist.holder(i) for i in range(4))
    asset, registry = hist.asset.functions, hist.registry.functions
    iid = hist.create_issuance()
    hist.attest(iid, 5_000)
    hist.mint(iid, a, 1_000)
    hist.mint(iid, b, 500)
    hist.transfer(a, b, iid, 200)
    hist.transfer(b, c, iid, 300)
    eid = hist.encumber(a, iid, 100, d)
    hist.send(d, asset.release(eid))
    eid = hist.encumber(b, iid, 50, d)
    hist.send(hist.operator, asset.enforce(eid, h("court order")))
    hist.send(hist.compliance, asset.freezeUnits(iid, c.address, 100, h("aml")))
    hist.send(hist.regulator, asset.forcedTransfer(iid, c.address, a.address, 250, h("order")))
    hist.send(hist.compliance, asset.unfreezeUnits(iid, c.address, 50, h("cleared")))
    hist.send(hist.operator, asset.pause(iid))
    hist.send(hist.operator, asset.unpause(iid))
    hist.send(a, asset.setApprovalForAll(b.address, True))
    hist.send(b, asset.safeTransferFrom(a.address, d.address, iid, 10, b""))
    hist.redeem(a, iid, 40)
    # b, approved by a, asks on a's behalf; the issuer refuses and the units go back to a.
    asked = hist.send(b, asset.requestRedemption(iid, a.address, 20, h("delivery address")))
    hist.refuse(int(asked.event("RedemptionRequested")["requestId"]))
    hist.request_redemption(d, iid, 5)  # still pending: 5 units stay in custody
    second = hist.create_issuance(max_supply=100)
    attestation = hist.attest(second, 100)
    hist.mint(second, d, 60)
    hist.send(d, asset.safeBatchTransferFrom(d.address, a.address, [iid, second], [5, 10], b""))
    hist.send(hist.verifier, hist.collateral.functions.revoke(attestation, h("stale")))
    hist.send(hist.compliance, registry.freezeParticipant(c.address, h("suspicious")))
    hist.send(hist.regulator, registry.suspendPermit(hist.operator.address, h("inspection")))
    hist.send(hist.regulator, registry.reinstatePermit(hist.operator.address, h("done")))
    hist.send(hist.regulator, registry.publishRiskNotice(h("notice 2"), "https://sdap.example/notice/2"))
    hist.send(a, registry.acknowledgeRiskNotice(2))
    return {"issuances": (iid, second), "holders": (a, b, c, d)}


def build_collateral_history(hist: History) -> dict[str, Any]:
    """The collateral's whole life, within the rules: pledge, renewal, expiry and the
    under-collateralised state (units only back to the issuer or redeemed), re-collateralisation,
    a verifier's withdrawal and re-accreditation, and counts anyone may ask for."""
    hist.setup(holders=3)
    a, b, c = (hist.holder(i) for i in range(3))
    hist.onboard(hist.issuer)  # units may go back to the issuer while uncovered
    second_verifier = hist.accounts[12]
    asset, registry = hist.asset.functions, hist.registry.functions
    verifier_role = registry.VERIFIER_ROLE().call()
    hist.send(hist.regulator, registry.grantRole(verifier_role, second_verifier.address))
    grain, cotton = hist.create_issuance(), hist.create_issuance()
    # Grain: lot A pledged for a day, renewed for a year before it lapses.
    pledge = hist.attest(grain, 1_000, valid_for=24 * 3600, lot="A")
    hist.mint(grain, a, 800)
    hist.attest(grain, 1_000, lot="A", supersedes=pledge)
    hist.transfer(a, b, grain, 100)
    # Cotton: lot B for an hour, from the second verifier.
    hist.attest(cotton, 300, valid_for=3600, lot="B", verifier=second_verifier)
    hist.mint(cotton, b, 300)
    hist.wait(2 * 3600)
    # Lot B lapsed: cotton is under-collateralised; its units go back to the issuer or are redeemed.
    hist.send(c, asset.syncCoverage(cotton))
    hist.transfer(b, hist.issuer, cotton, 20)
    hist.redeem(b, cotton, 30)
    # Lot B pledged again (the lapsed pledge no longer counts), and cotton circulates again.
    backing = hist.attest(cotton, 300, lot="B", verifier=second_verifier)
    hist.transfer(b, c, cotton, 50)
    hist.attest(grain, 200, lot="D", verifier=second_verifier)
    # The second verifier's accreditation is withdrawn: cotton is uncovered until a new pledge.
    hist.send(hist.regulator, registry.revokeRole(verifier_role, second_verifier.address))
    hist.transfer(a, c, grain, 10)  # the first movement after a withdrawal recounts grain: still covered
    hist.redeem(c, cotton, 10)
    hist.send(hist.regulator, registry.grantRole(verifier_role, second_verifier.address))
    hist.attest(cotton, 300, lot="C", verifier=second_verifier)
    hist.transfer(c, a, cotton, 5)
    hist.send(hist.regulator, hist.collateral.functions.revoke(backing, h("withdrawn verifier's lot")))
    return {"issuances": (grain, cotton), "holders": (a, b, c), "verifiers": (hist.verifier, second_verifier)}


def build_succession_history(hist: History) -> dict[str, Any]:
    """An operator's whole end, within the rules: its permit revoked, its holders still redeem, the
    regulator hands its issuance to a successor that mints, onboards and closes it; the issuer moves
    its decision's URI on the way, and the register lists both operators with their details."""
    hist.setup(holders=3)
    a, b, c = (hist.holder(i) for i in range(3))
    first, successor = hist.operator, hist.accounts[12]
    asset, registry = hist.asset.functions, hist.registry.functions
    hist.send(hist.regulator, registry.grantRole(registry.OPERATOR_ROLE().call(), successor.address))
    hist.send(hist.regulator, registry.grantPermit(successor.address, 0, hist.now() + YEAR, h("permit 2")))
    for operator, name in ((first, "First Operator LLP"), (successor, "Successor JSC")):
        hist.send(
            hist.regulator,
            registry.recordOperatorDetails(operator.address, name, "987654321098", "KZ", h(f"details of {name}")),
        )
    iid = hist.create_issuance()
    hist.attest(iid, 1_000)
    hist.mint(iid, a, 100)
    hist.mint(iid, b, 50)
    uri = "https://issuer.example/moved/decision.pdf"
    hist.send(hist.issuer, asset.updateDecisionUri(iid, uri))
    hist.send(hist.regulator, registry.revokePermit(first.address, h("licence withdrawn")))
    hist.redeem(a, iid, 30)  # redemption outlives the permit
    hist.send(hist.regulator, asset.succeedIssuances([iid], successor.address, h("succession order")))
    newcomer = hist.accounts[13]
    hist.operator = successor  # the successor onboards and mints from here on
    hist.onboard(newcomer)
    hist.mint(iid, newcomer, 20)
    hist.transfer(b, c, iid, 10)
    for holder, amount in ((a, 70), (b, 40), (c, 10), (newcomer, 20)):
        hist.redeem(holder, iid, amount)
    hist.send(successor, asset.close(iid, h("all delivered")))
    hist.operator = first
    return {"issuance": iid, "operators": (first, successor), "holders": (a, b, c, newcomer), "uri": uri}


def build_recovery_history(hist: History) -> dict[str, Any]:
    """A participant loses its wallet twice, within the rules: compliance freezes it and its operator
    recovers it to a new wallet, the regulator (that wallet lost too) to another, and anyone moves the
    first wallet's whole position, in two issuances with a pledge and frozen units, to the last one,
    where the person deals again once compliance has lifted the freeze it inherited."""
    hist.setup(holders=4)
    a, b, c, d = (hist.holder(i) for i in range(4))
    first, second = hist.accounts[14], hist.accounts[15]
    asset, registry = hist.asset.functions, hist.registry.functions
    grain, cotton = hist.create_issuance(), hist.create_issuance()
    hist.attest(grain, 1_000)
    hist.attest(cotton, 1_000)
    hist.mint(grain, a, 300)
    hist.mint(grain, b, 100)
    hist.mint(cotton, a, 50)
    hist.transfer(b, a, grain, 30)
    pledge = hist.encumber(a, grain, 40, d)
    hist.send(hist.compliance, asset.freezeUnits(grain, a.address, 20, h("aml")))
    hist.send(hist.compliance, registry.freezeParticipant(a.address, h("wallet reported lost")))
    expiry = hist.now() + YEAR
    hist.send(hist.operator, registry.recoverParticipant(a.address, first.address, h("re-identified"), expiry, h("")))
    hist.send(
        hist.regulator, registry.recoverParticipant(first.address, second.address, h("again"), expiry, h("order"))
    )
    hist.send(b, asset.recoverHoldings(a.address, [grain, cotton], [pledge]))
    hist.send(c, asset.recoverHoldings(a.address, [cotton], []))  # again: nothing left, 0 moves (one id)
    hist.send(hist.compliance, registry.unfreezeParticipant(second.address, h("reviewed")))
    hist.transfer(second, c, grain, 100)
    hist.send(d, asset.release(pledge))
    hist.send(hist.compliance, asset.unfreezeUnits(grain, second.address, 20, h("cleared")))
    hist.transfer(second, c, cotton, 10)
    return {"issuances": (grain, cotton), "holders": (a, b, c, d), "replacements": (first, second), "pledge": pledge}


# Deliberately permissive contracts --------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
PERMISSIVE = ("PermissiveRegistry", "PermissiveCollateral", "PermissiveAsset", "PermissiveExchange")


@pytest.fixture(scope="session")
def permissive_artifacts() -> dict[str, dict[str, Any]]:
    """forge's builds of tests/contracts/utils/Permissive*.sol (built now if out/ lacks them)."""
    sources = [ROOT / "tests" / "contracts" / "utils" / f"{name}.sol" for name in PERMISSIVE]
    artifacts = [ROOT / "out" / f"{name}.sol" / f"{name}.json" for name in PERMISSIVE]
    # Two of them are the real contracts with more doors: a change there is a change here.
    newest = max(source.stat().st_mtime for source in [*sources, *(ROOT / "contracts").rglob("*.sol")])
    if any(not a.exists() or a.stat().st_mtime < newest for a in artifacts):
        build = [foundry_binary("forge"), "build", *map(str, sources)]
        subprocess.run(build, cwd=ROOT, check=True, capture_output=True)
    return {name: dict(json.loads(a.read_text())) for name, a in zip(PERMISSIVE, artifacts, strict=True)}


def _deploy(platform: Platform, deployer: LocalAccount, artifact: dict[str, Any], *args: str) -> str:
    code = bytes.fromhex(artifact["bytecode"]["object"][2:]) + encode(["address"] * len(args), list(args))
    receipt = platform.transactor(deployer).send_raw(None, code)
    return str(platform.w3.eth.get_transaction_receipt(receipt.tx_hash)["contractAddress"])  # type: ignore[arg-type]


class Permissive(History):
    """A History on permissive contracts. The registry and the collateral contract are the real ones
    with extra doors that emit their events unchecked (`pr`, `pc`); the asset enforces nothing
    (`p`), nor does the exchange, which moves its units (`px`). The forwarder is the platform's."""

    def __init__(self, platform: Platform, accounts: list[LocalAccount], artifacts: dict[str, dict[str, Any]]) -> None:
        registry = _deploy(platform, accounts[0], artifacts["PermissiveRegistry"], accounts[1].address)
        collateral = _deploy(platform, accounts[0], artifacts["PermissiveCollateral"], registry)
        extension = platform.deployment.extension
        address = _deploy(platform, accounts[0], artifacts["PermissiveAsset"], extension, registry)
        exchange = _deploy(platform, accounts[0], artifacts["PermissiveExchange"], address)
        deployment = replace(
            platform.deployment, registry=registry, collateral=collateral, asset=address, exchange=exchange
        )
        super().__init__(Platform(platform.w3, deployment), accounts)
        contract = self.w3.eth.contract
        self.asset = contract(address=address, abi=artifacts["PermissiveAsset"]["abi"])  # type: ignore[call-overload]
        self.p = self.asset.functions
        self.pr = contract(address=registry, abi=artifacts["PermissiveRegistry"]["abi"]).functions  # type: ignore[call-overload]
        self.pc = contract(address=collateral, abi=artifacts["PermissiveCollateral"]["abi"]).functions  # type: ignore[call-overload]
        self.px = contract(address=exchange, abi=artifacts["PermissiveExchange"]["abi"]).functions  # type: ignore[call-overload]
        self.send(accounts[0], self.p.setExchange(exchange))
        self.consents = 0  # the issuer's consent nonces spent so far (key 0)

    def create(
        self,
        iid: int,
        *,
        asset_type: int = 1,
        decision: bytes | None = None,
        max_supply: int = 10**6,
        consent: bool = True,
    ) -> Receipt:
        """Issuance `iid`, with the issuer's consent recorded in the same transaction (unless told
        not to): its next nonce, the digest of exactly these terms and this operator."""
        terms = self.terms(max_supply, asset_type, decision)
        calls = [self.call("createIssuance", iid, self.operator.address, astuple(terms))]
        if consent:
            calls.append(self.consent_call(iid, terms))
        return self.send(self.operator, self.p.multicall(calls))

    def consent_call(
        self,
        iid: int,
        terms: IssuanceParams,
        *,
        operator: str | None = None,
        nonce: int | None = None,
        deadline: int | None = None,
        chain_id: int | None = None,
        asset: str | None = None,
    ) -> bytes:
        """The call that records the issuer's consent to `terms` run by `operator` (the operator by
        default), under `nonce` (its next one by default) until `deadline` (an hour from now), with
        the digest signed for `chain_id` and `asset` (this chain and asset by default)."""
        if nonce is None:
            nonce, self.consents = self.consents, self.consents + 1
        until = self.now() + 3600 if deadline is None else deadline
        digest = consent_digest(
            terms,
            operator or self.operator.address,
            nonce,
            until,
            chain_id=chain_id or self.w3.eth.chain_id,
            asset=asset or self.asset.address,
        )
        return self.call("consent", iid, terms.issuer, nonce, until, digest)

    def call(self, name: str, *args: Any) -> bytes:
        """The calldata of the permissive asset's `name`, for `multicall`."""
        return bytes.fromhex(self.asset.encode_abi(name, list(args))[2:])

    def mint(self, issuance_id: int, to: LocalAccount | str, amount: int) -> Receipt:  # type: ignore[override]
        address = to if isinstance(to, str) else to.address
        return self.send(self.operator, self.p.mint(address, issuance_id, amount))

    def move(self, sender: LocalAccount, to: LocalAccount | str, issuance_id: int, amount: int) -> Receipt:
        address = to if isinstance(to, str) else to.address
        return self.send(sender, self.p.move(sender.address, address, issuance_id, amount))

    def attach_unchecked(
        self, attestation: CollateralAttestation, by: LocalAccount, verifier: LocalAccount | None = None
    ) -> Receipt:
        """Announces `attestation` as attached by `by`, signed by `verifier` (default: the verifier)."""
        signer = (verifier or self.verifier).address
        return self.send(by, self.pc.attachUnchecked(attestation.as_tuple(), signer))


@pytest.fixture
def permissive(
    platform: Platform, accounts: list[LocalAccount], permissive_artifacts: dict[str, dict[str, Any]]
) -> Permissive:
    return Permissive(platform, accounts, permissive_artifacts)
