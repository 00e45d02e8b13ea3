"""The rules over hand-built event sequences: no chain, exact timestamps."""

from __future__ import annotations

from typing import Any

from eth_utils import keccak

from sdap.audit.engine import Auditor
from sdap.audit.rules import coverage
from sdap.audit.state import VERIFIER_ROLE, AuditState
from sdap.events import Event
from sdap.signing import consent_digest
from sdap.types import IssuanceParams

REGISTRY, FORWARDER, COLLATERAL, ASSET = ("0x" + c * 40 for c in "1234")
ADDRESSES = {"PlatformRegistry": REGISTRY, "HolderForwarder": FORWARDER, "CollateralAttestations": COLLATERAL}
ADDRESSES["SecuredAsset"] = ASSET
ZERO = "0x" + "00" * 20
REGULATOR, OPERATOR, ISSUER, ALICE, BOB, VERIFIER = ("0x" + c * 40 for c in "abcdef")
H = keccak(text="h")
T0 = 1_800_000_000
CHAIN_ID = 31337


class Story:
    def __init__(self) -> None:
        self.auditor = Auditor({k: _cs(v) for k, v in ADDRESSES.items()}, chain_id=CHAIN_ID)
        self.block = 0

    def emit(self, contract: str, event_name: str, ts: int = T0, tx: str | None = None, **args: Any) -> str:
        self.block += 1
        tx = tx or "0x" + f"{self.block:064x}"
        event = Event(
            event_name, contract, _cs(ADDRESSES[contract]), self.block, tx, 0, {k: _norm(v) for k, v in args.items()}
        )
        self.auditor.apply(event, ts)
        return tx

    def ready(self) -> Story:
        """A platform where one mint and one transfer are within the rules."""
        role = keccak(text="OPERATOR_ROLE")
        self.emit("PlatformRegistry", "RoleGranted", role=keccak(text="REGULATOR_ROLE"), account=REGULATOR, sender=ZERO)
        self.emit("PlatformRegistry", "RoleGranted", role=role, account=OPERATOR, sender=REGULATOR)
        self.emit("PlatformRegistry", "RoleGranted", role=VERIFIER_ROLE, account=VERIFIER, sender=REGULATOR)
        self.emit(
            "PlatformRegistry",
            "PermitGranted",
            operator=OPERATOR,
            validFrom=0,
            validUntil=T0 + 100,
            documentHash=H,
            by=REGULATOR,
        )
        self.emit(
            "PlatformRegistry",
            "IssuerRegistered",
            issuer=ISSUER,
            legalName="I",
            businessId="1",
            jurisdiction="KZ",
            detailsHash=H,
            by=REGULATOR,
        )
        self.emit("PlatformRegistry", "AssetTypeListed", typeId=1, category=1, name="grain", by=REGULATOR)
        self.emit("PlatformRegistry", "RiskNoticePublished", version=1, contentHash=H, uri="u", by=REGULATOR)
        for wallet, expiry in ((ALICE, T0 + 1_000), (BOB, T0 + 50)):
            self.emit(
                "PlatformRegistry",
                "ParticipantRegistered",
                wallet=wallet,
                identityRef=H,
                identityExpiry=expiry,
                by=OPERATOR,
            )
            self.emit(
                "PlatformRegistry",
                "RiskNoticeAcknowledged",
                participant=wallet,
                version=1,
                contentHash=H,
                relayer=wallet,
            )
        self.create(1)
        return self

    def create(self, iid: int, *, nonce: int = 0, deadline: int = T0 + 60, operator: str = OPERATOR) -> str:
        """Issuance `iid` with the issuer's consent to its terms run by `operator`, in one transaction."""
        tx = self.emit(
            "SecuredAsset",
            "IssuanceCreated",
            id=iid,
            issuer=ISSUER,
            operator=OPERATOR,
            assetType=1,
            maxSupply=1_000,
            decisionHash=H,
            decisionUri="d",
            evidenceHash=H,
            unitDescription="t",
        )
        terms = IssuanceParams(_cs(ISSUER), 1, H, "d", H, "t", 1_000)
        digest = consent_digest(terms, _cs(operator), nonce, deadline, chain_id=CHAIN_ID, asset=_cs(ASSET))
        self.emit(
            "SecuredAsset",
            "IssuerConsented",
            tx=tx,
            id=iid,
            issuer=ISSUER,
            nonce=nonce,
            deadline=deadline,
            termsDigest=digest,
        )
        return tx

    def breaches(self) -> list[str]:
        return [b.rule for b in self.auditor.breaches]

    def attest(self, units: int, valid_until: int, lot: str = "lot", ts: int = T0) -> bytes:
        """A verifier's attestation of `units` of collateral `lot` for issuance 1, until `valid_until`."""
        attestation_id = keccak(text=f"{lot}/{units}/{valid_until}")
        attestation = {
            "asset": ASSET,
            "issuanceId": 1,
            "owner": ISSUER,
            "collateralRef": keccak(text=lot),
            "value": 1,
            "units": units,
            "validUntil": valid_until,
            "nonce": self.block,
            "supersedes": b"\0" * 32,
        }
        self.emit(
            "CollateralAttestations",
            "AttestationAttached",
            ts=ts,
            attestationId=attestation_id,
            asset=ASSET,
            issuanceId=1,
            verifier=VERIFIER,
            by=OPERATOR,
            attestation=attestation,
        )
        return attestation_id


