"""The gateway on a governed deployment, on a real anvil: a council of three keys (accounts 16-18)
agreeing two and a timelock of an hour holding REGULATOR_ROLE, the platform onboarded through
them. The gateway starts without any key of the regulator; every route that would send the
regulator's acts with its key answers `regulator_governed` before anything is checked or sent;
reads are the same; a supervisor (account 19) pauses and lifts pauses at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount
from gateway_support import ROLES, Api, open_api, settings_for
from web3 import Web3
from web3.contract.contract import ContractFunction
from world import YEAR, World, advance, chain_time, clients, h, issue

from api.chain.journal import Journal
from api.openapi import api_routes, route_roles, signs_with_callers_key
from sdap.anvil import Anvil
from sdap.deployment import Deployment, GovernanceSetup, deploy_platform
from sdap.events import EventDecoder
from sdap.governance import Governance
from sdap.platform import Platform
from sdap.transactions import Receipt, Transactor
from sdap.types import AssetCategory, Role

DELAY = 3600
COUNCIL = (16, 17, 18)
SUPERVISOR = ROLES["supervisor"]
#: The keys the gateway holds: the operator, verifier, compliance officer, issuer and supervisor;
#: none is the regulator's (account 1 holds no role on this deployment).
SIGNERS = (2, 3, 4, 5, SUPERVISOR)
NOT_UTF8 = b'{"operator": "\xff\xfe"}'

#: Every route that sends a transaction with the regulator's own key, as the gateway had them when
#: the regulator was governed (a new one is caught by `test_every_regulator_write_is_refused`).
REGULATOR_WRITES = {
    ("POST", "/v1/permits"),
    ("POST", "/v1/permits/{operator}/renewal"),
    ("POST", "/v1/permits/{operator}/suspension"),
    ("POST", "/v1/permits/{operator}/reinstatement"),
    ("POST", "/v1/permits/{operator}/revocation"),
    ("POST", "/v1/operators/{operator}/details"),
    ("POST", "/v1/issuers"),
    ("POST", "/v1/issuers/{wallet}/details"),
    ("POST", "/v1/issuers/{wallet}/status"),
    ("POST", "/v1/asset-types"),
    ("POST", "/v1/risk-notices"),
    ("POST", "/v1/issuances/succession"),
    ("POST", "/v1/issuances/{issuance_id}/pause"),
    ("POST", "/v1/issuances/{issuance_id}/unpause"),
    ("POST", "/v1/redemptions/{request_id}/refusal"),
    ("POST", "/v1/participants/{wallet}/identity"),
    ("POST", "/v1/participants/{wallet}/recovery"),
    ("POST", "/v1/escrows/{escrow_id}/cancellation"),
}


@dataclass
class Governed:
    deployment: Deployment
    world: World
    snapshot: str


def _request(w3: Web3, method: str, params: list[object]) -> str:
    return str(w3.provider.make_request(method, params)["result"])  # type: ignore[arg-type]


def govern(gov: Governance, call: ContractFunction, council: list[LocalAccount]) -> Receipt:
    """Runs one regulator act as a governed platform does: proposed, signed by two of the council,
    scheduled, and executed once the delay has passed."""
    proposal = gov.propose(call)
    for signer in council[:2]:
        proposal = gov.sign(proposal, signer)
    gov.schedule(proposal, council[2])
    advance(gov.platform.w3, DELAY)
    return gov.execute(proposal, council[2])


def onboard(world: World, council: list[LocalAccount]) -> World:
    """What tests/sdk/world.py's `onboard` does, each regulator act through the council and the
    timelock; and the supervisor's role."""
    platform, gov = world.platform, world.platform.governance()
    calls = platform.regulator_calls
    for role, account in (
        (Role.OPERATOR, world.operator.address),
        (Role.VERIFIER, world.verifier.address),
        (Role.COMPLIANCE, world.compliance.address),
        (Role.SUPERVISOR, world.accounts[SUPERVISOR].address),
    ):
        govern(gov, calls.grant_role(role, account), council)
    now = chain_time(world.w3)
    govern(gov, calls.grant_permit(world.operator.address, 0, now + 2 * YEAR, h("permit No. 1")), council)
    govern(
        gov,
        calls.register_issuer(world.issuer.address, "Astana Grain LLP", "123456789012", "KZ", h("issuer details")),
        council,
    )
    listed = govern(gov, calls.list_asset_type("Warehouse receipt for grain", AssetCategory.GOODS), council)
    world.asset_type = int(listed.event("AssetTypeListed")["typeId"])
    published = govern(gov, calls.publish_risk_notice(h("risk notice v1"), "https://sdap.example/risk/1"), council)
    world.notice = int(published.event("RiskNoticePublished")["version"])
    now = chain_time(world.w3)
    for holder in world.holders:
        world.operator.register_participant(holder.address, h(f"kyc {holder.address}"), now + YEAR)
        holder.acknowledge_risk_notice()
    return world


