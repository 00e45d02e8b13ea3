"""The artifacts shipped in sdap/artifacts must be what the Solidity sources compile to today."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sdap.artifacts import CONTRACT_NAMES, load_artifact
from sdap.compiler import compile_platform

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
