"""The governed regulator through the SDK (sdap/governance.py), on a real anvil: a platform deployed
with a council of three keys (accounts 16-18) agreeing two, and a timelock of an hour holding
REGULATOR_ROLE. Each power is proposed, signed, scheduled by the council and executed by anyone
after the delay; the council cancels; a proposal travels as a file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3 import Web3
from world import YEAR, advance, chain_time, h

from sdap.contract_errors import (
    CouncilNotAgreedError,
    InvalidAccountNonceError,
    RegistryPermitNotGrantedError,
    TimelockUnexpectedOperationStateError,
)
from sdap.deployment import Deployment, GovernanceSetup, deploy_platform
from sdap.errors import ConfigurationError, InvalidArgument
from sdap.events import EventDecoder
from sdap.governance import Governance, Proposal, ProposalAction, ProposalState
from sdap.platform import Platform
from sdap.transactions import Transactor
from sdap.types import Role

DELAY = 3600
SIGNERS = (16, 17, 18)
ANYONE = 19
OPERATOR = 2


@dataclass
class Deployed:
    deployment: Deployment
    snapshot: str


def _snapshot(w3: Web3) -> str:
    return str(w3.provider.make_request("evm_snapshot", [])["result"])  # type: ignore[arg-type]


def _revert(w3: Web3, snapshot: str) -> None:
    w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def governed(w3: Web3, accounts: list[LocalAccount]) -> Iterator[Deployed]:
    before = _snapshot(w3)
    setup = GovernanceSetup([accounts[i].address for i in SIGNERS], threshold=2, min_delay=DELAY)
    deployment = deploy_platform(w3, Transactor(w3, accounts[0], EventDecoder()), governance=setup)
    yield Deployed(deployment, _snapshot(w3))
    _revert(w3, before)  # leave the session's chain as the other modules know it


@pytest.fixture
def platform(w3: Web3, governed: Deployed) -> Iterator[Platform]:
    yield Platform(w3, governed.deployment)
    _revert(w3, governed.snapshot)
    governed.snapshot = _snapshot(w3)


@pytest.fixture
def gov(platform: Platform) -> Governance:
    return platform.governance()


@pytest.fixture
def signers(accounts: list[LocalAccount]) -> list[LocalAccount]:
    return [accounts[i] for i in SIGNERS]


def _has_role(platform: Platform, role: Role, account: str) -> bool:
    return bool(platform.contracts.registry.functions.hasRole(role.id, account).call())


def test_the_governance_is_the_deployments(platform: Platform, gov: Governance, signers) -> None:
    assert gov.council.address == platform.deployment.council
    assert gov.timelock.address == platform.deployment.timelock == platform.deployment.regulator
    assert (gov.threshold(), gov.min_delay(), gov.next_nonce()) == (2, DELAY, 0)
    assert sorted(gov.signers()) == sorted(s.address for s in signers)


def test_the_digest_signed_is_the_councils_and_the_operation_the_timelocks(
    platform: Platform, gov: Governance, accounts
) -> None:
    proposal = gov.propose(platform.regulator_calls.grant_role(Role.OPERATOR, accounts[OPERATOR].address))
    council, timelock = gov.council.functions, gov.timelock.functions
    assert proposal.digest == council.executionDigest(proposal.mode, proposal.execution_data, proposal.nonce).call()
    assert (
        proposal.operation_id
        == timelock.hashOperation(proposal.target, 0, proposal.data, b"\0" * 32, proposal.salt).call()
    )
    assert proposal.target == platform.deployment.registry and proposal.delay == DELAY
    assert proposal.description.startswith("grantRole(role=OPERATOR_ROLE, account=")
    assert gov.describe(proposal) == f"registry.grantRole(role=OPERATOR_ROLE, account={accounts[OPERATOR].address})"
    assert gov.status(proposal) is ProposalState.UNSET and gov.ready_at(proposal) == 0


def test_two_signatures_schedule_one_does_not_and_anyone_executes_after_the_delay(
    platform: Platform, gov: Governance, signers, accounts
) -> None:
    operator, anyone = accounts[OPERATOR].address, accounts[ANYONE]
    proposal = gov.propose(platform.regulator_calls.grant_role(Role.OPERATOR, operator))
    once = gov.sign(proposal, signers[0])
    with pytest.raises(CouncilNotAgreedError) as refused:
        gov.schedule(once, anyone)
    assert refused.value.digest == proposal.digest
    twice = gov.sign(once, signers[2])
    assert set(twice.signatures) == {signers[0].address, signers[2].address}
    assert twice.signers == sorted(twice.signatures, key=lambda s: keccak(bytes.fromhex(s[2:])))
    scheduled = gov.schedule(twice, anyone)
    assert scheduled.event("CouncilExecuted")["nonce"] == 0
    assert scheduled.event("CallScheduled")["id"] == proposal.operation_id
    assert gov.status(proposal) is ProposalState.WAITING
    assert gov.ready_at(proposal) == chain_time(platform.w3) + DELAY
    with pytest.raises(TimelockUnexpectedOperationStateError):
        gov.execute(proposal, anyone)
    assert not _has_role(platform, Role.OPERATOR, operator)

    advance(platform.w3, DELAY)
    assert gov.status(proposal) is ProposalState.READY
    executed = gov.execute(proposal, anyone)
    granted = executed.event("RoleGranted")
    assert (granted["account"], granted["sender"]) == (operator, platform.deployment.timelock)
    assert executed.event("CallExecuted")["id"] == proposal.operation_id
    assert _has_role(platform, Role.OPERATOR, operator)
    assert gov.status(proposal) is ProposalState.DONE
    # The council's batch ran once: the same signatures again are a spent nonce.
    with pytest.raises(InvalidAccountNonceError):
        gov.schedule(twice, anyone)


def test_a_permit_is_granted_by_the_timelock(platform: Platform, gov: Governance, signers, accounts) -> None:
    operator, now = accounts[OPERATOR].address, chain_time(platform.w3)
    call = platform.regulator_calls.grant_permit(operator, 0, now + YEAR, h("permit"))
    proposal = gov.propose(call, delay=2 * DELAY, description="permit of the grain operator")
    assert proposal.delay == 2 * DELAY and proposal.description == "permit of the grain operator"
    for signer in signers:  # more than the threshold is fine
        proposal = gov.sign(proposal, signer)
    gov.schedule(proposal, accounts[ANYONE])
    advance(platform.w3, DELAY)
    with pytest.raises(TimelockUnexpectedOperationStateError):
        gov.execute(proposal, accounts[ANYONE])
    advance(platform.w3, DELAY)
    receipt = gov.execute(proposal, accounts[ANYONE])
    assert receipt.event("PermitGranted")["by"] == platform.deployment.timelock
    assert platform.queries.permit(operator).valid_until == now + YEAR


def test_a_call_the_timelock_would_be_refused_is_refused_before_anyone_signs(
    platform: Platform, gov: Governance, accounts
) -> None:
    with pytest.raises(RegistryPermitNotGrantedError):
        gov.propose(platform.regulator_calls.revoke_permit(accounts[OPERATOR].address, h("order")))
    with pytest.raises(InvalidArgument, match="at least the timelock's 3600 s"):
        gov.propose(platform.regulator_calls.grant_role(Role.OPERATOR, accounts[OPERATOR].address), delay=60)


def test_the_council_cancels_a_waiting_operation(platform: Platform, gov: Governance, signers, accounts) -> None:
    anyone = accounts[ANYONE]
    proposal = gov.propose(platform.regulator_calls.grant_role(Role.COMPLIANCE, accounts[4].address))
    gov.schedule(gov.sign(gov.sign(proposal, signers[0]), signers[1]), anyone)
    with pytest.raises(InvalidArgument, match="this proposal schedules an operation"):
        gov.cancel(proposal, anyone)
    cancellation = gov.propose_cancel(proposal)
    assert cancellation.action is ProposalAction.CANCEL and cancellation.nonce == 1
    assert cancellation.operation_id == proposal.operation_id
    with pytest.raises(CouncilNotAgreedError):
        gov.cancel(gov.sign(cancellation, signers[1]), anyone)
    receipt = gov.cancel(gov.sign(gov.sign(cancellation, signers[1]), signers[2]), anyone)
    assert receipt.event("Cancelled")["id"] == proposal.operation_id
    assert gov.status(proposal) is ProposalState.UNSET
    advance(platform.w3, DELAY)
    with pytest.raises(TimelockUnexpectedOperationStateError):
        gov.execute(proposal, anyone)
    assert not _has_role(platform, Role.COMPLIANCE, accounts[4].address)
    with pytest.raises(InvalidArgument, match="is UNSET"):
        gov.propose_cancel(proposal)


def test_a_proposal_file_round_trips_and_refuses_alteration(
    platform: Platform, gov: Governance, signers, accounts, tmp_path
) -> None:
    proposal = gov.sign(
        gov.propose(platform.regulator_calls.grant_role(Role.OPERATOR, accounts[OPERATOR].address)), signers[0]
    )
    path = proposal.save(tmp_path / "p.json")
    loaded = Proposal.load(path)
    assert loaded == proposal
    data = json.loads(path.read_text())
    assert data["format"] == 1 and data["action"] == "schedule" and set(data["signatures"]) == {signers[0].address}

    # Another account in the call: the batch no longer is the one signed.
    other = data["data"].replace(accounts[OPERATOR].address[2:].lower(), accounts[6].address[2:].lower())
    assert other != data["data"]
    with pytest.raises(ConfigurationError, match="altered"):
        Proposal.from_json(json.dumps({**data, "data": other}))
    # A signature put under another signer's name.
    forged = {signers[1].address: data["signatures"][signers[0].address]}
    with pytest.raises(ConfigurationError, match="not its signature"):
        Proposal.from_json(json.dumps({**data, "signatures": forged}))
    with pytest.raises(ConfigurationError, match="lacks 'salt'"):
        Proposal.from_json(json.dumps({k: v for k, v in data.items() if k != "salt"}))
    with pytest.raises(ConfigurationError, match="no proposal file"):
        Proposal.load(tmp_path / "missing.json")


def test_only_a_council_signer_signs_and_only_under_the_next_nonce(
    platform: Platform, gov: Governance, signers, accounts
) -> None:
    first = gov.propose(platform.regulator_calls.grant_role(Role.OPERATOR, accounts[OPERATOR].address))
    second = gov.propose(platform.regulator_calls.grant_role(Role.VERIFIER, accounts[3].address))
    assert first.nonce == second.nonce == 0
    with pytest.raises(InvalidArgument, match="is not a signer of the council"):
        gov.sign(first, accounts[OPERATOR])
    gov.schedule(gov.sign(gov.sign(first, signers[0]), signers[1]), accounts[ANYONE])
    with pytest.raises(InvalidArgument, match="its next is 1: another batch ran since"):
        gov.sign(second, signers[0])


def test_a_proposal_for_another_council_is_refused(platform: Platform, gov: Governance, accounts) -> None:
    proposal = gov.propose(platform.regulator_calls.grant_role(Role.OPERATOR, accounts[OPERATOR].address))
    with pytest.raises(ConfigurationError, match="this deployment's is"):
        gov.execute(replace(proposal, chain_id=1), accounts[ANYONE])


def test_every_power_the_regulator_sends_is_a_call_it_can_propose() -> None:
    """RegulatorClient sends what RegulatorCalls builds, so each power may be proposed instead."""
    from sdap.clients import RegulatorCalls, RegulatorClient
    from sdap.clients._base import RoleClient

    sent = {n for n in vars(RegulatorClient) if not n.startswith("_") and n != "calls"} - set(vars(RoleClient))
    built = {n for n in vars(RegulatorCalls) if not n.startswith("_")}
    # recover_wallet is two transactions: its first is recover_participant, its second anyone's.
    assert sent - {"recover_wallet"} == built


def test_a_single_key_deployment_has_no_governance(w3: Web3, deployed) -> None:
    with pytest.raises(ConfigurationError, match="single key"):
        Platform(w3, deployed.deployment).governance()
