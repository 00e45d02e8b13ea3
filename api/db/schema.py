"""The tables, as the queries use them. Alembic's revisions (api/db/alembic/versions, run by
api.db.migrations) create and change them; tests/api/db/test_migrations.py checks that a migrated
database is exactly this, and `alembic revision --autogenerate` drafts the next revision from it."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, Index, Integer, MetaData, String, Table, Text, UniqueConstraint

metadata = MetaData()

#: API keys: only the sha256 of the secret is kept. Each is bound to a role and an on-chain identity.
api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("secret_hash", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("identity", String(42), nullable=False),
    Column("label", String(200), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("revoked_at", BigInteger, nullable=True),
)

#: Holder sessions opened by Sign-In with Ethereum; `nonce` is unique, so a signed message signs in once.
sessions = Table(
    "sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("address", String(42), nullable=False),
    Column("nonce", String(128), nullable=False, unique=True),
    Column("created_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
)

#: One row per (caller, Idempotency-Key): the request's fingerprint and, once answered, the answer.
idempotency_records = Table(
    "idempotency_records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("principal", String(80), nullable=False),
    Column("key", String(255), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("state", String(16), nullable=False),
    Column("status_code", Integer, nullable=True),
    Column("response", Text, nullable=True),
    Column("created_at", BigInteger, nullable=False),
    Column("lease_until", Float, nullable=False),
    UniqueConstraint("principal", "key", name="uq_idempotency_principal_key"),
)

#: Every transaction the gateway signs, recorded before it is sent (write-ahead), so a restart
#: resolves it by its hash instead of sending it again.
transactions = Table(
    "transactions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tx_hash", String(66), nullable=False, unique=True),
    Column("sender", String(42), nullable=False),
    Column("nonce", BigInteger, nullable=False),
    Column("raw", Text, nullable=False),
    Column("purpose", String(80), nullable=False),
    Column("idempotency_id", Integer, nullable=True),
    Column("seq", Integer, nullable=True),
    Column("state", String(16), nullable=False),
    Column("block_number", BigInteger, nullable=True),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    UniqueConstraint("idempotency_id", "seq", name="uq_transactions_operation"),
    Index("ix_transactions_state", "state"),
)

#: Where the event index stands: the last block indexed and its hash (a changed hash means the
#: chain was rewound or reorganised under the index, which is then rebuilt).
index_cursor = Table(
    "index_cursor",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("block_number", BigInteger, nullable=False),
    Column("block_hash", String(66), nullable=False),
)

#: Every movement of units (ERC-1155 TransferSingle and each item of TransferBatch).
movements = Table(
    "movements",
    metadata,
    Column("tx_hash", String(66), primary_key=True),
    Column("log_index", Integer, primary_key=True),
    Column("item", Integer, primary_key=True),
    Column("block_number", BigInteger, nullable=False),
    Column("block_time", BigInteger, nullable=False),
    Column("issuance_id", BigInteger, nullable=False),
    Column("operator", String(42), nullable=False),
    Column("from_address", String(42), nullable=False),
    Column("to_address", String(42), nullable=False),
    Column("amount", String(78), nullable=False),
    Index("ix_movements_from", "from_address"),
    Index("ix_movements_to", "to_address"),
    Index("ix_movements_issuance", "issuance_id"),
)

#: Each holder's balance of each issuance as the indexed movements add up (rows at zero removed),
#: kept with them so that an issuance's holders are read a page at a time instead of summed from
#: every movement of the issuance on each request.
holdings = Table(
    "holdings",
    metadata,
    Column("issuance_id", BigInteger, primary_key=True, autoincrement=False),
    Column("holder", String(42), primary_key=True),
    Column("balance", String(78), nullable=False),
)

#: Texts of the risk notices published through the gateway, by the sha256 anchored on-chain; the
#: gateway serves them at the URI it published.
risk_notice_texts = Table(
    "risk_notice_texts",
    metadata,
    Column("content_hash", String(66), primary_key=True),
    Column("text", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

#: The collateral attestations of this platform's asset (CollateralAttestations' events), as much
#: as the coverage watch needs to tell when one lapses: its expiry, its verifier, and whether it
#: already stopped counting by a revocation or a renewal (which recorded the coverage themselves).
attestations = Table(
    "attestations",
    metadata,
    Column("attestation_id", String(66), primary_key=True),
    Column("issuance_id", BigInteger, nullable=False),
    Column("verifier", String(42), nullable=False),
    Column("valid_until", BigInteger, nullable=False),
    Column("ended_block", BigInteger, nullable=True),
    Index("ix_attestations_issuance", "issuance_id"),
    Index("ix_attestations_verifier", "verifier"),
)

#: Each issuance's coverage as the chain last recorded it (its latest CoverageSynced event).
coverage_records = Table(
    "coverage_records",
    metadata,
    Column("issuance_id", BigInteger, primary_key=True),
    Column("block_number", BigInteger, nullable=False),
    Column("log_index", Integer, nullable=False),
    Column("block_time", BigInteger, nullable=False),
    Column("supply", String(78), nullable=False),
)

#: Verifiers' accreditations withdrawn (the registry's AccreditationWithdrawn events).
accreditation_withdrawals = Table(
    "accreditation_withdrawals",
    metadata,
    Column("tx_hash", String(66), primary_key=True),
    Column("log_index", Integer, primary_key=True),
    Column("block_number", BigInteger, nullable=False),
    Column("block_time", BigInteger, nullable=False),
    Column("verifier", String(42), nullable=False),
    Index("ix_accreditation_withdrawals_verifier", "verifier"),
)

#: Offers makers published through this gateway, as they signed them (the chain keeps no offers,
#: only the nonces they spend): what takers find. `id` is the order of publication. `status` is
#: `open`, `taken` or `cancelled` as the event index last saw the exchange's events (OfferTaken by
#: the offer's hash, with `filled_by`, `fill_tx`, `fill_block`; OfferCancelled, or another offer of
#: the maker's nonce taken); an open one past its expiry is expired. `closed_at` is when the index
#: saw it taken or cancelled (its row is pruned after the idempotency retention); `taking_until`
#: is a take's claim on it while the operator relays one (no second take is sent meanwhile).
offers = Table(
    "offers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("offer_hash", String(66), nullable=False, unique=True),
    Column("maker", String(42), nullable=False),
    Column("taker", String(42), nullable=False),
    Column("give_token", String(42), nullable=False),
    Column("give_id", String(78), nullable=False),
    Column("give_amount", String(78), nullable=False),
    Column("want_token", String(42), nullable=False),
    Column("want_id", String(78), nullable=False),
    Column("want_amount", String(78), nullable=False),
    Column("nonce", String(78), nullable=False),
    Column("expiry", BigInteger, nullable=False),
    Column("signature", String(132), nullable=False),
    Column("published_at", BigInteger, nullable=False),
    Column("status", String(16), nullable=False, server_default="open"),
    Column("filled_by", String(42), nullable=True),
    Column("fill_tx", String(66), nullable=True),
    Column("fill_block", BigInteger, nullable=True),
    Column("closed_at", BigInteger, nullable=True),
    Column("taking_until", Float, nullable=True),
    Index("ix_offers_maker", "maker", "status"),
    Index("ix_offers_nonce", "maker", "nonce"),
    Index("ix_offers_taker", "taker"),
    Index("ix_offers_give", "give_token", "give_id"),
    Index("ix_offers_want", "want_token", "want_id"),
)

#: Every escrow of the exchange (EscrowOpened), and its state as its last event left it
#: (EscrowSettled, EscrowLapsed, EscrowCancelled): what the listings filter.
escrows = Table(
    "escrows",
    metadata,
    Column("escrow_id", BigInteger, primary_key=True, autoincrement=False),
    Column("issuance_id", BigInteger, nullable=False),
    Column("seller", String(42), nullable=False),
    Column("buyer", String(42), nullable=False),
    Column("agent", String(42), nullable=False),
    Column("amount", String(78), nullable=False),
    Column("price", String(78), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("deadline", BigInteger, nullable=False),
    Column("state", String(16), nullable=False),
    Index("ix_escrows_seller", "seller"),
    Index("ix_escrows_buyer", "buyer"),
    Index("ix_escrows_agent", "agent"),
    Index("ix_escrows_issuance", "issuance_id"),
)

#: Every encumbrance from the asset's events (Encumbered, then EncumbranceReleased, -Enforced or
#: -Recovered, the last moving it to the recovered wallet's replacement), so that a holder's live
#: encumbrances are found without reading every encumbrance on the chain.
encumbrances = Table(
    "encumbrances",
    metadata,
    Column("encumbrance_id", BigInteger, primary_key=True, autoincrement=False),
    Column("issuance_id", BigInteger, nullable=False),
    Column("holder", String(42), nullable=False),
    Column("beneficiary", String(42), nullable=False),
    Column("amount", String(78), nullable=False),
    Column("expiry", BigInteger, nullable=False),
    Column("reference_hash", String(66), nullable=False),
    Column("state", String(16), nullable=False),
    Index("ix_encumbrances_holder", "holder", "state"),
)

#: Every token the regulator ever listed for payment legs (PaymentTokenListed), where it was first
#: listed: the order the list is paged in. Whether it is listed now is read from the exchange.
payment_tokens = Table(
    "payment_tokens",
    metadata,
    Column("token", String(42), primary_key=True),
    Column("block_number", BigInteger, nullable=False),
    Column("log_index", Integer, nullable=False),
    Index("ix_payment_tokens_listed", "block_number", "log_index"),
)

#: Every redemption request (RedemptionRequested), and its state as its last event left it
#: (RedemptionConfirmed, RedemptionRefused): what the list filters, by issuance, holder and state.
redemptions = Table(
    "redemptions",
    metadata,
    Column("request_id", BigInteger, primary_key=True, autoincrement=False),
    Column("issuance_id", BigInteger, nullable=False),
    Column("holder", String(42), nullable=False),
    Column("amount", String(78), nullable=False),
    Column("fulfilment_ref", String(66), nullable=False),
    Column("state", String(16), nullable=False),
    Index("ix_redemptions_issuance", "issuance_id", "state"),
    Index("ix_redemptions_holder", "holder"),
)

#: Every issuance's issuer and the operator running it now (IssuanceCreated, then IssuanceSucceeded):
#: what the list of issuances filters by.
issuances = Table(
    "issuances",
    metadata,
    Column("issuance_id", BigInteger, primary_key=True, autoincrement=False),
    Column("issuer", String(42), nullable=False),
    Column("operator", String(42), nullable=False),
    Index("ix_issuances_issuer", "issuer"),
    Index("ix_issuances_operator", "operator"),
)
