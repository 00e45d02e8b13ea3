"""The event index: the asset's attestations and when they stopped counting, each issuance's last
recorded coverage, the accreditations withdrawn; rebuilt when the chain was rewound. And its
reliability against the chain, on SQLite and on PostgreSQL: after a random workload its movements
give the chain's balances and supplies; a range read twice, or a sync that crashed before saving
its cursor, leaves no duplicate and no gap; it follows a reorganisation by block hash."""

from __future__ import annotations

from collections.abc import Callable
from random import Random
from typing import Any

import pytest
from gateway_support import ROLES, Api
from sqlalchemy import select
from world import World, chain_time, h

import api.services.index_batch as batch_module
from api.db.schema import (
    accreditation_withdrawals,
    attestations,
    coverage_records,
    escrows,
    index_cursor,
    movements,
    offers,
    redemptions,
)
from api.services.index import EventIndex
from api.services.index_batch import TABLES
from sdap.types import Role


def rows(api: Api, table: Any) -> list[dict[str, Any]]:
    with api.gateway.db.read() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table))]


def test_what_the_coverage_watch_reads(api: Api, world: World) -> None:
    index = api.gateway.index
    index.sync()
    record = world.queries.attestation(world.attestation)
    assert rows(api, attestations) == [
        {
            "attestation_id": "0x" + world.attestation.hex(),
            "issuance_id": world.issuance,
            "verifier": world.verifier.address,
            "valid_until": record.valid_until,
            "ended_block": None,
        }
    ]
    [coverage] = rows(api, coverage_records)
    assert (coverage["issuance_id"], coverage["supply"]) == (world.issuance, "100")  # recorded by the mint
    assert rows(api, accreditation_withdrawals) == []

    world.platform.resync_nonces()
    revoked = world.regulator.revoke_attestation(world.attestation, h("the elevator burnt down"))
    withdrawn = world.regulator.revoke_role(Role.VERIFIER, world.verifier.address)
    index.sync()
    assert rows(api, attestations)[0]["ended_block"] == revoked.block_number
    assert rows(api, coverage_records)[0]["block_number"] == revoked.block_number  # the revocation recorded it
    [withdrawal] = rows(api, accreditation_withdrawals)
    assert (withdrawal["verifier"], withdrawal["block_number"]) == (world.verifier.address, withdrawn.block_number)


def test_rebuilt_when_the_chain_was_rewound(api: Api, world: World) -> None:
    w3 = world.w3

    def snapshot() -> str:
        return str(w3.provider.make_request("evm_snapshot", [])["result"])  # type: ignore[arg-type]

    def rewind(to: str) -> None:  # anvil drops the snapshot it goes back to
        assert w3.provider.make_request("evm_revert", [to])["result"] is True  # type: ignore[arg-type]

    branch = snapshot()
    world.platform.resync_nonces()
    world.regulator.revoke_attestation(world.attestation, h("revoked on a branch that will be dropped"))
    api.gateway.index.sync()
    assert rows(api, attestations)[0]["ended_block"] is not None
    rewind(branch)
    # The head is now below the indexed block, which no longer exists.
    api.gateway.index.sync()
    assert rows(api, attestations)[0]["ended_block"] is None
    assert [r["issuance_id"] for r in rows(api, coverage_records)] == [world.issuance]
    # The same branch again, then blocks past it: the indexed block is there, with another hash.
    branch = snapshot()
    world.platform.resync_nonces()
    world.regulator.revoke_attestation(world.attestation, h("revoked again"))
    api.gateway.index.sync()
    assert rows(api, attestations)[0]["ended_block"] is not None
    rewind(branch)
    for _ in range(3):
        w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    api.gateway.index.sync()
    assert rows(api, attestations)[0]["ended_block"] is None


def test_the_exchange_in_the_index_follows_a_rewind(api: Api, world: World) -> None:
    """A published offer's state and the escrows come from the exchange's events: a cancellation
    and an escrow on a branch the chain drops are gone from the index once it syncs again."""
    world.platform.resync_nonces()
    second = world.create_issuance(world.params(decision_hash=h("decision 2"))).id
    agent = world.accounts[ROLES["settlement_agent"]].address
    world.regulator.grant_role(Role.SETTLEMENT_AGENT, agent)
    a = world.accounts[6]
    holder = world.platform.holder(a)
    signed = holder.make_offer(give_id=world.issuance, give_amount=1, want_id=second, want_amount=1)
    body = {"offer": signed.offer.as_dict(), "signature": "0x" + signed.signature.hex()}
    assert api.post("/v1/offers", a, body).status_code == 201
    branch = str(world.w3.provider.make_request("evm_snapshot", [])["result"])  # type: ignore[arg-type]
    holder.cancel_offer(signed.offer.nonce)
    deadline = chain_time(world.w3) + 3600
    opened = holder.open_escrow(world.issuance, 5, world.b.address, agent, 100, currency="KZT", deadline=deadline)
    api.gateway.index.sync()
    [offer] = rows(api, offers)
    assert offer["status"] == "cancelled" and offer["closed_at"] is not None
    [escrow] = rows(api, escrows)
    assert (escrow["escrow_id"], escrow["seller"], escrow["amount"], escrow["state"]) == (
        opened.id,
        a.address,
        "5",
        "open",
    )

    assert world.w3.provider.make_request("evm_revert", [branch])["result"] is True  # type: ignore[arg-type]
    api.gateway.index.sync()
    assert [(o["status"], o["closed_at"]) for o in rows(api, offers)] == [("open", None)]
    assert rows(api, escrows) == []


