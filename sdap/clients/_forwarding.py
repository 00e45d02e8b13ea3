"""Gasless calls through the HolderForwarder (OpenZeppelin ERC2771Forwarder): building a holder's
request and relaying it.

The forwarder hides why a relayed call failed (it reverts with a bare `FailedCall()`), so both sides
simulate the inner call as its target (the asset, or the exchange for offers and escrows) will see
it (sent by the forwarder, the holder's address appended to the calldata) and raise the target's
own decoded error instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from web3.types import TxParams

from sdap import _validate as check
from sdap.errors import ContractError, ForwardRequestGasTooLow, InvalidArgument, RpcError
from sdap.signing import normalise_forward_request
from sdap.transactions import Receipt, Transactor, chain_errors
from sdap.types import ForwardRequest

if TYPE_CHECKING:
    from sdap.platform import Platform

#: Extra gas a holder grants over the simulated inner call: storage may be warmer or colder when
#: the relayer submits, and the forwarder must keep 1/63 of it (EIP-150) to prove it passed enough.
INNER_GAS_MARGIN = 1.3
INNER_GAS_FLOOR = 30_000

#: How long a holder's request stays valid by default, in seconds of chain time.
DEFAULT_TTL = 3_600


def build_request(
    platform: Platform, holder: str, data: bytes, *, deadline: int, gas: int | None, to: str | None = None
) -> ForwardRequest:
    """A request from `holder` to `to` (the asset contract by default; the exchange for offers and
    escrows: both trust the forwarder) carrying `data`, with the forwarder's next nonce for
    `holder`. Without `gas`, the inner call is simulated against `to`: a call it would refuse
    raises its decoded error here, before anything is signed."""
    target = platform.deployment.asset if to is None else check.address(to, "to")
    nonce = int(platform.views.forwarder.call("nonces", holder))
    if gas is None:
        with chain_errors():
            estimate = platform.w3.eth.estimate_gas(_inner_call(platform, holder, target, data))
        gas = max(INNER_GAS_FLOOR, int(estimate * INNER_GAS_MARGIN))
    request = ForwardRequest(
        from_=holder,
        to=target,
        value=0,
        gas=gas,
        nonce=nonce,
        deadline=deadline,
        data=data,
    )
    return normalise_forward_request(request)


def relay(platform: Platform, tx: Transactor, request: ForwardRequest, signature: bytes | str) -> Receipt:
    """Submits a signed request to `forwarder.execute`, paid by `tx`'s account."""
    request = normalise_forward_request(request)
    sig = check.signature(signature)
    if request.value != 0:
        raise InvalidArgument("value must be 0: the platform's contracts accept no ether")
    forwarder = platform.contracts.forwarder
    request_data = request.as_request_data(sig)
    valid = bool(platform.views.forwarder.call("verify", request_data))
    if valid:
        # The forwarder would accept it: what could still fail is the inner call.
        require_gas(platform, request)
    # Otherwise the forwarder's own refusal (expired, wrong signer, untrusted target) is raised
    # by the transactor's simulation of `execute`, decoded.
    return tx.send(forwarder.functions.execute(request_data))


def require_gas(platform: Platform, request: ForwardRequest) -> None:
    """Raises the target's decoded error for a call it would refuse, and ForwardRequestGasTooLow
    when the request grants the call less gas than it needs (the forwarder would fail it with a
    bare `FailedCall()`, or the node refuse the relay's gas limit)."""
    inner = _inner_call(platform, request.from_, request.to, request.data)
    with chain_errors():
        estimate = int(platform.w3.eth.estimate_gas(inner))
    # The estimate is of a transaction: its intrinsic gas is no part of what the forwarder grants.
    intrinsic = _intrinsic_gas(request.data + bytes.fromhex(request.from_[2:]))
    needed = estimate - intrinsic
    if request.gas >= needed:
        return
    # The estimate may be generous: run the call with exactly the gas granted before refusing.
    try:
        with chain_errors():
            platform.w3.eth.call(cast(TxParams, {**inner, "gas": request.gas + intrinsic}))
    except (ContractError, RpcError):
        raise ForwardRequestGasTooLow(request.gas, needed) from None


def _intrinsic_gas(data: bytes) -> int:
    """A call's gas before it runs: the transaction's base and its calldata (EIP-2028)."""
    return 21_000 + sum(16 if byte else 4 for byte in data)


def _inner_call(platform: Platform, holder: str, to: str, data: bytes) -> TxParams:
    call: dict[str, Any] = {
        "from": platform.deployment.forwarder,
        "to": to,
        "data": "0x" + (data + bytes.fromhex(holder[2:])).hex(),
    }
    return cast(TxParams, call)
