"""`sdap attest`, `attach`, `attestation ...`, `collateral ...`: a verifier's attestations of the
issuer's collateral, their renewal and revocation, and the coverage they give an issuance."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import Run
from world import World

from sdap.documents import file_hash


def test_an_attestation_is_signed_attached_renewed_shown_and_revoked(run: Run, world: World) -> None:
    q, iid, pledge = world.queries, world.issuance, "0x" + world.attestation.hex()
    signed = run("attest", iid, "--units", 200, "--value", 9, "--valid-until", "+30d", "--collateral-file", __file__,
                 "--sign-only", as_="verifier")  # fmt: skip
    body = json.loads(signed.stdout)
    assert body["attestation"]["owner"] == world.issuer.address  # the issuance's issuer by default
    assert body["attestation"]["collateral_ref"] == "0x" + file_hash(Path(__file__)).hex()
    assert q.covered_units(iid) == 500  # signing sent nothing
    (run.cwd / "attestation.json").write_text(signed.stdout)
    attached = run.json("attach", run.cwd / "attestation.json", as_="operator")
    assert attached["attestation_id"] == body["digest"] and q.covered_units(iid) == 700
    again = run.json("attach", run.cwd / "attestation.json", as_="operator", code=1)
    assert again["error"]["type"] == "CollateralNonceUsedError"  # a signature counts once

    shown = run.json("attestation", "show", body["digest"])
    assert (shown["units"], shown["accreditation"], shown["superseded_by"]) == (200, 1, None)
    assert run.json("collateral", "status", body["digest"]) == {"attestation_id": body["digest"], "status": "LIVE"}
    # The same receipt pledged again without renewing: refused, naming the live pledge.
    twice = run.json("attest", iid, "--units", 10, "--value", 9, "--valid-until", "+30d", "--collateral-file",
                     __file__, as_="verifier", code=1)["error"]  # fmt: skip
    assert twice["type"] == "CollateralAlreadyPledgedError"
    assert twice["arguments"]["live_attestation_id"] == body["digest"]

    # A renewal: the collateral and owner come from the attestation it supersedes.
    renewed = run("attest", iid, "--units", 300, "--value", 9, "--valid-until", "+60d", "--supersedes",
                  body["digest"], as_="verifier")  # fmt: skip
    assert f"300 units of issuance {iid} covered, renewing {body['digest']}" in renewed.stdout
    assert q.covered_units(iid) == 800  # 500 + 300: the superseded 200 no longer count
    status = run("collateral", "status", body["digest"]).stdout
    assert status.startswith(f"{body['digest']}  SUPERSEDED: renewed by 0x")
    renewal = status.strip().rsplit(" ", 1)[1]
    assert q.pledge_of(world.issuer.address, file_hash(Path(__file__))) == bytes.fromhex(renewal[2:])
    assert run.json("collateral", "coverage", iid)["covered"] == 800
    assert (
        f"issuance {iid}: live collateral covers 800 of the 100 units in circulation until"
        in run("collateral", "coverage", iid).stdout
    )

    for attestation in (renewal, pledge):
        run("attestation", "revoke", attestation, "--reason", "0x" + "99" * 32, as_="verifier")
    assert q.covered_units(iid) == 0 and q.coverage(iid).undercollateralised
    assert run.json("collateral", "coverage", iid) == {
        "covered": 0, "supply": 100, "covered_until": 0, "undercollateralised": True,
    }  # fmt: skip
    assert (
        "UNDER-COLLATERALISED: live collateral covers 0 of the 100 units" in run("collateral", "coverage", iid).stdout
    )
    assert "collateral      UNDER-COLLATERALISED" in run("issuance", "show", iid).stdout
    assert run("issuance", "list").stdout.rstrip().endswith("UNDER-COLLATERALISED")
    moved = run.json("transfer", iid, "--to", world.b.address, "--amount", 1, as_="a", code=1)["error"]
    assert moved["message"] == f"SecuredAsset_Undercollateralised(id={iid}, covered=0, supply=100)"
    assert "REVOKED: revoked by its verifier or the regulator" in run("collateral", "status", pledge).stdout
    unknown = "0x" + "ab" * 32
    assert run("collateral", "status", unknown).stdout == f"{unknown}  UNKNOWN: no such attestation is attached\n"


def test_a_withdrawn_accreditation_is_counted_by_sync(run: Run, world: World) -> None:
    q, iid, pledge = world.queries, world.issuance, "0x" + world.attestation.hex()
    run("role", "revoke", "verifier", world.verifier.address, as_="regulator")
    assert "VERIFIER_WITHDRAWN: the accreditation of its verifier" in run("collateral", "status", pledge).stdout
    assert q.issuance(iid).coverage_revision == 0  # recorded before the withdrawal
    synced = run.json("collateral", "sync", iid, as_="b")  # anyone may
    assert synced == {"covered": 0, "supply": 100, "covered_until": 0, "undercollateralised": True}
    assert q.issuance(iid).coverage_revision == 1 and q.issuance(iid).covered_until == 0
    assert run("collateral", "sync", iid, as_="b").stdout.startswith(f"issuance {iid} counted: UNDER-COLLATERALISED")
