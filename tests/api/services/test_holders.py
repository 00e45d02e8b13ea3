"""The holders service (api.services.holders), called directly on a running test gateway: a holder's
status, its balances of every issuance it ever touched (with what of them is held), its movements
newest first and paged, an issuance's holders by address, and transfers it signs for the operator
to relay, checked against the chain first; `_kind` names each movement from the holder's side."""

from __future__ import annotations

import pytest
from gateway_support import Api, sign_typed
from world import World, chain_time, h

from api.errors import ForwardRequestUsed, InvalidSignature, PermitSuspended, RecipientNotRegistered
from api.schemas.holders import RelayedTransfer, SigningRequest
from api.services.holders import _kind
from api.services.index_batch import ZERO
from sdap.clients import FORWARD_REQUEST_TTL
from sdap.contract_errors import SecuredAssetIssuanceUnknownError

HOLDER, OTHER, CUSTODY = "0x" + "a1" * 20, "0x" + "b2" * 20, "0x" + "c3" * 20


def test_each_movement_is_named_from_the_holders_side() -> None:
    assert _kind(ZERO, HOLDER, CUSTODY) == "mint"
    assert _kind(HOLDER, ZERO, CUSTODY) == "burn"
    assert _kind(HOLDER, CUSTODY, CUSTODY) == "redemption"  # into the asset's custody: asked to redeem
    assert _kind(CUSTODY, HOLDER, CUSTODY) == "redemption_refused"  # back out of it
    assert _kind(HOLDER, OTHER, CUSTODY) == "transfer"
    assert _kind(OTHER, HOLDER, CUSTODY) == "transfer"


def test_me_says_where_the_holder_stands_with_the_notice(api: Api, world: World) -> None:
    holders = api.gateway.holders
    me = holders.me(world.a.address)
    assert (me.status, me.acknowledged_notice, me.notice_in_force) == ("eligible", world.notice, world.notice)
    stranger = holders.me(world.accounts[15].address)
    assert (stranger.status, stranger.acknowledged_notice) == ("not_registered", 0)

    world.platform.resync_nonces()
    newer = world.regulator.publish_risk_notice(h("risk notice v2"), "https://sdap.example/risk/2").id
    me = holders.me(world.a.address)
    assert (me.status, me.acknowledged_notice, me.notice_in_force) == ("notice_not_acknowledged", world.notice, newer)


def test_balances_list_every_issuance_touched_with_what_is_held(api: Api, world: World) -> None:
    world.platform.resync_nonces()
    second = world.create_issuance(world.params(decision_hash=h("decision 2"))).id
    world.attest(500, issuance=second)
    world.operator.mint(second, world.a.address, 40)
    world.a.transfer(world.b.address, second, 40)  # all of it gone: still an issuance it touched
    world.a.encumber(world.issuance, 30, world.b.address, h("pledge agreement"))
    world.compliance.freeze_units(world.issuance, world.a.address, 20, h("court ruling"))
    holders = api.gateway.holders

    first, emptied = holders.balances(world.a.address)
    assert (first.issuance_id, first.balance, first.available) == (world.issuance, 100, 50)
    assert (first.encumbered, first.frozen, first.escrowed) == (30, 20, 0)
    assert (emptied.issuance_id, emptied.balance, emptied.available) == (second, 0, 0)
    assert [b.issuance_id for b in holders.balances(world.a.address, after=world.issuance)] == [second]
    assert [b.issuance_id for b in holders.balances(world.a.address, limit=1)] == [world.issuance]
    assert holders.balances(world.accounts[15].address) == []


def test_history_is_newest_first_and_pages_by_block_and_position(api: Api, world: World) -> None:
    world.platform.resync_nonces()
    world.a.transfer(world.b.address, world.issuance, 40)
    request = world.a.request_redemption(world.issuance, 10, h("silo 4")).id
    world.issuer.refuse_redemption(request, h("no such silo"))
    api.gateway.chain.resync_nonces()
    holders = api.gateway.holders

    every = holders.history(world.a.address, limit=10, before_block=None)
    assert [(m.kind, m.direction, m.amount) for m in every] == [
        ("redemption_refused", "in", 10),
        ("redemption", "out", 10),
        ("transfer", "out", 40),
        ("mint", "in", 100),
    ]
    assert all(m.block_time > 0 and m.issuance_id == world.issuance for m in every)
    page = holders.history(world.a.address, limit=2, before_block=None)
    last = page[-1]
    rest = holders.history(world.a.address, limit=10, before_block=None, after=(last.block_number, last.log_index, 0))
    assert page + rest == every
    older = holders.history(world.a.address, limit=10, before_block=every[2].block_number)
    assert [m.kind for m in older] == ["mint"]
    assert [(m.kind, m.direction) for m in holders.history(world.b.address, limit=10, before_block=None)] == [
        ("transfer", "in")
    ]


def test_an_issuances_holders_page_by_address(api: Api, world: World) -> None:
    world.platform.resync_nonces()
    world.a.transfer(world.b.address, world.issuance, 10)
    world.a.transfer(world.c.address, world.issuance, 20)
    holders = api.gateway.holders
    listed = holders.of_issuance(world.issuance, None, 10)
    expected = sorted([(world.a.address, 70), (world.b.address, 10), (world.c.address, 20)])
    assert [(x.holder, x.balance) for x in listed] == expected
    assert [x.holder for x in holders.of_issuance(world.issuance, expected[0][0], 1)] == [expected[1][0]]
    with pytest.raises(SecuredAssetIssuanceUnknownError):
        holders.of_issuance(99, None, 10)


def signed(world: World, prepared: SigningRequest, index: int = 6) -> str:
    """Account `index`'s signature of the request, as a wallet signs the typed data it is given."""
    return sign_typed(world.accounts[index], prepared.typed_data.model_dump())


def test_a_transfer_is_prepared_from_the_chain_and_relayed_as_the_holder(api: Api, world: World) -> None:
    holders, holder = api.gateway.holders, world.a.address
    prepared = holders.transfer_request(holder, world.b.address, world.issuance, 30)
    fields = prepared.fields
    assert (fields["to"], fields["issuance_id"], fields["amount"]) == (world.b.address, world.issuance, 30)
    assert fields["nonce"] == world.queries.forwarder_nonce(holder)
    assert fields["deadline"] == chain_time(world.w3) + FORWARD_REQUEST_TTL and fields["gas"] > 21_000
    body = RelayedTransfer(**fields, signature=signed(world, prepared))

    with pytest.raises(InvalidSignature):  # another wallet's signature of the same request
        holders.relay(holder, RelayedTransfer(**fields, signature=signed(world, prepared, 7)))
    moved = holders.relay(holder, body)
    assert (moved.from_address, moved.to_address, moved.amount) == (holder, world.b.address, 30)
    assert world.queries.balance_of(world.b.address, world.issuance) == 30
    with pytest.raises(ForwardRequestUsed):
        holders.relay(holder, body)


def test_a_transfer_the_chain_would_refuse_is_refused_before_signing(api: Api, world: World) -> None:
    holders = api.gateway.holders
    with pytest.raises(RecipientNotRegistered):
        holders.transfer_request(world.a.address, world.accounts[15].address, world.issuance, 1)
    world.platform.resync_nonces()
    world.regulator.suspend_permit(world.operator.address, h("audit"))
    # The issuance's operator is named, so the permit's own state is told.
    with pytest.raises(PermitSuspended) as refused:
        holders.transfer_request(world.a.address, world.b.address, world.issuance, 1)
    assert refused.value.extensions["permit_state"] == "suspended"
