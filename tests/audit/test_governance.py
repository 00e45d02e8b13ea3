"""The auditor on a governed regulator: the council's and the timelock's events followed, every act
of the timelock attributed to an operation, and each governance rule caught on a history that
breaks it (the permissive council and timelock, or a "timelock" that is a plain key)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from eth_account.signers.local import LocalAccount

from sdap.audit.crosscheck import cross_check
from sdap.audit.html import render_html
from sdap.audit.replay import Replay
from sdap.audit.report import audit
from sdap.audit.rules import Breach
from sdap.platform import Platform
from sdap.transactions import Receipt, calldata_of
from tests.audit._governed import DELAY, Governed, governance_artifacts, governed_deployment
from tests.audit.conftest import History, _deploy, h

ISSUANCE = 1


@pytest.fixture(scope="session")
def artifacts() -> dict[str, dict[str, Any]]:
    return governance_artifacts()


@pytest.fixture
def governed(platform: Platform, accounts: list[LocalAccount], artifacts: dict[str, dict[str, Any]]) -> Governed:
    return Governed(platform, accounts, artifacts)


@pytest.fixture
def g(platform: Platform, accounts: list[LocalAccount], artifacts: dict[str, dict[str, Any]]) -> Governed:
    """A governed platform on the permissive council and timelock, within the rules so far: the
    regulator's set-up governed, issuance 1 created, collateral for 1,000 units, 600 minted."""
    hist = Governed(platform, accounts, artifacts, permissive=True)
    hist.setup(holders=2)
    iid = hist.create_issuance()
    hist.attest(iid, 1_000)
    hist.mint(iid, hist.holder(0), 600)
    assert breaches(hist) == []
    return hist


def breaches(hist: History) -> list[Breach]:
    return Replay(hist.platform).run().breaches


def found(found_breaches: list[Breach], receipt: Receipt) -> set[str]:
    hits = [b for b in found_breaches if b.tx_hash == receipt.tx_hash]
    assert all(b.block == receipt.block_number for b in hits)
    return {b.rule for b in hits}


# A governed history within the rules --------------------------------------------------------------


def test_a_governed_history_audits_clean_and_lists_each_operation(governed: Governed) -> None:
    hist = governed
    hist.setup(holders=2)
    a, b = hist.holder(0), hist.holder(1)
    iid = hist.create_issuance()
    hist.attest(iid, 1_000)
    hist.mint(iid, a, 300)
    forced = hist.send(hist.regulator, hist.asset.functions.forcedTransfer(iid, a.address, b.address, 50, h("order")))
    forced_op = hist.scheduled[-1]
    # A suspension the council thought better of: scheduled, then cancelled by two other signers.
    suspend = hist.registry.functions.suspendPermit(hist.operator.address, h("inspection"))
    waiting = hist.schedule(suspend)
    cancelled = hist.cancel(waiting, hist.signers[1:])
    # The council takes a fourth signer and asks three of four from then on, in one batch.
    newcomer = hist.accounts[19]
    c = hist.council.functions
    hist.batch(
        [hist.council_call(c.addSigners([bytes.fromhex(newcomer.address[2:])])), hist.council_call(c.setThreshold(3))]
    )
    notice = hist.registry.functions.publishRiskNotice(h("notice 2"), "https://sdap.example/notice/2")
    published = hist.schedule(notice, signers=hist.signers)  # three of four now
    pending = hist.schedule(hist.registry.functions.delistAssetType(1), signers=[*hist.signers[1:], newcomer])

    report = audit(hist.platform)
    assert report.breaches == (), [b.message for b in report.breaches]
    assert report.cross_check is not None and report.cross_check.ok, report.cross_check.differences
    gov = Replay(hist.platform).run().state.governance
    assert gov is not None and len(gov.signers) == 4 and gov.threshold == 3 and gov.min_delay == DELAY
    assert gov.nonce == hist.council.functions.nextNonce().call()

    regulator = report.regulator
    assert regulator is not None and regulator.governed and regulator.timelock == hist.timelock.address
    assert (regulator.signers, regulator.threshold, regulator.min_delay) == (4, 3, DELAY)
    ops = {o.operation_id: o for o in regulator.operations}
    # setup: 3 roles, a permit, an issuer, a type, a notice; the forced transfer; 3 scheduled after.
    assert len(ops) == 7 + 1 + 3
    assert [o.status for o in regulator.operations].count("done") == 8
    first = regulator.operations[0]
    assert first.calls[0].contract == "PlatformRegistry" and first.calls[0].function == "grantRole"
    assert dict(first.calls[0].arguments)["account"] == hist.operator.address
    assert first.calls[0].acts == ("RoleGranted",)
    assert set(first.signers) == {s.address for s in hist.signers[:2]}
    assert first.executed_at >= first.scheduled_at + DELAY
    order = ops["0x" + forced_op.operation_id.hex()]
    assert order.calls[0].function == "forcedTransfer" and order.executed_block == forced.block_number
    assert order.calls[0].acts == ("TransferOrdered",)
    dropped = ops["0x" + waiting.operation_id.hex()]
    assert dropped.status == "cancelled" and dropped.cancelled_block == cancelled.block_number
    assert set(dropped.cancel_signers) == {s.address for s in hist.signers[1:]}
    assert ops["0x" + published.operation_id.hex()].status == "waiting"
    assert set(ops["0x" + pending.operation_id.hex()].signers) == {
        *(s.address for s in hist.signers[1:]),
        newcomer.address,
    }

    body = json.loads(report.to_json(include_state=False))
    assert body["regulator"]["governed"] and len(body["regulator"]["operations"]) == 11
    assert body["counts"]["governed_operations_done"] == 8
    page = render_html(report)
    assert 'id="regulator"' in page and "forcedTransfer(" in page and "cancelled at block" in page
    text = "\n".join(regulator.lines())
    assert "governed forcedTransfer(" in text and f"executed at block {forced.block_number}" in text
    assert "8 done, 2 waiting, 1 cancelled" in text


