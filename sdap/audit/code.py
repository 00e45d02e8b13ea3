"""Is the code on chain the code that was audited? Recompile the sources and compare.

The platform's contracts are compiled from the repository's sources in one py-solc-x run through the
project's solc front-end (tools/solc), with the settings the shipped artifacts record. The runtime
code at each deployed address is then compared with the compiled runtime code, ignoring only the
CBOR metadata trailer (which hashes comments and file names, not behaviour) and the immutables,
which the constructor fills in: their positions come from the compiler and their values are
reported, so the auditor sees for instance which registry the asset contract trusts.

The asset's views module (contracts/SecuredAssetViews.sol) is at no address of the deployment: the
extension deploys it and runs it on the asset's storage. Its address is what `views()` answers at
the asset's address; its code is checked there, and the extension's code must delegate to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from eth_abi import decode as abi_decode
from eth_abi.exceptions import DecodingError
from eth_utils import function_signature_to_4byte_selector, to_checksum_address

from sdap.compiler import CompiledContract, compile_platform, strip_metadata
from sdap.errors import ChainError, ContractError
from sdap.platform import Platform
from sdap.transactions import rpc

#: The module answering the asset's views, deployed by its extension (sdap.artifacts.MODULE_NAMES).
VIEWS = "SecuredAssetViews"


@dataclass(frozen=True)
class CodeCheck:
    contract: str
    address: str
    matches: bool
    onchain_size: int
    compiled_size: int
    immutables: tuple[str, ...]
    detail: str


@dataclass(frozen=True)
class CodeVerification:
    block: int
    checks: tuple[CodeCheck, ...]

    @property
    def ok(self) -> bool:
        return all(c.matches for c in self.checks)


def compare(compiled: CompiledContract, onchain: bytes) -> tuple[bool, tuple[str, ...], str]:
    """Whether `onchain` is `compiled` up to its metadata and immutables; the immutables' values."""
    if len(onchain) != len(compiled.runtime):
        return False, (), f"size {len(onchain)} bytes, compiled {len(compiled.runtime)}"
    masked = bytearray(onchain)
    values: list[str] = []
    for start, length in compiled.immutables:
        word = bytes(masked[start : start + length])
        if "0x" + word.hex() not in values:
            values.append("0x" + word.hex())
        masked[start : start + length] = compiled.runtime[start : start + length]
    ours, theirs = strip_metadata(compiled.runtime), strip_metadata(bytes(masked))
    if ours != theirs:
        first = next(
            (i for i, (x, y) in enumerate(zip(ours, theirs, strict=False)) if x != y), min(len(ours), len(theirs))
        )
        return False, tuple(values), f"differs from the compiled code at byte {first}"
    return True, tuple(values), "matches the sources (metadata and immutables aside)"


def verify_code(
    platform: Platform,
    root: str | Path = ".",
    *,
    compiled: dict[str, CompiledContract] | None = None,
    block: int | None = None,
) -> CodeVerification:
    """Compares the runtime code at every address of the deployment, and at the asset's views
    module, with the compiled sources."""
    built = compiled if compiled is not None else compile_platform(root)
    w3 = platform.w3
    at = rpc(lambda: w3.eth.block_number) if block is None else block
    deployment = platform.deployment
    checks = []
    for name, address in deployment.addresses.items():
        onchain = bytes(rpc(lambda a=address: w3.eth.get_code(a, at)))  # type: ignore[misc]
        matches, immutables, detail = compare(built[name], onchain)
        if matches and name == "SecuredAsset" and _word(deployment.extension) not in immutables:
            # The code is right but could run another extension's code on the asset's storage.
            matches, detail = False, f"delegates to none of the deployment's extension {deployment.extension}"
        if matches and name == "SecuredExchange" and _word(deployment.asset) not in immutables:
            # The code is right but moves the units of another asset than the deployment's.
            matches, detail = False, f"serves another asset than the deployment's {deployment.asset}"
        checks.append(CodeCheck(name, address, matches, len(onchain), len(built[name].runtime), immutables, detail))
    checks.append(_check_views(platform, built[VIEWS], at, checks))
    return CodeVerification(at, tuple(checks))


def _check_views(platform: Platform, compiled: CompiledContract, at: int, checks: list[CodeCheck]) -> CodeCheck:
    """The views module the asset answers with: its code at the address `views()` names there, the
    module naming itself (its own address is its immutable), and the extension delegating to it."""
    w3, asset = platform.w3, platform.deployment.asset
    call = {"to": asset, "data": "0x" + function_signature_to_4byte_selector("views()").hex()}
    try:
        answer = bytes(rpc(lambda: w3.eth.call(call, at)))  # type: ignore[arg-type]
        address = to_checksum_address(abi_decode(["address"], answer)[0])
    except (ChainError, ContractError, DecodingError) as exc:  # no such function, or no address answered
        detail = f"the asset at {asset} names no views module ({type(exc).__name__})"
        return CodeCheck(VIEWS, "", False, 0, len(compiled.runtime), (), detail)
    onchain = bytes(rpc(lambda: w3.eth.get_code(address, at)))
    matches, immutables, detail = compare(compiled, onchain)
    if matches and _word(address) not in immutables:
        # The code is right but is another module's: it names another address as its own.
        matches, detail = False, f"names another address than its own {address}"
    extension = next((c for c in checks if c.contract == "SecuredAssetExtension"), None)
    if matches and extension is not None and _word(address) not in extension.immutables:
        # The asset answers with this module's address, but its extension runs another's code.
        matches, detail = False, f"the extension {extension.address} delegates to another views module"
    return CodeCheck(VIEWS, address, matches, len(onchain), len(compiled.runtime), immutables, detail)


def _word(address: str) -> str:
    """An address as the 32-byte immutable word the compiler writes into the runtime code."""
    return "0x" + address[2:].lower().rjust(64, "0")
