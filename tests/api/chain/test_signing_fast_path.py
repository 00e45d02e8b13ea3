"""The gateway's fast EIP-1559 signing must give exactly what eth-account gives."""

from __future__ import annotations

import random

import coincurve
from eth_account import Account
from eth_utils import to_checksum_address

from api.chain.journal import _sign_1559


def test_fast_signing_matches_eth_account_byte_for_byte() -> None:
    rng = random.Random(1559)
    for _ in range(200):
        account = Account.from_key(rng.randbytes(32))
        tx = {
            "chainId": rng.choice([1, 31337, 1337, 2**32]),
            "maxPriorityFeePerGas": rng.randrange(0, 10**10),
            "maxFeePerGas": rng.randrange(10**10, 10**12),
            "gas": rng.randrange(21_000, 3_000_000),
            "to": to_checksum_address(rng.randbytes(20)),
            "value": rng.choice([0, 1, 127, 128, rng.randrange(1, 10**18)]),
            "data": "0x" + rng.randbytes(rng.choice([0, 1, 55, 56, rng.randrange(0, 300), 70_000])).hex(),
        }
        nonce = rng.randrange(0, 2**20)
        raw, tx_hash = _sign_1559(coincurve.PrivateKey(bytes(account.key)), tx, nonce)
        expected = account.sign_transaction({**tx, "nonce": nonce, "type": 2})
        assert raw == bytes(expected.raw_transaction)
        assert tx_hash == bytes(expected.hash)
