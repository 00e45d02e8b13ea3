"""The escrows service (api.services.escrows), called directly on a running test gateway: opening,
confirming and lapsing are each checked in the contract's own order, so the first reason the
contract would give is the one answered, with nothing sent; an opening is prepared and relayed as
the seller's; the settlement agent confirms and the regulator cancels with their own keys; escrows
are read from the chain one by one and found from the event index, `expired` judged by chain time."""

from __future__ import annotations

from typing import Any

import pytest
from eth_account.signers.local import LocalAccount
from gateway_support import ROLES, Api, hx, sign_typed
from sqlalchemy import select
from world import World, advance, chain_time, h

from api import contract_problems as contract
from api.auth import Principal, Role
from api.db.schema import transactions
from api.errors import EscrowNotFound, InsufficientBalance
from api.schemas.escrows import EscrowTerms, PaymentConfirmation, RelayedEscrow
from sdap.types import EscrowState
from sdap.types import Role as ChainRole

PRICE = 150_000_00  # 150,000 tenge, in tiyn
DAY = 86_400


@pytest.fixture
def agent(world: World, api: Api) -> LocalAccount:
    """The settlement agent, whose key the test gateway holds: its role granted by the regulator's
    own client (a key the gateway shares, so both resync their nonces)."""
    account = world.accounts[ROLES["settlement_agent"]]
    world.platform.resync_nonces()
    world.regulator.grant_role(ChainRole.SETTLEMENT_AGENT, account.address)
    api.gateway.chain.resync_nonces()
    return account


def terms(world: World, agent: LocalAccount, /, **overrides: Any) -> EscrowTerms:
    values: dict[str, Any] = {
        "issuance_id": world.issuance,
        "amount": 10,
        "buyer": world.b.address,
        "agent": agent.address,
        "price": PRICE,
        "payment_deadline": chain_time(world.w3) + 3600,
    }
    return EscrowTerms(**{**values, **overrides})


def opened(world: World, agent: LocalAccount, deadline: int = 3600) -> int:
    """An escrow of 10 of holder a's units for b, opened by a's own client."""
    return world.a.open_escrow(
        world.issuance, 10, world.b.address, agent.address, PRICE, deadline=chain_time(world.w3) + deadline
    ).id


def journal(api: Api) -> list[str]:
    with api.gateway.db.read() as conn:
        return list(conn.scalars(select(transactions.c.state)))


def test_an_opening_is_refused_for_the_first_reason_the_contract_would_give(
    api: Api, world: World, agent: LocalAccount
) -> None:
    escrows, seller, now = api.gateway.escrows, world.a.address, chain_time(world.w3)
    no_agent = world.accounts[9].address  # no SETTLEMENT_AGENT_ROLE
    refusals: list[tuple[dict[str, Any], type[Exception]]] = [
        ({"buyer": seller}, contract.ExchangeInvalidEscrow),
        ({"agent": seller}, contract.ExchangeInvalidEscrow),
        ({"agent": world.b.address}, contract.ExchangeInvalidEscrow),
        ({"buyer": "0x" + "00" * 20}, contract.ExchangeInvalidEscrow),
        # Each below also breaks every later rule: the earlier one is answered.
        ({"buyer": seller, "payment_deadline": now, "agent": no_agent}, contract.ExchangeInvalidEscrow),
        ({"payment_deadline": now, "agent": no_agent, "amount": 101}, contract.ExchangeInvalidDeadline),
        ({"payment_deadline": now + 90 * DAY + 1}, contract.ExchangeInvalidDeadline),
        ({"agent": no_agent, "amount": 101}, contract.ExchangeMissingRole),
        ({"amount": 101}, InsufficientBalance),
    ]
    for overrides, refusal in refusals:
        with pytest.raises(refusal):
            escrows.open_request(seller, terms(world, agent, **overrides))
    assert world.queries.escrow_count() == 0


def test_an_opening_is_prepared_and_relayed_as_the_sellers(api: Api, world: World, agent: LocalAccount) -> None:
    escrows, seller = api.gateway.escrows, world.a.address
    wanted = terms(world, agent)
    prepared = escrows.open_request(seller, wanted)
    assert {k: prepared.fields[k] for k in wanted.model_dump()} == wanted.model_dump()
    assert prepared.fields["nonce"] == world.queries.forwarder_nonce(seller)
    signature = sign_typed(world.accounts[6], prepared.typed_data.model_dump())

    done = escrows.open(seller, RelayedEscrow(**prepared.fields, signature=signature))
    assert (done.escrow_id, done.state, done.seller, done.buyer, done.expired) == (
        1,
        "open",
        seller,
        world.b.address,
        False,
    )
    assert escrows.get(1).model_dump() == done.model_dump(exclude={"tx_hash", "block_number"})
    assert world.queries.escrowed_units(world.issuance, seller) == 10
    with pytest.raises(EscrowNotFound) as missing:
        escrows.get(2)
    assert missing.value.extensions["escrow_id"] == 2