# --- reliability: the index against the chain -----------------------------------------------


@pytest.fixture
def indexed(world: World, make_api: Callable[..., Api], database_url: str) -> Api:
    """A gateway on a fresh database of each kind (SQLite, PostgreSQL), over the prepared world."""
    world.platform.resync_nonces()
    return make_api(database_url)


def workload(world: World, seed: int, operations: int = 36) -> list[int]:
    """A seeded random run of mints, transfers, batch transfers, redemptions and forced transfers
    among the holders, over the world's issuance and a second one; returns both issuances."""
    world.platform.resync_nonces()
    second = world.create_issuance(world.params()).id
    world.attest(500, issuance=second)
    issuances = [world.issuance, second]
    minted = {world.issuance: 100, second: 0}
    q, random = world.queries, Random(seed)
    for n in range(operations):
        balances = {(x.address, i): q.balance_of(x.address, i) for x in world.holders for i in issuances}
        held = [key for key, amount in balances.items() if amount > 0]
        kind = random.choice(["mint", "transfer", "batch", "redeem", "forced"] if held else ["mint"])
        if kind == "mint":
            issuance = random.choice(issuances)
            amount = random.randint(1, min(40, 500 - minted[issuance]))
            world.operator.mint(issuance, random.choice(world.holders).address, amount)
            minted[issuance] += amount
            continue
        address, issuance = random.choice(held)
        holder = next(x for x in world.holders if x.address == address)
        to = random.choice([x for x in world.holders if x.address != address])
        amount = random.randint(1, balances[address, issuance])
        if kind == "transfer":
            holder.transfer(to.address, issuance, amount)
        elif kind == "batch":
            both = [i for i in issuances if balances[address, i] > 0]
            holder.batch_transfer(to.address, both, [random.randint(1, balances[address, i]) for i in both])
        elif kind == "redeem":
            # Into the asset's custody, then burnt on the issuer's confirmation or given back on its refusal.
            request = holder.request_redemption(issuance, amount, h(f"deliver to silo {n}")).id
            if n % 2:
                world.issuer.confirm_redemption(request, h(f"delivered {n}"))
            else:
                world.issuer.refuse_redemption(request, h(f"not deliverable {n}"))
        else:
            world.regulator.forced_transfer(issuance, address, to.address, amount, h(f"court order {n}"))
    return issuances


def movement_keys(api: Api) -> list[tuple[str, int, int]]:
    return [(r["tx_hash"], r["log_index"], r["item"]) for r in rows(api, movements)]


def assert_matches_chain(api: Api, world: World, issuances: list[int]) -> None:
    """Balances rebuilt from the index's movements are the chain's, holder by holder, and so is
    each issuance's supply; the cursor is the chain's head, by number and hash."""
    for issuance in issuances:
        indexed = api.gateway.index.holders(issuance)
        for holder in world.holders:
            assert indexed.get(holder.address, 0) == world.queries.balance_of(holder.address, issuance)
        assert sum(indexed.values()) == world.queries.total_supply(issuance)
    keys = movement_keys(api)
    assert len(keys) == len(set(keys))
    # Every redemption request, in the state the chain holds it.
    chain_requests = world.queries.redemption_requests(limit=1000)
    indexed_requests = sorted(rows(api, redemptions), key=lambda r: r["request_id"])
    assert [(r["request_id"], r["holder"], int(r["amount"]), r["state"]) for r in indexed_requests] == [
        (r.id, r.holder, r.amount, r.state.name.lower()) for r in chain_requests
    ]
    [cursor] = rows(api, index_cursor)
    head = world.w3.eth.get_block("latest")
    assert (cursor["block_number"], cursor["block_hash"]) == (head["number"], "0x" + bytes(head["hash"]).hex())


