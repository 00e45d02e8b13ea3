"""Deploying the platform and the deployment file that lets anyone load it again.

The file records the chain id, every address, the block of the first deployment transaction and
the sha256 of each artifact deployed, so an auditor knows where history starts and which code was
meant to be there.

The regulator is one key (`regulator=`: the local demo, the tests) or governed
(`governance=GovernanceSetup(...)`): a RegulatorCouncil of signers agreeing `threshold` of them
proposes to a RegulatorTimelock that holds REGULATOR_ROLE, each act waiting `min_delay` seconds in
public before anyone executes it (contracts/governance, sdap.governance).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from eth_abi import encode
from eth_utils import to_checksum_address
from web3 import Web3
from web3.exceptions import Web3Exception

from sdap import _validate as check
from sdap.artifacts import load_artifact
from sdap.errors import ConfigurationError, InvalidArgument
from sdap.transactions import Transactor

#: 2: the asset's extension (`extension`) joined the contracts. 3: the governed regulator's
#: `council` and `timelock` ("" for a single-key regulator). 4: the exchange the asset deployed
#: (`exchange`); a format-3 file is read with it left "" and the Platform asks the asset for it.
FORMAT_VERSION = 4
#: Formats read still: 3 lacks only `exchange`, which the asset answers (`asset.exchange()`).
_READABLE_FORMATS = (3, FORMAT_VERSION)


@dataclass(frozen=True)
class GovernanceSetup:
    """A governed regulator: `threshold` of the council's `signers` (addresses of keys or ERC-1271
    wallets) agree on each act, which then waits `min_delay` seconds on the timelock."""

    #: Stored as a tuple of checksummed addresses, whatever sequence was given.
    signers: Sequence[str]
    threshold: int
    min_delay: int

    def __post_init__(self) -> None:
        if isinstance(self.signers, str | bytes):
            raise InvalidArgument(f"signers must be a list of addresses, got {self.signers!r}")
        checked = tuple(check.address(s, "signers[]") for s in self.signers)
        if not checked:
            raise InvalidArgument("the council needs at least one signer")
        if len(set(checked)) != len(checked):
            raise InvalidArgument("the council's signers must be distinct")
        if not 1 <= check.uint(self.threshold, "threshold", 64) <= len(checked):
            raise InvalidArgument(f"threshold must be between 1 and the {len(checked)} signers, got {self.threshold}")
        if check.uint(self.min_delay, "min_delay") == 0:
            # The timelock refuses it too (Timelock_InvalidSetup): no delay, no window to cancel in.
            raise InvalidArgument("min_delay must be at least one second: the delay is the window to cancel in")
        object.__setattr__(self, "signers", checked)


@dataclass(frozen=True)
class Deployment:
    chain_id: int
    deployment_block: int
    registry: str
    forwarder: str
    collateral: str
    asset: str
    #: The code the asset runs its less frequent acts with (contracts/SecuredAssetExtension.sol).
    extension: str
    #: Who holds REGULATOR_ROLE: the one key, or the timelock when governed.
    regulator: str
    artifacts: dict[str, str] = field(default_factory=dict)
    metadata_uri: str = ""
    #: The governed regulator's council and timelock; "" for a single-key regulator.
    council: str = ""
    timelock: str = ""
    #: The exchange the asset deployed in its constructor (contracts/SecuredExchange.sol); "" only
    #: while a format-3 file's is not yet read from the chain (Platform fills it in).
    exchange: str = ""

    @property
    def governed(self) -> bool:
        """Whether the regulator is the council's timelock rather than one key."""
        return bool(self.timelock)

    @property
    def addresses(self) -> dict[str, str]:
        """Contract name -> address; the council and the timelock only when governed."""
        addresses = {
            "PlatformRegistry": self.registry,
            "HolderForwarder": self.forwarder,
            "CollateralAttestations": self.collateral,
            "SecuredAsset": self.asset,
            "SecuredAssetExtension": self.extension,
        }
        if self.exchange:
            addresses["SecuredExchange"] = self.exchange
        if self.governed:
            addresses |= {"RegulatorCouncil": self.council, "RegulatorTimelock": self.timelock}
        return addresses

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT_VERSION, **asdict(self)}, indent=2, sort_keys=True) + "\n"

    def save(self, path: str | Path) -> Path:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_text(self.to_json())
        tmp.replace(target)  # never a half-written deployment file
        return target

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Deployment:
        if data.get("format") not in _READABLE_FORMATS:
            raise ConfigurationError(
                f"unsupported deployment file format {data.get('format')!r}: this SDK reads format {FORMAT_VERSION}"
                " (which records whether the regulator is governed and the exchange), or 3 (whose exchange it asks"
                " the asset for); deploy again with `sdap deploy`"
            )
        try:
            fields = {
                k: data[k]
                for k in (
                    "chain_id",
                    "deployment_block",
                    "registry",
                    "forwarder",
                    "collateral",
                    "asset",
                    "extension",
                    "regulator",
                    "council",
                    "timelock",
                )
            }
        except KeyError as exc:
            raise ConfigurationError(f"deployment file lacks {exc.args[0]!r}") from None
        for key in ("registry", "forwarder", "collateral", "asset", "extension", "regulator"):
            fields[key] = check.address(fields[key], f"deployment file: {key}")
        if data["format"] == FORMAT_VERSION:
            if "exchange" not in data:
                raise ConfigurationError("deployment file lacks 'exchange'")
            fields["exchange"] = check.address(data["exchange"], "deployment file: exchange")
        for key in ("council", "timelock"):
            fields[key] = check.address(fields[key], f"deployment file: {key}") if fields[key] else ""
        if bool(fields["council"]) != bool(fields["timelock"]):
            raise ConfigurationError("deployment file: a governed regulator needs both its council and its timelock")
        if fields["timelock"] and fields["regulator"] != fields["timelock"]:
            raise ConfigurationError("deployment file: a governed deployment's regulator is its timelock")
        return cls(**fields, artifacts=dict(data.get("artifacts", {})), metadata_uri=str(data.get("metadata_uri", "")))

    @classmethod
    def load(cls, path: str | Path) -> Deployment:
        try:
            data = json.loads(Path(path).read_text())
        except FileNotFoundError:
            raise ConfigurationError(f"no deployment file at {path}") from None
        except json.JSONDecodeError as exc:
            raise ConfigurationError(f"deployment file {path} is not JSON: {exc}") from None
        return cls.from_dict(data)


