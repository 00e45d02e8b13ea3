"""A settlement agent (the bank that sees a payment made off-chain): confirms, for an escrow of
units that names it, that the buyer paid, and the units move to the buyer. The regulator grants the
role (SETTLEMENT_AGENT_ROLE) like every role of the registry."""

from __future__ import annotations

from sdap import _validate as check
from sdap.clients._base import RoleClient
from sdap.transactions import Receipt


class SettlementAgentClient(RoleClient):
    """Writes of an account holding SETTLEMENT_AGENT_ROLE. Anyone may lapse an escrow once its
    deadline passed (`lapse_escrow`, every client has it)."""

    def confirm_payment(self, escrow_id: int, payment_ref: bytes | str) -> Receipt:
        """Confirms the escrow's payment (`payment_ref`: the hash of the agent's record of it),
        before its deadline: the units move to the buyer's wallet now (its replacement if it was
        recovered) under every rule of a transfer (a freeze made since it opened aside). One
        payment settles one escrow: a reference this agent already confirmed is refused
        (ExchangePaymentRefUsedError), as is none (ExchangeEmptyPaymentRefError). Refused too
        unless this agent is the escrow's (ExchangeNotEscrowAgentError) and still holds the role
        (ExchangeMissingRoleError), the escrow is open (ExchangeEscrowNotOpenError) and its
        deadline not passed (ExchangeEscrowExpiredError); a transfer rule that fails now (the
        buyer ineligible, the issuance paused) raises the asset's error, and the escrow stays
        open until its deadline."""
        fn = self._exchange.functions.confirmPayment(
            check.uint(escrow_id, "escrow_id"), check.hash32(payment_ref, "payment_ref")
        )
        return self._send(fn)
