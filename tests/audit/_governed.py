"""Governed histories for the auditor's tests: the regulator is a timelock the council schedules on.

`Governed` is a History whose regulator is a RegulatorTimelock (minimum delay `DELAY`) proposed to
by a RegulatorCouncil of three keys (accounts 16, 17 and 18) agreeing two of three: every act the
History sends as the regulator runs as an operation the council schedules (signed by two), that
waits its delay and is then executed by anyone. With `permissive=True` the council and the timelock
are the Permissive* stand-ins (tests/contracts/utils): the real contracts with doors that write what
the real ones refuse (a batch under any signers, an operation never scheduled or run early, a call
with no CallExecuted). The real pair is deployed by the SDK (deploy_platform with a
GovernanceSetup); the permissive one the same way by hand.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from eth_abi import encode
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3.contract.contract import ContractFunction

from sdap.deployment import Deployment, GovernanceSetup, deploy_platform
from sdap.events import EventDecoder
from sdap.foundry import foundry_binary
from sdap.platform import Platform
from sdap.transactions import Receipt, Transactor, calldata_of
from tests.audit.conftest import History

ROOT = Path(__file__).resolve().parents[2]
#: ERC-7821 batch mode: callType batch (0x01), execType default, no selector.
BATCH_MODE = bytes.fromhex("01" + "00" * 31)
DELAY = 3600
NO_SALT = b"\0" * 32
METADATA = "https://sdap.example/meta/{id}.json"
GOVERNANCE = ("RegulatorCouncil", "RegulatorTimelock", "PermissiveCouncil", "PermissiveTimelock")


def governance_artifacts() -> dict[str, dict[str, Any]]:
    """forge's builds of the council, the timelock and their permissive stand-ins (built now if
    out/ lacks them or they are older than their sources)."""
    sources = [ROOT / "tests" / "contracts" / "utils" / f"{name}.sol" for name in GOVERNANCE[2:]]
    artifacts = [ROOT / "out" / f"{name}.sol" / f"{name}.json" for name in GOVERNANCE]
    newest = max(s.stat().st_mtime for s in [*sources, *(ROOT / "contracts" / "governance").glob("*.sol")])
    if any(not a.exists() or a.stat().st_mtime < newest for a in artifacts):
        build = [foundry_binary("forge"), "build", *map(str, sources)]
        subprocess.run(build, cwd=ROOT, check=True, capture_output=True)
    return {name: dict(json.loads(a.read_text())) for name, a in zip(GOVERNANCE, artifacts, strict=True)}


def governed_deployment(base: Deployment, council: str, timelock: str, first_block: int) -> Deployment:
    """`base` as a governed deployment whose history starts at `first_block` (the council's)."""
    return replace(base, council=council, timelock=timelock, regulator=timelock, deployment_block=first_block)


@dataclass(frozen=True)
class Scheduled:
    """An operation the council scheduled: what executes it."""

    operation_id: bytes
    target: str
    data: bytes
    salt: bytes
    receipt: Receipt


class Governed(History):
    def __init__(
        self,
        platform: Platform,
        accounts: list[LocalAccount],
        artifacts: dict[str, dict[str, Any]],
        *,
        permissive: bool = False,
    ) -> None:
        w3 = platform.w3
        self.signers = accounts[16:19]
        deployer = Transactor(w3, accounts[0], EventDecoder())
        names = ("PermissiveCouncil", "PermissiveTimelock") if permissive else ("RegulatorCouncil", "RegulatorTimelock")
        if permissive:
            signer_bytes = [bytes.fromhex(s.address[2:]) for s in self.signers]
            made = deployer.send_raw(None, self._code(artifacts[names[0]], ["bytes[]", "uint64"], [signer_bytes, 2]))
            council = str(w3.eth.get_transaction_receipt(made.tx_hash)["contractAddress"])  # type: ignore[arg-type]
            lock = deployer.send_raw(None, self._code(artifacts[names[1]], ["uint256", "address"], [DELAY, council]))
            timelock = str(w3.eth.get_transaction_receipt(lock.tx_hash)["contractAddress"])  # type: ignore[arg-type]
            base = deploy_platform(w3, deployer, timelock, METADATA)
            deployment = governed_deployment(base, council, timelock, made.block_number)
        else:
            setup = GovernanceSetup([s.address for s in self.signers], threshold=2, min_delay=DELAY)
            deployment = deploy_platform(w3, deployer, metadata_uri=METADATA, governance=setup)
        super().__init__(Platform(w3, deployment), accounts)
        contract = w3.eth.contract
        self.council = contract(address=deployment.council, abi=artifacts[names[0]]["abi"])  # type: ignore[call-overload]
        self.timelock = contract(address=deployment.timelock, abi=artifacts[names[1]]["abi"])  # type: ignore[call-overload]
        self.runner = accounts[19]  # anyone: submits the council's batches and executes operations
        self._salts = 0
        self.scheduled: list[Scheduled] = []  # every operation the council scheduled, in order

    @staticmethod
    def _code(artifact: dict[str, Any], types: list[str], args: list[Any]) -> bytes:
        return bytes.fromhex(artifact["bytecode"]["object"][2:]) + encode(types, args)

    def send(self, account: LocalAccount, fn: Any) -> Receipt:
        """As the regulator: the council schedules `fn`, its delay passes and anyone executes it."""
        if account is self.regulator:
            return self.govern(fn)
        return super().send(account, fn)

    def run(self, fn: ContractFunction) -> Receipt:
        """Anyone (the runner) sends `fn`."""
        return self.platform.transactor(self.runner).send(fn)

    # The council ------------------------------------------------------------------------------

    def batch(
        self, calls: list[tuple[str, bytes]], signers: list[LocalAccount] | None = None, *, unchecked: bool = False
    ) -> Receipt:
        """The council runs `calls` (target, calldata), signed by `signers` (the first two by
        default). `unchecked`: through the permissive door, naming the signers without signatures."""
        data = encode(["(address,uint256,bytes)[]"], [[(target, 0, payload) for target, payload in calls]])
        chosen = sorted(
            self.signers[:2] if signers is None else signers, key=lambda s: keccak(bytes.fromhex(s.address[2:]))
        )
        names = [bytes.fromhex(s.address[2:]) for s in chosen]
        c = self.council.functions
        if unchecked:
            return self.run(c.executeUnchecked(BATCH_MODE, data, names))
        nonce = c.nextNonce().call()
        digest = c.executionDigest(BATCH_MODE, data, nonce).call()
        sigs = [bytes(s.unsafe_sign_hash(digest).signature) for s in chosen]
        signatures = encode(["bytes[]", "bytes[]"], [names, sigs])
        return self.run(c.executeSigned(BATCH_MODE, data, nonce, signatures))

    def council_call(self, fn: ContractFunction) -> tuple[str, bytes]:
        return str(fn.address), calldata_of(fn)

    # The timelock -----------------------------------------------------------------------------

    def schedule(
        self,
        fn: ContractFunction,
        *,
        delay: int = DELAY,
        signers: list[LocalAccount] | None = None,
        unchecked: bool = False,
    ) -> Scheduled:
        """The council schedules `fn` on the timelock (a new salt each time)."""
        self._salts += 1
        salt = self._salts.to_bytes(32, "big")
        target, data = str(fn.address), calldata_of(fn)
        t = self.timelock.functions
        receipt = self.batch(
            [self.council_call(t.schedule(target, 0, data, NO_SALT, salt, delay))], signers, unchecked=unchecked
        )
        op = Scheduled(t.hashOperation(target, 0, data, NO_SALT, salt).call(), target, data, salt, receipt)
        self.scheduled.append(op)
        return op

    def execute(self, op: Scheduled) -> Receipt:
        return self.run(self.timelock.functions.execute(op.target, 0, op.data, NO_SALT, op.salt))

    def cancel(self, op: Scheduled, signers: list[LocalAccount] | None = None) -> Receipt:
        return self.batch([self.council_call(self.timelock.functions.cancel(op.operation_id))], signers)

    def govern(self, fn: ContractFunction) -> Receipt:
        op = self.schedule(fn)
        self.wait(DELAY)
        return self.execute(op)
