"""The artifacts shipped in sdap/artifacts must be what the Solidity sources compile to today."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sdap.artifacts import CONTRACT_NAMES, load_artifact
from sdap.compiler import compile_artifact_sources, compile_platform, strip_metadata
from sdap.errors import CompilationError

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", CONTRACT_NAMES)
def test_shipped_artifact_matches_a_fresh_compilation(name: str) -> None:
    artifact = load_artifact(name)
    compiled = compile_platform(ROOT)[name]  # one solc run for all four, cached
    stale = "stale: run `python scripts/build_artifacts.py` and commit sdap/artifacts"
    key = lambda item: json.dumps(item, sort_keys=True)  # noqa: E731 - solc and forge order the ABI differently
    assert sorted(compiled.abi, key=key) == sorted(artifact.abi, key=key), f"{name} ABI {stale}"
    assert compiled.immutables == artifact.immutables, f"{name} immutables {stale}"
    # The whole code, metadata hash included: any change to any source file it imports shows.
    assert compiled.deployed_bytecode == artifact.deployed_bytecode, f"{name} runtime code {stale}"
    assert compiled.bytecode == artifact.bytecode, f"{name} creation code {stale}"


def test_a_changed_source_is_detected(tmp_path: Path) -> None:
    """The check above can fail: recompiling from an edited copy of the sources gives other code."""
    artifact = load_artifact("HolderForwarder")
    copy = tmp_path / "repo"
    (copy / "contracts").mkdir(parents=True)
    (copy / "tools").mkdir()
    (copy / "tools" / "solc").symlink_to(ROOT / "tools" / "solc")
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    source = (ROOT / artifact.source_name).read_text()
    (copy / artifact.source_name).write_text(source.replace("SDAP Holder Forwarder", "Another Forwarder"))
    compiled = compile_artifact_sources(artifact, copy)
    assert compiled.deployed_bytecode != artifact.deployed_bytecode
    # Only the metadata differs if a comment changes; the code itself stays.
    (copy / artifact.source_name).write_text(source + "\n// a comment\n")
    commented = compile_artifact_sources(artifact, copy)
    assert commented.deployed_bytecode != artifact.deployed_bytecode
    assert strip_metadata(commented.deployed_bytecode) == strip_metadata(artifact.deployed_bytecode)


def test_compilation_without_the_sources_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CompilationError, match="not found under"):
        compile_artifact_sources(load_artifact("SecuredAsset"), tmp_path)
