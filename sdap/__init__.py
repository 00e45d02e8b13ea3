"""SDAP: the Python SDK of the secured digital asset platform.

from sdap import Platform
platform = Platform.connect("http://127.0.0.1:8545", "deployments/local.json")
"""

from sdap.clients import (
    ComplianceClient,
    HolderClient,
    IssuerClient,
    OperatorClient,
    PlatformQueries,
    RegulatorClient,
    SettlementAgentClient,
    VerifierClient,
)
from sdap.deployment import Deployment, GovernanceSetup, deploy_platform
from sdap.errors import (
    ChainError,
    ConfigurationError,
    ConnectionFailed,
    ContractError,
    InvalidArgument,
    OutOfGas,
    PaymentNotAvailable,
    RpcError,
    SdapError,
    TransactionTimeout,
    WalletError,
)
from sdap.events import Event, stream_events
from sdap.governance import Governance, Proposal, ProposalState
from sdap.platform import Platform
from sdap.transactions import Receipt, Transactor
from sdap.types import (
    AssetCategory,
    AttestationStatus,
    Coverage,
    Created,
    Escrow,
    EscrowState,
    IssuanceParams,
    IssuerStatus,
    Offer,
    OfferRefusal,
    ParticipantStatus,
    PaymentToken,
    PermitState,
    PermitStatus,
    Refusal,
    Role,
    SignedOffer,
)
from sdap.wallet import Keystore, Secret, Signer

__all__ = [
    "AssetCategory",
    "AttestationStatus",
    "ChainError",
    "ComplianceClient",
    "ConfigurationError",
    "ConnectionFailed",
    "ContractError",
    "Coverage",
    "Created",
    "Deployment",
    "Escrow",
    "EscrowState",
    "Event",
    "Governance",
    "GovernanceSetup",
    "HolderClient",
    "InvalidArgument",
    "IssuanceParams",
    "IssuerClient",
    "IssuerStatus",
    "Keystore",
    "Offer",
    "OfferRefusal",
    "OperatorClient",
    "OutOfGas",
    "ParticipantStatus",
    "PaymentNotAvailable",
    "PaymentToken",
    "PermitState",
    "PermitStatus",
    "Platform",
    "PlatformQueries",
    "Proposal",
    "ProposalState",
    "Receipt",
    "Refusal",
    "RegulatorClient",
    "Role",
    "RpcError",
    "SdapError",
    "Secret",
    "SettlementAgentClient",
    "SignedOffer",
    "Signer",
    "TransactionTimeout",
    "Transactor",
    "VerifierClient",
    "WalletError",
    "deploy_platform",
    "stream_events",
]
