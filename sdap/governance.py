"""The governed regulator: the council agrees, the timelock waits, then anyone executes.

On a governed deployment (sdap.deployment.GovernanceSetup) REGULATOR_ROLE is held by a
RegulatorTimelock whose only proposer and canceller is a RegulatorCouncil. A regulator power runs in
three steps, each its own transaction:

    governance = platform.governance()
    proposal = governance.propose(platform.regulator_calls.grant_role("operator", operator))
    proposal = governance.sign(proposal, signer_1)       # each signer, anywhere: the file travels
    proposal = governance.sign(proposal, signer_2)       # (Proposal.to_json / from_json)
    governance.schedule(proposal, anyone)                # the council's batch: timelock.schedule(...)
    ...                                                  # the delay passes in public
    governance.execute(proposal, anyone)                 # timelock.execute(...): the act itself

`propose_cancel(proposal)` makes the council's other batch, timelock.cancel(id), signed the same way
and sent by `cancel`. Compliance freezes and supervisors' pauses are not governed: they act at once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eth_abi import encode
from eth_account.messages import encode_typed_data
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from web3.contract import Contract
from web3.contract.contract import ContractFunction

from sdap import _validate as check
from sdap.artifacts import load_artifact
from sdap.errors import ConfigurationError, InvalidArgument
from sdap.signing import digest, recover_signer
from sdap.transactions import Receipt, calldata_of, chain_errors, rpc
from sdap.types import Role

if TYPE_CHECKING:
    from sdap.platform import Platform

#: ERC-7821 batch mode: callType batch (0x01), default execType, no selector, no payload.
BATCH_MODE = bytes.fromhex("01" + "00" * 31)
#: The council's EIP-712 domain name (contracts/governance/RegulatorCouncil.sol).
COUNCIL_DOMAIN = "SDAP Regulator Council"
#: The proposal file's format.
PROPOSAL_FORMAT = 1
NO_PREDECESSOR = b"\0" * 32
_DOMAIN_FIELDS = [
    {"name": "name", "type": "string"},
    {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"},
    {"name": "verifyingContract", "type": "address"},
]
_EXECUTION_FIELDS = [
    {"name": "mode", "type": "bytes32"},
    {"name": "executionData", "type": "bytes"},
    {"name": "nonce", "type": "uint256"},
]


class ProposalState(IntEnum):
    """The timelock's state of the proposal's operation (TimelockController.OperationState)."""

    UNSET = 0  # not scheduled (or cancelled)
    WAITING = 1  # scheduled, its delay not yet passed
    READY = 2  # anyone may execute it
    DONE = 3  # executed


class ProposalAction(StrEnum):
    """What the council's batch does with the operation: schedule it, or cancel it."""

    SCHEDULE = "schedule"
    CANCEL = "cancel"


