"""Escrows (issue 15): delivery against a payment made off-chain. The seller signs `openEscrow` for
the operator to relay (its units stay in its holding, held for the buyer); the named settlement
agent confirms the payment with its own key (the units move to the buyer); once the deadline has
passed with nothing confirmed anyone may have the escrow lapse (the operator sends it). Each step
is checked first against the chain, in the contract's order, with the contract's own codes."""

from __future__ import annotations

from functools import partial

from sqlalchemy import or_, select

from api import contract_problems as contract
from api.auth import Principal
from api.chain.operation import Operation
from api.chain.platform import Chain
from api.db import Database
from api.db.schema import escrows as table
from api.errors import ApiError, EscrowNotFound
from api.rate_limits import RateLimits
from api.schemas import escrows as schema
from api.schemas.common import hex32, name_of
from api.schemas.holders import SigningRequest
from api.services.index import EventIndex
from api.services.refusals import TRANSFER_ERRORS, refuse
from api.services.relaying import relay
from api.services.signatures import typed_data
from sdap.clients import FORWARD_REQUEST_TTL, build_forward_request
from sdap.signing import forward_request_digest, forward_request_message
from sdap.types import Escrow, EscrowState, ForwardRequest, Refusal, Role

#: Every code opening an escrow may be refused with early.
OPEN_ERRORS: tuple[type[ApiError], ...] = (
    contract.ExchangeInvalidEscrow,
    contract.ExchangeInvalidDeadline,
    contract.ExchangeMissingRole,
    *TRANSFER_ERRORS,
)
#: Every code a confirmation may be refused with early.
CONFIRM_ERRORS: tuple[type[ApiError], ...] = (
    EscrowNotFound,
    contract.ExchangeEscrowNotOpen,
    contract.ExchangeNotEscrowAgent,
    contract.ExchangeMissingRole,
    contract.ExchangeEscrowExpired,
    contract.ExchangeEmptyPaymentRef,
    contract.ExchangePaymentRefUsed,
)
#: Every code the regulator's cancellation may be refused with early.
CANCEL_ERRORS: tuple[type[ApiError], ...] = (EscrowNotFound, contract.ExchangeEscrowNotOpen)
LAPSE_ERRORS: tuple[type[ApiError], ...] = (
    EscrowNotFound,
    contract.ExchangeEscrowNotOpen,
    contract.ExchangeEscrowNotExpired,
)


