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
