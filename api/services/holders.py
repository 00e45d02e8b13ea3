"""A signed-in holder's own account: status, balances, history, and transfers it signs for the
operator to relay (the holder needs no gas; the asset records the holder as the sender)."""

from __future__ import annotations

from functools import partial

from api.chain.operation import Operation
from api.chain.platform import Chain
from api.rate_limits import RateLimits
from api.schemas import holders as schema
from api.schemas.common import hex32, name_of
from api.schemas.issuances import HolderBalance
from api.services.index import EventIndex
from api.services.index_batch import ZERO
from api.services.refusals import refuse
from api.services.relaying import relay
from api.services.signatures import typed_data
from sdap.clients import FORWARD_REQUEST_TTL, build_forward_request
from sdap.signing import forward_request_digest, forward_request_message
from sdap.types import ForwardRequest, Refusal


class Holders:
    def __init__(self, chain: Chain, index: EventIndex, limits: RateLimits) -> None:
        self._chain = chain
        self._index = index
        self._limits = limits

    def me(self, address: str) -> schema.Me:
        queries = self._chain.queries
        participant = queries.participant(address)
        return schema.Me(
            address=address,
            status=name_of(queries.participant_status(address)),
            acknowledged_notice=participant.acknowledged_notice,
            notice_in_force=queries.notice_in_force(),
        )

    def balances(self, address: str, after: int = 0, limit: int | None = None) -> list[schema.Balance]:
        """Balances of the issuances the holder ever touched (ids past `after`, at most `limit`),
        read from the chain."""
        self._index.sync()
        ids = [i for i in self._index.issuances_of(address) if i > after][:limit]
        queries = self._chain.queries
        amounts = queries.balances(address, ids) if ids else {}
        out = []
        for issuance_id in ids:
            out.append(
                schema.Balance(
                    issuance_id=issuance_id,
                    balance=amounts[issuance_id],
                    available=queries.available_units(issuance_id, address),
                    encumbered=queries.encumbered_units(issuance_id, address),
                    frozen=queries.frozen_units(issuance_id, address),
                    escrowed=queries.escrowed_units(issuance_id, address),
                )
            )
        return out

    def history(
        self, address: str, limit: int, before_block: int | None, after: tuple[int, int, int] | None = None
    ) -> list[schema.Movement]:
        """The holder's movements, newest first: before `before_block`, and after the movement at
        `after` (block, log index, item) in that order."""
        self._index.sync()
        out = []
        for row in self._index.history(address, limit=limit, before_block=before_block, after=after):
            kind = _kind(row["from_address"], row["to_address"], self._chain.deployment.asset)
            out.append(
                schema.Movement(
                    tx_hash=row["tx_hash"],
                    block_number=int(row["block_number"]),
                    log_index=int(row["log_index"]),
                    item=int(row["item"]),
                    block_time=int(row["block_time"]),
                    issuance_id=int(row["issuance_id"]),
                    kind=kind,
                    direction="in" if row["to_address"] == address else "out",
                    from_address=row["from_address"],
                    to_address=row["to_address"],
                    amount=int(row["amount"]),
                    operator=row["operator"],
                )
            )
        return out

    def of_issuance(self, issuance_id: int, after: str | None, limit: int) -> list[HolderBalance]:
        """The issuance's holders with a balance, by address, those past `after`, at most `limit`."""
        self._chain.queries.issuance(issuance_id)  # an unknown one: the SDK's error, answered issuance_not_found
        self._index.sync()
        holders = self._index.holders(issuance_id, after=after, limit=limit)
        return [HolderBalance(holder=h, balance=b) for h, b in holders.items()]

    # --- relayed transfers ----------------------------------------------------------------

    def _check(self, holder: str, to: str, issuance_id: int, amount: int) -> None:
        queries = self._chain.queries
        refusal = queries.check_transfer(holder, to, issuance_id, amount)
        if refusal is not Refusal.NONE:
            operator = queries.issuance(issuance_id).operator if refusal is Refusal.PERMIT_NOT_ACTIVE else ""
            refuse(refusal, queries, operator, issuance_id=issuance_id, to=to)

    def _calldata(self, holder: str, to: str, issuance_id: int, amount: int) -> bytes:
        asset = self._chain.platform.contracts.asset
        return bytes.fromhex(asset.encode_abi("safeTransferFrom", args=[holder, to, issuance_id, amount, b""])[2:])

    def transfer_request(self, holder: str, to: str, issuance_id: int, amount: int) -> schema.SigningRequest:
        """The forward request `holder` signs for this transfer, checked against the chain first."""
        self._check(holder, to, issuance_id, amount)
        deadline = self._chain.queries.chain_time() + FORWARD_REQUEST_TTL
        request = build_forward_request(
            self._chain.platform, holder, self._calldata(holder, to, issuance_id, amount), deadline=deadline, gas=None
        )
        deployment = self._chain.deployment
        message = forward_request_message(request, chain_id=deployment.chain_id, forwarder=deployment.forwarder)
        digest = forward_request_digest(request, chain_id=deployment.chain_id, forwarder=deployment.forwarder)
        return schema.SigningRequest(
            typed_data=typed_data(message),
            digest=hex32(digest),
            fields={
                "to": to,
                "issuance_id": issuance_id,
                "amount": amount,
                "gas": request.gas,
                "nonce": request.nonce,
                "deadline": request.deadline,
            },
        )

    def relay(self, holder: str, body: schema.RelayedTransfer, op: Operation | None = None) -> schema.Transferred:
        """Relays the holder's signed transfer through the forwarder, paid by the operator."""
        request = ForwardRequest(
            from_=holder,
            to=self._chain.deployment.asset,
            value=0,
            gas=body.gas,
            nonce=body.nonce,
            deadline=body.deadline,
            data=self._calldata(holder, body.to, body.issuance_id, body.amount),
        )
        check = partial(self._check, holder, body.to, body.issuance_id, body.amount)
        receipt = relay(self._chain, self._limits, request, body.signature, "transfer request", check, op)
        return schema.Transferred(
            issuance_id=body.issuance_id,
            from_address=holder,
            to_address=body.to,
            amount=body.amount,
            tx_hash=receipt.tx_hash,
            block_number=receipt.block_number,
        )


def _kind(sender: str, recipient: str, custody: str) -> schema.MovementKind:
    """What a movement was to a holder: units into the asset's own custody were asked to be
    redeemed, and units out of it came back on the request's refusal."""
    if sender == ZERO:
        return "mint"
    if recipient == ZERO:
        return "burn"
    if recipient == custody:
        return "redemption"
    if sender == custody:
        return "redemption_refused"
    return "transfer"
