"""The problem catalogue (api/routes/problems.py): GET /v1/problems lists every code the gateway
answers with, once, with its status, title and description; every code any operation's OpenAPI
document names is in it, under the status it is documented with; it is served to anyone, even
before the gateway behind it has started."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from gateway_support import Api

from api.app import create_app
from api.settings import Settings


def bare_client() -> TestClient:
    """The gateway's application with its lifespan never entered: no gateway, no chain."""
    settings = Settings(
        deployment=Path("unused.json"),
        operator_address="0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
        session_secret="s" * 40,
    )
    return TestClient(create_app(settings, background=False))


def test_problem_catalogue(api: Api) -> None:
    codes = {p["code"]: p for p in api.get("/v1/problems").json()}
    assert codes["collateral_insufficient"]["status"] == 409
    assert codes["unauthenticated"]["status"] == 401
    for code in ("collateral_already_pledged", "secured_asset_paused_by_regulator", "undercollateralised"):
        assert codes[code]["status"] == 409 and codes[code]["description"]
    assert len(codes) == len(set(codes))


def test_every_code_an_operation_documents_is_in_the_catalogue_with_its_status() -> None:
    client = bare_client()
    listed = client.get("/v1/problems").json()
    catalogue: dict[str, dict[str, Any]] = {p["code"]: p for p in listed}
    assert len(catalogue) == len(listed)  # each code once
    assert all(p["title"] and 400 <= p["status"] < 600 for p in listed)
    documented = 0
    for path, operations in client.get("/v1/openapi.json").json()["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                for code in response.get("x-problem-codes", []):
                    # A client reads the code and looks it up: one missing here is unexplained.
                    assert code in catalogue, f"{method.upper()} {path} {status}: {code} is not listed"
                    assert catalogue[code]["status"] == int(status), f"{method.upper()} {path}: {code}"
                    documented += 1
    assert documented > 500


def test_the_catalogue_is_served_to_anyone_before_the_gateway_has_started() -> None:
    answer = bare_client().get("/v1/problems", headers={"X-API-Key": "sdap_nope_nope"})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    assert len(answer.json()) > 100
