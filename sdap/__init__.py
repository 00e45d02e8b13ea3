"""SDAP: the Python SDK of the secured digital asset platform.

from sdap import Platform
platform = Platform.connect("http://127.0.0.1:8545", "deployments/local.json")
"""

from sdap.deployment import Deployment, deploy_platform
from sdap.errors import (
    ChainError,
    ConfigurationError,
    ConnectionFailed,
    ContractError,
    RpcError,
    SdapError,
    TransactionTimeout,
    WalletError,
)
from sdap.events import Event, stream_events
from sdap.platform import Platform
from sdap.transactions import Receipt, Transactor

__all__ = [
    "ChainError",
    "ConfigurationError",
    "ConnectionFailed",
    "ContractError",
    "Deployment",
    "Event",
    "Platform",
    "Receipt",
    "RpcError",
    "SdapError",
    "TransactionTimeout",
    "Transactor",
    "WalletError",
    "deploy_platform",
    "stream_events",
]
