"""Wallet recovery through the gateway (api/routes/participants.py, api/services/wallet_recovery.py):
the operator that identified a participant (once compliance has frozen the lost wallet's account),
or the regulator, moves it to a new wallet and its whole position follows in the same request; the
replacement stays frozen until compliance unfreezes it; a retry records the recovery once; anyone
finishes a move that did not happen; the lost wallet is kept out for good."""

from __future__ import annotations

from typing import Any

import pytest
from gateway_support import Api
from sqlalchemy import select
from world import YEAR, World, chain_time, h

from api.auth.principal import Role as GatewayRole
from api.db.schema import transactions
from sdap.clients import HolderClient, OperatorClient, PlatformQueries
from sdap.events import EventDecoder, stream_events
from sdap.types import Role

NEW, NEWER, UNKNOWN = 11, 13, 14  # funded accounts nobody registered


def hx(value: bytes) -> str:
    return "0x" + value.hex()


def order(world: World, replacement: str, *, expiry: int | None = None) -> dict[str, Any]:
    return {
        "replacement": replacement,
        "identity_ref": hx(h(f"kyc of {replacement}")),
        "identity_expiry": chain_time(world.w3) + YEAR if expiry is None else expiry,
        "reason_hash": hx(h("loss of the wallet")),
    }


def compliance_sets(api: Api, action: str, wallet: str) -> None:
    """The compliance officer freezes or unfreezes `wallet`'s account through the gateway."""
    answer = api.post(f"/v1/participants/{wallet}/{action}", "compliance", {"reason_hash": hx(h(f"{action} {wallet}"))})
    assert answer.status_code == 200, answer.text


def holdings_of_a(world: World) -> tuple[int, int]:
    """Holder a's position: 100 units of the first issuance (30 pledged to b, 20 frozen) and 40 of
    a second; returns the second issuance and the pledge."""
    world.platform.resync_nonces()
    second = world.create_issuance(world.params(unit_description="1 tonne of barley")).id
    world.attest(500, issuance=second)
    world.operator.mint(second, world.a.address, 40)
    pledge = world.a.encumber(world.issuance, 30, world.b.address, h("pledge agreement")).id
    world.compliance.freeze_units(world.issuance, world.a.address, 20, h("court ruling"))
    return second, pledge


def recoveries(world: World) -> list[Any]:
    """Every WalletRecovered event on chain."""
    events = stream_events(
        world.w3,
        [world.platform.deployment.registry],
        world.platform.deployment.deployment_block,
        decoder=EventDecoder(["PlatformRegistry"]),
    )
    return [e for e in events if e.name == "WalletRecovered"]


