"""The redemptions service (api.services.redemptions), called directly on a running test gateway: a
holder's request is checked with the contract's `checkRedemption` before it is prepared and
relayed; an answer is checked in the contract's order (the request is pending, then the caller is
the issuance's issuer, or the regulator to refuse) and sent with the caller's own key; requests are
read one by one from the chain and listed from the event index."""

from __future__ import annotations

import pytest
from gateway_support import Api, hx, sign_typed
from world import World, chain_time, h

from api.auth import Principal, Role
from api.errors import (
    InsufficientBalance,
    RedemptionNotFound,
    SecuredAssetNotRedemptionParty,
    SecuredAssetRedemptionNotRequested,
)
from api.schemas.redemptions import DeliveryConfirmation, RelayedRedemption
from sdap.clients import FORWARD_REQUEST_TTL
from sdap.types import RedemptionState


def custody(world: World) -> int:
    """Units pending redemption: the asset's own balance."""
    return world.queries.balance_of(world.platform.deployment.asset, world.issuance)


def asked(world: World, amount: int, holder: int = 0) -> int:
    """A request made by the holder's own client, outside the gateway."""
    return world.holders[holder].request_redemption(world.issuance, amount, h(f"silo {amount}")).id


def test_a_request_is_prepared_after_the_contracts_check_and_relayed(api: Api, world: World) -> None:
    redemptions, holder = api.gateway.redemptions, world.a.address
    with pytest.raises(InsufficientBalance):
        redemptions.forward_request(holder, world.issuance, 101, hx(h("silo")))
    prepared = redemptions.forward_request(holder, world.issuance, 30, hx(h("silo")))
    fields = prepared.fields
    assert (fields["issuance_id"], fields["amount"], fields["fulfilment_ref"]) == (world.issuance, 30, hx(h("silo")))
    assert fields["nonce"] == world.queries.forwarder_nonce(holder)
    assert fields["deadline"] == chain_time(world.w3) + FORWARD_REQUEST_TTL

    signature = sign_typed(world.accounts[6], prepared.typed_data.model_dump())
    requested = redemptions.relay(holder, RelayedRedemption(**fields, signature=signature))
    assert (requested.holder, requested.amount, requested.issuance_id) == (holder, 30, world.issuance)
    assert custody(world) == 30
    shown = redemptions.get(requested.request_id)
    assert (shown.state, shown.holder, shown.amount, shown.fulfilment_ref) == ("requested", holder, 30, hx(h("silo")))


def test_an_answer_is_checked_pending_first_then_the_caller(api: Api, world: World) -> None:
    """A stranger's key is told it is no party while the request is pending, and that it was
    answered once it is: the request's state is looked at first, as the contract does."""
    redemptions = api.gateway.redemptions
    request = asked(world, 10)
    stranger = Principal(Role.ISSUER, world.accounts[9].address)
    delivered = DeliveryConfirmation(delivery_ref=hx(h("waybill")))
    with pytest.raises(SecuredAssetNotRedemptionParty) as refused:
        redemptions.confirm(stranger, request, delivered)
    assert refused.value.extensions["arguments"] == {"request_id": request, "account": stranger.address}

    confirmed = redemptions.confirm(Principal(Role.ISSUER, world.issuer.address), request, delivered)
    assert (confirmed.issuance_id, confirmed.delivery_ref, confirmed.by) == (
        world.issuance,
        delivered.delivery_ref,
        world.issuer.address,
    )
    assert custody(world) == 0 and world.queries.total_supply(world.issuance) == 90
    with pytest.raises(SecuredAssetRedemptionNotRequested):
        redemptions.confirm(stranger, request, delivered)
    with pytest.raises(SecuredAssetRedemptionNotRequested):
        redemptions.refuse(stranger, request, hx(h("late")))
    with pytest.raises(RedemptionNotFound):
        redemptions.get(99)
    with pytest.raises(RedemptionNotFound):
        redemptions.confirm(stranger, 99, delivered)


def test_the_regulator_refuses_by_order_with_its_own_key(api: Api, world: World) -> None:
    request = asked(world, 25)
    regulator = Principal(Role.REGULATOR, world.regulator.address)
    refused = api.gateway.redemptions.refuse(regulator, request, hx(h("order No. 12")))
    assert (refused.by, refused.returned_to, refused.reason_hash) == (
        world.regulator.address,
        world.a.address,
        hx(h("order No. 12")),
    )
    assert world.queries.balance_of(world.a.address, world.issuance) == 100 and custody(world) == 0
    assert world.queries.redemption_request(request).state is RedemptionState.REFUSED


def test_requests_are_listed_by_issuance_holder_and_state_and_paged_by_id(api: Api, world: World) -> None:
    world.platform.resync_nonces()
    world.a.transfer(world.b.address, world.issuance, 20)
    first, second, third = asked(world, 5), asked(world, 6, holder=1), asked(world, 7)
    world.issuer.confirm_redemption(first, h("waybill"))
    api.gateway.chain.resync_nonces()
    redemptions = api.gateway.redemptions

    def ids(**filters: object) -> list[int]:
        query: dict[str, object] = {"issuance_id": None, "holder": None, "state": None, "after": 0, "limit": 10}
        return [r.id for r in redemptions.find(**{**query, **filters})]  # type: ignore[arg-type]

    assert ids() == [first, second, third]
    assert ids(holder=world.a.address) == [first, third]
    assert ids(state=RedemptionState.REQUESTED) == [second, third]
    assert ids(state=RedemptionState.CONFIRMED, holder=world.a.address) == [first]
    assert ids(issuance_id=99) == []
    assert ids(after=first, limit=1) == [second]
    listed = redemptions.find(issuance_id=None, holder=world.b.address, state=None, after=0, limit=10)
    assert [(r.state, r.amount, r.fulfilment_ref) for r in listed] == [("requested", 6, hx(h("silo 6")))]
