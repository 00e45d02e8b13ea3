"""`sdap issuance consent`, `issuance create --consent` and `issuance withdraw-consent`: the issuer
signs its consent to the terms and the operator (Law art. 6.5), sending nothing; the operator
submits it with exactly those terms; a mismatch is named before anything is sent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cli_support import Run
from world import World

from sdap.signing import consent_digest
from sdap.types import IssuanceParams


def terms(world: World, **overrides: Any) -> list[object]:
    p = world.params(**overrides)
    return [
        "--issuer", p.issuer, "--type", p.asset_type, "--decision", "0x" + p.decision_hash.hex(),
        "--decision-uri", p.decision_uri, "--evidence", "0x" + p.evidence_hash.hex(), "--unit", p.unit_description,
        "--max-supply", p.max_supply,
    ]  # fmt: skip


def signed(run: Run, world: World, path: Path, *options: object, operator: str | None = None) -> dict[str, Any]:
    """The issuer's consent for the world's operator (or `operator`), written to `path`."""
    run("issuance", "consent", "--operator", operator or world.operator.address, *options, "--sign-only",
        "--out", path, as_="issuer")  # fmt: skip
    return dict(json.loads(path.read_text()))


def test_the_issuer_signs_and_the_operator_submits(run: Run, world: World) -> None:
    d, op, block = world.platform.deployment, world.operator.address, world.w3.eth.block_number
    printed = json.loads(
        run("issuance", "consent", "--operator", op, *terms(world), "--sign-only", as_="issuer").stdout
    )
    assert world.w3.eth.block_number == block  # signed, not sent: the issuer needs no gas
    assert set(printed) >= {"params", "operator", "nonce", "deadline", "signature", "digest"}
    assert printed["operator"] == op and printed["nonce"] == world.issuer.consent_nonce() == 1
    hashes = {k: bytes.fromhex(printed["params"][k][2:]) for k in ("decision_hash", "evidence_hash")}
    params = IssuanceParams(**{**printed["params"], **hashes})
    assert params == world.params()
    expected = consent_digest(params, op, 1, printed["deadline"], chain_id=d.chain_id, asset=d.asset)
    assert printed["digest"] == "0x" + expected.hex()
    assert printed["deadline"] > world.queries.chain_time()  # a day by default

    path = run.cwd / "consent.json"
    path.write_text(json.dumps(printed))
    created = run.json("issuance", "create", *terms(world), "--consent", path, as_="operator")
    consented = next(e for e in created["events"] if e["name"] == "IssuerConsented")["args"]
    assert consented["issuer"] == world.issuer.address and consented["termsDigest"] == printed["digest"]
    assert world.queries.issuance(created["issuance_id"]).operator == op
    # The nonce is spent: the same consent cannot post a second issuance.
    again = run("issuance", "create", *terms(world), "--consent", path, as_="operator", code=1)
    assert again.stderr.startswith("error: SecuredAsset_ConsentNonceInvalid(")


def test_terms_other_than_those_consented_to_are_named_before_sending(run: Run, world: World) -> None:
    path = run.cwd / "consent.json"
    signed(run, world, path, *terms(world))
    block = world.w3.eth.block_number
    differs = run("issuance", "create", *terms(world, max_supply=2_000), "--consent", path, as_="operator", code=2)
    assert "not those the issuer consented to: max_supply 1000 (consent) vs 2000 (given)" in differs.stderr
    other = run("issuance", "create", *terms(world), "--consent", path, as_="regulator", code=2)
    assert f"the consent is for the operator {world.operator.address}, not the signer {world.regulator.address}" in (
        other.stderr
    )
    missing = run("issuance", "create", *terms(world), as_="operator", code=2)
    assert "needs its issuer's consent (Law art. 6.5)" in missing.stderr
    assert world.w3.eth.block_number == block


def test_a_consent_for_another_operator_is_refused_by_the_contract(run: Run, world: World) -> None:
    """Edited to name this operator, the file no longer matches its signature."""
    path = run.cwd / "consent.json"
    data = signed(run, world, path, *terms(world), operator=world.regulator.address)
    path.write_text(json.dumps({**data, "operator": world.operator.address}))
    refused = run.json("issuance", "create", *terms(world), "--consent", path, as_="operator", code=1)
    assert refused["error"]["type"] == "SecuredAssetConsentNotSignedError"
    assert refused["error"]["arguments"] == {"issuer": world.issuer.address}


def test_terms_come_from_a_file_for_both_sides(run: Run, world: World) -> None:
    terms_file = run.cwd / "terms.json"
    p = world.params(unit_description="1 tonne of barley")
    terms_file.write_text(json.dumps({**p.__dict__, "decision_hash": "0x" + p.decision_hash.hex(),
                                      "evidence_hash": "0x" + p.evidence_hash.hex()}))  # fmt: skip
    path = run.cwd / "consent.json"
    signed(run, world, path, "--terms", terms_file)
    created = run.json("issuance", "create", "--terms", terms_file, "--consent", path, as_="operator")
    assert world.queries.issuance(created["issuance_id"]).unit_description == "1 tonne of barley"
    both = run("issuance", "create", "--terms", terms_file, "--unit", "x", "--consent", path, as_="operator", code=2)
    assert "not both (also got --unit)" in both.stderr
    terms_file.write_text(json.dumps({**json.loads(terms_file.read_text()), "price": 10}))
    unknown = run("issuance", "consent", "--operator", world.operator.address, "--terms", terms_file, as_="issuer",
                  code=2)  # fmt: skip
    assert "fields no issuance has: price" in unknown.stderr


def test_a_withdrawn_or_expired_consent_is_refused(run: Run, world: World) -> None:
    path = run.cwd / "consent.json"
    nonce = signed(run, world, path, *terms(world))["nonce"]
    withdrawn = run.json("issuance", "withdraw-consent", "--nonce", nonce, as_="issuer")
    assert [e["name"] for e in withdrawn["events"]] == ["IssuerConsentWithdrawn"]
    refused = run("issuance", "create", *terms(world), "--consent", path, as_="operator", code=1)
    assert refused.stderr.startswith(f"error: SecuredAsset_ConsentNonceInvalid(issuer='{world.issuer.address}', ")
    twice = run("issuance", "withdraw-consent", "--nonce", nonce, as_="issuer", code=1)
    assert "SecuredAsset_ConsentNonceInvalid" in twice.stderr

    signed(run, world, path, *terms(world), "--deadline", 1)
    expired = run("issuance", "create", *terms(world), "--consent", path, as_="operator", code=1)
    assert expired.stderr == "error: SecuredAsset_ConsentExpired(deadline=1)\n"


def test_one_issuer_signs_for_two_operators_under_their_own_nonce_keys(run: Run, world: World) -> None:
    """Consents under one key are used in order; a key per operator lets each submit whenever."""
    second = world.client_of(type(world.operator), 10)
    world.regulator.grant_role("operator", second.address)
    world.regulator.grant_permit(second.address, 0, world.queries.chain_time() + 86_400, b"\x01" * 32)
    first_path, second_path = run.cwd / "first.json", run.cwd / "second.json"
    signed(run, world, first_path, *terms(world), "--nonce-key", 1)
    second_signed = signed(run, world, second_path, *terms(world), "--nonce-key", 2, operator=second.address)
    assert second_signed["nonce"] == 2 << 64
    env = {"SECOND_KEY": world.accounts[10].key.hex()}
    later = run.json("issuance", "create", *terms(world), "--consent", second_path, "--key-env", "SECOND_KEY", env=env)
    earlier = run.json("issuance", "create", *terms(world), "--consent", first_path, as_="operator")
    assert later["issuance_id"] < earlier["issuance_id"]
