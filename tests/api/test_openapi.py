"""The served OpenAPI document: every operation names its roles whatever was built before it, every
problem is documented as application/problem+json, integer bounds are the exact integers the
models check, and the limits the server enforces on headers and URIs are stated."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.errors import PROBLEM_JSON, all_errors
from api.schemas.holders import RelayedTransfer
from api.schemas.issuances import IssuanceCreation
from api.schemas.registry import PermitGrant
from api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
METHODS = ("get", "post", "put", "patch", "delete")


def document() -> dict[str, Any]:
    settings = Settings(
        deployment=Path("unused.json"),
        operator_address="0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        session_secret="s" * 40,
    )
    # Not entered: the lifespan does not run, so no chain or database is needed for the document.
    return TestClient(create_app(settings, background=False)).get("/v1/openapi.json").json()


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, op) for p, item in doc["paths"].items() for m, op in item.items() if m in METHODS]


def test_every_operation_names_its_roles_in_a_fresh_interpreter() -> None:
    # A new process: nothing else has built an app or touched the routes before this one.
    script = (
        "import json, sys; sys.path.insert(0, 'tests/api'); from test_openapi import document, operations; "
        "print(json.dumps([[m, p, op.get('x-roles')] for m, p, op in operations(document())]))"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    found = json.loads(run.stdout)
    assert len(found) > 30
    for method, path, roles in found:
        assert roles, f"{method.upper()} {path} has no x-roles"
    by_route = {(m, p): r for m, p, r in found}
    assert by_route[("post", "/v1/issuances/{issuance_id}/mint")] == ["issuer"]
    assert by_route[("get", "/v1/health")] == ["public"]


def test_every_problem_is_documented_as_problem_json_only() -> None:
    doc = document()
    codes = {e.code for e in all_errors()}
    for method, path, op in operations(doc):
        for status, response in op["responses"].items():
            if int(status) < 400:
                continue
            content = response["content"]
            assert PROBLEM_JSON in content, f"{method} {path} {status}"
            if not (path == "/v1/ready" and status == "503"):  # readiness's own body beside the problem
                assert list(content) == [PROBLEM_JSON], f"{method} {path} {status}: {list(content)}"
            assert set(response["x-problem-codes"]) <= codes
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    nonce = doc["paths"]["/v1/auth/nonce"]["get"]["responses"]
    assert list(nonce["422"]["content"]) == [PROBLEM_JSON]


def test_signed_in_routes_document_authentication_rate_limits_and_bodies() -> None:
    mint = document()["paths"]["/v1/issuances/{issuance_id}/mint"]["post"]["responses"]
    assert {"unauthenticated", "ambiguous_credentials"} <= set(mint["401"]["x-problem-codes"])
    assert mint["429"]["x-problem-codes"] == ["rate_limited"] and "Retry-After" in mint["429"]["headers"]
    assert mint["413"]["x-problem-codes"] == ["body_too_large"]
    assert "malformed_body" in mint["400"]["x-problem-codes"]


def _bounds(schema: Any, path: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {}
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key in ("maximum", "minimum"):
                found[f"{path}.{key}"] = value
            else:
                found.update(_bounds(value, f"{path}.{key}"))
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            found.update(_bounds(value, f"{path}[{i}]"))
    return found


@pytest.mark.parametrize("model", [RelayedTransfer, PermitGrant, IssuanceCreation])
def test_integer_bounds_are_the_models_own_integers(model: Any) -> None:
    served = document()["components"]["schemas"][model.__name__]
    own = model.model_json_schema()
    assert _bounds(served["properties"]) == _bounds(own["properties"])
    for value in _bounds(served["properties"]).values():
        assert type(value) is int


def test_uint64_and_uint256_bounds_are_exact() -> None:
    schemas = document()["components"]["schemas"]
    assert schemas["PermitGrant"]["properties"]["valid_until"]["maximum"] == 2**64 - 1
    assert schemas["RelayedTransfer"]["properties"]["gas"]["maximum"] == 2**256 - 1
    # Written as integers in the served JSON, not as 1.8446744073709552e+19.
    settings_free = json.dumps(schemas["PermitGrant"])
    assert "18446744073709551615" in settings_free and "e+19" not in settings_free


def test_the_limits_the_server_enforces_are_stated() -> None:
    doc = document()
    mint = doc["paths"]["/v1/issuances/{issuance_id}/mint"]["post"]
    key = next(p for p in mint["parameters"] if p["name"] == "Idempotency-Key")["schema"]
    assert key["minLength"] == 1 and key["maxLength"] == 255 and key["pattern"]
    uri = doc["components"]["schemas"]["IssuanceCreation"]["properties"]["decision_uri"]
    assert uri["maxLength"] == 2000 and uri["pattern"].startswith("^https?://")


@pytest.mark.parametrize("uri", ["file:///etc/passwd", "gopher://x/", "http:///nohost", "https://a b/"])
def test_a_decision_uri_the_gateway_cannot_fetch_fails_the_schema(uri: str) -> None:
    from pydantic import ValidationError

    body = {
        "issuer": "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        "asset_type": 1,
        "decision_uri": uri,
        "decision_hash": "0x" + "11" * 32,
        "evidence_hash": "0x" + "22" * 32,
        "unit_description": "one",
        "max_supply": 1,
        "consent": {"nonce": 0, "deadline": 2**40, "signature": "0x" + "33" * 65},
    }
    with pytest.raises(ValidationError):
        IssuanceCreation(**body)
    assert IssuanceCreation(**{**body, "decision_uri": "https://issuer.example/d.pdf"}).decision_uri
