from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sdap.audit.crosscheck import cross_check
from sdap.audit.replay import Checkpoint, Replay
from sdap.audit.rules import attestation_status
from sdap.errors import ConfigurationError
from sdap.types import AttestationStatus, Role
from tests.audit.conftest import History, build_clean_history, build_collateral_history


def test_clean_history_audits_with_zero_breaches_and_matches_the_chain(history: History) -> None:
    build_clean_history(history)
    replay = Replay(history.platform).run()
    assert replay.breaches == [], [b.message for b in replay.breaches]
    check = cross_check(history.platform, replay.state)
    assert check.ok, check.differences
    assert check.checked > 50
    # The rebuilt state holds what happened: two issuances, an enforced and a released pledge, a
    # forced transfer, a redemption and both notices.
    state = replay.state
    assert [e.outcome for e in state.encumbrances.values()] == ["released", "enforced"]
    assert state.issuances[1].supply == 1_500 - 40
    assert state.notice_in_force == 2
    assert [c.action for c in state.permits[history.operator.address].history] == ["granted", "suspended", "reinstated"]


def test_the_collateral_lifecycle_audits_clean_and_matches_the_chain(history: History) -> None:
    built = build_collateral_history(history)
    grain, cotton = built["issuances"]
    replay = Replay(history.platform).run()
    assert replay.breaches == [], [b.message for b in replay.breaches]
    check = cross_check(history.platform, replay.state)
    assert check.ok, check.differences
    # What the history went through, as rebuilt: a renewal, a lapse, a withdrawal and a new epoch.
    state, ts = replay.state, history.now()
    statuses = sorted(attestation_status(state, a, ts) for a in state.attestations.values())
    s = AttestationStatus
    assert statuses == sorted([s.SUPERSEDED, s.LIVE, s.EXPIRED, s.REVOKED, s.VERIFIER_WITHDRAWN, s.LIVE])
    second_verifier = built["verifiers"][1].address
    assert state.accreditations[second_verifier] == 2 and state.accreditation_revision == 1
    assert state.issuances[cotton].supply == 300 - 30 - 10
    assert state.issuances[grain].coverage_revision == state.issuances[cotton].coverage_revision == 1


def test_cross_check_names_what_differs(history: History) -> None:
    built = build_clean_history(history)
    a = built["holders"][0].address
    replay = Replay(history.platform).run()
    replay.state.issuances[1].balances[a] += 7
    replay.state.participants[a].frozen = True
    replay.state.roles[Role.REGULATOR.id].add(a)
    differences = {
        (d.contract, d.view, d.key, d.field) for d in cross_check(history.platform, replay.state).differences
    }
    assert any(v == "balanceOfBatch" and k.startswith("1/") for _, v, k, _ in differences)
    assert ("PlatformRegistry", "participant", a, "frozen") in differences
    assert ("PlatformRegistry", "participantStatus", a, "") in differences
    assert ("PlatformRegistry", "regulatorCount", "", "") in differences


def test_cross_check_names_what_differs_in_collateral_and_mandates(history: History) -> None:
    built = build_collateral_history(history)
    grain, cotton = built["issuances"]
    replay = Replay(history.platform).run()
    state = replay.state
    renewed = next(i for i, a in state.attestations.items() if a.superseded_by != b"\0" * 32)
    state.attestations[renewed].superseded_by = b"\0" * 32  # as if the renewal had not replaced it
    state.accreditation_revision = 0
    state.participants[built["holders"][0].address].operator = history.issuer.address
    state.issuances[cotton].supply += 1_000  # beyond its collateral
    state.issuances[grain].paused_by_regulator = True
    differences = {(d.view, d.field) for d in cross_check(history.platform, state).differences}
    assert {
        ("attestation", "supersededBy"),
        ("attestationStatus", ""),
        ("accreditationRevision", ""),
        ("participant", "operator"),
        ("coverage", "supply"),
        ("coverage", "undercollateralised"),
        ("issuance", "pausedByRegulator"),
    } <= differences


def test_digest_is_the_same_whatever_the_chunking(history: History) -> None:
    build_clean_history(history)
    whole = Replay(history.platform).run()
    tiny = Replay(history.platform, chunk=1, max_logs=2).run()
    assert tiny.state.digest() == whole.state.digest()
    assert tiny.breaches == whole.breaches
    assert tiny.events_applied == whole.events_applied


def test_resumed_replay_equals_full_replay(history: History, tmp_path: Path) -> None:
    history.setup(holders=3)
    a, b, _ = (history.holder(i) for i in range(3))
    iid = history.create_issuance()
    history.attest(iid, 1_000)
    history.mint(iid, a, 300)
    pending = history.request_redemption(a, iid, 40)  # in custody across the checkpoint
    middle = history.w3.eth.block_number
    partial = Replay(history.platform).run(middle)
    path = partial.checkpoint().save(tmp_path / "checkpoint.json")
    history.transfer(a, b, iid, 100)
    history.mint(iid, b, 50)
    history.transfer(b, a, iid, 25)
    history.confirm(pending)
    history.create_issuance()  # the issuer's next consent nonce, counted from the checkpoint's

    full = Replay(history.platform).run()
    resumed = Replay(history.platform, checkpoint=Checkpoint.load(path)).run()
    assert resumed.breaches == full.breaches == []
    assert resumed.state.digest() == full.state.digest()
    assert resumed.checkpoint() == full.checkpoint()
    assert resumed.events_applied == full.events_applied


