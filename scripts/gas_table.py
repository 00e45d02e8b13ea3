"""Print the README's gas table from the snapshots `forge test --match-contract GasTest` writes.

.venv/bin/forge test --match-contract GasTest && .venv/bin/python scripts/gas_table.py
"""

from __future__ import annotations

import json
from pathlib import Path

SNAPSHOTS = Path(__file__).resolve().parent.parent / "snapshots"
ERC3643_TRANSFER = 155_742  # the ERC-3643 reference implementation's published compliant transfer

ROWS = (
    ("createIssuance", "create issuance"),
    ("mint", "mint"),
    ("transfer", "transfer"),
    ("batchTransfer10", "10-item batch transfer"),
    ("encumber", "encumber"),
)


def main() -> None:
    secured = {k: int(v) for k, v in json.loads((SNAPSHOTS / "secured.json").read_text()).items()}
    plain = {k: int(v) for k, v in json.loads((SNAPSHOTS / "plain.json").read_text()).items()}
    print("| operation | SDAP execution | SDAP transaction | plain OZ ERC1155 transaction | ratio |")
    print("|---|---:|---:|---:|---:|")
    for key, label in ROWS:
        base = plain.get(f"{key}.tx")
        ratio = f"{secured[key + '.tx'] / base:.2f}x" if base else "n/a"
        baseline = f"{base:,}" if base else "n/a (no such operation)"
        print(f"| {label} | {secured[key]:,} | {secured[key + '.tx']:,} | {baseline} | {ratio} |")
    share = secured["transfer.tx"] / ERC3643_TRANSFER
    print()
    print(f"Compliant transfer: {secured['transfer.tx']:,} gas, {share:.0%} of ERC-3643's {ERC3643_TRANSFER:,}.")


if __name__ == "__main__":
    main()
