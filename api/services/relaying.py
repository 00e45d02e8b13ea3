"""Relaying a holder's signed forward request (a transfer, a redemption request, an offer's take or
cancellation, an escrow's opening): the one sequence every relayed route follows, so each refuses
the same way what the operator must not pay for."""

from __future__ import annotations

from collections.abc import Callable

from api.chain.operation import Operation
from api.chain.platform import Chain
from api.errors import ForwardRequestGasTooLow, ForwardRequestNonceAhead, ForwardRequestUsed
from api.rate_limits import RateLimits
from api.services.signatures import require_signer
from sdap.clients import require_forward_request_gas
from sdap.contract_errors import FailedCallError
from sdap.errors import RpcError, UnknownRevert
from sdap.signing import forward_request_message
from sdap.transactions import Receipt
from sdap.types import ForwardRequest

#: What a node answers when a transaction's gas limit is below what it needs to start.
_GAS_LIMIT_REFUSALS = ("intrinsic gas too", "gas limit", "gasfloormorethangaslimit")


def relay(
    chain: Chain,
    limits: RateLimits,
    request: ForwardRequest,
    signature: str,
    what: str,
    check: Callable[[], None],
    op: Operation | None,
) -> Receipt:
    """Relays `request`, signed by its holder, paid by the operator. First, in this order: the
    signature is the holder's (`what` names the request in the problem), the route's own `check`
    of the call passes, the request's nonce is the holder's next, and the gas it grants covers the
    call; only then is the holder's relay gas budget charged and the request sent. A relay the
    forwarder fails anyway (the state moved) is answered by the route's `check` run again, and so
    is one whose revert cannot be decoded."""
    holder = request.from_
    if not chain.resumes(op):
        d = chain.deployment
        message = forward_request_message(request, chain_id=d.chain_id, forwarder=d.forwarder)
        require_signer(message, signature, holder, what)
        check()
        expected = chain.queries.forwarder_nonce(holder)
        if request.nonce < expected:
            raise ForwardRequestUsed(f"the {what}'s nonce {request.nonce} was already used", expected=expected)
        if request.nonce > expected:
            raise ForwardRequestNonceAhead(
                f"the {what}'s nonce {request.nonce} is past the holder's next, {expected}", expected=expected
            )
        require_forward_request_gas(chain.platform, request)
        limits.spend_gas(holder, request.gas)
    try:
        return chain.operator(op=op).relay(request, signature)
    except (FailedCallError, UnknownRevert):
        # The forwarder says only that the call failed; and a failure caused by an earlier
        # transaction of the same block is not seen again when the writer replays the relay on the
        # block before (an unknown revert). The route's check, on the state now, names the cause.
        check()
        raise
    except RpcError as exc:
        if any(refusal in str(exc).lower() for refusal in _GAS_LIMIT_REFUSALS):
            raise ForwardRequestGasTooLow(f"the node refused the relay's gas: {exc}", gas=request.gas) from None
        raise
