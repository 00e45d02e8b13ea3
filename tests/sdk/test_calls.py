"""The fast calldata and view path gives exactly what web3 and eth_abi give, and refuses what they refuse."""

from __future__ import annotations

import pytest
from eth_abi import encode
from eth_abi.exceptions import EncodingError
from world import States, World

from sdap.calls import call_view, calldata, function_codec
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


ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


@pytest.mark.parametrize(
    "args",
    [
        (0, ADDRESS, 1),
        (2**256 - 1, ADDRESS.lower(), 2**256 - 1),
        (7, "0x" + ADDRESS[2:].upper(), 0),
    ],
    ids=["checksummed", "lower case, largest values", "upper case, zero"],
)
def test_a_codec_encodes_words_as_eth_abi_does(world: World, args: tuple[object, ...]) -> None:
    codec = function_codec(world.platform.contracts.asset, "mint")
    assert codec.encode(*args) == codec.selector + encode(["uint256", "address", "uint256"], list(args))


@pytest.mark.parametrize(
    "args",
    [
        (2**256, ADDRESS, 1),
        (-1, ADDRESS, 1),
        (True, ADDRESS, 1),
        (1, "0x" + " 1" * 20, 1),
        (1, ADDRESS, "1"),
    ],
    ids=["too large", "negative", "a bool", "whitespace", "a string amount"],
)
def test_a_codec_refuses_what_eth_abi_refuses(world: World, args: tuple[object, ...]) -> None:
    codec = function_codec(world.platform.contracts.asset, "mint")
    with pytest.raises(EncodingError):
        encode(["uint256", "address", "uint256"], list(args))
    with pytest.raises(EncodingError):
        codec.encode(*args)
