"""The wallet recovery service (api.services.wallet_recovery), called directly on a running test
gateway: a recovery is recorded and the position moved with the caller's own key (the regulator's
or the operator's); finishing one is refused for a wallet never recovered before anything is sent,
and otherwise moves what is left to the last wallet the participant went on under, or, nothing
left, names that wallet and sends nothing."""

from __future__ import annotations

import pytest
from gateway_support import Api, hx
from sqlalchemy import select
from world import YEAR, World, chain_time, h

from api.auth import Principal, Role
from api.db.schema import transactions
from api.errors import SecuredAssetWalletNotRecovered
from api.schemas.recovery import WalletRecoveryOrder

NEW, NEWER = 11, 13  # funded accounts nobody registered


def journal(api: Api) -> list[str]:
    with api.gateway.db.read() as conn:
        return list(conn.scalars(select(transactions.c.state)))


def sender(world: World, tx_hash: str) -> str:
    return str(world.w3.eth.get_transaction(tx_hash)["from"])  # type: ignore[arg-type]


def order(world: World, replacement: str) -> WalletRecoveryOrder:
    return WalletRecoveryOrder(
        replacement=replacement,
        identity_ref=hx(h(f"kyc of {replacement}")),
        identity_expiry=chain_time(world.w3) + YEAR,
        reason_hash=hx(h("loss of the wallet")),
    )


def test_finishing_a_wallet_never_recovered_is_refused_with_nothing_sent(api: Api, world: World) -> None:
    with pytest.raises(SecuredAssetWalletNotRecovered) as refused:
        api.gateway.wallet_recoveries.finish(world.b.address)
    assert refused.value.extensions["arguments"] == {"wallet": world.b.address}
    assert journal(api) == []


def test_finishing_moves_to_the_last_wallet_and_then_sends_nothing(api: Api, world: World) -> None:
    """Recorded elsewhere, twice (the new wallet was lost in turn): what the first wallet holds goes
    to the last; finishing again, or from the wallet in between, names the last and sends nothing."""
    lost, new, newer = world.a.address, world.accounts[NEW].address, world.accounts[NEWER].address
    expiry = chain_time(world.w3) + YEAR
    world.platform.resync_nonces()
    world.regulator.recover_participant(lost, new, h("kyc"), expiry, h("order"))
    world.regulator.recover_participant(new, newer, h("kyc 2"), expiry, h("order 2"))
    api.gateway.chain.resync_nonces()
    recoveries = api.gateway.wallet_recoveries

    moved = recoveries.finish(lost)
    assert (moved.lost, moved.replacement) == (lost, newer)
    assert [(m.issuance_id, m.amount, m.frozen) for m in moved.holdings] == [(world.issuance, 100, 0)]
    assert moved.holdings_tx is not None and journal(api) == ["mined"]
    assert world.queries.balance_of(newer, world.issuance) == 100

    for wallet in (lost, new):
        nothing = recoveries.finish(wallet)
        assert (nothing.replacement, nothing.holdings, nothing.holdings_tx) == (newer, [], None)
    assert journal(api) == ["mined"]


def test_a_recovery_is_recorded_and_moved_with_the_callers_own_key(api: Api, world: World) -> None:
    """The operator's key records and moves a participant compliance froze; the regulator's, one
    holding nothing, records it and has nothing moved."""
    world.platform.resync_nonces()
    world.a.encumber(world.issuance, 30, world.b.address, h("pledge agreement"))
    world.compliance.freeze_participant(world.a.address, h("lost wallet reported"))
    api.gateway.chain.resync_nonces()
    recoveries, new = api.gateway.wallet_recoveries, world.accounts[NEW].address

    done = recoveries.recover(Principal(Role.OPERATOR, world.operator.address), world.a.address, order(world, new))
    assert (done.lost, done.replacement, done.encumbrance_ids) == (world.a.address, new, [1])
    assert [(m.issuance_id, m.amount) for m in done.holdings] == [(world.issuance, 100)]
    assert done.holdings_tx is not None and done.registry_tx.tx_hash != done.holdings_tx.tx_hash
    assert sender(world, done.registry_tx.tx_hash) == sender(world, done.holdings_tx.tx_hash) == world.operator.address

    idle, newer = world.c.address, world.accounts[NEWER].address  # holds nothing
    regulator = Principal(Role.REGULATOR, world.regulator.address)
    recorded = recoveries.recover(regulator, idle, order(world, newer))
    assert (recorded.replacement, recorded.holdings, recorded.holdings_tx) == (newer, [], None)
    assert world.queries.recovered_to(idle) == newer
    assert sender(world, recorded.registry_tx.tx_hash) == world.regulator.address
    assert journal(api) == ["mined"] * 3  # two for the operator's, one for the regulator's
