"""A test e-money token on the platform's chain, deployed from forge's build of
tests/contracts/utils/TestEMoney.sol (the `emoney_artifact` fixture of tests/conftest.py)."""

from __future__ import annotations

import json
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract

from sdap.foundry import foundry_binary
from sdap.platform import Platform

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "tests" / "contracts" / "utils" / "TestEMoney.sol"


@cache
def emoney_artifact() -> dict[str, Any]:
    """forge's build of the token (built now if out/ lacks it or it is older than its source)."""
    artifact = ROOT / "out" / "TestEMoney.sol" / "TestEMoney.json"
    if not artifact.exists() or artifact.stat().st_mtime < SOURCE.stat().st_mtime:
        subprocess.run([foundry_binary("forge"), "build", str(SOURCE)], cwd=ROOT, check=True, capture_output=True)
    return dict(json.loads(artifact.read_text()))


class EMoney:
    """A test e-money token (tenge, 2 decimals: amounts in tiyn) deployed on the platform's chain.
    It is the bank's token, not the platform's: the regulator lists it on the exchange to accept it."""

    def __init__(self, platform: Platform, deployer: LocalAccount, artifact: dict[str, Any] | None = None) -> None:
        artifact = emoney_artifact() if artifact is None else artifact
        self.platform = platform
        self._deployer = deployer
        code = bytes.fromhex(artifact["bytecode"]["object"][2:])
        sent = platform.transactor(deployer).send_raw(None, code)
        receipt = platform.w3.eth.get_transaction_receipt(sent.tx_hash)  # type: ignore[arg-type]
        self.address: str = Web3.to_checksum_address(str(receipt["contractAddress"]))
        self.contract: Contract = platform.w3.eth.contract(address=self.address, abi=artifact["abi"])  # type: ignore[call-overload]

    def mint(self, to: str, amount: int) -> None:
        self.platform.transactor(self._deployer).send(self.contract.functions.mint(to, amount))

    def balance_of(self, account: str) -> int:
        return int(self.contract.functions.balanceOf(account).call())
