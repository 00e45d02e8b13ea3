"""Redemption in two sides (Rules item 2.3): a holder signs its request for the operator to relay
(its units move into the asset's custody), the issuance's issuer confirms delivery (they are burnt)
or refuses, as the regulator may by order (they go back). Each is checked against the chain first,
with the contract's own codes; the contract checks them all again."""

from __future__ import annotations

from functools import partial

from api.auth import Principal, Role
from api.chain.operation import Operation
from api.chain.platform import Chain
from api.errors import RedemptionNotFound, SecuredAssetNotRedemptionParty, SecuredAssetRedemptionNotRequested
from api.rate_limits import RateLimits
from api.schemas import redemptions as schema
from api.schemas.common import hex32, name_of
from api.schemas.holders import SigningRequest
from api.services.index import EventIndex
from api.services.refusals import refuse
from api.services.relaying import relay
from api.services.signatures import typed_data
from sdap.clients import FORWARD_REQUEST_TTL, build_forward_request
from sdap.signing import forward_request_digest, forward_request_message
from sdap.types import ForwardRequest, RedemptionRequest, RedemptionState, Refusal


class Redemptions:
    def __init__(self, chain: Chain, limits: RateLimits, index: EventIndex) -> None:
        self._chain = chain
        self._limits = limits
        self._index = index

    # --- reads --------------------------------------------------------------------------------

    def get(self, request_id: int) -> schema.Redemption:
        return _redemption(self._found(request_id))

    def find(
        self,
        *,
        issuance_id: int | None,
        holder: str | None,
        state: RedemptionState | None,
        after: int,
        limit: int,
    ) -> list[schema.Redemption]:
        """At most `limit` requests with ids past `after`, in id order, of `issuance_id`, by `holder`
        and in `state` when named (an issuer's queue: its issuance, `requested`), from the event
        index (RedemptionRequested and the events that answer a request): no request is read from
        the chain, whose asset keeps no list per issuance or holder."""
        self._index.sync()
        rows = self._index.redemption_requests(
            issuance_id=issuance_id,
            holder=holder,
            state=None if state is None else name_of(state),
            after=after,
            limit=limit,
        )
        return [
            schema.Redemption(
                id=row["request_id"],
                issuance_id=row["issuance_id"],
                holder=row["holder"],
                state=row["state"],
                amount=int(row["amount"]),
                fulfilment_ref=row["fulfilment_ref"],
            )
            for row in rows
        ]

    def _found(self, request_id: int) -> RedemptionRequest:
        request = self._chain.queries.redemption_request(request_id)
        if request.state is RedemptionState.NONE:
            raise RedemptionNotFound(f"there is no redemption request {request_id}")
        return request

    # --- the holder's request, relayed ---------------------------------------------------------

    def _check(self, holder: str, issuance_id: int, amount: int) -> None:
        """The contract's `checkRedemption`: the holder's dealing rules, its balance, its free units."""
        queries = self._chain.queries
        refusal = queries.check_redemption(issuance_id, holder, amount)
        if refusal is not Refusal.NONE:
            refuse(refusal, queries, "", issuance_id=issuance_id)

    def _calldata(self, holder: str, issuance_id: int, amount: int, fulfilment_ref: str) -> bytes:
        asset = self._chain.platform.contracts.asset
        args = [issuance_id, holder, amount, bytes.fromhex(fulfilment_ref[2:])]
        return bytes.fromhex(asset.encode_abi("requestRedemption", args=args)[2:])

    def forward_request(self, holder: str, issuance_id: int, amount: int, fulfilment_ref: str) -> SigningRequest:
        """The forward request `holder` signs to ask for this redemption, checked against the chain first."""
        self._check(holder, issuance_id, amount)
        deadline = self._chain.queries.chain_time() + FORWARD_REQUEST_TTL
        data = self._calldata(holder, issuance_id, amount, fulfilment_ref)
        request = build_forward_request(self._chain.platform, holder, data, deadline=deadline, gas=None)
        d = self._chain.deployment
        message = forward_request_message(request, chain_id=d.chain_id, forwarder=d.forwarder)
        return SigningRequest(
            typed_data=typed_data(message),
            digest=hex32(forward_request_digest(request, chain_id=d.chain_id, forwarder=d.forwarder)),
            fields={
                "issuance_id": issuance_id,
                "amount": amount,
                "fulfilment_ref": fulfilment_ref,
                "gas": request.gas,
                "nonce": request.nonce,
                "deadline": request.deadline,
            },
        )

    def relay(
        self, holder: str, body: schema.RelayedRedemption, op: Operation | None = None
    ) -> schema.RedemptionRequested:
        """Relays the holder's signed request through the forwarder, paid by the operator."""
        d = self._chain.deployment
        request = ForwardRequest(
            from_=holder,
            to=d.asset,
            value=0,
            gas=body.gas,
            nonce=body.nonce,
            deadline=body.deadline,
            data=self._calldata(holder, body.issuance_id, body.amount, body.fulfilment_ref),
        )
        check = partial(self._check, holder, body.issuance_id, body.amount)
        receipt = relay(self._chain, self._limits, request, body.signature, "redemption request", check, op)
        return schema.RedemptionRequested(
            request_id=int(receipt.event("RedemptionRequested")["requestId"]),
            issuance_id=body.issuance_id,
            holder=holder,
            amount=body.amount,
            fulfilment_ref=body.fulfilment_ref,
            tx_hash=receipt.tx_hash,
            block_number=receipt.block_number,
        )

    # --- the issuer's answer ------------------------------------------------------------------

    def _pending(self, caller: Principal, request_id: int) -> RedemptionRequest:
        """The contract's checks, in its order: the request is pending, then the caller is the
        issuance's issuer (or, to refuse, the regulator)."""
        request = self._found(request_id)
        if request.state is not RedemptionState.REQUESTED:
            raise SecuredAssetRedemptionNotRequested(
                "SecuredAsset_RedemptionNotRequested",
                f"redemption request {request_id} was already {name_of(request.state)}",
                {"request_id": request_id},
            )
        if caller.role != Role.REGULATOR and self._chain.queries.issuance(request.issuance_id).issuer != caller.address:
            raise SecuredAssetNotRedemptionParty(
                "SecuredAsset_NotRedemptionParty",
                f"only the issuer of issuance {request.issuance_id} answers redemption request {request_id}",
                {"request_id": request_id, "account": caller.address},
            )
        return request

    def confirm(
        self, caller: Principal, request_id: int, body: schema.DeliveryConfirmation, op: Operation | None = None
    ) -> schema.RedemptionConfirmed:
        """The issuer confirms delivery with its own key: the units in custody are burnt."""
        if not self._chain.resumes(op):
            self._pending(caller, request_id)
        receipt = self._chain.issuer(caller.address, op).confirm_redemption(request_id, body.delivery_ref)
        event = receipt.event("RedemptionConfirmed")
        return schema.RedemptionConfirmed(
            request_id=request_id,
            issuance_id=int(event["id"]),
            delivery_ref=hex32(bytes(event["deliveryRef"])),
            by=event["by"],
            tx_hash=receipt.tx_hash,
            block_number=receipt.block_number,
        )

    def refuse(
        self, caller: Principal, request_id: int, reason_hash: str, op: Operation | None = None
    ) -> schema.RedemptionRefused:
        """The issuer refuses, or the regulator by order, with the caller's own key: the units go
        back to the holder's wallet."""
        if not self._chain.resumes(op):
            self._pending(caller, request_id)
        if caller.role == Role.REGULATOR:
            receipt = self._chain.regulator(caller.address, op).refuse_redemption(request_id, reason_hash)
        else:
            receipt = self._chain.issuer(caller.address, op).refuse_redemption(request_id, reason_hash)
        event = receipt.event("RedemptionRefused")
        return schema.RedemptionRefused(
            request_id=request_id,
            issuance_id=int(event["id"]),
            returned_to=event["returnedTo"],
            reason_hash=hex32(bytes(event["reasonHash"])),
            by=event["by"],
            tx_hash=receipt.tx_hash,
            block_number=receipt.block_number,
        )


def _redemption(r: RedemptionRequest) -> schema.Redemption:
    return schema.Redemption(
        id=r.id,
        issuance_id=r.issuance_id,
        holder=r.holder,
        state=name_of(r.state),
        amount=r.amount,
        fulfilment_ref=hex32(r.fulfilment_ref),
    )