@pytest.fixture(scope="module")
def governed(w3: Web3, accounts: list[LocalAccount]) -> Iterator[Governed]:
    before = _request(w3, "evm_snapshot", [])
    council = [accounts[i] for i in COUNCIL]
    setup = GovernanceSetup([a.address for a in council], threshold=2, min_delay=DELAY)
    deployment = deploy_platform(w3, Transactor(w3, accounts[0], EventDecoder()), governance=setup)
    world = issue(onboard(clients(Platform(w3, deployment), accounts), council))
    yield Governed(deployment, world, _request(w3, "evm_snapshot", []))
    _request(w3, "evm_revert", [before])  # the session's chain as the other modules know it


@pytest.fixture
def world(governed: Governed, w3: Web3) -> Iterator[World]:
    governed.world.platform.resync_nonces()
    yield governed.world
    _request(w3, "evm_revert", [governed.snapshot])
    governed.snapshot = _request(w3, "evm_snapshot", [])


@pytest.fixture
def api(world: World, governed: Governed, anvil: Anvil, accounts: list[LocalAccount], tmp_path: Path) -> Iterator[Api]:
    deployment = governed.deployment.save(tmp_path / "deployment.json")
    settings = settings_for(anvil, deployment, f"sqlite:///{tmp_path / 'gateway.db'}")
    api = open_api(settings, accounts, SIGNERS)
    yield api
    api.client.__exit__(None, None, None)


def concrete(path: str, world: World) -> str:
    values = {
        "operator": world.operator.address,
        "wallet": world.a.address,
        "issuance_id": str(world.issuance),
        "request_id": "1",
        "escrow_id": "1",
    }
    for name, value in values.items():
        path = path.replace("{" + name + "}", value)
    return path


def test_the_gateway_starts_and_is_ready_without_a_regulator_key(api: Api) -> None:
    assert not api.gateway.chain.holds(api.accounts[ROLES["regulator"]].address)
    ready = api.get("/v1/ready")
    assert ready.status_code == 200, ready.text
    catalogue = {p["code"]: p for p in api.get("/v1/problems").json()}
    advice = catalogue["regulator_governed"]
    assert advice["status"] == 409
    for step in ("--propose", "sdap proposal sign", "sdap proposal schedule", "sdap proposal execute"):
        assert step in advice["description"]