def test_operations_the_sdk_proposed_audit_clean_with_their_signers(governed: Governed) -> None:
    hist = governed
    hist.setup(holders=0)
    gov, calls = hist.platform.governance(), hist.platform.regulator_calls
    signed = hist.signers[1:]
    proposal = gov.propose(calls.grant_role("COMPLIANCE", hist.accounts[12].address))
    for signer in signed:
        proposal = gov.sign(proposal, signer)
    gov.schedule(proposal, hist.runner)
    dropped = gov.propose(calls.grant_role("COMPLIANCE", hist.accounts[13].address))
    for signer in signed:
        dropped = gov.sign(dropped, signer)
    gov.schedule(dropped, hist.runner)
    cancellation = gov.propose_cancel(dropped)
    for signer in hist.signers[:2]:
        cancellation = gov.sign(cancellation, signer)
    gov.cancel(cancellation, hist.runner)
    hist.wait(DELAY)
    executed = gov.execute(proposal, hist.runner)
    report = audit(hist.platform)
    assert report.ok, [b.message for b in report.breaches]
    assert report.regulator is not None
    ops = {o.operation_id: o for o in report.regulator.operations}
    done, cancelled = ops["0x" + proposal.operation_id.hex()], ops["0x" + dropped.operation_id.hex()]
    assert done.status == "done" and done.executed_block == executed.block_number
    assert set(done.signers) == {s.address for s in signed}
    assert done.calls[0].function == "grantRole" and done.calls[0].acts == ("RoleGranted",)
    assert dict(done.calls[0].arguments)["account"] == hist.accounts[12].address
    assert cancelled.status == "cancelled" and set(cancelled.cancel_signers) == {s.address for s in hist.signers[:2]}


def test_a_replay_resumed_from_a_checkpoint_with_a_waiting_operation_equals_the_full_replay(governed: Governed) -> None:
    hist = governed
    hist.setup(holders=1)
    op = hist.schedule(hist.registry.functions.delistAssetType(1))
    replay = Replay(hist.platform).run()
    checkpoint = replay.checkpoint()
    hist.wait(DELAY)
    hist.execute(op)
    hist.cancel(hist.schedule(hist.registry.functions.relistAssetType(1)))
    resumed = Replay(hist.platform, checkpoint=checkpoint).run()
    full = Replay(hist.platform).run(resumed.block)
    assert resumed.breaches == full.breaches == []
    assert resumed.state.digest() == full.state.digest()
    assert resumed.state.governance == full.state.governance


def test_the_cross_check_reads_the_council_and_the_timelock_back(governed: Governed) -> None:
    hist = governed
    hist.setup(holders=0)
    waiting = hist.schedule(hist.registry.functions.delistAssetType(1))
    state = Replay(hist.platform).run().state
    assert cross_check(hist.platform, state).ok
    gov = state.governance
    assert gov is not None
    gov.threshold, gov.nonce, gov.min_delay = 1, 0, 60
    gov.signers.pop()
    gov.operations[-1].cancelled_block = 1  # as if the waiting operation had been cancelled
    gov.operations[0].delay += 1  # as if the first had been ready a second later
    differences = {(d.view, d.key) for d in cross_check(hist.platform, state).differences}
    first = "0x" + gov.operations[0].operation_id.hex()
    assert differences == {
        ("threshold", ""),
        ("nextNonce", ""),
        ("getMinDelay", ""),
        ("getSignerCount", ""),
        ("getSigners", "keccak256 of each"),
        ("getOperationState", "0x" + waiting.operation_id.hex()),
        ("getTimestamp", "0x" + waiting.operation_id.hex()),
    }, differences
    assert first not in {key for _, key in differences}  # a done operation keeps no time of its own


