"""The writer's signer gives exactly what eth-account gives (api.chain.signing): the same raw
transaction and hash for EIP-1559 transactions of every shape, and legacy ones signed by
eth-account itself."""

from __future__ import annotations

import random

from eth_account import Account
from eth_utils import to_checksum_address

from api.chain.signing import TransactionSigner


def test_eip1559_transactions_match_eth_account_byte_for_byte() -> None:
    rng = random.Random(1559)
    for _ in range(200):
        account = Account.from_key(rng.randbytes(32))
        tx = {
            "chainId": rng.choice([1, 31337, 1337, 2**32]),
            "nonce": rng.choice([0, 1, 127, 128, rng.randrange(0, 2**40)]),
            "maxPriorityFeePerGas": rng.randrange(0, 10**10),
            "maxFeePerGas": rng.randrange(10**10, 10**12),
            "gas": rng.randrange(21_000, 3_000_000),
            "to": to_checksum_address(rng.randbytes(20)),
            "value": rng.choice([0, 1, 127, 128, rng.randrange(1, 10**18)]),
            "data": rng.randbytes(rng.choice([0, 1, 55, 56, rng.randrange(0, 300), 70_000])),
        }
        raw, tx_hash = TransactionSigner(account).sign(tx)
        expected = account.sign_transaction({**tx, "type": 2})
        assert raw == bytes(expected.raw_transaction) and tx_hash == bytes(expected.hash)


def test_a_legacy_transaction_is_signed_by_eth_account() -> None:
    account = Account.from_key(b"\x07" * 32)
    tx = {
        "chainId": 31337,
        "nonce": 3,
        "gasPrice": 10**9,
        "gas": 50_000,
        "to": "0x" + "11" * 20,
        "value": 0,
        "data": b"\x01",
    }
    raw, tx_hash = TransactionSigner(account).sign(tx)
    expected = account.sign_transaction(tx)
    assert raw == bytes(expected.raw_transaction) and tx_hash == bytes(expected.hash)