def _cs(address: str) -> str:
    from eth_utils import to_checksum_address

    return to_checksum_address(address)


def _norm(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    return _cs(value) if isinstance(value, str) and value.startswith("0x") and len(value) == 42 else value


def transfer(story: Story, sender: str, to: str, amount: int, ts: int = T0, tx: str | None = None) -> str:
    operator = OPERATOR if sender == ZERO else sender
    return story.emit(
        "SecuredAsset",
        "TransferSingle",
        ts=ts,
        tx=tx,
        operator=operator,
        **{"from": sender, "to": to},
        id=1,
        value=amount,
    )


def test_a_clean_story_has_no_breach_until_time_runs_out() -> None:
    story = Story().ready()
    story.attest(500, T0 + 500)
    transfer(story, ZERO, ALICE, 100)
    transfer(story, ALICE, BOB, 10)
    assert story.breaches() == []
    # Bob's identification lapses at T0 + 50 and the permit at T0 + 100: same acts, later, break rules.
    transfer(story, ALICE, BOB, 10, ts=T0 + 60)
    transfer(story, ALICE, BOB, 10, ts=T0 + 100)
    assert story.breaches() == ["recipient.ineligible", "permit.inactive", "recipient.ineligible"]


def test_a_batch_repeating_an_id_is_judged_on_its_total() -> None:
    story = Story().ready()
    story.attest(10, T0 + 500)
    story.auditor.state.issuances[1].balances[_cs(ALICE)] = 10
    story.auditor.state.issuances[1].supply = 10
    story.auditor.state.issuances[1].encumbered[_cs(ALICE)] = 4
    story.emit("SecuredAsset", "TransferBatch", operator=ALICE, **{"from": ALICE, "to": BOB}, ids=(1, 1), values=(3, 4))
    assert story.breaches() == ["units.encumbered"]


def test_an_announcement_left_without_its_movement_is_reported() -> None:
    story = Story().ready()
    story.emit(
        "SecuredAsset",
        "TransferOrdered",
        id=1,
        **{"from": ALICE, "to": BOB},
        amount=5,
        unfrozen=0,
        orderHash=H,
        by=REGULATOR,
    )
    story.emit(
        "SecuredAsset", "RedemptionRequested", requestId=1, id=1, holder=ALICE, amount=5, fulfilmentRef=H, by=ALICE
    )
    story.auditor.close(story.block)
    assert story.breaches() == ["history.inconsistent", "redemption.custody"]


def test_an_issuance_needs_its_consent_in_its_own_transaction_before_the_deadline() -> None:
    story = Story().ready()
    story.create(2, nonce=1, deadline=T0)  # the deadline's own second still counts
    assert story.breaches() == []
    story.create(3, nonce=2, deadline=T0 - 1)
    assert story.breaches() == ["consent.recorded"]
    story.emit(
        "SecuredAsset",
        "IssuanceCreated",
        id=4,
        issuer=ISSUER,
        operator=OPERATOR,
        assetType=1,
        maxSupply=1_000,
        decisionHash=H,
        decisionUri="d",
        evidenceHash=H,
        unitDescription="t",
    )
    story.auditor.close(story.block)  # the history ends before any consent
    assert story.breaches() == ["consent.recorded", "consent.recorded"]
    assert [c.nonce for c in story.auditor.state.consents.values()] == [0, 1, 2]


def test_state_round_trips_through_its_canonical_form() -> None:
    story = Story().ready()
    transfer(story, ZERO, ALICE, 7)
    state = story.auditor.state
    again = AuditState.from_canonical(state.canonical())
    assert again.canonical() == state.canonical()
    assert again.digest() == state.digest()


CAROL = "0x" + "9" * 40


def register(story: Story, wallet: str, expiry: int) -> None:
    story.emit(
        "PlatformRegistry", "ParticipantRegistered", wallet=wallet, identityRef=H, identityExpiry=expiry, by=OPERATOR
    )
    story.emit(
        "PlatformRegistry", "RiskNoticeAcknowledged", participant=wallet, version=1, contentHash=H, relayer=wallet
    )


def test_coverage_is_counted_as_the_collateral_contract_counts_it() -> None:
    story = Story().ready()
    story.attest(60, T0 + 300, lot="short")
    story.attest(40, T0 + 500, lot="long")
    state = story.auditor.state
    # Until when the attestations running at least that long still cover the supply, and how many
    # units those are (any supply up to them is covered as long).
    assert coverage(state, _cs(ASSET), 1, _cs(ISSUER), 50, T0) == (100, T0 + 300, 100)
    assert coverage(state, _cs(ASSET), 1, _cs(ISSUER), 40, T0) == (100, T0 + 500, 40)
    assert coverage(state, _cs(ASSET), 1, _cs(ISSUER), 101, T0) == (100, 0, 0)
    assert coverage(state, _cs(ASSET), 1, _cs(ISSUER), 0, T0) == (100, 2**64 - 1, 0)
    assert coverage(state, _cs(ASSET), 1, _cs(ISSUER), 40, T0 + 300) == (40, T0 + 500, 40)
    # Attestations ending at the same second all last as long as the count.
    story.attest(25, T0 + 500, lot="long too")
    assert coverage(state, _cs(ASSET), 1, _cs(ISSUER), 40, T0) == (125, T0 + 500, 65)
    assert story.breaches() == []


def test_units_stop_circulating_when_the_collateral_lapses_to_the_second() -> None:
    story = Story().ready()
    register(story, CAROL, T0 + 10_000)
    story.attest(60, T0 + 300, lot="short")
    story.attest(40, T0 + 500, lot="long")
    transfer(story, ZERO, ALICE, 50)
    story.emit("SecuredAsset", "CoverageSynced", id=1, covered=100, supply=50, coveredUntil=T0 + 300)
    story.emit(
        "PlatformRegistry", "PermitRenewed", operator=OPERATOR, validUntil=T0 + 1_000, documentHash=H, by=REGULATOR
    )
    transfer(story, ALICE, CAROL, 1, ts=T0 + 299)
    assert story.breaches() == []
    transfer(story, ALICE, CAROL, 1, ts=T0 + 300)  # 40 units cover 50 no more
    assert story.breaches() == ["collateral.undercollateralised"]
    # A count the auditor does not make is the chain's story against its own events.
    story.emit("SecuredAsset", "CoverageSynced", ts=T0 + 300, id=1, covered=100, supply=50, coveredUntil=T0 + 500)
    assert story.breaches()[-1] == "history.inconsistent"


def test_a_mint_within_the_lasting_cover_is_not_counted_and_a_count_may_come_before_its_mint() -> None:
    """A mint's count logged ahead of the mint (in its transaction) waits for it; a later mint the
    cover lasting as long as that count still covers is not counted at all."""
    story = Story().ready()
    story.attest(60, T0 + 300, lot="short")
    story.attest(40, T0 + 500, lot="long")
    iss = story.auditor.state.issuances[1]
    tx = story.emit("SecuredAsset", "CoverageSynced", id=1, covered=100, supply=50, coveredUntil=T0 + 300)
    assert iss.supply == 0 and story.breaches() == []  # waiting for its movement
    transfer(story, ZERO, ALICE, 50, tx=tx)
    assert story.breaches() == []
    assert (iss.supply, iss.covered_until, iss.lasting_cover) == (50, T0 + 300, 100)
    # 90 units are within the 100 lasting until T0 + 300: the recorded count stays true.
    transfer(story, ZERO, ALICE, 40)
    assert story.breaches() == []
    assert (iss.supply, iss.covered_until, iss.lasting_cover) == (90, T0 + 300, 100)
    # The mint's own rule stands without any count recorded: live collateral covers 100 units.
    transfer(story, ZERO, ALICE, 11)
    assert story.breaches() == ["collateral.insufficient"]
    # A count that no movement of its transaction explains is judged on the supply as it stands.
    story.emit("SecuredAsset", "CoverageSynced", id=1, covered=100, supply=120, coveredUntil=0)
    story.auditor.close(story.block)
    assert story.breaches()[1:] == ["history.inconsistent"]


def test_a_withdrawal_is_followed_by_its_event() -> None:
    story = Story().ready()
    regulator = keccak(text="REGULATOR_ROLE")
    story.emit(
        "PlatformRegistry", "RoleAdminChanged", role=VERIFIER_ROLE, previousAdminRole=b"\0" * 32, newAdminRole=regulator
    )
    story.emit("PlatformRegistry", "RoleRevoked", role=VERIFIER_ROLE, account=VERIFIER, sender=REGULATOR)
    story.emit("PlatformRegistry", "AccreditationWithdrawn", verifier=VERIFIER, revision=1, by=REGULATOR)
    assert story.breaches() == []
    story.emit("PlatformRegistry", "AccreditationWithdrawn", verifier=VERIFIER, revision=5, by=REGULATOR)
    assert story.breaches() == ["history.inconsistent"]
    assert story.auditor.state.accreditation_revision == 1


def test_the_registers_lists_and_successions_round_trip_through_the_canonical_form() -> None:
    story = Story().ready()
    successor = "0x" + "7" * 40
    story.emit(
        "PlatformRegistry",
        "RoleGranted",
        role=keccak(text="OPERATOR_ROLE"),
        account=successor,
        sender=REGULATOR,
    )
    story.emit(
        "PlatformRegistry",
        "PermitGranted",
        operator=successor,
        validFrom=0,
        validUntil=T0 + 100,
        documentHash=H,
        by=REGULATOR,
    )
    story.emit(
        "PlatformRegistry",
        "OperatorDetailsRecorded",
        operator=OPERATOR,
        legalName="Op",
        businessId="1",
        jurisdiction="KZ",
        detailsHash=H,
        by=REGULATOR,
    )
    story.emit(
        "SecuredAsset", "IssuanceSucceeded", id=1, predecessor=OPERATOR, successor=successor, orderHash=H, by=REGULATOR
    )
    story.emit("SecuredAsset", "DecisionUriUpdated", id=1, decisionUri="moved", by=ISSUER)
    assert story.breaches() == []
    state = story.auditor.state
    assert state.operator_list == [_cs(OPERATOR), _cs(successor)]
    assert state.identified == {_cs(OPERATOR): [_cs(ALICE), _cs(BOB)]}
    assert state.issuances[1].operator == _cs(successor) and state.issuances[1].decision_uri == "moved"
    again = AuditState.from_canonical(state.canonical())
    assert again.canonical() == state.canonical()
    assert again.issuances[1].successions == state.issuances[1].successions
    assert again.operator_details == state.operator_details


def test_an_issuer_registered_twice_is_listed_once_and_reported() -> None:
    story = Story().ready()
    details = {"legalName": "I", "businessId": "1", "jurisdiction": "KZ", "detailsHash": H}
    story.emit("PlatformRegistry", "IssuerRegistered", issuer=ISSUER, **details, by=REGULATOR)
    assert story.breaches() == ["history.inconsistent"]
    assert story.auditor.state.issuer_list == [_cs(ISSUER)]
