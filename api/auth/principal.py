"""The authenticated caller."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a caller is to the gateway. Every role but `holder` is given by an API key; holders
    sign in with their wallet."""

    REGULATOR = "regulator"
    OPERATOR = "operator"
    COMPLIANCE = "compliance"
    #: Pauses and unpauses issuances with the regulator's authority, at once (SUPERVISOR_ROLE).
    SUPERVISOR = "supervisor"
    ISSUER = "issuer"
    VERIFIER = "verifier"
    AUDITOR = "auditor"
    #: Confirms off-chain payments of escrows it is named in (SETTLEMENT_AGENT_ROLE on-chain): a
    #: bank, sent with its own key.
    SETTLEMENT_AGENT = "settlement_agent"
    HOLDER = "holder"


API_KEY_ROLES = frozenset(Role) - {Role.HOLDER}


@dataclass(frozen=True)
class Principal:
    """A caller: its role and the on-chain identity (address) it acts as."""

    role: Role
    address: str
    key_id: str | None = None

    @property
    def scope(self) -> str:
        """What idempotency keys are scoped by: the role and identity, whatever the key or
        session (a retry after a key rotation or a new sign-in is still recognised)."""
        return f"{self.role.value}:{self.address}"