def test_a_single_key_regulator_has_no_governance_to_break(history: History) -> None:
    history.setup(holders=1)
    report = audit(history.platform)
    assert report.ok and report.regulator is not None and not report.regulator.governed
    assert all(r.passed for r in report.rules if r.code.startswith("governance."))
    assert "governance" not in report.state
    assert report.regulator.lines() == [
        f"regulator   a single key, {history.regulator.address}: no act of it is governed"
    ]
    assert "A single key" in render_html(report)


# Histories that break each governance rule -------------------------------------------------------


def test_an_act_of_a_timelock_that_is_a_plain_key_is_attributed_to_no_operation(
    platform: Platform, accounts: list[LocalAccount], artifacts: dict[str, dict[str, Any]]
) -> None:
    """A deployment file naming the single-key regulator as its timelock: every act of that key ran
    in no operation."""
    regulator = accounts[1].address
    deployment = governed_deployment(
        platform.deployment, accounts[16].address, regulator, platform.deployment.deployment_block
    )
    hist = History(Platform(platform.w3, deployment), accounts)
    granted = hist.send(
        hist.regulator,
        hist.registry.functions.grantRole(hist.registry.functions.OPERATOR_ROLE().call(), hist.operator.address),
    )
    listed = hist.send(hist.regulator, hist.registry.functions.listAssetType("Grain", 1))
    found_breaches = breaches(hist)
    assert found(found_breaches, granted) == {"governance.attribution"}
    assert found(found_breaches, listed) == {"governance.attribution"}


def test_a_call_the_timelock_ran_with_no_call_executed(g: Governed) -> None:
    call = g.registry.functions.delistAssetType(1)
    ran = g.run(g.timelock.functions.callUnchecked(call.address, calldata_of(call)))
    assert found(breaches(g), ran) == {"governance.attribution"}


def test_a_council_batch_signed_by_too_few_or_by_a_stranger(g: Governed) -> None:
    one = g.schedule(g.registry.functions.delistAssetType(1), signers=g.signers[:1], unchecked=True)
    stranger = g.schedule(
        g.registry.functions.delistAssetType(1), signers=[g.signers[0], g.accounts[19]], unchecked=True
    )
    twice = g.schedule(g.registry.functions.delistAssetType(1), signers=[g.signers[0], g.signers[0]], unchecked=True)
    found_breaches = breaches(g)
    assert found(found_breaches, one.receipt) == {"governance.council"}
    assert found(found_breaches, stranger.receipt) == {"governance.council"}
    assert found(found_breaches, twice.receipt) == {"governance.council"}
    messages = {b.tx_hash: b.message for b in found_breaches}
    assert "with 1 of its signers, fewer than its threshold 2" in messages[one.receipt.tx_hash]
    assert f"signed by {g.accounts[19].address}, not of the council" in messages[stranger.receipt.tx_hash]
    assert "a signer counted twice" in messages[twice.receipt.tx_hash]


def test_signers_added_and_a_threshold_set_outside_a_council_batch(g: Governed) -> None:
    c = g.council.functions
    added = g.run(c.addSignersUnchecked([bytes.fromhex(g.accounts[19].address[2:])]))
    lowered = g.run(c.setThresholdUnchecked(1))
    found_breaches = breaches(g)
    assert found(found_breaches, added) == {"governance.membership"}
    assert found(found_breaches, lowered) == {"governance.membership"}


def test_an_operation_scheduled_by_no_council_batch_or_under_the_minimum_delay(g: Governed) -> None:
    call = g.registry.functions.delistAssetType(1)
    t = g.timelock.functions
    alone = g.run(t.scheduleUnchecked(call.address, calldata_of(call), b"\1" * 32, DELAY))
    short = g.batch([g.council_call(t.scheduleUnchecked(call.address, calldata_of(call), b"\2" * 32, 60))])
    found_breaches = breaches(g)
    assert found(found_breaches, alone) == {"governance.schedule"}
    assert found(found_breaches, short) == {"governance.schedule"}


