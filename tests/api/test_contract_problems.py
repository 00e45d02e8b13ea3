"""api/contract_problems.py is generated from the contracts' ABIs (scripts/build_artifacts.py) and
never edited by hand: it fails here as soon as it is stale against the ABIs the SDK ships."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from api import contract_problems
from sdap.contract_errors import BY_SELECTOR

ROOT = Path(__file__).resolve().parents[2]
STALE = "stale: run `python scripts/build_artifacts.py --no-build` and commit api/contract_problems.py"


def build_artifacts():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_artifacts", ROOT / "scripts" / "build_artifacts.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_table_matches_the_abis() -> None:
    script = build_artifacts()
    abis = {
        name: json.loads((ROOT / "sdap" / "artifacts" / f"{name}.json").read_text())["abi"]
        for _, name in script.CONTRACTS
    }
    assert (ROOT / "api" / "contract_problems.py").read_text() == script.problems_module(abis), STALE


def test_every_custom_error_the_sdk_decodes_has_a_problem() -> None:
    names = {error.signature.split("(", 1)[0] for error in BY_SELECTOR.values()}
    assert names == set(contract_problems.BY_ERROR)
    for name, cls in contract_problems.BY_ERROR.items():
        assert cls.error == name and cls.status in (409, 422) and cls.code and cls.title


def test_a_request_malformed_whatever_the_state_is_422_a_conflict_with_the_state_409() -> None:
    by_error = contract_problems.BY_ERROR
    for malformed in ("Registry_ZeroAddress", "SecuredAsset_EmptyBatch", "SecuredAsset_EmptyFulfilment"):
        assert by_error[malformed].status == 422, malformed
    for conflict in ("SecuredAsset_IssuancePaused", "Registry_InvalidReplacement", "Registry_InvalidIssuerStatus"):
        assert by_error[conflict].status == 409, conflict
