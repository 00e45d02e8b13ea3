"""Field types shared by every model: addresses, hashes, signatures, amounts."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, GetCoreSchemaHandler, model_validator
from pydantic_core import core_schema

from sdap.addresses import checked
from sdap.transactions import Receipt
from sdap.types import MAX_UNITS


def _lower(value: str) -> str:
    return value.lower()


Address = Annotated[
    str,
    Field(
        pattern=r"^0x[0-9a-fA-F]{40}$",
        description="0x and 40 hex digits: all lower case, or checksummed (EIP-55: a wrong checksum is a typo).",
        examples=["0x70997970C51812dc3A010C7d01b50e0d17dc79C8"],
    ),
    AfterValidator(checked),
]
Hash32 = Annotated[
    str,
    Field(pattern=r"^0x[0-9a-fA-F]{64}$", description="32 bytes as 0x and 64 hex digits."),
    AfterValidator(_lower),
]
Signature = Annotated[
    str,
    Field(pattern=r"^0x[0-9a-fA-F]{130}$", description="65-byte ECDSA signature (r, s, v) as hex."),
]
Uint256 = Annotated[int, Field(ge=0, le=2**256 - 1)]
Amount = Annotated[int, Field(ge=1, le=MAX_UNITS, description="Units (integers; an issuance's cap fits 64 bits).")]
Uint64 = Annotated[int, Field(ge=0, le=2**64 - 1)]
Uint32 = Annotated[int, Field(ge=0, le=2**32 - 1)]
IssuanceId = Annotated[int, Field(ge=1, le=2**256 - 1)]


@dataclass(frozen=True)
class NameOf:
    """Marks a `str` field as one of the lower-case member names of an SDK enum, the one vocabulary
    the SDK, the CLI, the auditor and the gateway share: `Annotated[str, NameOf(PermitState)]`
    validates, and is documented in the OpenAPI schema, as exactly those names (`without` leaves
    some out, such as a status no request may ask for)."""

    values: type[Enum]
    without: tuple[str, ...] = ()

    @property
    def names(self) -> list[str]:
        return [m.name.lower() for m in self.values if m.name.lower() not in self.without]

    def __get_pydantic_core_schema__(self, _source: Any, _handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.literal_schema(self.names)


def name_of(value: Enum) -> str:
    """`value`'s name as a `NameOf` field spells it."""
    return value.name.lower()


class RequestBody(BaseModel):
    """Base of every request body: unknown fields are refused, not ignored, and a number is a
    number: JSON's true and false are refused where an integer is expected (pydantic would take
    them as 1 and 0, so a client's mistake would mint a unit instead of failing)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _no_true_for_a_number(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name, field in cls.model_fields.items():
                if isinstance(data.get(field.alias or name), bool) and _takes_int(field.annotation):
                    raise ValueError(f"{field.alias or name}: an integer is expected, not true or false")
        return data


def _takes_int(annotation: Any) -> bool:
    """Whether a field of this type takes an integer (`int`, `int | None`, ...) and not a bool."""
    options = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else (annotation,)
    plain = [get_args(option)[0] if get_origin(option) is Annotated else option for option in options]
    return int in plain and bool not in plain


class Reason(RequestBody):
    reason_hash: Hash32 = Field(description="Hash of the off-chain document giving the reason.")


class TypedData(BaseModel):
    """An EIP-712 message as `eth_signTypedData_v4` takes it (bytes as 0x-hex, integers past 2^53 as
    decimal strings, which JavaScript would round)."""

    types: dict[str, Any]
    primaryType: str  # noqa: N815 - the EIP-712 field name
    domain: dict[str, Any]
    message: dict[str, Any]


class TxResult(BaseModel):
    """A transaction included on-chain: the change it made is in force (Law art. 6.6)."""

    tx_hash: Hash32
    block_number: int

    @classmethod
    def of(cls, receipt: Receipt) -> TxResult:
        return cls(tx_hash=receipt.tx_hash, block_number=receipt.block_number)


def hex32(value: bytes) -> str:
    return "0x" + value.hex()
