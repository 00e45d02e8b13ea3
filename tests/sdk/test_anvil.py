"""The embedded chain (sdap/anvil.py): anvil's native binary on a free port, its development
accounts, and its state kept in a file across a restart."""

from __future__ import annotations

from pathlib import Path

from web3 import Web3

from sdap.anvil import Anvil, dev_accounts, find_anvil

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