def test_the_operator_moves_a_participant_and_its_whole_position(api: Api, world: World) -> None:
    second, pledge = holdings_of_a(world)
    api.gateway.chain.resync_nonces()
    lost, new = world.a.address, world.accounts[NEW].address
    compliance_sets(api, "freeze", lost)  # two hands: compliance first, then the operator
    answer = api.post(f"/v1/participants/{lost}/recovery", "operator", order(world, new))
    assert answer.status_code == 200, answer.text
    done = answer.json()
    assert (done["lost"], done["replacement"]) == (lost, new)
    assert done["holdings"] == [
        {"issuance_id": world.issuance, "amount": 100, "frozen": 20},
        {"issuance_id": second, "amount": 40, "frozen": 0},
    ]
    assert done["encumbrance_ids"] == [pledge]
    assert done["registry_tx"]["tx_hash"] != done["holdings_tx"]["tx_hash"]
    assert done["registry_tx"]["block_number"] <= done["holdings_tx"]["block_number"]

    queries = world.queries
    assert queries.balances(lost, [world.issuance, second]) == {world.issuance: 0, second: 0}
    assert queries.balances(new, [world.issuance, second]) == {world.issuance: 100, second: 40}
    assert queries.frozen_units(world.issuance, new) == 20 and queries.encumbered_units(world.issuance, new) == 30
    assert queries.encumbrance(pledge).holder == new
    [event] = recoveries(world)
    assert event["by"] == world.operator.address and bytes(event["reasonHash"]) == h("loss of the wallet")

    was = api.get(f"/v1/participants/{lost}", "compliance").json()
    assert (was["registered"], was["status"], was["recovered_to"]) == (False, "not_registered", new)
    now = api.get(f"/v1/participants/{new}", "auditor").json()
    assert (now["registered"], now["status"], now["recovered_to"]) == (True, "frozen", None)
    assert now["operator"] == world.operator.address and now["identity_ref"] == hx(h(f"kyc of {new}"))
    # The replacement inherited the freeze: its units move only once compliance has reviewed it.
    replacement = world.accounts[NEW]
    transfer = {"to": world.b.address, "issuance_id": world.issuance, "amount": 1}
    frozen = api.get("/v1/transfers/request", replacement, params=transfer)
    assert frozen.status_code == 409 and frozen.json()["code"] == "sender_frozen"
    compliance_sets(api, "unfreeze", new)
    assert api.get(f"/v1/participants/{new}", "auditor").json()["status"] == "eligible"
    world.client_of(HolderClient, NEW).transfer(world.b.address, world.issuance, 1)
    assert queries.balance_of(new, world.issuance) == 99
    # The public register lists the new wallet after the lost one, without who the person is.
    listed = api.get(f"/v1/operators/{world.operator.address}/participants", params={"limit": 100}).json()
    assert [p["wallet"] for p in listed][-1] == new
    assert {p["wallet"]: p["status"] for p in listed}[lost] == "not_registered"
    # Asked again (another request): the chain refuses, the wallet is no longer registered.
    again = api.post(f"/v1/participants/{lost}/recovery", "operator", order(world, world.accounts[NEWER].address))
    assert again.status_code == 409 and again.json()["code"] == "registry_participant_not_registered"


def test_an_operator_recovers_no_wallet_compliance_has_not_frozen(api: Api, world: World) -> None:
    """One operator key alone does not move a person's position: the chain refuses, nothing is
    recorded or moved."""
    lost, new = world.a.address, world.accounts[NEW].address
    refused = api.post(f"/v1/participants/{lost}/recovery", "operator", order(world, new))
    assert refused.status_code == 409, refused.text
    assert (refused.json()["code"], refused.json()["arguments"]) == ("registry_recovery_needs_freeze", {"lost": lost})
    assert world.queries.recovered_to(lost) is None and recoveries(world) == []
    assert world.queries.participant(lost).registered and not world.queries.participant(new).registered
    assert world.queries.balance_of(lost, world.issuance) == 100 and world.queries.balance_of(new, world.issuance) == 0


def test_the_regulator_recovers_any_operators_participant_who_may_hold_nothing(api: Api, world: World) -> None:
    other = world.client_of(OperatorClient, 10)
    lost, new = world.accounts[12].address, world.accounts[NEW].address
    world.platform.resync_nonces()
    world.regulator.grant_role(Role.OPERATOR, other.address)
    world.regulator.grant_permit(other.address, 0, chain_time(world.w3) + YEAR, h("permit No. 2"))
    other.register_participant(lost, h("kyc by the other operator"), chain_time(world.w3) + YEAR)
    api.gateway.chain.resync_nonces()

    refused = api.post(f"/v1/participants/{lost}/recovery", "operator", order(world, new))
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "registry_not_participant_operator"
    assert refused.json()["arguments"]["operator"] == other.address
    assert api.post(f"/v1/participants/{lost}/recovery", "compliance", order(world, new)).status_code == 403
    assert world.queries.recovered_to(lost) is None

    answer = api.post(f"/v1/participants/{lost}/recovery", "regulator", order(world, new))
    assert answer.status_code == 200, answer.text
    done = answer.json()
    assert (done["replacement"], done["holdings"], done["encumbrance_ids"]) == (new, [], [])
    assert done["holdings_tx"] is None  # nothing held: no move sent
    assert world.queries.participant(new).operator == other.address  # stays the other operator's
    assert recoveries(world)[0]["by"] == world.regulator.address


