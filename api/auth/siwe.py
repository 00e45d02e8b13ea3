"""Sign-In with Ethereum (EIP-4361): the message a holder's wallet signs to prove its address.

Only what the gateway needs: building the message it offers, parsing one back strictly (the
message must be exactly in the EIP's layout) and recovering the address that signed it (EIP-191
`personal_sign`). Checking the domain, chain, nonce and times is the session store's job.

Our own because the maintained `siwe` package (4.4) requires web3 7 and eth-account 0.13, older
than the pinned web3 8 and eth-account 0.14; its tests are the EIP's examples and grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import is_checksum_address

_HEADER = re.compile(
    r"^(?:(?P<scheme>[a-zA-Z][a-zA-Z0-9+\-.]*)://)?(?P<domain>[^\s/?#]+)"
    r" wants you to sign in with your Ethereum account:$"
)
_NONCE = re.compile(r"^[a-zA-Z0-9]{8,}$")
#: EIP-4361's chain-id: ASCII digits only (`str.isdigit` also takes "²" and full-width digits).
_CHAIN_ID = re.compile(r"^[0-9]+$")


class SiweError(ValueError):
    """The message is not a valid EIP-4361 message."""


@dataclass(frozen=True)
class SiweMessage:
    domain: str
    address: str
    uri: str
    chain_id: int
    nonce: str
    issued_at: datetime
    statement: str | None = None
    version: str = "1"
    expiration_time: datetime | None = None
    not_before: datetime | None = None
    request_id: str | None = None
    resources: tuple[str, ...] = field(default_factory=tuple)
    scheme: str | None = None

    def text(self) -> str:
        """The message as the wallet shows and signs it."""
        prefix = f"{self.scheme}://" if self.scheme else ""
        lines = [f"{prefix}{self.domain} wants you to sign in with your Ethereum account:", self.address, ""]
        if self.statement is not None:
            lines += [self.statement, ""]
        else:
            lines += [""]
        lines += [
            f"URI: {self.uri}",
            f"Version: {self.version}",
            f"Chain ID: {self.chain_id}",
            f"Nonce: {self.nonce}",
            f"Issued At: {_stamp(self.issued_at)}",
        ]
        if self.expiration_time is not None:
            lines.append(f"Expiration Time: {_stamp(self.expiration_time)}")
        if self.not_before is not None:
            lines.append(f"Not Before: {_stamp(self.not_before)}")
        if self.request_id is not None:
            lines.append(f"Request ID: {self.request_id}")
        if self.resources:
            lines.append("Resources:")
            lines += [f"- {r}" for r in self.resources]
        return "\n".join(lines)

    @classmethod
    def parse(cls, text: str) -> SiweMessage:
        """Parses an EIP-4361 message; SiweError if it is not one."""
        lines = text.split("\n")
        header = _HEADER.match(lines[0]) if lines else None
        if header is None:
            raise SiweError("the first line is not '<domain> wants you to sign in with your Ethereum account:'")
        if len(lines) < 9:
            raise SiweError("the message is too short")
        address = lines[1]
        if not is_checksum_address(address):
            raise SiweError("the address must be in its EIP-55 checksum form")
        if lines[2] != "":
            raise SiweError("an empty line must follow the address")
        statement: str | None
        if lines[3] == "":
            statement, rest = None, lines[4:]
        else:
            statement = lines[3]
            if "\n" in statement or lines[4] != "":
                raise SiweError("an empty line must follow the statement")
            rest = lines[5:]
        fields: dict[str, str] = {}
        order = ["URI", "Version", "Chain ID", "Nonce", "Issued At", "Expiration Time", "Not Before", "Request ID"]
        required = {"URI", "Version", "Chain ID", "Nonce", "Issued At"}
        position = 0
        resources: list[str] = []
        index = 0
        while index < len(rest):
            line = rest[index]
            if line == "Resources:":
                resources = [r[2:] for r in rest[index + 1 :] if r.startswith("- ")]
                if len(resources) != len(rest) - index - 1:
                    raise SiweError("every resource must be a line '- <uri>'")
                break
            name, sep, value = line.partition(": ")
            if not sep or name not in order[position:]:
                raise SiweError(f"unexpected line {line[:40]!r}")
            position = order.index(name) + 1
            fields[name] = value
            index += 1
        missing = required - fields.keys()
        if missing:
            raise SiweError(f"missing {', '.join(sorted(missing))}")
        if fields["Version"] != "1":
            raise SiweError("only version 1 exists")
        if not _CHAIN_ID.match(fields["Chain ID"]):
            raise SiweError("the chain id must be a number")
        try:
            urlsplit(fields["URI"])
        except ValueError:  # e.g. a bracketed host that is no IP literal
            raise SiweError("the URI is not a URI") from None
        if not _NONCE.match(fields["Nonce"]):
            raise SiweError("the nonce must be at least 8 letters or digits")
        message = cls(
            domain=header["domain"],
            address=address,
            uri=fields["URI"],
            chain_id=int(fields["Chain ID"]),
            nonce=fields["Nonce"],
            issued_at=_time(fields["Issued At"]),
            statement=statement,
            expiration_time=_time(fields["Expiration Time"]) if "Expiration Time" in fields else None,
            not_before=_time(fields["Not Before"]) if "Not Before" in fields else None,
            request_id=fields.get("Request ID"),
            resources=tuple(resources),
            scheme=header["scheme"],
        )
        return message


def recover_signer(text: str, signature: bytes) -> str:
    """The address whose `personal_sign` of `text` is `signature`; SiweError if none is."""
    try:
        return str(Account.recover_message(encode_defunct(text=text), signature=signature))
    except Exception:  # noqa: BLE001 - any malformed signature is simply not valid
        raise SiweError("the signature cannot be recovered") from None


def _time(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise SiweError(f"not an RFC 3339 time: {value[:40]!r}") from None
    if parsed.tzinfo is None:
        raise SiweError("times must carry a time zone")
    return parsed


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
