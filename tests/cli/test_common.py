"""What every command shares (sdap/cli/_common.py): a bad argument or key exits 2 with one line and
nothing on stdout, a refusal by the contract exits 1 with its decoded error, in words or as JSON
(`{"error": {"type", "message", "arguments"}}`), and no secret is ever printed; values are
printed as plain JSON."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from cli_support import Run
from world import World

from sdap.cli import jsonable
from sdap.cli._common import _meaning
from sdap.contract_errors import AccessControlUnauthorizedAccountError, RegistryPermitNotActiveError
from sdap.types import PermitState, Role


def test_failures_exit_non_zero_with_a_reason_and_no_secret(run: Run, world: World, tmp_path: Path) -> None:
    operator, iid = world.operator.address, world.issuance
    grant = ("permit", "renew", operator, "--until", "+1d")
    doc = ("--document", "0x" + "11" * 32)
    cases: list[tuple[tuple[object, ...], dict[str, str], str]] = [
        ((*grant, *doc), {}, "give exactly one of --keystore FILE, --account ADDRESS"),
        ((*grant, *doc, "--key-env", "NOPE"), {}, "the environment variable NOPE is not set"),
        ((*grant, *doc, "--key-env", "BAD"), {"BAD": "0x1234"}, "does not hold a private key"),
        ((*grant, "--document", "0x12", "--key-env", "REGULATOR_KEY"), {}, "--document must be 32 bytes"),
        ((*grant, "--key-env", "REGULATOR_KEY"), {}, "give --document HASH or --document-file PATH"),
        ((*grant, "--document-file", tmp_path / "none.pdf", "--key-env", "REGULATOR_KEY"), {}, "cannot read"),
        (("permit", "renew", operator, "--until", "soon", *doc, "--key-env", "REGULATOR_KEY"), {},
         "--until: 'soon' is not a time"),
        (("mint", iid, "--to", world.a.address, "--amount", 1, "--keystore", tmp_path / "none"), {},
         "cannot read keystore"),
    ]  # fmt: skip
    for args, env, message in cases:
        failed = run(*args, code=2, env=env)
        assert failed.stdout == "" and message in failed.stderr, failed.stderr

    # A refusal by the contract: exit 1, the decoded error, in words or as JSON.
    refused = run("mint", iid, "--to", world.a.address, "--amount", 401, as_="operator", code=1)
    assert refused.stderr == f"error: SecuredAsset_CollateralInsufficient(id={iid}, covered=500, supply_after=501)\n"
    body = run.json("permit", "suspend", operator, "--reason", "0x" + "11" * 32, as_="operator", code=1)
    assert body["error"]["type"] == "AccessControlUnauthorizedAccountError"
    assert body["error"]["arguments"]["account"] == operator


class Colour(IntEnum):
    RED = 1


@dataclass(frozen=True)
class Thing:
    name: str
    colour: Colour
    digest: bytes
    parts: tuple[int, ...]


def test_values_are_printed_as_plain_json() -> None:
    value = {"thing": Thing("x", Colour.RED, b"\x01\x02", (1, 2)), 3: [Colour.RED]}
    assert jsonable(value) == {
        "thing": {"name": "x", "colour": "RED", "digest": "0x0102", "parts": [1, 2]},
        "3": ["RED"],
    }


def test_a_refusal_names_the_role_and_permit_state_it_carries_as_numbers() -> None:
    holder = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"
    needed = AccessControlUnauthorizedAccountError(holder, Role.REGULATOR.id)
    assert _meaning(needed) == " (needed_role: REGULATOR_ROLE)"
    assert _meaning(RegistryPermitNotActiveError(holder, PermitState.SUSPENDED)) == " (state: SUSPENDED)"
    assert _meaning(RegistryPermitNotActiveError(holder, 99)) == ""  # a state this SDK does not know: the number only
    assert _meaning(AccessControlUnauthorizedAccountError(holder, b"\x07" * 32)) == ""  # not a platform role
