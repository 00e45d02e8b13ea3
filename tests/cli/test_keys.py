"""How a command gets its key (sdap/cli/_keys.py): a keystore unlocked with its password, by file or
by address in a keystore directory; a wrong password is refused without sending anything."""

from __future__ import annotations

from pathlib import Path

from cli_support import PASSWORD, Run
from world import World


def test_a_keystore_with_a_wrong_password_is_refused(run: Run, world: World, tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    password = tmp_path / "password"
    password.write_text(PASSWORD)
    imported = run.json("wallet", "import", "--key-env", "REGULATOR_KEY", "--keystore-dir", keys,
                        "--password-file", password, "--kdf", "pbkdf2", "--iterations", 1000)  # fmt: skip
    assert imported["address"] == world.regulator.address
    run("wallet", "import", "--key-env", "REGULATOR_KEY", "--keystore-dir", keys, "--password-file", password,
        code=2)  # fmt: skip
    wrong = tmp_path / "wrong"
    wrong.write_text("not the password")
    denied = run("type", "add", "Anything", "--category", "goods", "--account", world.regulator.address,
                 "--keystore-dir", keys, "--password-file", wrong, code=2)  # fmt: skip
    assert denied.stderr.startswith("error: wrong password for keystore")
    listed = run("type", "add", "Anything", "--category", "goods", "--keystore", imported["path"],
                 env={"SDAP_KEYSTORE_PASSWORD": PASSWORD})  # fmt: skip
    assert listed.stdout.startswith("asset type 2 listed: Anything")