@dataclass(frozen=True)
class Proposal:
    """One council batch about one timelock operation, and the signatures gathered for it.

    The operation is the regulator call `target`/`data` (run by the timelock, no value, no
    predecessor, under `salt`, after `delay` seconds); `operation_id` is the timelock's id of it.
    The batch (`mode`, `execution_data`) calls the timelock's schedule or, for `action` CANCEL, its
    cancel; signers sign `digest`, the council's EIP-712 digest of the batch under `nonce`."""

    action: ProposalAction
    chain_id: int
    council: str
    timelock: str
    target: str
    data: bytes
    salt: bytes
    delay: int
    operation_id: bytes
    nonce: int
    mode: bytes
    execution_data: bytes
    digest: bytes
    description: str = ""
    #: Signer address -> its 65-byte signature over `digest`.
    signatures: Mapping[str, bytes] = field(default_factory=dict)

    def to_json(self) -> str:
        values = {k: "0x" + v.hex() if isinstance(v, bytes) else v for k, v in asdict(self).items()}
        values["action"] = str(self.action)
        values["signatures"] = {s: "0x" + sig.hex() for s, sig in self.signatures.items()}
        return json.dumps({"format": PROPOSAL_FORMAT, **values}, indent=2, sort_keys=True) + "\n"

    def save(self, path: str | Path) -> Path:
        target = Path(path)
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_text(self.to_json())
        tmp.replace(target)  # never a half-written proposal
        return target

    @classmethod
    def from_json(cls, text: str) -> Proposal:
        """Reads a proposal file. Its batch is rebuilt from the operation it names and its digest
        recomputed, and every signature must be its signer's over that digest: a file altered on
        its way refuses to load (ConfigurationError) instead of showing one act and carrying another."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigurationError(f"proposal is not JSON: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != PROPOSAL_FORMAT:
            raise ConfigurationError(
                f"unsupported proposal format {data.get('format') if isinstance(data, dict) else data!r}"
            )
        try:
            proposal = cls(
                action=ProposalAction(data["action"]),
                chain_id=check.uint(data["chain_id"], "chain_id"),
                council=check.address(data["council"], "council"),
                timelock=check.address(data["timelock"], "timelock"),
                target=check.address(data["target"], "target"),
                data=_hex(data["data"], "data"),
                salt=check.hash32(data["salt"], "salt"),
                delay=check.uint(data["delay"], "delay"),
                operation_id=check.hash32(data["operation_id"], "operation_id"),
                nonce=check.uint(data["nonce"], "nonce"),
                mode=check.hash32(data["mode"], "mode"),
                execution_data=_hex(data["execution_data"], "execution_data"),
                digest=check.hash32(data["digest"], "digest"),
                description=str(data.get("description", "")),
                signatures={
                    check.address(s, "signer"): _hex(sig, "signature") for s, sig in dict(data["signatures"]).items()
                },
            )
        except KeyError as exc:
            raise ConfigurationError(f"proposal lacks {exc.args[0]!r}") from None
        except (InvalidArgument, ValueError, TypeError) as exc:
            raise ConfigurationError(f"proposal: {exc}") from None
        _verify(proposal)
        return proposal

    @classmethod
    def load(cls, path: str | Path) -> Proposal:
        try:
            return cls.from_json(Path(path).read_text())
        except FileNotFoundError:
            raise ConfigurationError(f"no proposal file at {path}") from None

    @property
    def signers(self) -> list[str]:
        """Who signed, ordered as the council wants them: by keccak256 of the 20 address bytes."""
        return sorted(self.signatures, key=lambda s: keccak(bytes.fromhex(s[2:])))


class Governance:
    """The council and the timelock of a governed deployment (`platform.governance()`)."""

    def __init__(self, platform: Platform) -> None:
        d = platform.deployment
        if not d.governed:
            raise ConfigurationError(
                "this deployment's regulator is a single key, not a council and a timelock: it sends its acts "
                "itself (deploy with a council, `sdap deploy --council ...`, to govern it)"
            )
        self.platform = platform
        w3 = platform.w3
        self.council: Contract = w3.eth.contract(address=d.council, abi=load_artifact("RegulatorCouncil").abi)  # type: ignore[call-overload]
        self.timelock: Contract = w3.eth.contract(address=d.timelock, abi=load_artifact("RegulatorTimelock").abi)  # type: ignore[call-overload]

    def __repr__(self) -> str:
        return f"Governance(council={self.council.address}, timelock={self.timelock.address})"

    # --- what the council and the timelock are now ----------------------------------------------

    def min_delay(self) -> int:
        return int(rpc(self.timelock.functions.getMinDelay().call))

    def threshold(self) -> int:
        return int(rpc(self.council.functions.threshold().call))

    def signers(self) -> list[str]:
        """The council's signers (ERC-7913 signer bytes read as the 20-byte addresses they are)."""
        count = int(rpc(self.council.functions.getSignerCount().call))
        raw = rpc(self.council.functions.getSigners(0, count).call)
        return [to_checksum_address(bytes(s)) if len(s) == 20 else "0x" + bytes(s).hex() for s in raw]

    def next_nonce(self) -> int:
        return int(rpc(self.council.functions.nextNonce().call))

    def status(self, proposal: Proposal) -> ProposalState:
        return ProposalState(rpc(self.timelock.functions.getOperationState(proposal.operation_id).call))

    def ready_at(self, proposal: Proposal) -> int:
        """The timestamp from which the operation may be executed; 0 when it is not scheduled (or
        was cancelled), 1 once executed (the timelock's own marks)."""
        return int(rpc(self.timelock.functions.getTimestamp(proposal.operation_id).call))

    def describe(self, proposal: Proposal) -> str:
        """What the operation does, decoded from its call: `PlatformRegistry.grantRole(role=OPERATOR_ROLE, ...)`."""
        contracts = {c.address: (name, c) for name, c in vars(self.platform.contracts).items()}
        found = contracts.get(proposal.target)
        if found is None:
            return f"a call to {proposal.target} (0x{proposal.data[:4].hex()}...)"
        name, contract = found
        try:
            fn, args = contract.decode_function_input(proposal.data)
        except ValueError:
            return f"a call to the {name} (0x{proposal.data[:4].hex()}...)"
        return f"{name}.{fn.fn_name}({', '.join(f'{k}={_show(v)}' for k, v in args.items())})"

    # --- the three steps -----------------------------------------------------------------------

    def propose(
        self,
        call: ContractFunction,
        *,
        salt: bytes | str | None = None,
        delay: int | None = None,
        description: str = "",
    ) -> Proposal:
        """The proposal to run `call` (a regulator power, e.g. `platform.regulator_calls.grant_permit(...)`)
        as the timelock after `delay` seconds (default and minimum: the timelock's delay), unsigned.

        The call is simulated first as the timelock would send it now, so a refusal shows (its
        decoded ContractError) before anyone signs; the state may still change during the delay.
        `salt` (default random) tells apart two operations of the same call."""
        minimum = self.min_delay()
        chosen = minimum if delay is None else check.uint(delay, "delay")
        if chosen < minimum:
            raise InvalidArgument(f"delay must be at least the timelock's {minimum} s, got {chosen}")
        target, data = str(call.address), calldata_of(call)
        with chain_errors():
            call.call({"from": self.timelock.address})
        salted = os.urandom(32) if salt is None else check.hash32(salt, "salt")
        operation_id = _operation_id(target, data, salted)
        if self.status_of(operation_id) is not ProposalState.UNSET:
            raise InvalidArgument(f"the timelock already has operation 0x{operation_id.hex()}: choose another salt")
        return self._batch(
            ProposalAction.SCHEDULE, target, data, salted, chosen, operation_id, description or _describe(call)
        )

    def propose_cancel(self, proposal: Proposal) -> Proposal:
        """The council's batch cancelling `proposal`'s operation while it waits, unsigned."""
        if proposal.action is not ProposalAction.SCHEDULE:
            raise InvalidArgument("this proposal is itself a cancellation")
        self._check_ours(proposal)
        state = self.status(proposal)
        if state not in (ProposalState.WAITING, ProposalState.READY):
            raise InvalidArgument(
                f"only a scheduled operation not yet executed can be cancelled; this one is {state.name}"
            )
        return self._batch(
            ProposalAction.CANCEL,
            proposal.target,
            proposal.data,
            proposal.salt,
            proposal.delay,
            proposal.operation_id,
            f"cancel: {proposal.description}",
        )

    def sign(self, proposal: Proposal, signer: LocalAccount) -> Proposal:
        """`proposal` with `signer`'s EIP-712 signature over its batch added. The signer must be
        on the council and the batch's nonce still the council's next one (a batch run since
        makes it stale: propose again)."""
        self._check_ours(proposal)
        address = to_checksum_address(signer.address)
        if not rpc(self.council.functions.isSigner(bytes.fromhex(address[2:])).call):
            raise InvalidArgument(f"{address} is not a signer of the council {self.council.address}")
        self._check_nonce(proposal)
        signed = signer.sign_message(encode_typed_data(full_message=_message(proposal)))
        return replace(proposal, signatures={**proposal.signatures, address: bytes(signed.signature)})

    def schedule(self, proposal: Proposal, sender: LocalAccount) -> Receipt:
        """Submits the council's batch with the signatures gathered (anyone may send it): the
        operation is scheduled (CallScheduled). Fewer than the threshold: CouncilNotAgreedError."""
        if proposal.action is not ProposalAction.SCHEDULE:
            raise InvalidArgument("this proposal cancels an operation: send it with cancel()")
        return self._submit(proposal, sender)

    def cancel(self, cancellation: Proposal, sender: LocalAccount) -> Receipt:
        """Submits a signed cancellation (`propose_cancel`): the operation is Cancelled."""
        if cancellation.action is not ProposalAction.CANCEL:
            raise InvalidArgument("this proposal schedules an operation: make its cancellation with propose_cancel()")
        return self._submit(cancellation, sender)

    def execute(self, proposal: Proposal, sender: LocalAccount) -> Receipt:
        """Runs the operation once its delay has passed (anyone may): the regulator act, by the
        timelock. Before: TimelockUnexpectedOperationStateError, nothing sent."""
        self._check_ours(proposal)
        fn = self.timelock.functions.execute(proposal.target, 0, proposal.data, NO_PREDECESSOR, proposal.salt)
        return self.platform.transactor(sender).send(fn)

    # --- internals -----------------------------------------------------------------------------

    def status_of(self, operation_id: bytes) -> ProposalState:
        return ProposalState(rpc(self.timelock.functions.getOperationState(operation_id).call))

    def _batch(
        self,
        action: ProposalAction,
        target: str,
        data: bytes,
        salt: bytes,
        delay: int,
        operation_id: bytes,
        description: str,
    ) -> Proposal:
        nonce = self.next_nonce()
        execution_data = _execution_data(action, self.timelock.address, target, data, salt, delay, operation_id)
        unsigned = Proposal(
            action=action,
            chain_id=self.platform.deployment.chain_id,
            council=to_checksum_address(self.council.address),
            timelock=to_checksum_address(self.timelock.address),
            target=to_checksum_address(target),
            data=data,
            salt=salt,
            delay=delay,
            operation_id=operation_id,
            nonce=nonce,
            mode=BATCH_MODE,
            execution_data=execution_data,
            digest=b"",
            description=description,
        )
        return replace(unsigned, digest=digest(_message(unsigned)))

    def _submit(self, proposal: Proposal, sender: LocalAccount) -> Receipt:
        self._check_ours(proposal)
        signers = proposal.signers
        signatures = encode(
            ["bytes[]", "bytes[]"],
            [[bytes.fromhex(s[2:]) for s in signers], [proposal.signatures[s] for s in signers]],
        )
        fn = self.council.functions.executeSigned(proposal.mode, proposal.execution_data, proposal.nonce, signatures)
        return self.platform.transactor(sender).send(fn)

    def _check_ours(self, proposal: Proposal) -> None:
        d = self.platform.deployment
        if (proposal.chain_id, proposal.council, proposal.timelock) != (d.chain_id, d.council, d.timelock):
            raise ConfigurationError(
                f"the proposal is for the council {proposal.council} on chain {proposal.chain_id}, "
                f"this deployment's is {d.council} on chain {d.chain_id}"
            )

    def _check_nonce(self, proposal: Proposal) -> None:
        current = self.next_nonce()
        if proposal.nonce != current:
            raise InvalidArgument(
                f"the proposal is for the council's batch {proposal.nonce}, its next is {current}: "
                "another batch ran since, so propose again"
            )