def test_a_confirmation_is_refused_for_the_first_reason_and_sent_with_the_agents_key(
    api: Api, world: World, agent: LocalAccount
) -> None:
    escrows = api.gateway.escrows
    first, late = opened(world, agent), opened(world, agent, deadline=60)
    by_agent = Principal(Role.SETTLEMENT_AGENT, agent.address)
    stranger = Principal(Role.SETTLEMENT_AGENT, world.accounts[3].address)
    paid, empty = PaymentConfirmation(payment_ref=hx(h("KZ-2026-0001"))), PaymentConfirmation(payment_ref=hx(bytes(32)))

    with pytest.raises(contract.ExchangeNotEscrowAgent):
        escrows.confirm(stranger, first, empty)  # not the agent: answered before the empty reference
    with pytest.raises(contract.ExchangeEmptyPaymentRef):
        escrows.confirm(by_agent, first, empty)
    with pytest.raises(EscrowNotFound):
        escrows.confirm(by_agent, 99, paid)
    assert journal(api) == []

    settled = escrows.confirm(by_agent, first, paid)
    assert (settled.delivered_to, settled.by, settled.payment_ref) == (world.b.address, agent.address, paid.payment_ref)
    assert str(world.w3.eth.get_transaction(settled.tx_hash)["from"]) == agent.address
    with pytest.raises(contract.ExchangeEscrowNotOpen):
        escrows.confirm(by_agent, first, paid)

    advance(world.w3, 120)
    with pytest.raises(contract.ExchangeEscrowExpired):
        escrows.confirm(by_agent, late, paid)
    world.platform.resync_nonces()
    world.regulator.revoke_role(ChainRole.SETTLEMENT_AGENT, agent.address)
    api.gateway.chain.resync_nonces()
    with pytest.raises(contract.ExchangeMissingRole):
        escrows.confirm(by_agent, late, paid)  # the role is looked at before the deadline
    assert journal(api) == ["mined"]


def test_an_escrow_lapses_once_expired_or_its_agent_lost_the_role(api: Api, world: World, agent: LocalAccount) -> None:
    escrows = api.gateway.escrows
    expiring, orphaned, ordered = opened(world, agent, deadline=60), opened(world, agent), opened(world, agent)
    with pytest.raises(contract.ExchangeEscrowNotExpired):
        escrows.lapse(expiring)

    advance(world.w3, 120)
    assert escrows.get(expiring).expired and not escrows.get(orphaned).expired
    lapsed = escrows.lapse(expiring)
    assert lapsed.by == api.gateway.chain.operator_address  # anyone may: the operator sends it
    with pytest.raises(contract.ExchangeEscrowNotOpen):
        escrows.lapse(expiring)
    with pytest.raises(contract.ExchangeEscrowNotExpired):
        escrows.lapse(orphaned)
    world.platform.resync_nonces()
    world.regulator.revoke_role(ChainRole.SETTLEMENT_AGENT, agent.address)
    api.gateway.chain.resync_nonces()
    assert escrows.lapse(orphaned).escrow_id == orphaned  # before its deadline: its agent can confirm nothing

    regulator = Principal(Role.REGULATOR, world.regulator.address)
    cancelled = escrows.cancel(regulator, ordered, hx(h("order No. 31")))
    assert (cancelled.by, cancelled.order_hash) == (world.regulator.address, hx(h("order No. 31")))
    with pytest.raises(contract.ExchangeEscrowNotOpen):
        escrows.cancel(regulator, ordered, hx(h("order No. 31")))
    assert [world.queries.escrow(i).state for i in (expiring, orphaned, ordered)] == [
        EscrowState.LAPSED,
        EscrowState.LAPSED,
        EscrowState.CANCELLED,
    ]
    assert world.queries.escrowed_units(world.issuance, world.a.address) == 0


def test_escrows_are_found_by_party_agent_and_state(api: Api, world: World, agent: LocalAccount) -> None:
    world.platform.resync_nonces()
    world.a.transfer(world.b.address, world.issuance, 20)
    first = opened(world, agent, deadline=60)
    second = world.b.open_escrow(
        world.issuance, 5, world.c.address, agent.address, PRICE, deadline=chain_time(world.w3) + 3600
    ).id
    third = opened(world, agent)
    world.regulator.cancel_escrow(third, h("order"))
    api.gateway.chain.resync_nonces()
    advance(world.w3, 120)
    escrows = api.gateway.escrows

    def found(**filters: Any) -> list[tuple[int, str, bool]]:
        query: dict[str, Any] = {
            "seller": None, "buyer": None, "agent": None, "party": None, "issuance_id": None, "state": None,
            "after": 0, "limit": 10,
        }  # fmt: skip
        return [(e.escrow_id, e.state, e.expired) for e in escrows.find(**{**query, **filters})]

    assert found() == [(first, "open", True), (second, "open", False), (third, "cancelled", False)]
    assert [i for i, _, _ in found(party=world.b.address)] == [first, second, third]  # buyer, then seller
    assert [i for i, _, _ in found(seller=world.b.address)] == [second]
    assert [i for i, _, _ in found(buyer=world.c.address)] == [second]
    assert [i for i, _, _ in found(agent=agent.address, state=EscrowState.OPEN)] == [first, second]
    assert found(agent=world.accounts[9].address) == [] and found(issuance_id=99) == []
    assert [i for i, _, _ in found(after=first, limit=1)] == [second]
