"""Sign-in, health and the decision watch."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from api.schemas.common import Address, Hash32, RequestBody


class Nonce(BaseModel):
    nonce: str
    expires_at: int
    message: str | None = Field(None, description="A ready EIP-4361 message for `address`, when it was given.")


class SignIn(RequestBody):
    message: str = Field(min_length=1, max_length=4000, description="The EIP-4361 message, exactly as signed.")
    signature: str = Field(pattern=r"^0x[0-9a-fA-F]{130}$")


class SessionOut(BaseModel):
    token: str = Field(description="Send as `Authorization: Bearer <token>`.")
    address: Address
    expires_at: int


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    ready: bool
    chain_reachable: bool
    deployment_found: bool
    signer_unlocked: bool
    database: bool
    chain_id: int | None
    block_number: int | None
    operator: Address
    detail: str | None


class DecisionCheck(BaseModel):
    issuance_id: int
    decision_uri: str
    decision_hash: Hash32
    status: Literal["ok", "unavailable", "changed"]
    found_hash: Hash32 | None
    detail: str | None


class DecisionReport(BaseModel):
    """The last check of every open issuance's published decision (Law art. 7.1)."""

    checked_at: int | None
    block_number: int | None
    ok: bool
    issuances: list[DecisionCheck]


class ProblemType(BaseModel):
    code: str
    status: int
    title: str
    description: str | None
