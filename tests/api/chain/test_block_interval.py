"""The gateway on a chain that makes a block every second, as a QBFT network does, instead of one
per transaction: mints sent together wait in the node's pool and are included together, each
answered once its block is made; with the synchronous send (anvil) and without it (Besu, geth),
from the event loop (mints) and from a worker thread (onboarding)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gateway_support import Behind, at_once
from sqlalchemy import select
from world import YEAR, World, chain_time, h

from api.db.schema import transactions

BURST = 12


@pytest.fixture
def blocks_every_second(world: World) -> Iterator[None]:
    rpc = world.w3.provider.make_request
    rpc("evm_setAutomine", [False])  # type: ignore[arg-type]
    rpc("evm_setIntervalMining", [1])  # type: ignore[arg-type]
    yield
    rpc("evm_setIntervalMining", [0])  # type: ignore[arg-type]
    rpc("evm_setAutomine", [True])  # type: ignore[arg-type]


@pytest.mark.usefixtures("blocks_every_second")
@pytest.mark.parametrize("without", [(), ("eth_sendRawTransactionSync",)], ids=["sync-send", "plain-send"])
def test_mints_sent_together_are_included_together(world: World, gateway_behind: Behind, without: tuple[str]) -> None:
    node, api = gateway_behind(without=without)
    path = f"/v1/issuances/{world.issuance}/mint"
    start = world.w3.eth.block_number
    answers = at_once(
        [
            lambda n=n: api.post(path, "issuer", {"to": world.b.address, "amount": n + 1}, key=f"interval-{n}")
            for n in range(BURST)
        ]
    )
    assert [a.status_code for a in answers] == [201] * BURST, [a.text for a in answers]
    assert world.queries.balance_of(world.b.address, world.issuance) == sum(range(1, BURST + 1))
    blocks = {a.json()["block_number"] for a in answers}
    # A block a second, not a block a mint: they waited in the pool together.
    assert all(b > start for b in blocks) and len(blocks) < BURST / 2, blocks
    first = min(node.passed_on)
    assert sorted(node.passed_on) == list(range(first, first + BURST))  # each nonce once
    with api.gateway.db.read() as conn:
        assert list(conn.scalars(select(transactions.c.state))) == ["mined"] * BURST

    # A write from a worker thread waits for its block the same way.
    wallet = world.accounts[12].address
    onboarded = api.post(
        "/v1/participants",
        "operator",
        {"wallet": wallet, "identity_ref": "0x" + h("kyc").hex(), "identity_expiry": chain_time(world.w3) + YEAR},
        key="interval-onboard",
    )
    assert onboarded.status_code == 201, onboarded.text
    assert world.queries.participant(wallet).registered
