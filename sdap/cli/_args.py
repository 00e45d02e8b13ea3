"""Arguments several commands share: document hashes, points in time and the SDK's enums.

A hash the chain anchors (a permit, a decision to issue, a reason for a freeze) is given either as
`--NAME 0x<64 hex digits>` or as `--NAME-file PATH`, whose sha256 is taken (sdap.documents), so a user can anchor
the real PDF. Times are unix seconds, an ISO 8601 date or date-time (UTC unless it says), or `+N`
with a unit s, m, h, d, w or y counted from the chain's latest block. A role, a category or a
status is named by its member's name in the SDK's enums (sdap.types), in any case.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from sdap import _validate as check
from sdap.documents import document_hash as content_hash
from sdap.documents import file_hash
from sdap.errors import InvalidArgument

E = TypeVar("E", bound=Enum)


def _hash(what: str) -> Any:
    return typer.Option(help=f"sha256 of {what}: 0x and 64 hex digits.", metavar="HASH", show_default=False)


def _file(what: str) -> Any:
    return typer.Option(help=f"File of {what}, hashed with sha256.", metavar="PATH", show_default=False)


# One pair per kind of document: the option names come from the parameter names (`reason` gives
# `--reason`, `reason_file` gives `--reason-file`).
Document = Annotated[str | None, _hash("the permit document")]
DocumentFile = Annotated[Path | None, _file("the permit document")]
Reason = Annotated[str | None, _hash("the decision or case file behind this act")]
ReasonFile = Annotated[Path | None, _file("the decision or case file behind this act")]
Details = Annotated[str | None, _hash("the issuer's register details")]
DetailsFile = Annotated[Path | None, _file("the issuer's register details")]
OperatorDetails = Annotated[str | None, _hash("the operator's register details")]
OperatorDetailsFile = Annotated[Path | None, _file("the operator's register details")]
Identity = Annotated[str | None, _hash("the participant's identification record")]
IdentityFile = Annotated[Path | None, _file("the participant's identification record")]
Content = Annotated[str | None, _hash("the risk notice's text")]
ContentFile = Annotated[Path | None, _file("the risk notice's text")]
Decision = Annotated[str | None, _hash("the decision to issue")]
DecisionFile = Annotated[Path | None, _file("the decision to issue")]
Evidence = Annotated[str | None, _hash("the evidence of the rights the units certify")]
EvidenceFile = Annotated[Path | None, _file("the evidence of the rights the units certify")]
Collateral = Annotated[str | None, _hash("the collateral's reference document (warehouse receipt, deed)")]
CollateralFile = Annotated[Path | None, _file("the collateral's reference document (warehouse receipt, deed)")]
Reference = Annotated[str | None, _hash("the pledge or lien agreement")]
ReferenceFile = Annotated[Path | None, _file("the pledge or lien agreement")]
Order = Annotated[str | None, _hash("the regulator's order")]
OrderFile = Annotated[Path | None, _file("the regulator's order")]
Fulfilment = Annotated[str | None, _hash("the record of what the issuer delivered")]
FulfilmentFile = Annotated[Path | None, _file("the record of what the issuer delivered")]


# A page of a register (`sdap issuer list`, `permit list`, `participant list`); the SDK refuses a
# negative start or a limit below one, with the exit code of a bad argument.
Start = Annotated[int, typer.Option("--start", help="Position of the first entry to list (0-based).")]
Limit = Annotated[int, typer.Option("--limit", help="At most this many entries.")]


def named(*members: E) -> Callable[[str], E]:
    """A parser of one of `members` by its SDK name, in any case, words joined by `_` or `-`."""
    by_name = {m.name.lower(): m for m in members}

    def parse(text: str) -> E:
        found = by_name.get(str(text).strip().lower().replace("-", "_"))
        if found is None:
            raise typer.BadParameter(f"{text!r} is not one of {names(*members)}")
        return found

    return parse


def names(*members: Enum) -> str:
    """`a, b or c`: the SDK names of `members`, for a help text."""
    words = [m.name.lower() for m in members]
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else "".join(words)


def document_hash(name: str, value: str | None, path: Path | None) -> bytes:
    """The 32-byte hash given as `--NAME` or as the sha256 of `--NAME-file`; exactly one."""
    option = "--" + name.replace("_", "-")
    if (value is None) == (path is None):
        raise InvalidArgument(f"give {option} HASH or {option}-file PATH (one of them)")
    if path is not None:
        try:
            return file_hash(path)
        except OSError as exc:
            raise InvalidArgument(f"cannot read {option}-file {path}: {exc.strerror}") from None
    return check.hash32(value, option)


_HASH = re.compile(r"^0x[0-9a-fA-F]{64}$")


def text_hash(name: str, text: str) -> bytes:
    """What the chain anchors for a short text given on the command line (a delivery address, a
    reference, a reason): a 0x hash as given, any other text by the sha256 of its UTF-8 bytes, as a
    file holding exactly that text would be (sdap.documents)."""
    if not text.strip():
        raise InvalidArgument(f"{name} is empty")
    return check.hash32(text, name) if _HASH.match(text) else content_hash(text.encode())


_RELATIVE = re.compile(r"^\+(\d+)([smhdwy])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 7 * 86_400, "y": 365 * 86_400}


def parse_time(text: str, name: str, chain_time: Callable[[], int]) -> int:
    """Unix seconds from `text` (see the module's docstring); `chain_time` is asked only for `+N`."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    relative = _RELATIVE.match(text)
    if relative:
        return chain_time() + int(relative.group(1)) * _UNIT_SECONDS[relative.group(2)]
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidArgument(
            f"{name}: {text!r} is not a time (unix seconds, 2030-01-31, 2030-01-31T12:00:00Z or +30d)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def show_time(seconds: int, zero: str = "none") -> str:
    """`2030-01-31 12:00:00Z (1896091200)`; 0 shows as `zero`."""
    if seconds == 0:
        return zero
    if seconds >= 1 << 40:
        return str(seconds)
    return f"{datetime.fromtimestamp(seconds, UTC):%Y-%m-%d %H:%M:%S}Z ({seconds})"


def read_json(path: Path, what: str) -> dict[str, Any]:
    """The JSON object in `path` (`-` reads standard input)."""
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
        data = json.loads(text)
    except OSError as exc:
        raise InvalidArgument(f"cannot read {what} {path}: {exc.strerror}") from None
    except ValueError:
        raise InvalidArgument(f"{what} {path} is not JSON") from None
    if not isinstance(data, dict):
        raise InvalidArgument(f"{what} {path} is not a JSON object")
    return data


def read_signed(path: Path, what: str, names: tuple[str, ...]) -> tuple[dict[str, Any], Any]:
    """What `--sign-only` wrote to `path` (`{what: {...}, "signature": ...}`): the fields `names` of
    the signed `what`, and the signature."""
    data = read_json(path, f"{what} file")
    signed = field(data, what, f"the {what} file")
    if not isinstance(signed, dict):
        raise InvalidArgument(f"the {what} file's {what!r} must be an object")
    return {name: field(signed, name, f"the {what}") for name in names}, field(data, "signature", f"the {what} file")


def field(data: dict[str, Any], key: str, what: str) -> Any:
    try:
        return data[key]
    except KeyError:
        raise InvalidArgument(f"{what} lacks {key!r}") from None