class Escrows:
    def __init__(self, chain: Chain, db: Database, limits: RateLimits, index: EventIndex) -> None:
        self._chain = chain
        self._db = db
        self._limits = limits
        self._index = index

    # --- reads ----------------------------------------------------------------------------

    def get(self, escrow_id: int) -> schema.EscrowView:
        return self._view(self._found(escrow_id), self._chain.queries.chain_time())

    def find(
        self,
        *,
        seller: str | None,
        buyer: str | None,
        agent: str | None,
        party: str | None,
        issuance_id: int | None,
        state: EscrowState | None,
        after: int,
        limit: int,
    ) -> list[schema.EscrowView]:
        """At most `limit` escrows with ids past `after`, in id order, matching every filter given
        (`party`: the seller or the buyer), from the event index (EscrowOpened and the events that
        end an escrow): no escrow is read from the chain."""
        query = select(table).where(table.c.escrow_id > after).order_by(table.c.escrow_id).limit(limit)
        for column, value in (("seller", seller), ("buyer", buyer), ("agent", agent), ("issuance_id", issuance_id)):
            if value is not None:
                query = query.where(table.c[column] == value)
        if party is not None:
            query = query.where(or_(table.c.seller == party, table.c.buyer == party))
        if state is not None:
            query = query.where(table.c.state == name_of(state))
        self._index.sync()
        chain_now = self._chain.queries.chain_time()
        with self._db.read() as conn:
            rows = conn.execute(query).all()
        return [
            schema.EscrowView(
                **{k: getattr(row, k) for k in ("escrow_id", "issuance_id", "seller", "buyer", "agent", "currency")},
                amount=int(row.amount),
                price=int(row.price),
                deadline=row.deadline,
                state=row.state,
                expired=row.state == "open" and row.deadline < chain_now,
            )
            for row in rows
        ]

    def _found(self, escrow_id: int) -> Escrow:
        escrow = self._chain.queries.escrow(escrow_id)
        if escrow.state is EscrowState.NONE:
            raise EscrowNotFound(f"there is no escrow {escrow_id}", escrow_id=escrow_id)
        return escrow

    @staticmethod
    def _view(e: Escrow, chain_now: int) -> schema.EscrowView:
        return schema.EscrowView(
            escrow_id=e.escrow_id,
            issuance_id=e.issuance_id,
            seller=e.seller,
            buyer=e.buyer,
            agent=e.agent,
            amount=e.amount,
            price=e.price,
            currency=e.currency,
            deadline=e.deadline,
            state=name_of(e.state),
            expired=e.state is EscrowState.OPEN and e.deadline < chain_now,
        )

    # --- the seller opens, relayed --------------------------------------------------------

    def _check_open(self, seller: str, terms: schema.EscrowTerms) -> None:
        """`openEscrow`'s checks, in its order, then the asset's: a transfer from the seller to the
        buyer could pass now (both eligible, the units free)."""
        if seller in (terms.buyer, terms.agent) or terms.agent == terms.buyer or int(terms.buyer, 16) == 0:
            raise contract.ExchangeInvalidEscrow(
                "Exchange_InvalidEscrow",
                "the buyer is another wallet than the seller's, and the agent is neither of them",
                {},
            )
        queries = self._chain.queries
        now = queries.chain_time()
        longest = int(self._chain.platform.views.exchange.call("MAX_ESCROW_PERIOD"))
        if not now < terms.payment_deadline <= now + longest:
            raise contract.ExchangeInvalidDeadline(
                "Exchange_InvalidDeadline",
                f"the escrow's deadline must be in the future, at most {longest // 86_400} days ahead",
                {"deadline": terms.payment_deadline},
            )
        if not queries.has_role(Role.SETTLEMENT_AGENT, terms.agent):
            raise contract.ExchangeMissingRole(
                "Exchange_MissingRole",
                f"{terms.agent} is no settlement agent (SETTLEMENT_AGENT_ROLE, granted by the regulator)",
                {"account": terms.agent, "role": hex32(Role.SETTLEMENT_AGENT.id)},
            )
        refusal = queries.check_transfer(seller, terms.buyer, terms.issuance_id, terms.amount)
        if refusal is not Refusal.NONE:
            operator = queries.issuance(terms.issuance_id).operator if refusal is Refusal.PERMIT_NOT_ACTIVE else ""
            refuse(refusal, queries, operator, issuance_id=terms.issuance_id, to=terms.buyer)

    def _calldata(self, terms: schema.EscrowTerms) -> bytes:
        exchange = self._chain.platform.contracts.exchange
        args = [
            terms.issuance_id,
            terms.amount,
            terms.buyer,
            terms.agent,
            terms.price,
            terms.currency.encode("ascii"),
            terms.payment_deadline,
        ]
        return bytes.fromhex(exchange.encode_abi("openEscrow", args=args)[2:])

    def open_request(self, seller: str, terms: schema.EscrowTerms) -> SigningRequest:
        """The forward request `seller` signs to open this escrow, checked against the chain first."""
        self._check_open(seller, terms)
        d = self._chain.deployment
        deadline = self._chain.queries.chain_time() + FORWARD_REQUEST_TTL
        request = build_forward_request(
            self._chain.platform, seller, self._calldata(terms), deadline=deadline, gas=None, to=d.exchange
        )
        return SigningRequest(
            typed_data=typed_data(forward_request_message(request, chain_id=d.chain_id, forwarder=d.forwarder)),
            digest=hex32(forward_request_digest(request, chain_id=d.chain_id, forwarder=d.forwarder)),
            fields={
                **terms.model_dump(),
                "gas": request.gas,
                "nonce": request.nonce,
                "deadline": request.deadline,
            },
        )

    def open(self, seller: str, body: schema.RelayedEscrow, op: Operation | None = None) -> schema.EscrowOpened:
        """Relays the seller's signed `openEscrow`, paid by the operator."""
        d = self._chain.deployment
        terms = schema.EscrowTerms(**body.model_dump(include=set(schema.EscrowTerms.model_fields)))
        request = ForwardRequest(
            from_=seller,
            to=d.exchange,
            value=0,
            gas=body.gas,
            nonce=body.nonce,
            deadline=body.deadline,
            data=self._calldata(terms),
        )
        check = partial(self._check_open, seller, terms)
        receipt = relay(self._chain, self._limits, request, body.signature, "escrow request", check, op)
        escrow_id = int(receipt.event("EscrowOpened")["escrowId"])
        view = self.get(escrow_id)
        return schema.EscrowOpened(**view.model_dump(), tx_hash=receipt.tx_hash, block_number=receipt.block_number)

    # --- the agent confirms; anyone lapses --------------------------------------------------

    def _open(self, escrow_id: int) -> Escrow:
        escrow = self._found(escrow_id)
        if escrow.state is not EscrowState.OPEN:
            raise contract.ExchangeEscrowNotOpen(
                "Exchange_EscrowNotOpen",
                f"escrow {escrow_id} is already {name_of(escrow.state)}",
                {"escrow_id": escrow_id},
            )
        return escrow

    def confirm(
        self, caller: Principal, escrow_id: int, body: schema.PaymentConfirmation, op: Operation | None = None
    ) -> schema.EscrowSettled:
        """The escrow's agent confirms the payment with its own key: the units move to the buyer."""
        if not self._chain.resumes(op):
            escrow = self._open(escrow_id)
            queries = self._chain.queries
            if caller.address != escrow.agent:
                raise contract.ExchangeNotEscrowAgent(
                    "Exchange_NotEscrowAgent",
                    f"escrow {escrow_id} names the agent {escrow.agent}",
                    {"escrow_id": escrow_id, "account": caller.address},
                )
            if not queries.has_role(Role.SETTLEMENT_AGENT, caller.address):
                raise contract.ExchangeMissingRole(
                    "Exchange_MissingRole",
                    f"{caller.address} no longer holds SETTLEMENT_AGENT_ROLE: the escrow will lapse",
                    {"account": caller.address, "role": hex32(Role.SETTLEMENT_AGENT.id)},
                )
            if escrow.deadline < queries.chain_time():
                raise contract.ExchangeEscrowExpired(
                    "Exchange_EscrowExpired",
                    f"escrow {escrow_id} could be confirmed until {escrow.deadline}",
                    {"escrow_id": escrow_id, "deadline": escrow.deadline},
                )
            if int(body.payment_ref, 16) == 0:
                raise contract.ExchangeEmptyPaymentRef(
                    "Exchange_EmptyPaymentRef", "a confirmation names the payment's reference (hashed)", {}
                )
        ref = bytes.fromhex(body.payment_ref[2:])
        receipt = self._chain.settlement_agent(caller.address, op).confirm_payment(escrow_id, ref)
        event = receipt.event("EscrowSettled")
        return schema.EscrowSettled(
            escrow_id=escrow_id,
            delivered_to=event["deliveredTo"],
            payment_ref=hex32(bytes(event["paymentRef"])),
            by=event["by"],
            tx_hash=receipt.tx_hash,
            block_number=receipt.block_number,
        )

    def lapse(self, escrow_id: int, op: Operation | None = None) -> schema.EscrowLapsed:
        """Ends an escrow whose deadline passed unconfirmed, or whose agent lost its role: the units
        are the seller's again. Anyone may; the gateway's operator sends and pays for it."""
        if not self._chain.resumes(op):
            escrow = self._open(escrow_id)
            queries = self._chain.queries
            if escrow.deadline >= queries.chain_time() and queries.has_role(Role.SETTLEMENT_AGENT, escrow.agent):
                raise contract.ExchangeEscrowNotExpired(
                    "Exchange_EscrowNotExpired",
                    f"escrow {escrow_id} may be confirmed until {escrow.deadline}",
                    {"escrow_id": escrow_id, "deadline": escrow.deadline},
                )
        receipt = self._chain.operator(op=op).lapse_escrow(escrow_id)
        event = receipt.event("EscrowLapsed")
        return schema.EscrowLapsed(
            escrow_id=escrow_id, by=event["by"], tx_hash=receipt.tx_hash, block_number=receipt.block_number
        )

    def cancel(
        self, caller: Principal, escrow_id: int, order_hash: str, op: Operation | None = None
    ) -> schema.EscrowCancelled:
        """The regulator ends an open escrow by order, with its own key: the units are the seller's
        again, and so within reach of its other orders."""
        if not self._chain.resumes(op):
            self._open(escrow_id)
        receipt = self._chain.regulator(caller.address, op).cancel_escrow(escrow_id, bytes.fromhex(order_hash[2:]))
        event = receipt.event("EscrowCancelled")
        return schema.EscrowCancelled(
            escrow_id=escrow_id,
            order_hash=hex32(bytes(event["orderHash"])),
            by=event["by"],
            tx_hash=receipt.tx_hash,
            block_number=receipt.block_number,
        )