def _operation_id(target: str, data: bytes, salt: bytes) -> bytes:
    """TimelockController.hashOperation(target, 0, data, 0, salt)."""
    return keccak(
        encode(["address", "uint256", "bytes", "bytes32", "bytes32"], [target, 0, data, NO_PREDECESSOR, salt])
    )


def _execution_data(
    action: ProposalAction, timelock: str, target: str, data: bytes, salt: bytes, delay: int, operation_id: bytes
) -> bytes:
    """The council's ERC-7821 batch: one call to the timelock, schedule or cancel."""
    if action is ProposalAction.SCHEDULE:
        selector = keccak(text="schedule(address,uint256,bytes,bytes32,bytes32,uint256)")[:4]
        call = selector + encode(
            ["address", "uint256", "bytes", "bytes32", "bytes32", "uint256"],
            [target, 0, data, NO_PREDECESSOR, salt, delay],
        )
    else:
        call = keccak(text="cancel(bytes32)")[:4] + encode(["bytes32"], [operation_id])
    return encode(["(address,uint256,bytes)[]"], [[(timelock, 0, call)]])


def _message(proposal: Proposal) -> dict[str, Any]:
    """The EIP-712 typed data each signer signs: the batch and its nonce under the council's domain."""
    return {
        "types": {"EIP712Domain": _DOMAIN_FIELDS, "CouncilExecution": _EXECUTION_FIELDS},
        "primaryType": "CouncilExecution",
        "domain": {
            "name": COUNCIL_DOMAIN,
            "version": "1",
            "chainId": proposal.chain_id,
            "verifyingContract": proposal.council,
        },
        "message": {"mode": proposal.mode, "executionData": proposal.execution_data, "nonce": proposal.nonce},
    }


