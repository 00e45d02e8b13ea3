"""Attestations by id (api/routes/attestations.py): anyone reads one ever attached, as the chain
records it, and whether it counts now or the first reason it does not (revoked, expired, its
verifier's accreditation withdrawn; superseded by a renewal: tests/api/routes/test_issuances.py);
an id never attached is a problem of its own."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from gateway_support import Api, hx
from world import YEAR, World, advance, h

from sdap.types import Role


def test_anyone_reads_an_attestation_as_the_chain_records_it(api: Api, world: World) -> None:
    on_chain = world.queries.attestation(world.attestation)
    answer = api.get(f"/v1/attestations/{hx(world.attestation)}")  # no credentials
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "attestation_id": hx(world.attestation),
        "issuance_id": world.issuance,
        "verifier": world.verifier.address,
        "owner": world.issuer.address,
        "collateral_ref": hx(on_chain.collateral_ref),
        "value": 5_000_000,
        "units": 500,
        "valid_until": on_chain.valid_until,
        "revoked": False,
        "status": "live",
        "accreditation": on_chain.accreditation,
        "superseded_by": None,
    }
    # An id is 32 bytes whatever the case of its hex digits.
    assert api.get(f"/v1/attestations/0x{world.attestation.hex().upper()}").json() == answer.json()


def revoked(world: World) -> None:
    world.verifier.revoke(world.attestation, h("the receipt was cancelled"))


def expired(world: World) -> None:
    advance(world.w3, 2 * YEAR)  # world's attestation is valid for a year


def withdrawn(world: World) -> None:
    world.regulator.revoke_role(Role.VERIFIER, world.verifier.address)


@pytest.mark.parametrize(
    ("lapse", "status"), [(revoked, "revoked"), (expired, "expired"), (withdrawn, "verifier_withdrawn")]
)
def test_an_attestation_that_stopped_counting_says_why(
    api: Api, world: World, lapse: Callable[[World], None], status: str
) -> None:
    lapse(world)
    body = api.get(f"/v1/attestations/{hx(world.attestation)}").json()
    assert body["status"] == status
    assert body["revoked"] is (status == "revoked")  # the record itself stays as attached otherwise
    assert body["units"] == 500 and body["superseded_by"] is None


def test_an_id_never_attached_or_malformed_is_a_problem(api: Api) -> None:
    assert api.get(f"/v1/attestations/0x{'00' * 32}").json()["code"] == "attestation_not_found"
    unknown = api.get(f"/v1/attestations/{hx(h('never attached'))}")
    assert unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"
    assert unknown.json()["code"] == "attestation_not_found"
    for malformed in ("0x1234", "00" * 32, "0x" + "zz" * 32):
        answer = api.get(f"/v1/attestations/{malformed}")
        assert answer.status_code == 422 and answer.json()["code"] == "validation_failed", malformed
