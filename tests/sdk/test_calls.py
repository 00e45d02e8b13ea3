"""The fast calldata and view path gives exactly what web3 gives."""

from __future__ import annotations

import pytest
from world import States, World

from sdap.calls import call_view, calldata
from sdap.types import Refusal


@pytest.fixture
def world(states: States) -> World:
    return states.world()


def test_calldata_and_views_match_web3(world: World) -> None:
    asset = world.platform.contracts.asset
    for fn in (
        asset.functions.mint(world.issuance, world.b.address, 5),
        asset.functions.safeTransferFrom(world.a.address, world.b.address, world.issuance, 1, b"\x01\x02"),
        world.platform.contracts.registry.functions.registerIssuer(world.b.address, "Ä name", "1", "KZ", b"\x11" * 32),
    ):
        assert calldata(fn) == fn._encode_transaction_data()
    check = asset.functions.checkMint(world.issuance, world.b.address, 10_000)
    assert (
        Refusal(call_view(check)[0])
        is Refusal.MAX_SUPPLY_EXCEEDED
        == world.queries.check_mint(world.issuance, world.b.address, 10_000)
    )
    issuance = asset.functions.issuance(world.issuance)
    assert tuple(call_view(issuance)[0].values()) == issuance.call()
