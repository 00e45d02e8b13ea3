"""Holder sessions: single-use sign-in nonces and the bearer tokens a signed message buys.

Nonces are stateless (an expiry and a random part, authenticated with the session secret), so
handing one out writes nothing; a nonce is consumed when a session is opened with it, and the
`sessions.nonce` unique column makes that a once-only event for as long as the nonce is valid:
a session's row outlives its nonce, signed out or not. Tokens are random and kept only as
their sha256, like API keys.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from api.auth.principal import Principal, Role
from api.auth.siwe import SiweError, SiweMessage, recover_signer
from api.db import Database, is_unique_violation, now
from api.db.schema import sessions
from api.errors import SignInFailed

TOKEN_PREFIX = "sdaps_"  # noqa: S105 - a prefix, not a secret
#: Tolerated clock difference between the wallet and the gateway.
CLOCK_SKEW = 60


@dataclass(frozen=True)
class Session:
    token: str
    address: str
    expires_at: int

    def __repr__(self) -> str:
        return f"Session(address={self.address!r}, expires_at={self.expires_at})"


class SessionStore:
    def __init__(
        self, db: Database, secret: bytes, *, domain: str, public_url: str, chain_id: int, ttl: int, nonce_ttl: int
    ) -> None:
        self._db = db
        self._secret = secret
        self.domain = domain
        self.public_url = public_url.rstrip("/")
        self.chain_id = chain_id
        self.ttl = ttl
        self.nonce_ttl = nonce_ttl

    def __repr__(self) -> str:
        return f"SessionStore(domain={self.domain!r})"

    # --- nonces ---------------------------------------------------------------------------

    def new_nonce(self) -> tuple[str, int]:
        expires = now() + self.nonce_ttl
        body = f"{expires:010x}{secrets.token_hex(8)}"
        return body + self._mac(body), expires

    def _mac(self, body: str) -> str:
        return hmac.new(self._secret, body.encode(), hashlib.sha256).hexdigest()[:32]

    def _nonce_valid(self, nonce: str) -> bool:
        if len(nonce) != 58:
            return False
        body, mac = nonce[:26], nonce[26:]
        if not hmac.compare_digest(mac, self._mac(body)):
            return False
        try:
            return int(body[:10], 16) >= now()
        except ValueError:
            return False

    def message(self, address: str, nonce: str) -> SiweMessage:
        """The sign-in message the gateway offers `address`: what its wallet signs."""
        return SiweMessage(
            domain=self.domain,
            address=address,
            statement="Sign in to the SDAP gateway to act for this wallet.",
            uri=self.public_url,
            chain_id=self.chain_id,
            nonce=nonce,
            issued_at=datetime.now(UTC),
            expiration_time=datetime.fromtimestamp(int(nonce[:10], 16), UTC),
            scheme=urlsplit(self.public_url).scheme,
        )

    # --- sessions -------------------------------------------------------------------------

    def sign_in(self, text: str, signature: bytes) -> Session:
        """Opens a session for the address that signed `text`; SignInFailed says why not."""
        try:
            message = SiweMessage.parse(text)
        except SiweError as exc:
            raise SignInFailed(f"not a Sign-In with Ethereum message: {exc}") from None
        if message.domain != self.domain:
            raise SignInFailed(f"the message is for {message.domain!r}, this gateway is {self.domain!r}")
        if message.scheme is not None and message.scheme != urlsplit(self.public_url).scheme:
            raise SignInFailed("the message names another scheme than this gateway's")
        if _origin(message.uri) != _origin(self.public_url):
            raise SignInFailed(f"the message's URI is not on this gateway's origin, {_origin(self.public_url)}")
        if message.chain_id != self.chain_id:
            raise SignInFailed(f"the message is for chain {message.chain_id}, the platform is on {self.chain_id}")
        if not self._nonce_valid(message.nonce):
            raise SignInFailed("the nonce was not issued by this gateway or has expired")
        stamp = now()
        if message.issued_at.timestamp() > stamp + CLOCK_SKEW:
            raise SignInFailed("the message is issued in the future")
        if message.expiration_time is not None and message.expiration_time.timestamp() < stamp:
            raise SignInFailed("the message has expired")
        if message.not_before is not None and message.not_before.timestamp() > stamp + CLOCK_SKEW:
            raise SignInFailed("the message is not valid yet")
        try:
            signer = recover_signer(text, signature)
        except SiweError:
            raise SignInFailed("the signature is malformed") from None
        if signer != message.address:
            raise SignInFailed("the message was not signed by its address")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        expires = stamp + self.ttl
        try:
            with self._db.write() as conn:
                # Sessions expired or signed out go once their own nonce has expired too (so none
                # can sign in again): a nonce starts with its expiry in ten hex digits, so nonces
                # compare as their expiries, whatever the nonce lifetime was when each was issued.
                conn.execute(delete(sessions).where(sessions.c.expires_at < stamp, sessions.c.nonce < f"{stamp:010x}"))
                conn.execute(
                    sessions.insert().values(
                        token_hash=_hash(token),
                        address=message.address,
                        nonce=message.nonce,
                        created_at=stamp,
                        expires_at=expires,
                    )
                )
        except IntegrityError as exc:
            if is_unique_violation(exc):
                raise SignInFailed("this nonce was already used to sign in") from None
            raise
        return Session(token, message.address, expires)

    def authenticate(self, token: str) -> Principal | None:
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        with self._db.read() as conn:
            row = conn.execute(
                select(sessions.c.address, sessions.c.expires_at).where(sessions.c.token_hash == _hash(token))
            ).first()
        if row is None or int(row.expires_at) < now():
            return None
        return Principal(Role.HOLDER, row.address)

    def sign_out(self, token: str) -> None:
        """Ends the session at once. Its row stays (expired) until its nonce has expired too, so
        the signed message that opened it cannot open another (the nonce column is unique)."""
        with self._db.write() as conn:
            conn.execute(update(sessions).where(sessions.c.token_hash == _hash(token)).values(expires_at=now() - 1))


def _origin(uri: str) -> str:
    """scheme://host[:port] of `uri`, lower case: what a sign-in message's URI must share with the gateway."""
    parts = urlsplit(uri)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