def _creation_code(name: str, types: list[str], args: list[Any]) -> bytes:
    artifact = load_artifact(name)
    return bytes.fromhex(artifact.bytecode[2:]) + encode(types, args)


def deploy_platform(
    w3: Web3,
    deployer: Transactor,
    regulator: str | None = None,
    metadata_uri: str = "",
    *,
    governance: GovernanceSetup | None = None,
) -> Deployment:
    """Deploys and wires the five contracts (the asset deploying the sixth, its exchange) for a
    single-key `regulator`, or, with `governance`, first the council and the timelock that then
    holds REGULATOR_ROLE. The deployer keeps no role: the regulator is the only role holder
    afterwards, exactly as scripts/DeployPlatform.s.sol does."""
    if (regulator is None) == (governance is None):
        raise InvalidArgument("give either regulator (a single key) or governance (a council and a timelock)")
    council = timelock = ""
    first_block: int | None = None
    if governance is not None:
        signers = [bytes.fromhex(s[2:]) for s in governance.signers]
        created = deployer.send_raw(
            None, _creation_code("RegulatorCouncil", ["bytes[]", "uint64"], [signers, governance.threshold])
        )
        council, first_block = _created(w3, created.tx_hash), created.block_number
        lock = deployer.send_raw(
            None, _creation_code("RegulatorTimelock", ["uint256", "address"], [governance.min_delay, council])
        )
        regulator = timelock = _created(w3, lock.tx_hash)
    regulator = check.address(regulator, "regulator")
    registry = deployer.send_raw(None, _creation_code("PlatformRegistry", ["address"], [regulator]))
    forwarder = deployer.send_raw(None, _creation_code("HolderForwarder", [], []))
    registry_address = _created(w3, registry.tx_hash)
    collateral = deployer.send_raw(None, _creation_code("CollateralAttestations", ["address"], [registry_address]))
    collateral_address = _created(w3, collateral.tx_hash)
    forwarder_address = _created(w3, forwarder.tx_hash)
    args = [registry_address, collateral_address, forwarder_address, metadata_uri]
    extension = deployer.send_raw(
        None, _creation_code("SecuredAssetExtension", ["address", "address", "address", "string"], args)
    )
    extension_address = _created(w3, extension.tx_hash)
    asset = deployer.send_raw(
        None,
        _creation_code(
            "SecuredAsset", ["address", "address", "address", "string", "address"], [*args, extension_address]
        ),
    )
    asset_address = _created(w3, asset.tx_hash)
    deployment = Deployment(
        chain_id=w3.eth.chain_id,
        deployment_block=registry.block_number if first_block is None else first_block,
        registry=registry_address,
        forwarder=forwarder_address,
        collateral=collateral_address,
        asset=asset_address,
        extension=extension_address,
        regulator=regulator,
        metadata_uri=metadata_uri,
        council=council,
        timelock=timelock,
        exchange=exchange_of(w3, asset_address),
    )
    # The code meant to be at each address deployed: the council's and timelock's only when governed.
    return replace(deployment, artifacts={name: load_artifact(name).sha256 for name in deployment.addresses})


def exchange_of(w3: Web3, asset: str) -> str:
    """The exchange the asset at `asset` deployed in its constructor (`asset.exchange()`);
    ConfigurationError if the asset does not answer (code from before the exchange)."""
    contract = w3.eth.contract(address=check.address(asset, "asset"), abi=load_artifact("SecuredAsset").abi)  # type: ignore[call-overload]
    try:
        address = contract.functions.exchange().call()
    except Web3Exception as exc:  # a revert, or no such function (empty output): no exchange to read
        raise ConfigurationError(
            f"the asset at {asset} names no exchange ({type(exc).__name__}): it was deployed before the exchange;"
            " deploy again with `sdap deploy`"
        ) from None
    if int(address, 16) == 0:
        raise ConfigurationError(f"the asset at {asset} names no exchange; deploy again with `sdap deploy`")
    return to_checksum_address(address)


def _created(w3: Web3, tx_hash: str) -> str:
    address = w3.eth.get_transaction_receipt(tx_hash)["contractAddress"]  # type: ignore[arg-type]
    if address is None:
        raise ConfigurationError(f"transaction {tx_hash} created no contract")
    return to_checksum_address(address)
