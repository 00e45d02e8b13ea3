"""The risk notice (Law art. 6.4): the regulator publishing a text, serving it, and relaying
holders' signed acknowledgements of the notice in force (the operator's part).

A notice's content hash is the sha256 of its text's UTF-8 bytes. A text published through the
gateway is kept in its database and served at the URI anchored on-chain; a notice published
another way is fetched from its URI by a background task, never while a request waits, and shown
only if it matches the hash.
"""

from __future__ import annotations

import threading

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from api.chain.operation import Operation
from api.chain.platform import Chain
from api.db import Database, is_unique_violation, now
from api.db.schema import risk_notice_texts
from api.errors import ApiError, NoNoticeInForce
from api.rate_limits import RateLimits
from api.schemas import registry as schema
from api.schemas.common import TxResult, hex32
from api.schemas.holders import SigningRequest
from api.services.documents import Fetcher
from api.services.signatures import require_signer, typed_data
from sdap.documents import document_hash
from sdap.signing import acknowledgement_digest, acknowledgement_message
from sdap.types import RiskNoticeAcknowledgement

#: How long a holder has to sign and send an acknowledgement it asked for.
SIGNING_WINDOW = 3600
#: What a relayed acknowledgement is counted as against the holder's gas budget (it uses less).
ACKNOWLEDGEMENT_GAS = 150_000


class Notices:
    def __init__(self, chain: Chain, db: Database, fetcher: Fetcher, public_url: str, limits: RateLimits) -> None:
        self._limits = limits
        self._chain = chain
        self._db = db
        self._fetcher = fetcher
        self._public_url = public_url.rstrip("/")
        #: Texts fetched from their URI and verified, and those public reads asked for, by hash.
        self._fetched: dict[str, str] = {}
        self._wanted: dict[str, str] = {}
        self._lock = threading.Lock()

    def publish(self, regulator: str, text: str, op: Operation | None = None) -> schema.RiskNoticePublished:
        """Keeps the text, then publishes its hash and URI as `regulator` (a key this gateway
        holds): the platform has one notice, the regulator's, so that no operator can make another
        operator's participants ineligible (Law art. 6.4)."""
        content_hash = "0x" + document_hash(text.encode()).hex()
        self._store(content_hash, text)
        uri = f"{self._public_url}/v1/risk-notices/texts/{content_hash}"
        created = self._chain.regulator(regulator, op).publish_risk_notice(content_hash, uri)
        return schema.RiskNoticePublished(
            version=created.id,
            content_hash=content_hash,
            uri=uri,
            tx_hash=created.receipt.tx_hash,
            block_number=created.receipt.block_number,
        )

    def _store(self, content_hash: str, text: str) -> None:
        try:
            with self._db.write() as conn:
                conn.execute(risk_notice_texts.insert().values(content_hash=content_hash, text=text, created_at=now()))
        except IntegrityError as exc:
            if not is_unique_violation(exc):
                raise

    def text(self, content_hash: str) -> str | None:
        with self._db.read() as conn:
            found = conn.scalar(
                select(risk_notice_texts.c.text).where(risk_notice_texts.c.content_hash == content_hash)
            )
        return None if found is None else str(found)

    def in_force(self) -> schema.RiskNotice:
        queries = self._chain.queries
        version = queries.notice_in_force()
        if version == 0:
            raise NoNoticeInForce("no risk notice has been published yet")
        notice = queries.risk_notice(version)
        return schema.RiskNotice.of(notice, self._verified_text(hex32(notice.content_hash), notice.uri))

    def _verified_text(self, content_hash: str, uri: str) -> str | None:
        """The notice's text if it is kept here or was fetched and verified already; otherwise
        None, and its URI is left for the background task (`fetch_texts`): a public read never
        waits on another server."""
        stored = self.text(content_hash)
        if stored is not None:
            return stored
        with self._lock:
            if content_hash not in self._fetched:
                self._wanted[content_hash] = uri
            return self._fetched.get(content_hash)

    def fetch_texts(self) -> None:
        """Fetches the texts public reads asked for and keeps those that match their hash (the
        periodic task; a failure is remembered by the fetcher, and tried again once it expires)."""
        with self._lock:
            wanted = dict(self._wanted)
        for content_hash, uri in wanted.items():
            try:
                content = self._fetcher.fetch(uri, remember_failure=True)
            except ApiError:
                continue
            text = _verified(content, content_hash)
            with self._lock:
                self._wanted.pop(content_hash, None)
                if text is not None:
                    self._fetched[content_hash] = text

    # --- acknowledgements -----------------------------------------------------------------

    def _acknowledgement(self, participant: str, version: int, deadline: int) -> RiskNoticeAcknowledgement:
        queries = self._chain.queries
        return RiskNoticeAcknowledgement(
            participant=participant,
            version=version,
            content_hash=queries.risk_notice(version).content_hash,
            nonce=queries.acknowledgement_nonce(participant),
            deadline=deadline,
        )

    def signing_request(self, participant: str) -> SigningRequest:
        """What `participant` signs to acknowledge the notice in force."""
        version = self._chain.queries.notice_in_force()
        if version == 0:
            raise NoNoticeInForce("no risk notice has been published yet")
        ack = self._acknowledgement(participant, version, self._chain.queries.chain_time() + SIGNING_WINDOW)
        deployment = self._chain.deployment
        message = acknowledgement_message(ack, chain_id=deployment.chain_id, registry=deployment.registry)
        digest = acknowledgement_digest(ack, chain_id=deployment.chain_id, registry=deployment.registry)
        return SigningRequest(
            typed_data=typed_data(message),
            digest=hex32(digest),
            fields={"version": ack.version, "deadline": ack.deadline},
        )

    def acknowledge(self, participant: str, body: schema.Acknowledgement, op: Operation | None = None) -> TxResult:
        """Relays `participant`'s signed acknowledgement, after checking it is theirs."""
        if not self._chain.resumes(op):
            ack = self._acknowledgement(participant, body.version, body.deadline)
            deployment = self._chain.deployment
            message = acknowledgement_message(ack, chain_id=deployment.chain_id, registry=deployment.registry)
            require_signer(message, body.signature, participant, "acknowledgement")
            self._limits.spend_gas(participant, ACKNOWLEDGEMENT_GAS)
        receipt = self._chain.operator(op=op).relay_acknowledgement(
            participant, body.version, body.deadline, body.signature
        )
        return TxResult.of(receipt)


def _verified(content: bytes, content_hash: str) -> str | None:
    """`content` as text if it hashes to `content_hash` and is UTF-8."""
    if "0x" + document_hash(content).hex() != content_hash:
        return None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return None
