"""Schemathesis against the gateway, in process (the ASGI app behind the tests' client): every
operation of the served OpenAPI document, with the credentials of every role it admits (none for a
public one), valid and invalid data, every check Schemathesis has. No answer may be a server error,
and every answer must be what the document says (status, media type, headers, body).

Bounded: a few examples per operation, role and kind of data, about two minutes in all. Valid data
may still be refused by the platform's rules (an unknown issuance, a contract's refusal, a signature
that is not the caller's), so those statuses count as accepting it."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
import schemathesis
import urllib3
from gateway_support import Api, sign_in
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from requests.structures import CaseInsensitiveDict
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig
from world import World

#: Examples per operation, role and kind of data.
EXAMPLES = 30
#: Statuses that answer well-formed data the platform's rules refuse.
ACCEPTED = ["2xx", "401", "403", "404", "409", "422"]
BASE = "http://testserver"
#: Statuses that refuse invalid data: Schemathesis's, with 413 (a body past its route's limit).
REFUSED = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ACCEPTED},
            "negative_data_rejection": {"expected-statuses": REFUSED},
        }
    }
)


class InProcess(requests.adapters.BaseAdapter):
    """Sends what Schemathesis sends (its checks' own requests too) to the app through the tests'
    client: in process, on the event loop the gateway runs on."""

    def __init__(self, client: Any) -> None:
        super().__init__()
        self._client = client

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        # Header values as bytes, as they go on the wire: invalid data may hold characters that
        # the tests' client (httpx) refuses to encode itself, which a real client can still send.
        headers_sent = [
            (name, value.encode() if isinstance(value, str) else value) for name, value in request.headers.items()
        ]
        answer = self._client.request(str(request.method), str(request.url), headers=headers_sent, content=request.body)
        headers = urllib3.HTTPHeaderDict()
        for name, value in answer.headers.multi_items():
            headers.add(name, value)
        response = requests.Response()
        response.status_code = answer.status_code
        response.headers = CaseInsensitiveDict(headers)
        response.raw = urllib3.HTTPResponse(body=b"", headers=headers, status=answer.status_code, version=11)
        response._content = answer.content
        response.url = str(request.url)
        response.request = request
        response.encoding = answer.encoding
        return response

    def close(self) -> None:
        pass


def test_every_operation_with_every_role(api: Api, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    started = time.monotonic()
    schema = schemathesis.openapi.from_dict(api.client.get("/v1/openapi.json").json(), config=CONFIG)
    # Every session, the checks' own included, sends to the app in process.
    in_process = InProcess(api.client)
    default = requests.Session.get_adapter
    monkeypatch.setattr(
        requests.Session,
        "get_adapter",
        lambda self, url: in_process if url.startswith(BASE) else default(self, url),
    )
    session = requests.Session()
    holder = world.accounts[6]
    failures: list[str] = []
    runs = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        roles = operation.definition.raw.get("x-roles", ["public"])
        for role in roles:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                runs += 1
                failure = _fuzz(api, session, operation, role, mode, holder)
                if failure:
                    failures.append(f"{operation.label} as {role} ({mode.value}): {failure}")
    assert not failures, "\n\n".join(failures)
    assert runs > 100
    assert time.monotonic() - started < 240  # the bound of this test, with room for a loaded machine


def _fuzz(
    api: Api, session: requests.Session, operation: Any, role: str, mode: GenerationMode, holder: Any
) -> str | None:
    def credentials() -> dict[str, str]:
        if role == "public":
            return {}
        if role != "holder":
            return api.key(role)
        if operation.label == "POST /v1/auth/sign-out":
            return {"Authorization": f"Bearer {sign_in(api.client, holder)}"}  # a session to end each time
        return api.holder(holder)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        headers = credentials()
        response = case.call(base_url=BASE, session=session, headers=headers)
        assert response.status_code < 500, f"{response.status_code} {response.text[:500]}"
        case.validate_response(response, headers=headers, transport_kwargs={"base_url": BASE, "session": session})

    try:
        run()
    except Unsatisfiable:
        return None  # nothing to make invalid (an operation without parameters or body)
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - every failure is collected and reported together
        inner = exc.exceptions[0] if isinstance(exc, BaseExceptionGroup) and exc.exceptions else exc
        return f"{type(inner).__name__}: {str(inner)[:1500]}"
    return None


@pytest.fixture(autouse=True)
def _fresh_nonces(world: World) -> None:
    world.platform.resync_nonces()