def test_an_operation_executed_before_its_delay_ran_out(g: Governed) -> None:
    call = g.registry.functions.delistAssetType(1)
    op = g.schedule(call)
    g.wait(DELAY // 2)
    early = g.run(g.timelock.functions.executeUnchecked(op.target, op.data, op.salt))
    assert found(breaches(g), early) == {"governance.delay"}


def test_a_cancelled_operation_executed(g: Governed) -> None:
    op = g.schedule(g.registry.functions.delistAssetType(1))
    g.cancel(op)
    g.wait(DELAY)
    ran = g.run(g.timelock.functions.executeUnchecked(op.target, op.data, op.salt))
    assert found(breaches(g), ran) == {"governance.cancelled"}


def test_an_operation_executed_that_was_never_scheduled_or_twice(g: Governed) -> None:
    call = g.registry.functions.delistAssetType(1)
    never = g.run(g.timelock.functions.executeUnchecked(call.address, calldata_of(call), b"\3" * 32))
    notice = g.schedule(g.registry.functions.publishRiskNotice(h("notice 2"), "https://sdap.example/notice/2"))
    g.wait(DELAY)
    g.execute(notice)
    again = g.run(g.timelock.functions.executeUnchecked(notice.target, notice.data, notice.salt))
    found_breaches = breaches(g)
    assert found(found_breaches, never) == {"governance.execution"}
    assert found(found_breaches, again) == {"governance.execution"}
    messages = {b.tx_hash: b.message for b in found_breaches}
    assert "never scheduled" in messages[never.tx_hash] and "executed twice" in messages[again.tx_hash]


def test_the_fast_decoder_reads_the_council_and_the_timelock_as_the_generic_one(governed: Governed) -> None:
    from sdap.audit._logs import FastDecoder, RawLogFetcher
    from sdap.events import EventDecoder

    hist = governed
    hist.setup(holders=0)
    c = hist.council.functions
    hist.batch([hist.council_call(c.addSigners([bytes.fromhex(hist.accounts[19].address[2:])]))])
    hist.batch([hist.council_call(c.removeSigners([bytes.fromhex(hist.accounts[19].address[2:])]))])
    hist.cancel(hist.schedule(hist.registry.functions.delistAssetType(1)))
    generic, fast = EventDecoder(), FastDecoder()
    addresses = [hist.council.address, hist.timelock.address]
    names = set()
    for logs in RawLogFetcher(hist.w3, addresses).chunks(0, hist.w3.eth.block_number):
        for log in logs:
            ours, theirs = fast.decode(log), generic.decode(log)
            assert ours is not None and theirs is not None
            assert (ours.name, ours.address, ours.tx_hash, ours.log_index) == (
                theirs.name,
                theirs.address,
                theirs.tx_hash,
                theirs.log_index,
            )
            assert dict(ours.args) == dict(theirs.args), ours.name
            names.add(ours.name)
    assert {
        "ERC7913SignerAdded",
        "ERC7913SignerRemoved",
        "ERC7913ThresholdSet",
        "CouncilExecuted",
        "MinDelayChange",
        "CallScheduled",
        "CallSalt",
        "CallExecuted",
        "Cancelled",
    } <= names


def test_the_code_of_the_council_and_the_timelock_is_verified(governed: Governed) -> None:
    from sdap.audit.code import verify_code
    from sdap.compiler import compile_platform
    from tests.audit._governed import ROOT

    result = verify_code(governed.platform, compiled=compile_platform(ROOT))
    assert result.ok, result.checks
    assert {"RegulatorCouncil", "RegulatorTimelock"} <= {c.contract for c in result.checks}


def test_the_timelock_lists_a_payment_token_on_the_exchange_as_an_operation(
    governed: Governed, emoney_artifact: dict[str, Any]
) -> None:
    hist = governed
    hist.setup(holders=0)
    token = _deploy(hist.platform, hist.accounts[0], emoney_artifact)
    listed = hist.send(hist.regulator, hist.platform.contracts.exchange.functions.listPaymentToken(token, b"KZT"))
    report = audit(hist.platform)
    assert report.breaches == (), [b.message for b in report.breaches]
    assert report.cross_check is not None and report.cross_check.ok
    assert report.regulator is not None
    call = report.regulator.operations[-1].calls[0]
    assert (call.contract, call.function, call.executed_block) == (
        "SecuredExchange",
        "listPaymentToken",
        listed.block_number,
    )
    assert call.acts == ("PaymentTokenListed",)
    assert report.exchange is not None and report.exchange.payment_tokens == ((token, "KZT", 2, True),)
