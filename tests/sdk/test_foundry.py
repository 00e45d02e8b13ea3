"""Where Foundry's programs are (sdap/foundry.py): the native binary npm installed, or what
SDAP_<TOOL> names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sdap.foundry import foundry_binary


@pytest.mark.parametrize("tool", ["forge", "anvil", "cast"])
def test_each_tool_is_the_native_executable(tool: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(f"SDAP_{tool.upper()}", raising=False)
    found = Path(foundry_binary(tool))
    assert os.access(found, os.X_OK) and found.read_bytes()[:4] == b"\x7fELF"


def test_the_environment_names_another(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDAP_ANVIL", "/opt/foundry/anvil")
    assert foundry_binary("anvil") == "/opt/foundry/anvil"
