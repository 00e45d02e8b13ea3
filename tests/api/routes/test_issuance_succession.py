"""POST /v1/issuances/succession (api/routes/issuances.py): the regulator hands issuances to a
successor operator, by id or every issuance of an operator; each refusal has its code; and the
gateway's own operator mints only what it runs now, whoever handed it over and however."""

from __future__ import annotations

from typing import Any

from gateway_support import Api
from world import YEAR, World, chain_time, h

from sdap.types import Role

PATH = "/v1/issuances/succession"


def hx(value: bytes) -> str:
    return "0x" + value.hex()


def successor(world: World, index: int = 10, *, permit: bool = True) -> str:
    """Account `index` with the operator role and, unless told otherwise, a permit in force."""
    world.platform.resync_nonces()
    address = world.accounts[index].address
    world.regulator.grant_role(Role.OPERATOR, address)
    if permit:
        world.regulator.grant_permit(address, 0, chain_time(world.w3) + YEAR, h(f"permit of {address}"))
    return address


def order(**fields: Any) -> dict[str, Any]:
    return {"order_hash": hx(h("order No. 12 of the regulator")), **fields}


def mint(api: Api, world: World, issuance_id: int) -> Any:
    return api.post(f"/v1/issuances/{issuance_id}/mint", "issuer", {"to": world.b.address, "amount": 1})


def test_the_regulator_hands_issuances_to_a_successor_and_back(api: Api, world: World) -> None:
    assert mint(api, world, world.issuance).status_code == 201  # its operator is this gateway's, seen so
    other = successor(world)
    moved = api.post(PATH, "regulator", order(ids=[world.issuance], successor=other), key="order-12")
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert body["ids"] == [world.issuance] and body["successor"] == other and body["tx_hash"].startswith("0x")
    assert world.queries.issuance(world.issuance).operator == other
    assert api.get(f"/v1/issuances/{world.issuance}").json()["operator"] == other
    refused = mint(api, world, world.issuance)  # the gateway's operator no longer runs it
    assert refused.status_code == 409 and refused.json()["code"] == "not_issuance_operator"

    replay = api.post(PATH, "regulator", order(ids=[world.issuance], successor=other), key="order-12")
    assert replay.headers["Idempotent-Replayed"] == "true" and replay.json() == body

    back = api.post(PATH, "regulator", order(all_of=other, successor=world.operator.address))
    assert back.status_code == 200, back.text
    assert back.json()["ids"] == [world.issuance]
    assert world.queries.issuance(world.issuance).operator == world.operator.address
    assert mint(api, world, world.issuance).status_code == 201


def test_all_of_moves_every_issuance_of_the_operator_only(api: Api, world: World) -> None:
    world.platform.resync_nonces()
    second = world.create_issuance(world.params()).id
    other = successor(world)
    world.regulator.succeed_issuances([second], other, h("earlier order"))
    third = world.create_issuance(world.params()).id
    answer = api.post(PATH, "regulator", order(all_of=world.operator.address, successor=other))
    assert answer.status_code == 200, answer.text
    assert answer.json()["ids"] == [world.issuance, third]
    assert {world.queries.issuance(i).operator for i in (world.issuance, second, third)} == {other}


def test_each_refusal_has_its_code(api: Api, world: World) -> None:
    def refused(body: dict[str, Any], status: int = 409) -> str:
        answer = api.post(PATH, "regulator", body)
        assert answer.status_code == status, answer.text
        return str(answer.json()["code"])

    no_role = world.accounts[12].address
    assert refused(order(ids=[world.issuance], successor=no_role)) == "secured_asset_missing_role"
    no_permit = successor(world, 11, permit=False)
    assert refused(order(ids=[world.issuance], successor=no_permit)) == "secured_asset_permit_not_active"
    other = successor(world, 10)
    assert refused(order(ids=[world.issuance, 99], successor=other), 404) == "issuance_not_found"
    already = order(ids=[world.issuance], successor=world.operator.address)
    assert refused(already) == "secured_asset_already_issuance_operator"
    # An operator running nothing: an empty order, refused whatever the state (422).
    assert refused(order(all_of=other, successor=world.operator.address), 422) == "secured_asset_empty_batch"
    # What the schema refuses: both selections or none, an id twice, an empty list.
    for body in (
        order(ids=[world.issuance], all_of=other, successor=other),
        order(successor=other),
        order(ids=[world.issuance, world.issuance], successor=other),
        order(ids=[], successor=other),
    ):
        assert refused(body, 422) == "validation_failed"
    assert world.queries.issuance(world.issuance).operator == world.operator.address  # nothing moved
    for role in ("operator", "issuer", "auditor"):
        assert api.post(PATH, role, order(ids=[world.issuance], successor=other)).status_code == 403


def test_a_succession_made_elsewhere_is_followed(api: Api, world: World) -> None:
    """Handed away by the regulator's own client, not through the gateway: the chain refuses the
    next mint the gateway sends (it remembered its operator), and the gateway reads again; handed
    back, it mints at once (an operator that is not its own is read again before a refusal)."""
    assert mint(api, world, world.issuance).status_code == 201
    other = successor(world)
    world.regulator.succeed_issuances([world.issuance], other, h("order"))
    first = mint(api, world, world.issuance)
    assert first.status_code == 409 and first.json()["code"] == "secured_asset_not_issuance_operator"
    second = mint(api, world, world.issuance)
    assert second.status_code == 409 and second.json()["code"] == "not_issuance_operator"
    world.platform.resync_nonces()
    world.regulator.succeed_issuances([world.issuance], world.operator.address, h("order back"))
    assert mint(api, world, world.issuance).status_code == 201
    assert world.queries.balance_of(world.b.address, world.issuance) == 2
