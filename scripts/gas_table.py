"""Print the README's gas table from the snapshots `forge test --match-contract GasTest` writes.

.venv/bin/forge test --match-contract GasTest && .venv/bin/python scripts/gas_table.py
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


def main() -> None:
    secured = {k: int(v) for k, v in json.loads((SNAPSHOTS / "secured.json").read_text()).items()}
    plain = {k: int(v) for k, v in json.loads((SNAPSHOTS / "plain.json").read_text()).items()}
    print("| operation | SDAP execution | SDAP transaction | plain OZ ERC1155 transaction | ratio |")
    print("|---|---:|---:|---:|---:|")
    for key, label, plain_key in ROWS:
        base = plain.get(f"{plain_key}.tx")
        ratio = f"{secured[key + '.tx'] / base:.2f}x" if base else "n/a"
        if not base:
            baseline = "n/a (no such operation)"
        elif plain_key == "twoTransfers":
            baseline = f"{base:,} (two transfers)"
        else:
            baseline = f"{base:,}"
        print(f"| {label} | {secured[key]:,} | {secured[key + '.tx']:,} | {baseline} | {ratio} |")
    share = secured["transfer.tx"] / ERC3643_TRANSFER
    print()
    print(f"Compliant transfer: {secured['transfer.tx']:,} gas, {share:.0%} of ERC-3643's {ERC3643_TRANSFER:,}.")


if __name__ == "__main__":
    main()
