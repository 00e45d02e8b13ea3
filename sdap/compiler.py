"""Recompile the platform's contracts from source with py-solc-x and the project's solc front-end.

Used to prove the shipped artifacts match the sources and, by auditors, that the code deployed on
chain is the code that was audited. Needs the repository checkout (contracts/, node_modules/,
tools/solc): it is a tool for developers and auditors, not for the deployed SDK.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import solcx

from sdap.artifacts import Artifact
from sdap.errors import CompilationError


@dataclass(frozen=True)
class CompiledContract:
    name: str
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: str


def compile_artifact_sources(artifact: Artifact, root: Path) -> CompiledContract:
    """Compiles `artifact`'s contract from the sources under `root` with the settings it records."""
    solc = root / "tools" / "solc"
    if not solc.exists():
        raise CompilationError(f"no solc front-end at {solc}: run from a checkout of the repository")
    settings = dict(artifact.settings)
    settings["outputSelection"] = {
        artifact.source_name: {artifact.name: ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"]}
    }
    source = root / artifact.source_name
    if not source.exists():
        raise CompilationError(f"source {artifact.source_name} not found under {root}")
    standard_input = {
        "language": "Solidity",
        "sources": {artifact.source_name: {"content": source.read_text()}},
        "settings": settings,
    }
    try:
        output = solcx.compile_standard(
            standard_input, solc_binary=str(solc), base_path=str(root), allow_paths=[str(root)]
        )
    except solcx.exceptions.SolcError as exc:
        raise CompilationError(f"compiling {artifact.source_name} failed: {exc.message}") from None
    built = output["contracts"][artifact.source_name][artifact.name]
    return CompiledContract(
        name=artifact.name,
        abi=built["abi"],
        bytecode="0x" + built["evm"]["bytecode"]["object"],
        deployed_bytecode="0x" + built["evm"]["deployedBytecode"]["object"],
    )


def strip_metadata(code: str | bytes) -> bytes:
    """Runtime code without the CBOR metadata trailer (its length is in the last two bytes)."""
    raw = bytes.fromhex(code[2:] if code.startswith("0x") else code) if isinstance(code, str) else code
    if len(raw) < 2:
        return raw
    trailer = int.from_bytes(raw[-2:], "big") + 2
    return raw[:-trailer] if trailer <= len(raw) else raw
