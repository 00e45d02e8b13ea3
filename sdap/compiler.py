"""Recompile the platform's contracts from source with py-solc-x and the project's solc front-end.

Used to prove the shipped artifacts match the sources and, by auditors, that the code deployed on
chain is the code that was audited. Needs a checkout of the repository (contracts/, node_modules/,
tools/solc): it is a tool for developers and auditors, not for the deployed SDK.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import solcx

from sdap.artifacts import ARTIFACT_NAMES, Artifact, load_artifact
from sdap.errors import CompilationError


@dataclass(frozen=True)
class CompiledContract:
    name: str
    abi: list[dict[str, Any]]
    bytecode: str
    deployed_bytecode: str
    #: (start, length) of every immutable in the runtime code.
    immutables: tuple[tuple[int, int], ...]

    @property
    def runtime(self) -> bytes:
        return bytes.fromhex(self.deployed_bytecode[2:])


def compile_platform(
    root: str | Path, names: tuple[str, ...] = ARTIFACT_NAMES, *, use_cache: bool = True
) -> dict[str, CompiledContract]:
    """Compiles the contracts `names` from the sources under `root` (a repository checkout) in one
    solc run, with the settings their shipped artifacts record.

    A compile takes tens of seconds with the WebAssembly compiler, so the result is kept in memory
    and under `root`/cache/sdap-compile, keyed by the sha256 of the compiler, the settings and every
    source file the contracts are built from; `use_cache=False` always compiles."""
    base = Path(root).resolve()
    artifacts = [load_artifact(name) for name in names]
    settings = {json.dumps(a.settings, sort_keys=True) for a in artifacts}
    if len(settings) != 1:
        raise CompilationError("the artifacts were built with different compiler settings")
    sources: dict[str, str] = {}
    for a in artifacts:
        path = base / a.source_name
        if not path.exists():
            raise CompilationError(f"source {a.source_name} not found under {base}")
        sources[a.source_name] = path.read_text()
    request = json.dumps({"root": str(base), "sources": sources, "names": names, "settings": settings.pop()})
    if not use_cache:
        return _compile.__wrapped__(request)
    cached = base / "cache" / "sdap-compile" / f"{_inputs_key(base, request, artifacts)}.json"
    if cached.exists():
        return {
            name: CompiledContract(**{**c, "immutables": tuple(map(tuple, c["immutables"]))})
            for name, c in json.loads(cached.read_text()).items()
        }
    compiled = _compile(request)
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps({name: c.__dict__ for name, c in compiled.items()}))
    return compiled


def _inputs_key(base: Path, request: str, artifacts: list[Artifact]) -> str:
    """Everything the output depends on: the request, the compiler and every imported source."""
    digest = hashlib.sha256(request.encode())
    for path in (base / "tools" / "solc", base / "node_modules" / "solc" / "package.json"):
        digest.update(path.read_bytes() if path.exists() else b"missing")
    for source in sorted({s for a in artifacts for s in a.sources}):
        path = base / source
        digest.update(source.encode() + b"\0" + (path.read_bytes() if path.exists() else b"missing") + b"\0")
    return digest.hexdigest()


def compile_artifact_sources(artifact: Artifact, root: Path) -> CompiledContract:
    """Compiles `artifact`'s contract from the sources under `root`, without the disk cache."""
    return compile_platform(root, (artifact.name,), use_cache=False)[artifact.name]


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
