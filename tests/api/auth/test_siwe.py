"""EIP-4361 messages: built, parsed back exactly, and signed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct

from api.auth.siwe import SiweError, SiweMessage, recover_signer

ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


def message(**overrides: object) -> SiweMessage:
    fields: dict[str, object] = {
        "domain": "gateway.example",
        "address": ADDRESS,
        "uri": "https://gateway.example",
        "chain_id": 31337,
        "nonce": "abcdef0123456789",
        "issued_at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        "statement": "Sign in.",
        "scheme": "https",
    }
    fields.update(overrides)
    return SiweMessage(**fields)  # type: ignore[arg-type]


def test_the_eip_layout() -> None:
    text = message(expiration_time=datetime(2026, 1, 2, 4, 0, tzinfo=UTC), resources=("https://a.example/x",)).text()
    assert text == (
        "https://gateway.example wants you to sign in with your Ethereum account:\n"
        f"{ADDRESS}\n\nSign in.\n\n"
        "URI: https://gateway.example\nVersion: 1\nChain ID: 31337\nNonce: abcdef0123456789\n"
        "Issued At: 2026-01-02T03:04:05Z\nExpiration Time: 2026-01-02T04:00:00Z\n"
        "Resources:\n- https://a.example/x"
    )


@pytest.mark.parametrize("statement", ["Sign in.", None])
def test_round_trip(statement: str | None) -> None:
    original = message(statement=statement, scheme=None, request_id="r-1")
    assert SiweMessage.parse(original.text()) == original


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t.replace(ADDRESS, ADDRESS.lower()),  # not checksummed
        lambda t: t.replace("Version: 1", "Version: 2"),
        lambda t: t.replace("Nonce: abcdef0123456789", "Nonce: short"),
        lambda t: t.replace("Chain ID: 31337", "Chain ID: x"),
        lambda t: t.replace("Issued At: 2026-01-02T03:04:05Z", "Issued At: yesterday"),
        lambda t: t.replace("URI: https://gateway.example\n", ""),
        lambda t: "Hello " + t,
        lambda t: t + "\nExtra: field",
    ],
)
def test_malformed_messages_are_refused(mangle: object) -> None:
    with pytest.raises(SiweError):
        SiweMessage.parse(mangle(message().text()))  # type: ignore[operator]


def test_recover_signer() -> None:
    account = Account.create()
    text = message(address=account.address).text()
    signature = account.sign_message(encode_defunct(text=text)).signature
    assert recover_signer(text, bytes(signature)) == account.address
    with pytest.raises(SiweError):
        recover_signer(text, b"\x00" * 65)


# --- the EIP's own examples, and the edge cases its grammar allows ---------------------------

#: EIP-4361's example message (the one of its "Example message" section).
EIP_EXAMPLE = (
    "example.com wants you to sign in with your Ethereum account:\n"
    "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2\n"
    "\n"
    "I accept the ExampleOrg Terms of Service: https://example.com/tos\n"
    "\n"
    "URI: https://example.com/login\n"
    "Version: 1\n"
    "Chain ID: 1\n"
    "Nonce: 32891756\n"
    "Issued At: 2021-09-30T16:25:24Z\n"
    "Resources:\n"
    "- ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/\n"
    "- https://example.com/my-web2-claim.json"
)


def test_the_eip_example_message() -> None:
    parsed = SiweMessage.parse(EIP_EXAMPLE)
    assert parsed.domain == "example.com" and parsed.scheme is None
    assert parsed.address == "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2"
    assert parsed.statement == "I accept the ExampleOrg Terms of Service: https://example.com/tos"
    assert parsed.uri == "https://example.com/login" and parsed.version == "1" and parsed.chain_id == 1
    assert parsed.nonce == "32891756"
    assert parsed.issued_at == datetime(2021, 9, 30, 16, 25, 24, tzinfo=UTC)
    assert parsed.resources == (
        "ipfs://bafybeiemxf5abjwjbikoz4mc3a3dla6ual3jsgpdr4cjr3oz3evfyavhwq/",
        "https://example.com/my-web2-claim.json",
    )
    assert parsed.text() == EIP_EXAMPLE


def test_the_eip_example_with_scheme_domain_and_port() -> None:
    text = EIP_EXAMPLE.replace("example.com wants", "https://example.com:3388 wants", 1)
    parsed = SiweMessage.parse(text)
    assert (parsed.scheme, parsed.domain) == ("https", "example.com:3388")
    assert parsed.text() == text


@pytest.mark.parametrize(
    ("change", "check"),
    [
        # No statement: the address, then two empty lines before the URI.
        (
            lambda t: t.replace("I accept the ExampleOrg Terms of Service: https://example.com/tos\n", ""),
            lambda m: m.statement is None,
        ),
        # Every optional field, in the EIP's order.
        (
            lambda t: t.replace(
                "Issued At: 2021-09-30T16:25:24Z\n",
                "Issued At: 2021-09-30T16:25:24Z\nExpiration Time: 2021-10-01T16:25:24.123Z\n"
                "Not Before: 2021-09-30T16:25:24+02:00\nRequest ID: some-request-id\n",
            ),
            lambda m: (
                m.expiration_time is not None
                and m.expiration_time.microsecond == 123000
                and m.not_before is not None
                and m.request_id == "some-request-id"
            ),
        ),
        # An authority with an IP address and port; no resources.
        (
            lambda t: t.replace("example.com wants", "127.0.0.1:4361 wants").split("\nResources:")[0],
            lambda m: m.domain == "127.0.0.1:4361" and m.resources == (),
        ),
        # A nonce of letters and digits, longer than the minimum.
        (lambda t: t.replace("Nonce: 32891756", "Nonce: aZ09aZ09aZ09"), lambda m: m.nonce == "aZ09aZ09aZ09"),
    ],
)
def test_what_the_grammar_allows(change: object, check: object) -> None:
    parsed = SiweMessage.parse(change(EIP_EXAMPLE))  # type: ignore[operator]
    assert check(parsed)  # type: ignore[operator]


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t.replace("Nonce: 32891756", "Nonce: 1234567"),  # under 8 characters
        lambda t: t.replace("Nonce: 32891756", "Nonce: 3289-1756"),  # not alphanumeric
        lambda t: t.replace("Chain ID: 1", "Chain ID: one"),
        lambda t: t.replace("Version: 1", "Version: 1.0"),
        lambda t: t.replace("Issued At: 2021-09-30T16:25:24Z", "Issued At: 2021-09-30T16:25:24"),  # no zone
        lambda t: t.replace("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"),
        lambda t: t.replace("Version: 1\nChain ID: 1\n", "Chain ID: 1\nVersion: 1\n"),  # out of order
        lambda t: t.replace("example.com wants", "example .com wants"),
        lambda t: t.replace("- ipfs://", "ipfs://"),
        lambda t: t.replace("Nonce: 32891756\n", ""),
    ],
)
def test_what_the_grammar_refuses(change: object) -> None:
    with pytest.raises(SiweError):
        SiweMessage.parse(change(EIP_EXAMPLE))  # type: ignore[operator]