@pytest.mark.parametrize(
    ("wallet", "replacement", "code"),
    [
        (6, 7, "registry_invalid_replacement"),  # b is registered already
        (6, 6, "registry_invalid_replacement"),  # the lost wallet itself
        (UNKNOWN, NEW, "registry_participant_not_registered"),
    ],
)
def test_a_recovery_the_register_refuses_changes_nothing(
    api: Api, world: World, wallet: int, replacement: int, code: str
) -> None:
    lost, new = world.accounts[wallet].address, world.accounts[replacement].address
    answer = api.post(f"/v1/participants/{lost}/recovery", "regulator", order(world, new))
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == code
    assert world.queries.recovered_to(lost) is None and recoveries(world) == []


def test_a_recovery_needs_a_new_identification_in_force(api: Api, world: World) -> None:
    new = world.accounts[NEW].address
    compliance_sets(api, "freeze", world.a.address)
    past = api.post(f"/v1/participants/{world.a.address}/recovery", "operator", order(world, new, expiry=1))
    assert past.status_code == 409 and past.json()["code"] == "registry_identity_expiry_in_past"
    body = {**order(world, new), "replacement": "0x123"}
    assert api.post(f"/v1/participants/{world.a.address}/recovery", "operator", body).status_code == 422
    unknown_field = {**order(world, new), "ids": [1]}
    assert api.post(f"/v1/participants/{world.a.address}/recovery", "operator", unknown_field).status_code == 422
    assert world.queries.participant(world.a.address).registered


