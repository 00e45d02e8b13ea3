"""Print the README's gas table from the snapshots `forge test --match-contract GasTest` writes.

.venv/bin/forge test --match-contract GasTest && .venv/bin/python scripts/gas_table.py

`snapshots/before/` keeps the same test's figures for the code before issue 16 (the layout of
state and calls it changed), measured the same way, so the table shows both.
"""

from __future__ import annotations

import json
from pathlib import Path

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"
ERC3643_TRANSFER = 155_742  # the ERC-3643 reference implementation's published compliant transfer

# (snapshot key, label, the plain snapshot key it compares with). An exchange moves two legs: it
# is compared with two plain transfers, each party sending its leg with no exchange contract.
ROWS = (
    ("createIssuance", "create issuance", "createIssuance"),
    ("mint", "mint", "mint"),
    ("transfer", "transfer", "transfer"),
    ("batchTransfer10", "10-item batch transfer", "batchTransfer10"),
    ("encumber", "encumber", "encumber"),
    ("swap", "swap (take of a units-for-units offer)", "twoTransfers"),
    ("saleForEMoney", "sale for e-money (take, units against the ERC-20)", "twoTransfers"),
    ("openEscrow", "escrow for off-chain payment (open)", "openEscrow"),
    ("confirmPayment", "settlement of the escrow (confirmPayment)", "twoTransfers"),
)


def _load(path: Path) -> dict[str, int]:
    return {k: int(v) for k, v in json.loads(path.read_text()).items()} if path.exists() else {}


def _ratio(value: int | None, base: int | None) -> str:
    return f"{value / base:.2f}x" if value and base else "n/a"


def main() -> None:
    secured, plain = _load(SNAPSHOTS / "secured.json"), _load(SNAPSHOTS / "plain.json")
    before = _load(SNAPSHOTS / "before" / "secured.json")
    print(
        "| operation | before (transaction) | after (execution) | after (transaction) "
        "| plain OZ ERC1155 (transaction) | before / plain | after / plain |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for key, label, plain_key in ROWS:
        base = plain.get(f"{plain_key}.tx")
        if not base:
            baseline = "n/a (no such operation)"
        elif plain_key == "twoTransfers":
            baseline = f"{base:,} (two transfers)"
        else:
            baseline = f"{base:,}"
        was = before.get(f"{key}.tx")
        now = secured[f"{key}.tx"]
        print(
            f"| {label} | {was:,} | {secured[key]:,} | {now:,} | {baseline} "
            f"| {_ratio(was, base)} | {_ratio(now, base)} |"
            if was
            else f"| {label} | n/a | {secured[key]:,} | {now:,} | {baseline} | n/a | {_ratio(now, base)} |"
        )
    transfer, was = secured["transfer.tx"], before.get("transfer.tx")
    line = f"Compliant transfer: {transfer:,} gas, {transfer / ERC3643_TRANSFER:.0%} of ERC-3643's {ERC3643_TRANSFER:,}"
    print()
    print(f"{line} (before: {was:,}, {was / ERC3643_TRANSFER:.0%})." if was else f"{line}.")


if __name__ == "__main__":
    main()
