"""Static analysis of the contracts, run by scripts/test so that CI fails on a new finding.

- `slither` must report no medium- or high-impact finding (the low and informational ones are by
  design; README "Static analysis" says which and why; the few false positives are silenced in the
  code with a comment).
- `slither-check-erc ... --erc ERC1155` must find SecuredAsset conforming to ERC-1155. Two kinds of
  line it prints are not failures: the optional receiver hooks a token need not have, and the
  "safeBatchTransferFrom must emit TransferSingle or TransferBatch" check, which counts the event
  calls in the function's code and wants exactly one, while OpenZeppelin's `_updateWithAcceptanceCheck`
  has two (TransferSingle for one id, TransferBatch otherwise): a plain OpenZeppelin ERC1155 gets the
  same line.

Slither rebuilds the project with `forge build --force`, which would pull the build out from under
a forge test running beside it, so the analysis runs on a copy of the tracked sources.
Needs the slither virtualenv (`scripts/install --test` makes .venv-slither).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLITHER_BIN = ROOT / ".venv-slither" / "bin"
#: What slither-check-erc may print unticked without the token failing the standard.
ERC_ALLOWED = ("(optional)", "safeBatchTransferFrom must emit TransferSingle or TransferBatch")


def _copy_sources(into: Path) -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "contracts", "foundry.toml", "tools"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    for name in tracked:
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    (into / "node_modules").symlink_to(ROOT / "node_modules")


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)


def main() -> int:
    if not (SLITHER_BIN / "slither").exists():
        print("error: no .venv-slither: run scripts/install --test", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="sdap-slither-") as tmp:
        work = Path(tmp)
        _copy_sources(work)
        slither = _run(
            [
                str(SLITHER_BIN / "slither"),
                ".",
                "--filter-paths",
                "node_modules",
                "--exclude-informational",
                "--exclude-low",
                "--fail-medium",
            ],
            work,
        )
        print(slither.stderr.strip().splitlines()[-1] if slither.stderr.strip() else "slither: no output")
        if slither.returncode != 0:
            print(slither.stdout, slither.stderr, sep="\n")
            print("error: slither reports a medium- or high-impact finding", file=sys.stderr)
            return 1

        erc = _run([str(SLITHER_BIN / "slither-check-erc"), ".", "SecuredAsset", "--erc", "ERC1155"], work)
        report = erc.stdout + erc.stderr
        failures = [
            line
            for line in report.splitlines()
            if line.lstrip().startswith("[ ]") and not any(allowed in line for allowed in ERC_ALLOWED)
        ]
        if erc.returncode != 0 or failures or "[✓]" not in report:
            print(report)
            print("error: SecuredAsset does not conform to ERC-1155:", *failures, sep="\n  ", file=sys.stderr)
            return 1
        print(f"slither-check-erc: SecuredAsset conforms to ERC-1155 ({report.count('[✓]')} checks passed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