def test_equals_the_chain_after_a_random_workload(indexed: Api, world: World) -> None:
    issuances = workload(world, seed=12)
    assert {r["issuance_id"] for r in rows(indexed, movements)} == set()  # nothing indexed yet
    indexed.gateway.index.sync()
    assert_matches_chain(indexed, world, issuances)
    assert all(indexed.gateway.index.holders(i) for i in issuances)  # the workload left units of both


def rewind_cursor(api: Api, world: World, number: int) -> None:
    """Puts the cursor back at block `number` (its real hash): the range after it is read again."""
    block_hash = "0x" + bytes(world.w3.eth.get_block(number)["hash"]).hex()
    with api.gateway.db.write() as conn:
        conn.execute(index_cursor.update().values(block_number=number, block_hash=block_hash))


def contents(api: Api) -> dict[str, list[dict[str, Any]]]:
    """Every row the index fills (the tables a rebuild empties), table by table, in a fixed order."""
    return {t.name: sorted(rows(api, t), key=repr) for t in TABLES}


def test_a_range_indexed_twice_is_there_once(indexed: Api, world: World) -> None:
    index = indexed.gateway.index
    start = index.sync()
    issuances = workload(world, seed=7, operations=12)
    world.regulator.revoke_attestation(world.attestation, h("the elevator burnt down"))
    world.regulator.revoke_role(Role.VERIFIER, world.verifier.address)
    index.sync()
    before = contents(indexed)
    rewind_cursor(indexed, world, start)
    index.sync()
    assert contents(indexed) == before
    assert_matches_chain(indexed, world, issuances)
    # No cursor at all, the rows kept (what a migration that indexes new events does): read
    # again from the deployment block.
    with indexed.gateway.db.write() as conn:
        conn.execute(index_cursor.delete())
    index.sync()
    assert contents(indexed) == before
    assert_matches_chain(indexed, world, issuances)


@pytest.mark.parametrize("where", ["between the tables", "before the cursor"])
def test_a_crash_mid_range_leaves_no_gap_and_no_duplicate(
    indexed: Api, world: World, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    index = indexed.gateway.index
    indexed_before = index.sync()
    issuances = workload(world, seed=5, operations=12)
    world.regulator.revoke_role(Role.VERIFIER, world.verifier.address)
    insert_new = batch_module._insert_new

    def crash(*args: Any) -> None:
        raise RuntimeError("crashed")

    def crash_at_withdrawals(conn: Any, table: Any, new: Any) -> None:
        # The movements and attestations of the range written, then the process dies.
        if table is accreditation_withdrawals:
            crash()
        insert_new(conn, table, new)

    if where == "between the tables":
        monkeypatch.setattr(batch_module, "_insert_new", crash_at_withdrawals)
    else:  # every row of the range written
        monkeypatch.setattr(EventIndex, "_save_cursor", staticmethod(crash))
    with pytest.raises(RuntimeError, match="crashed"):
        index.sync()
    # Nothing of the range stayed behind without the cursor that says it was indexed.
    assert rows(indexed, index_cursor)[0]["block_number"] == indexed_before
    assert {r["block_number"] for r in rows(indexed, movements)} <= set(range(indexed_before + 1))
    assert rows(indexed, accreditation_withdrawals) == []
    monkeypatch.undo()
    index.sync()
    assert_matches_chain(indexed, world, issuances)
    assert len(rows(indexed, accreditation_withdrawals)) == 1


def test_follows_a_reorganisation_by_block_hash(indexed: Api, world: World) -> None:
    index, w3 = indexed.gateway.index, world.w3
    issuances = workload(world, seed=3, operations=8)
    index.sync()
    dropped = world.a.transfer(world.b.address, world.issuance, 1).tx_hash
    height = index.sync()
    assert dropped in {r["tx_hash"] for r in rows(indexed, movements)}
    # The last two blocks replaced by empty ones at the same heights: the transfer is gone from
    # the chain, and the indexed block is still there by its number, with another hash.
    assert w3.provider.make_request("anvil_reorg", [2, []]).get("error") is None  # type: ignore[arg-type]
    assert w3.eth.block_number == height
    index.sync()
    assert dropped not in {r["tx_hash"] for r in rows(indexed, movements)}
    assert_matches_chain(indexed, world, issuances)
    # New blocks on the new branch are indexed on top of it.
    world.platform.resync_nonces()
    added = world.a.transfer(world.c.address, world.issuance, 1).tx_hash
    index.sync()
    assert added in {r["tx_hash"] for r in rows(indexed, movements)}
    assert dropped not in {r["tx_hash"] for r in rows(indexed, movements)}
    assert_matches_chain(indexed, world, issuances)