def test_a_tampered_or_foreign_checkpoint_is_refused(history: History, tmp_path: Path) -> None:
    history.setup(holders=1)
    checkpoint = Replay(history.platform).run().checkpoint()
    tampered = replace(checkpoint, state={**checkpoint.state, "notice_in_force": 7})
    tampered.save(tmp_path / "bad.json")
    with pytest.raises(ConfigurationError, match="corrupt"):
        Checkpoint.load(tmp_path / "bad.json")
    foreign = replace(checkpoint, chain_id=1)
    with pytest.raises(ConfigurationError, match="another deployment"):
        Replay(history.platform, checkpoint=foreign)


def test_fast_decoder_agrees_with_the_generic_one(history: History) -> None:
    from sdap.audit._logs import FastDecoder, RawLogFetcher
    from sdap.events import EventDecoder

    build_clean_history(history)
    generic, fast = EventDecoder(), FastDecoder()
    addresses = list(history.platform.deployment.addresses.values())
    names = set()
    for logs in RawLogFetcher(history.w3, addresses).chunks(0, history.w3.eth.block_number):
        for log in logs:
            ours, theirs = fast.decode(log), generic.decode(log)
            assert ours is not None and theirs is not None
            assert (ours.name, ours.address, ours.block_number, ours.tx_hash, ours.log_index) == (
                theirs.name,
                theirs.address,
                theirs.block_number,
                theirs.tx_hash,
                theirs.log_index,
            )
            assert {k: dict(v) if hasattr(v, "items") else v for k, v in ours.args.items()} == {
                k: dict(v) if hasattr(v, "items") else v for k, v in theirs.args.items()
            }
            names.add(ours.name)
    assert {"TransferSingle", "TransferBatch", "IssuanceCreated", "AttestationAttached", "RoleGranted"} <= names


def test_block_timestamps_are_fetched_when_the_logs_lack_them(history: History) -> None:
    from sdap.audit._logs import RawLogFetcher, block_timestamps

    history.setup(holders=1)
    addresses = list(history.platform.deployment.addresses.values())
    logs = [
        log for chunk in RawLogFetcher(history.w3, addresses).chunks(0, history.w3.eth.block_number) for log in chunk
    ]
    given = block_timestamps(history.w3, logs)
    fetched = block_timestamps(history.w3, [{k: v for k, v in log.items() if k != "blockTimestamp"} for log in logs])
    assert fetched == given and len(given) > 3


def test_a_mint_within_the_lasting_cover_records_no_count_and_the_replay_follows(history: History) -> None:
    """A mint counts the collateral again only beyond the units lasting as long as the last count;
    the auditor keeps the recorded count as the chain does, and the cross-check compares the
    issuance's supply and lasting cover field by field."""
    history.setup(holders=2)
    a, b = history.holder(0), history.holder(1)
    iid = history.create_issuance()
    history.attest(iid, 600, valid_for=24 * 3600, lot="short")
    history.attest(iid, 400, lot="long")
    names = lambda receipt: [e.name for e in receipt.events]  # noqa: E731
    # 300 units: the year-long 400 cover them for a year.
    assert names(history.mint(iid, a, 300)) == ["TransferSingle", "CoverageSynced"]
    year = history.platform.queries.issuance(iid)
    assert (year.supply, year.lasting_cover) == (300, 400)
    # 400 units are still within those 400: the count recorded stays true and nothing is counted.
    assert names(history.mint(iid, b, 100)) == ["TransferSingle"]
    assert history.platform.queries.issuance(iid).covered_until == year.covered_until
    # 401 are not: counted again, now covered only until the day-long lot ends, by all 1,000 units.
    assert names(history.mint(iid, b, 1)) == ["TransferSingle", "CoverageSynced"]
    day = history.platform.queries.issuance(iid)
    assert (day.supply, day.lasting_cover) == (401, 1_000) and day.covered_until < year.covered_until

    replay = Replay(history.platform).run()
    assert replay.breaches == [], [b.message for b in replay.breaches]
    rebuilt = replay.state.issuances[iid]
    assert (rebuilt.supply, rebuilt.covered_until, rebuilt.lasting_cover) == (401, day.covered_until, 1_000)
    assert cross_check(history.platform, replay.state).ok
    rebuilt.lasting_cover, rebuilt.supply = 400, 400
    differences = {(d.view, d.key, d.field) for d in cross_check(history.platform, replay.state).differences}
    assert {("issuance", str(iid), "lastingCover"), ("issuance", str(iid), "supply")} <= differences
