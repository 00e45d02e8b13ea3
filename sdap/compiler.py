"""Recompile the platform's contracts from source with py-solc-x and the project's solc front-end.

Used to prove the shipped artifacts match the sources and, by auditors, that the code deployed on
chain is the code that was audited. Needs a checkout of the repository (contracts/, node_modules/,
tools/solc): it is a tool for developers and auditors, not for the deployed SDK.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import solcx

from sdap.artifacts import CONTRACT_NAMES, Artifact, load_artifact
from sdap.errors import CompilationError


@dataclass(frozen=True)
class CompiledContract:
    name: str
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: str
    #: (start, length) of every immutable in the runtime code.
    immutables: tuple[tuple[int, int], ...]


def compile_platform(root: Path, names: tuple[str, ...] = CONTRACT_NAMES) -> dict[str, CompiledContract]:
    """Compiles the contracts `names` from the sources under `root` in one solc run, with the
    settings their shipped artifacts record. Cached per root and per set of source contents."""
    artifacts = [load_artifact(name) for name in names]
    settings = {json.dumps(a.settings, sort_keys=True) for a in artifacts}
    if len(settings) != 1:
        raise CompilationError("the artifacts were built with different compiler settings")
    sources: dict[str, str] = {}
    for a in artifacts:
        path = root / a.source_name
        if not path.exists():
            raise CompilationError(f"source {a.source_name} not found under {root}")
        sources[a.source_name] = path.read_text()
    key = json.dumps({"root": str(root), "sources": sources, "names": names, "settings": settings.pop()})
    return _compile(key)


def compile_artifact_sources(artifact: Artifact, root: Path) -> CompiledContract:
    """Compiles `artifact`'s contract from the sources under `root`."""
    return compile_platform(root, (artifact.name,))[artifact.name]


@cache
def _compile(key: str) -> dict[str, CompiledContract]:
    request = json.loads(key)
    root = Path(request["root"])
    solc = root / "tools" / "solc"
    if not solc.exists():
        raise CompilationError(f"no solc front-end at {solc}: run from a checkout of the repository")
    artifacts = [load_artifact(name) for name in request["names"]]
    settings = json.loads(request["settings"])
    wanted = ["abi", "evm.bytecode.object", "evm.deployedBytecode.object", "evm.deployedBytecode.immutableReferences"]
    settings["outputSelection"] = {a.source_name: {a.name: wanted} for a in artifacts}
    standard_input = {
        "language": "Solidity",
        "sources": {path: {"content": text} for path, text in request["sources"].items()},
        "settings": settings,
    }
    try:
        output = solcx.compile_standard(
            standard_input, solc_binary=str(solc), base_path=str(root), allow_paths=[str(root)]
        )
    except solcx.exceptions.SolcError as exc:
        raise CompilationError(f"compiling the platform failed: {exc.message}") from None
    compiled: dict[str, CompiledContract] = {}
    for a in artifacts:
        built = output["contracts"][a.source_name][a.name]
        runtime = built["evm"]["deployedBytecode"]
        compiled[a.name] = CompiledContract(
            name=a.name,
            abi=built["abi"],
            bytecode="0x" + built["evm"]["bytecode"]["object"],
            deployed_bytecode="0x" + runtime["object"],
            immutables=tuple(
                sorted(
                    (int(r["start"]), int(r["length"]))
                    for refs in runtime.get("immutableReferences", {}).values()
                    for r in refs
                )
            ),
        )
    return compiled


def strip_metadata(code: str | bytes) -> bytes:
    """Runtime code without the CBOR metadata trailer (its length is in the last two bytes)."""
    raw = bytes.fromhex(code[2:] if code.startswith("0x") else code) if isinstance(code, str) else code
    if len(raw) < 2:
        return raw
    trailer = int.from_bytes(raw[-2:], "big") + 2
    return raw[:-trailer] if trailer <= len(raw) else raw
