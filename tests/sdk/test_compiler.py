"""The compiler (sdap/compiler.py): the project's solc front-end compiles the sources the artifacts
name, an edited source gives other code, and missing sources are a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdap.artifacts import load_artifact
from sdap.compiler import compile_artifact_sources, strip_metadata
from sdap.errors import CompilationError

ROOT = Path(__file__).resolve().parents[2]


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
