"""The coverage watch, on SQLite and PostgreSQL: once an attestation expires or its verifier's
accreditation is withdrawn, the issuances it backed have their coverage recorded again, once per
lapse; nothing else is synced (an attestation that ended earlier, an issuance with no supply)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from gateway_support import Api
from web3 import Web3
from world import YEAR, World, advance, h

from sdap.types import Role

DAY = 24 * 3600


@pytest.fixture
def watch_on(world: World, make_api: Callable[..., Api], database_url: str) -> Callable[..., Api]:
    """Starts the gateway on each kind of database, once the test's own set-up is on-chain (the
    test's clients share the operator's key with it)."""

    def start(**settings: object) -> Api:
        world.platform.resync_nonces()
        return make_api(database_url, **settings)

    return start


def recorded_until(world: World, issuance_id: int) -> int:
    return world.queries.issuance(issuance_id).covered_until


def syncs(w3: Web3, world: World, issuance_id: int, since: int) -> list[int]:
    """The coverage each CoverageSynced of the issuance since block `since` recorded (coveredUntil)."""
    events = world.platform.contracts.asset.events.CoverageSynced.get_logs(from_block=since)
    return [int(e["args"]["coveredUntil"]) for e in events if int(e["args"]["id"]) == issuance_id]


def test_a_withdrawn_verifier_has_the_issuances_it_backed_synced(watch_on: Callable[..., Api], world: World) -> None:
    idle = world.create_issuance(world.params()).id  # attested, but nothing minted: nothing to cover
    world.attest(50, issuance=idle)
    watch = watch_on().gateway.coverage
    assert watch.run().synced == ()

    world.regulator.revoke_role(Role.VERIFIER, world.verifier.address)
    since = world.w3.eth.block_number
    assert recorded_until(world, world.issuance) > 0  # the withdrawal alone changes no issuance's record
    first = watch.run()
    assert first.synced == (world.issuance,) and first.failed == ()
    assert recorded_until(world, world.issuance) == 0
    assert syncs(world.w3, world, world.issuance, since) == [0]
    assert syncs(world.w3, world, idle, since) == []
    assert watch.run().synced == ()  # once per lapse


def test_a_verifier_accredited_again_backs_its_new_attestations(watch_on: Callable[..., Api], world: World) -> None:
    """A later accreditation is a new epoch: what the verifier attests under it is not lapsed by the
    earlier withdrawal, so once the coverage is recorded again the watch leaves it alone."""
    watch = watch_on().gateway.coverage
    world.regulator.revoke_role(Role.VERIFIER, world.verifier.address)
    assert watch.run().synced == (world.issuance,)
    world.regulator.grant_role(Role.VERIFIER, world.verifier.address)
    world.attest(500)
    assert recorded_until(world, world.issuance) > 0
    assert watch.run().synced == ()


def test_an_expired_attestation_has_its_issuance_synced(watch_on: Callable[..., Api], world: World) -> None:
    watch = watch_on().gateway.coverage
    # A short attestation revoked before it expires ended then, and recorded it: nothing to do later.
    short = world.attest(10, valid_for=DAY)
    world.regulator.revoke_attestation(short, h("withdrawn by the elevator"))
    advance(world.w3, 2 * DAY)
    assert watch.run().synced == ()

    lasting = world.queries.attestation(world.attestation).valid_until
    assert recorded_until(world, world.issuance) == lasting  # the rule needs no call: it ends then
    advance(world.w3, YEAR)
    since = world.w3.eth.block_number
    round_ = watch.run()
    assert round_.synced == (world.issuance,) and round_.chain_time >= lasting
    assert syncs(world.w3, world, world.issuance, since) == [0]  # the lapse is now in the history
    assert watch.run().synced == ()


def test_the_watch_runs_by_itself(world: World, make_api: Callable[..., Api]) -> None:
    """A periodic task of the gateway (SDAP_COVERAGE_WATCH_INTERVAL), with the index left on demand."""
    world.platform.resync_nonces()
    make_api(coverage_watch_interval=0.2).gateway.start_background()
    world.regulator.revoke_role(Role.VERIFIER, world.verifier.address)
    deadline = time.monotonic() + 20
    while recorded_until(world, world.issuance) != 0:
        assert time.monotonic() < deadline, "the watch did not sync the issuance"
        time.sleep(0.1)
