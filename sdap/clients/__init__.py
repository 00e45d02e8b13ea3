"""One client per role of the platform, each built from a Platform and a signing account, plus
PlatformQueries for reads that need no key.

    regulator = RegulatorClient(platform, regulator_account)    # or platform.regulator(account)
    created = regulator.list_asset_type("Warehouse receipt", AssetCategory.GOODS)
    created.id, created.receipt.tx_hash
"""

from sdap.clients._forwarding import DEFAULT_TTL as FORWARD_REQUEST_TTL
from sdap.clients._forwarding import build_request as build_forward_request
from sdap.clients._forwarding import require_gas as require_forward_request_gas
from sdap.clients.compliance import ComplianceClient
from sdap.clients.holder import HolderClient
from sdap.clients.issuer import IssuerClient
from sdap.clients.operator import OperatorClient
from sdap.clients.queries import PlatformQueries
from sdap.clients.regulator import RegulatorClient
from sdap.clients.regulator_calls import RegulatorCalls
from sdap.clients.settlement import SettlementAgentClient
from sdap.clients.verifier import VerifierClient

__all__ = [
    "FORWARD_REQUEST_TTL",
    "ComplianceClient",
    "HolderClient",
    "IssuerClient",
    "OperatorClient",
    "PlatformQueries",
    "RegulatorCalls",
    "RegulatorClient",
    "SettlementAgentClient",
    "VerifierClient",
    "build_forward_request",
    "require_forward_request_gas",
]
