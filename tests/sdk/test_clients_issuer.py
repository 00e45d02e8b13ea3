"""The issuer's client (sdap/clients/issuer.py): an issuer sees its own issuances, and closes one
with nothing outstanding."""

from __future__ import annotations

import pytest
from world import States, World, h


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def test_issuer_sees_its_own_issuances_only(w: World) -> None:
    second = w.create_issuance(w.params(unit_description="1 tonne of barley")).id
    w.regulator.register_issuer(w.c.address, "Other LLP", "999", "KZ", h("other"))
    w.create_issuance(w.params(issuer=w.c.address))
    w.issuer.close(second, h("nothing minted"))
    mine = w.issuer.issuances()
    assert [i.id for i in mine] == [w.issuance, second]
    assert mine[1].closed and mine[1].unit_description == "1 tonne of barley"
    assert [i.issuer for i in w.client_of(type(w.issuer), 8).issuances()] == [w.c.address]