def test_a_retry_after_a_crash_between_the_two_steps_records_the_recovery_once(
    api: Api, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    lost, new = world.a.address, world.accounts[NEW].address
    path, body = f"/v1/participants/{lost}/recovery", order(world, new)
    compliance_sets(api, "freeze", lost)

    def crash(*args: object) -> None:
        raise RuntimeError("the process died here")

    with monkeypatch.context() as patch:
        patch.setattr(PlatformQueries, "position", crash)  # after the registry's step, before the move
        first = api.post(path, "operator", body, key="recovery-1")
    assert first.status_code == 500
    assert world.queries.recovered_to(lost) == new and world.queries.balance_of(lost, world.issuance) == 100

    retry = api.post(path, "operator", body, key="recovery-1")
    assert retry.status_code == 200, retry.text
    done = retry.json()
    recovery = select(transactions.c.seq, transactions.c.tx_hash).where(transactions.c.idempotency_id.is_not(None))
    with api.gateway.db.read() as conn:
        sent = list(conn.execute(recovery.order_by(transactions.c.seq)))
    assert [seq for seq, _ in sent] == [1, 2]  # step 1 waited for, not sent again; step 2 sent once
    assert done["registry_tx"]["tx_hash"] == sent[0][1] and done["holdings_tx"]["tx_hash"] == sent[1][1]
    assert done["holdings"] == [{"issuance_id": world.issuance, "amount": 100, "frozen": 0}]
    assert len(recoveries(world)) == 1
    assert world.queries.balance_of(new, world.issuance) == 100

    replayed = api.post(path, "operator", body, key="recovery-1")
    assert replayed.json() == done and replayed.headers["Idempotent-Replayed"] == "true"


def test_a_retry_after_a_crash_once_both_were_sent_waits_for_the_move(
    api: Api, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both transactions included, the process dies before answering: the retry finds the move in
    the journal (the position now reads empty) and answers from its events."""
    second, pledge = holdings_of_a(world)
    api.gateway.chain.resync_nonces()
    path, body = f"/v1/participants/{world.a.address}/recovery", order(world, world.accounts[NEW].address)

    def crash(*args: object) -> None:
        raise RuntimeError("the process died here")

    with monkeypatch.context() as patch:
        patch.setattr("api.services.wallet_recovery._moved", crash)
        assert api.post(path, "regulator", body, key="recovery-2").status_code == 500
    retry = api.post(path, "regulator", body, key="recovery-2")
    assert retry.status_code == 200, retry.text
    done = retry.json()
    assert [(m["issuance_id"], m["amount"], m["frozen"]) for m in done["holdings"]] == [
        (world.issuance, 100, 20),
        (second, 40, 0),
    ]
    assert done["encumbrance_ids"] == [pledge]
    with api.gateway.db.read() as conn:
        assert list(conn.scalars(select(transactions.c.seq).order_by(transactions.c.seq))) == [1, 2]


def test_anyone_finishes_a_recovery_recorded_elsewhere(api: Api, world: World) -> None:
    """The regulator recorded the recovery with its own tools, twice (the new wallet was lost in
    turn): the replacement, signed in, asks for its units, which go to the last wallet."""
    lost, new, newer = world.a.address, world.accounts[NEW], world.accounts[NEWER].address
    expiry = chain_time(world.w3) + YEAR
    world.platform.resync_nonces()
    world.regulator.recover_participant(lost, new.address, h("kyc"), expiry, h("order"))
    world.regulator.recover_participant(new.address, newer, h("kyc 2"), expiry, h("order 2"))
    api.gateway.chain.resync_nonces()

    path = f"/v1/participants/{lost}/holdings-recovery"
    assert api.client.post(path).status_code == 401
    answer = api.post(path, new, key="finish")
    assert answer.status_code == 200, answer.text
    done = answer.json()
    assert (done["lost"], done["replacement"]) == (lost, newer)
    assert done["holdings"] == [{"issuance_id": world.issuance, "amount": 100, "frozen": 0}]
    assert done["holdings_tx"] is not None and "registry_tx" not in done
    assert world.queries.balance_of(newer, world.issuance) == 100

    nothing_left = api.post(path, "auditor").json()
    assert (nothing_left["holdings"], nothing_left["holdings_tx"], nothing_left["replacement"]) == ([], None, newer)
    refused = api.post(f"/v1/participants/{world.b.address}/holdings-recovery", "issuer")
    assert refused.status_code == 409 and refused.json()["code"] == "secured_asset_wallet_not_recovered"
    assert refused.json()["arguments"] == {"wallet": world.b.address}


def test_the_lost_wallet_is_kept_out_for_good(api: Api, world: World) -> None:
    lost, new = world.accounts[6], world.accounts[NEW].address  # holder a
    compliance_sets(api, "freeze", lost.address)
    assert api.post(f"/v1/participants/{lost.address}/recovery", "operator", order(world, new)).status_code == 200
    # Signing in proves only who holds the key; the chain refuses the lost wallet everything.
    assert api.get("/v1/holders/me", lost).json()["status"] == "not_registered"
    transfer = api.get(
        "/v1/transfers/request", lost, params={"to": world.b.address, "issuance_id": world.issuance, "amount": 1}
    )
    assert transfer.status_code == 409 and transfer.json()["code"] == "sender_not_registered"
    again = api.post(
        "/v1/participants",
        "operator",
        {"wallet": lost.address, "identity_ref": hx(h("kyc")), "identity_expiry": chain_time(world.w3) + YEAR},
    )
    assert again.status_code == 409 and again.json()["code"] == "registry_wallet_lost"
    assert again.json()["arguments"]["replacement"] == new


def test_the_document_names_who_may_ask(api: Api) -> None:
    paths = api.get("/v1/openapi.json").json()["paths"]
    recovery = paths["/v1/participants/{wallet}/recovery"]["post"]
    assert sorted(recovery["x-roles"]) == ["operator", "regulator"]
    assert {"registry_invalid_replacement", "registry_recovery_needs_freeze"} <= set(
        recovery["responses"]["409"]["x-problem-codes"]
    )
    assert "/v1/participants/{wallet}/freeze" in recovery["description"]
    finish = paths["/v1/participants/{wallet}/holdings-recovery"]["post"]
    assert sorted(finish["x-roles"]) == sorted(role.value for role in GatewayRole)  # holders included