def _verify(proposal: Proposal) -> None:
    """The file's batch is the one its operation makes, its digest that batch's, each signature its signer's."""
    expected_id = _operation_id(proposal.target, proposal.data, proposal.salt)
    batch = _execution_data(
        proposal.action, proposal.timelock, proposal.target, proposal.data, proposal.salt, proposal.delay, expected_id
    )
    if proposal.operation_id != expected_id or proposal.execution_data != batch or proposal.mode != BATCH_MODE:
        raise ConfigurationError("proposal: its batch is not the one its operation makes (the file was altered)")
    message = _message(proposal)
    if proposal.digest != digest(message):
        raise ConfigurationError("proposal: its digest is not its batch's (the file was altered)")
    for signer, signature in proposal.signatures.items():
        try:
            recovered = recover_signer(message, signature)
        except Exception:  # noqa: BLE001 - eth_account's errors for malformed signatures vary
            recovered = ""
        if recovered != signer:
            raise ConfigurationError(f"proposal: the signature given for {signer} is not its signature of the batch")


def _describe(call: ContractFunction) -> str:
    """`grantRole(role=0x..., account=0x...)`: the call in the words of its ABI."""
    names = [i["name"] for i in call.abi.get("inputs", [])]
    shown = ", ".join(f"{n}={_show(v)}" for n, v in zip(names, call.args, strict=False))
    return f"{call.fn_name}({shown})"


_ROLE_NAMES = {role.id: role.value for role in Role}


def _show(value: Any) -> str:
    if isinstance(value, bytes):
        return _ROLE_NAMES.get(value, "0x" + value.hex())
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def _hex(value: object, name: str) -> bytes:
    text = str(value)
    if not text.startswith("0x"):
        raise InvalidArgument(f"{name} must be 0x-prefixed hex, got {text[:20]!r}")
    return bytes.fromhex(text[2:])
