"""The embedded chain (sdap/anvil.py): anvil's native binary on a free port, its development
accounts, its state kept in a file across a restart, and its older states on disk removed with it."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from web3 import Web3

from sdap.anvil import CACHE_PREFIX, Anvil, dev_accounts, find_anvil, remove_stale_caches

#: anvil's first development account, as its documentation lists it.
FIRST = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"


def test_the_development_accounts_are_anvils() -> None:
    accounts = dev_accounts(3)
    assert accounts[0].address == FIRST and len({a.address for a in accounts}) == 3


def test_anvil_is_the_native_binary() -> None:
    assert Path(find_anvil()).read_bytes()[:4] == b"\x7fELF"  # not npm's Node wrapper


def test_a_chain_kept_in_a_state_file_survives_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "chain.json"
    with Anvil(accounts=2, state_file=state) as node:
        w3 = Web3(Web3.HTTPProvider(node.url))
        assert w3.eth.chain_id == 31337 and node.port > 0
        w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
        height = w3.eth.block_number
    assert state.exists()
    with Anvil(accounts=2, state_file=state) as node:
        assert Web3(Web3.HTTPProvider(node.url)).eth.block_number == height


def test_older_states_go_to_the_anvils_own_directory_removed_when_it_stops() -> None:
    home = Path.home() / ".foundry" / "anvil" / "tmp"
    before = set(home.iterdir()) if home.is_dir() else set()
    with Anvil(accounts=1) as node:
        w3 = Web3(Web3.HTTPProvider(node.url))
        w3.provider.make_request("anvil_mine", [hex(600)])  # type: ignore[arg-type]
        assert node.cache.name.startswith(CACHE_PREFIX)
        assert list(node.cache.rglob("*.json"))  # past its last few hundred blocks, anvil wrote states to disk: here
        cache = node.cache
    assert not cache.exists()
    assert (set(home.iterdir()) if home.is_dir() else set()) == before  # nothing under ~/.foundry


def test_the_directories_of_killed_anvils_are_removed_and_no_other(tmp_path: Path) -> None:
    def directory(name: str, pid: int | None, age: float = 0.0) -> Path:
        path = tmp_path / name
        path.mkdir()
        if pid is not None:
            (path / "anvil.pid").write_text(str(pid))
        os.utime(path, (time.time() - age, time.time() - age))
        return path

    gone = subprocess.Popen(["true"])
    gone.wait()
    killed = directory(CACHE_PREFIX + "killed", gone.pid)
    running = directory(CACHE_PREFIX + "running", os.getpid())
    starting = directory(CACHE_PREFIX + "starting", None)
    never_started = directory(CACHE_PREFIX + "never", None, age=2 * 3600)
    unrelated = directory("sdap-postgres-x", gone.pid)
    assert sorted(remove_stale_caches(tmp_path)) == sorted([killed, never_started])
    assert running.exists() and starting.exists() and unrelated.exists()
    assert not killed.exists() and not never_started.exists()
