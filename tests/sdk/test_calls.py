"""View calls through ContractViews: what web3's `call()` gives, for every view function of the four
contracts, in one round trip; refusals and node errors raised as through web3."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from web3 import Web3
from web3.contract.contract import Contract
from world import States, World

from sdap.calls import ContractViews
from sdap.contract_errors import SecuredAssetIssuanceUnknownError
from sdap.errors import ConnectionFailed, SdapError
from sdap.platform import Platform
from sdap.transactions import rpc
from sdap.types import Refusal

CONTRACTS = ("registry", "forwarder", "collateral", "asset")


class CountingProvider(Web3.HTTPProvider):
    """web3's HTTP provider, noting each JSON-RPC method it sends."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.sent: list[str] = []

    def make_request(self, method: Any, params: Any) -> Any:
        self.sent.append(str(method))
        return super().make_request(method, params)


@pytest.fixture
def world(states: States) -> World:
    return states.world()


@pytest.fixture
def counted(world: World) -> Iterator[tuple[Platform, CountingProvider]]:
    provider = CountingProvider(str(world.w3.provider.endpoint_uri))  # type: ignore[attr-defined]
    yield Platform(Web3(provider), world.platform.deployment), provider


def argument(item: Mapping[str, Any], world: World) -> Any:
    """A value of the ABI type of `item` that names something that exists in the world."""
    kind = str(item["type"])
    if kind.endswith("]"):
        inner = argument(dict(item, type=kind[: kind.rindex("[")]), world)
        return [inner, inner]
    if kind == "tuple":
        return tuple(argument(c, world) for c in item["components"])
    if kind == "address":
        return world.a.address if item.get("name") != "asset" else world.platform.deployment.asset
    if kind.startswith(("uint", "int")):
        return world.issuance
    if kind == "bool":
        return True
    if kind == "bytes32":
        return world.attestation
    if kind.startswith("bytes"):
        return b"\x01" * int(kind[5:] or 2)
    assert kind == "string", kind
    return "text"


def views_of(contract: Contract) -> list[Mapping[str, Any]]:
    return [e for e in contract.abi if e.get("type") == "function" and e["stateMutability"] in ("view", "pure")]


def outcome(call: Any) -> Any:
    """The result with its types (a list and a tuple differ), or the error raised."""
    try:
        return typed(call())
    except SdapError as exc:
        return (type(exc), str(exc))


def typed(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return (type(value), tuple(typed(v) for v in value))
    return (type(value), value)


@pytest.mark.parametrize("name", CONTRACTS)
def test_every_view_gives_what_web3_gives(world: World, name: str) -> None:
    contract: Contract = getattr(world.platform.contracts, name)
    views = ContractViews(contract)
    functions = views_of(contract)
    assert functions
    for abi in functions:
        args = [argument(i, world) for i in abi["inputs"]]
        through_web3 = outcome(lambda: rpc(lambda: getattr(contract.functions, abi["name"])(*args).call()))  # noqa: B023
        assert outcome(lambda: views.call(abi["name"], *args)) == through_web3, abi["name"]  # noqa: B023


def test_a_read_is_one_eth_call(counted: tuple[Platform, CountingProvider], world: World) -> None:
    platform, provider = counted
    queries = platform.queries
    assert queries.balance_of(world.a.address, world.issuance) == 100
    assert queries.issuance(world.issuance).max_supply == 1_000
    assert queries.check_mint(world.issuance, world.b.address, 10_000) is Refusal.MAX_SUPPLY_EXCEEDED
    assert queries.total_supply(world.issuance) == 100
    assert provider.sent == ["eth_call"] * 4


def test_each_function_is_laid_out_once(world: World) -> None:
    views = ContractViews(world.platform.contracts.asset)
    first = views.function("balanceOf", 2)
    assert views.function("balanceOf", 2) is first
    assert first.selector == bytes.fromhex("00fdd58e")  # balanceOf(address,uint256)
    # Overloads are told apart by their number of arguments.
    # `nonces(owner)` (no key) and `nonces(owner, key)`, the key in the answer's upper 192 bits.
    holder = world.a.address
    assert views.call("nonces", holder) == 0 and views.call("nonces", holder, 5) == 5 << 64
    assert views.call("totalSupply", world.issuance) == 100
    with pytest.raises(ValueError, match="not in this ABI"):
        views.function("totalSupply", 0)  # ERC1155Supply's supply of all ids: gone with it
    with pytest.raises(ValueError, match="not in this ABI"):
        views.function("balanceOf", 3)
    with pytest.raises(ValueError, match="not in this ABI"):
        views.function("noSuchFunction", 0)


def test_a_refusal_is_decoded_as_through_web3(world: World) -> None:
    with pytest.raises(SecuredAssetIssuanceUnknownError):
        world.platform.views.asset.call("coverage", 999)


def test_arguments_web3_accepts_in_other_forms_still_work(world: World) -> None:
    """Hex text for bytes32 is not eth_abi's, but web3 takes it: such a call goes through web3."""
    views = world.platform.views.collateral
    as_text = "0x" + world.attestation.hex()
    assert views.call("attestationStatus", as_text) == views.call("attestationStatus", world.attestation)


def test_an_unreachable_node_is_connection_failed(world: World) -> None:
    nowhere = Platform(
        Web3(Web3.HTTPProvider("http://127.0.0.1:9", request_kwargs={"timeout": 2})), world.platform.deployment
    )
    with pytest.raises(ConnectionFailed):
        nowhere.queries.balance_of(world.a.address, world.issuance)
