"""One client per role of the platform, each built from a Platform and a signing account, plus
PlatformQueries for reads that need no key.

    regulator = RegulatorClient(platform, regulator_account)    # or platform.regulator(account)
    created = regulator.list_asset_type("Warehouse receipt", AssetCategory.GOODS)
    created.id, created.receipt.tx_hash
"""

from sdap.clients.compliance import ComplianceClient
from sdap.clients.holder import HolderClient
from sdap.clients.issuer import IssuerClient
from sdap.clients.operator import OperatorClient
from sdap.clients.queries import PlatformQueries
from sdap.clients.regulator import RegulatorClient
from sdap.clients.verifier import VerifierClient

__all__ = [
    "ComplianceClient",
    "HolderClient",
    "IssuerClient",
    "OperatorClient",
    "PlatformQueries",
    "RegulatorClient",
    "VerifierClient",
]
