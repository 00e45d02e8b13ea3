"""The gateway's settings: one class, read from the environment (prefix SDAP_) or given in code.

Secrets (the keystore password, the session secret, development keys) have no default. Outside
development the gateway refuses to start with a placeholder secret or with raw private keys in its
environment: production keys live in encrypted keystores (sdap.wallet).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from limits import parse_many
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from sdap.errors import ConfigurationError

#: Secrets that are obviously not secret; refused outside development.
PLACEHOLDERS = frozenset({"", "changeme", "change-me", "change_me", "secret", "password", "dev", "development", "test"})

Environment = Literal["development", "test", "production"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SDAP_", extra="ignore", frozen=True)

    environment: Environment = "development"

    # --- the chain -------------------------------------------------------------------------
    rpc_url: str = "http://127.0.0.1:8545"
    deployment: Path = Field(description="Deployment file written by `sdap deploy` (SDAP_DEPLOYMENT).")
    rpc_timeout: float = 30.0
    tx_timeout: float = 120.0

    # --- keys -----------------------------------------------------------------------------
    operator_address: str = Field(description="The operator account the gateway mints and relays with.")
    #: Further accounts whose keys the gateway holds (custodial signing for API keys bound to them).
    signer_addresses: Annotated[list[str], NoDecode] = Field(default_factory=list)
    keystore_dir: Path | None = None
    keystore_password: SecretStr | None = None
    keystore_password_file: Path | None = None
    #: Development only: comma-separated private keys instead of keystores (refused in production).
    private_keys: SecretStr | None = None

    # --- HTTP -----------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = 8000
    #: The URL clients reach the gateway at: Sign-In with Ethereum messages must name its host.
    public_url: str = "http://127.0.0.1:8000"
    #: Signs the sign-in nonces the gateway hands out.
    session_secret: SecretStr
    session_ttl: int = 3600
    nonce_ttl: int = 300
    #: The longest request body taken, in bytes, except on routes that declare more (api.body_limit).
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    #: Rate limits (api.rate_limits), in the `limits` notation ("100/second;3000/minute"; empty:
    #: none): requests per API key, requests per holder wallet, and nonce and sign-in requests per
    #: client address (the address the connection comes from).
    rate_limit_api_key: str = "100/second;3000/minute"
    rate_limit_wallet: str = "20/second;600/minute"
    rate_limit_sign_in: str = "20/minute"
    #: Gas the operator pays, at most, for one holder's relayed actions (transfers, acknowledgements)
    #: within `relay_gas_window` seconds; 0: no budget.
    relay_gas_budget: int = Field(default=3_000_000, ge=0)
    relay_gas_window: int = Field(default=24 * 3600, ge=1)
    #: Offers one maker may keep open (published, not taken, cancelled nor expired) at once; 0:
    #: no cap. Publishing costs the maker nothing: the cap keeps one wallet from filling the book.
    max_open_offers_per_maker: int = Field(default=100, ge=0)

    # --- storage --------------------------------------------------------------------------
    database_url: str = "sqlite:///sdap-gateway.db"

    # --- background work ------------------------------------------------------------------
    #: Seconds between checks of the published decisions (Law art. 7.1); 0 disables the task.
    decision_watch_interval: float = 3600.0
    decision_fetch_timeout: float = 10.0
    decision_max_bytes: int = 20 * 1024 * 1024
    #: Allow decision URIs on loopback or private addresses (tests, a local demo). Off in production:
    #: the gateway must not be usable to probe the operator's internal network.
    decision_allow_private: bool = False
    #: The longest a document fetch may take, redirects included (each read also waits at most
    #: `decision_fetch_timeout`).
    document_deadline: float = Field(default=15.0, gt=0)
    #: Seconds a failed fetch of a document is remembered by the periodic tasks before they try again.
    document_failure_ttl: float = Field(default=60.0, ge=0)
    #: URI prefixes fetched from elsewhere, as JSON (`{"http://127.0.0.1:8001/": "http://127.0.0.1:9001/"}`):
    #: a local demo whose document server moved. What is fetched is still checked against its hash.
    document_mirrors: dict[str, str] = Field(default_factory=dict)
    #: Seconds between fetches of the risk-notice texts public reads asked for (never fetched
    #: while a request waits); 0 disables the task.
    notice_fetch_interval: float = 5.0
    #: Seconds between catch-ups of the event index; 0 indexes only on demand.
    index_interval: float = 2.0
    #: Seconds between rounds of the coverage watch, which has the chain record an issuance's
    #: coverage again once an attestation behind it expired or its verifier's accreditation was
    #: withdrawn (api.services.coverage); 0 disables the task.
    coverage_watch_interval: float = 60.0
    #: How long a duplicate request waits for the first one before answering 409.
    idempotency_wait: float = 30.0
    #: Seconds an Idempotency-Key answered (its answer replayed) or stopped is kept; older ones are pruned
    #: hourly, after which the same key is a new request. 0 keeps them for good.
    idempotency_retention: float = 7 * 24 * 3600.0

    @field_validator("rate_limit_api_key", "rate_limit_wallet", "rate_limit_sign_in")
    @classmethod
    def _rate(cls, value: str) -> str:
        if value.strip():
            parse_many(value)  # ValueError names what it cannot read
        return value

    @field_validator("signer_addresses", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.environment != "development":
            if self.session_secret.get_secret_value().strip().lower() in PLACEHOLDERS:
                raise ValueError("SDAP_SESSION_SECRET is a placeholder: set a random secret")
            if len(self.session_secret.get_secret_value()) < 32:
                raise ValueError("SDAP_SESSION_SECRET must be at least 32 characters")
        if self.environment == "production" and self.private_keys is not None:
            raise ValueError("SDAP_PRIVATE_KEYS is for development: use keystores (SDAP_KEYSTORE_DIR) in production")
        parts = urlsplit(self.public_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("SDAP_PUBLIC_URL must be an http(s) URL")
        return self

    @property
    def siwe_domain(self) -> str:
        """The RFC 3986 authority a sign-in message must name (host and port of the public URL)."""
        return urlsplit(self.public_url).netloc

    def keystore_secret(self) -> SecretStr:
        if self.keystore_password is not None:
            return self.keystore_password
        if self.keystore_password_file is not None:
            try:
                lines = self.keystore_password_file.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise ConfigurationError(f"cannot read SDAP_KEYSTORE_PASSWORD_FILE: {exc.strerror}") from None
            return SecretStr(lines[0] if lines else "")
        raise ConfigurationError("set SDAP_KEYSTORE_PASSWORD or SDAP_KEYSTORE_PASSWORD_FILE to unlock the keystores")
