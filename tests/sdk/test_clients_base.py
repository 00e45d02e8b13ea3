"""What every role client shares (sdap/clients/_base.py): its key's one Transactor, the attestations
it attaches, and the coverage anyone may have the asset count again."""

from __future__ import annotations

import pytest
from world import States, World


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def test_sync_coverage_records_what_the_view_counts(w: World) -> None:
    q = w.queries
    counted = q.coverage(w.issuance)
    assert w.operator.sync_coverage(w.issuance) == counted == w.regulator.sync_coverage(w.issuance)
    assert q.issuance(w.issuance).covered_until == counted.covered_until