def test_every_regulator_write_is_refused_before_anything_is_checked(api: Api, world: World) -> None:
    """Whatever the body (none the route would take, or bytes that are not even JSON), the answer
    is `regulator_governed`, listed among the route's problems; nothing is sent."""
    signed = set()
    for path, route in api_routes(api.client.app):  # type: ignore[arg-type]
        roles = route_roles(route) or ()
        if "regulator" in roles and signs_with_callers_key(route):
            signed |= {(method, path) for method in route.methods}
    assert signed == REGULATOR_WRITES
    document = api.client.get("/v1/openapi.json").json()
    block = world.w3.eth.block_number
    for method, path in sorted(signed):
        url = concrete(path, world)
        for body in ({"json": {}}, {"content": NOT_UTF8, "headers": {"content-type": "application/json"}}):
            headers = {**api.key("regulator"), **body.pop("headers", {})}  # type: ignore[dict-item]
            answer = api.client.request(method, url, headers=headers, **body)  # type: ignore[arg-type]
            assert answer.status_code == 409, f"{method} {path}: {answer.text}"
            problem = answer.json()
            assert problem["code"] == "regulator_governed" and problem["type"] == "urn:sdap:problem:regulator_governed"
            assert world.platform.deployment.timelock in problem["detail"] and "--propose" in problem["detail"]
        assert "regulator_governed" in document["paths"][path][method.lower()]["responses"]["409"]["x-problem-codes"]
    assert world.w3.eth.block_number == block
    assert Journal(api.gateway.db).pending() == []


def test_a_valid_act_is_refused_too_and_other_roles_are_answered_as_before(api: Api, world: World) -> None:
    body = {"operator": world.accounts[9].address, "valid_from": 0, "valid_until": 1, "document_hash": "0x" + "11" * 32}
    answer = api.post("/v1/permits", "regulator", body, key="grant once")
    assert answer.status_code == 409 and answer.json()["code"] == "regulator_governed"
    # The refusal is no answer kept for the key: it is given again, and nothing was sent.
    assert api.post("/v1/permits", "regulator", body, key="grant once").json()["code"] == "regulator_governed"
    assert api.get(f"/v1/permits/{world.accounts[9].address}").json()["state"] == "none"
    # Another role is told it may not, as on any deployment; a holder, likewise.
    assert api.post("/v1/permits", "operator", body).json()["code"] == "forbidden"
    identity = {"identity_ref": "0x" + h("kyc again").hex(), "identity_expiry": chain_time(world.w3) + YEAR}
    renewed = api.post(f"/v1/participants/{world.a.address}/identity", "operator", identity)
    assert renewed.status_code == 200, renewed.text


def test_reads_are_unchanged(api: Api, world: World) -> None:
    assert api.get(f"/v1/permits/{world.operator.address}").json()["state"] == "active"
    assert api.get(f"/v1/issuers/{world.issuer.address}").status_code == 200
    assert [i["id"] for i in api.get("/v1/issuances").json()] == [world.issuance]
    assert api.get(f"/v1/participants/{world.a.address}", "regulator").json()["wallet"] == world.a.address
    assert api.get("/v1/decisions/watch", "regulator").status_code == 200
    # A write the operator sends for anyone signed in is the regulator's to ask for as well.
    assert api.post(f"/v1/issuances/{world.issuance}/coverage/sync", "regulator").status_code == 200


def test_a_supervisor_pauses_with_the_regulators_authority_at_once(api: Api, world: World) -> None:
    path = f"/v1/issuances/{world.issuance}"

    def state() -> tuple[bool, bool]:
        details = api.get(path).json()
        return details["paused"], details["paused_by_regulator"]

    assert api.post(f"{path}/pause", "regulator").json()["code"] == "regulator_governed"
    paused = api.post(f"{path}/pause", "supervisor")
    assert paused.status_code == 200, paused.text
    assert state() == (True, True)
    refused = api.post(f"{path}/unpause", "operator")
    assert refused.status_code == 409 and refused.json()["code"] == "secured_asset_paused_by_regulator"
    assert api.post(f"{path}/unpause", "supervisor").status_code == 200
    assert state() == (False, False)
    # An operator's pause the supervisor takes over, then lifts.
    assert api.post(f"{path}/pause", "operator").status_code == 200
    assert api.post(f"{path}/pause", "supervisor").status_code == 200
    assert state() == (True, True)
    assert api.post(f"{path}/unpause", "supervisor").status_code == 200
    assert state() == (False, False)
