"""A complete issuance through the `sdap` command line, one subprocess per step, on a platform the
command line deploys itself: keystores, deployment, roles, permit, risk notice (the regulator's),
issuer, asset type, participants, the issuer's consent and the issuance, attestation, mint,
transfer, encumbrance, redemption asked and confirmed, close. (Each command module's own test file
drives it in-process, faster: test_permits.py, ...) Outputs (`--json`) and the chain's state are
checked as it goes; refusals exit non-zero with the contract's decoded reason; no key or password
is ever printed (conftest.Cli checks every output).

Each start of the command line costs a second or two (Python, web3, eth-account), so steps of
different people that do not depend on each other run at the same time (`Cli.together`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import PASSWORD, Cli
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak

from sdap.anvil import Anvil
from sdap.documents import file_hash
from sdap.platform import Platform
from sdap.types import IssuerStatus, ParticipantStatus, PermitState, Role

KDF = ("--kdf", "scrypt", "--iterations", "1024")  # a low key-derivation cost keeps the test fast


def document(cli: Cli, name: str, text: str) -> tuple[Path, bytes]:
    """A stand-in for a real PDF, and the hash the chain must anchor for it."""
    path = cli.cwd / name
    path.write_text(text)
    return path, file_hash(path)


@pytest.fixture(scope="module")
def keys(cli: Cli, accounts: list[LocalAccount]) -> dict[str, str]:
    """Keystores made with `wallet import` (the key from a file, or from the environment) and
    `wallet new`. Returns holder a's address and the operator's keystore file."""
    regulator, operator, a = accounts[1], accounts[2], accounts[6]

    def import_file(account: LocalAccount) -> str:
        key_file = cli.cwd / f"key-{account.address}"
        key_file.write_text(account.key.hex() + "\n")
        return str(cli.json("wallet", "import", "--key-file", key_file, *KDF)["address"])

    def import_env() -> str:
        env = {"OPERATOR_KEY": "0x" + operator.key.hex()}
        return str(cli.json("wallet", "import", "--key-env", "OPERATOR_KEY", *KDF, env=env)["path"])

    *imported, operator_file, created = cli.together(
        *(lambda x=x: import_file(x) for x in (regulator, a)),
        import_env,
        lambda: cli.json("wallet", "new", *KDF),
    )
    assert imported == [regulator.address, a.address]
    # The new key is a secret from now on, like every other.
    cli.add_secret(bytes(Account.decrypt(Path(created["path"]).read_text(), PASSWORD)).hex())
    listed = cli.json("wallet", "list")
    assert {e["address"] for e in listed} == {*imported, operator.address, created["address"]}
    return {"operator_file": operator_file, "a": a.address}


@pytest.fixture(scope="module")
def deployed(cli: Cli, accounts: list[LocalAccount]) -> Path:
    """`sdap deploy`, signed by a raw key in an environment variable (development use)."""
    deployer, regulator = accounts[0], accounts[1]
    out = cli.json("deploy", "--regulator", regulator.address, "--key-env", "DEPLOYER_KEY",
                   env={"DEPLOYER_KEY": deployer.key.hex()})  # fmt: skip
    assert out["deployment_file"] == "deployments/31337.json" and out["regulator"] == regulator.address
    path = cli.cwd / out["deployment_file"]
    assert json.loads(path.read_text())["asset"] == out["SecuredAsset"]
    cli.env["SDAP_DEPLOYMENT"] = str(path)
    return path


def test_a_complete_issuance(
    cli: Cli, keys: dict[str, str], deployed: Path, accounts: list[LocalAccount], anvil: Anvil
) -> None:
    q = Platform.connect(anvil.url, deployed).queries
    regulator, operator, verifier, _, issuer = (accounts[i].address for i in range(1, 6))
    a, b = keys["a"], accounts[7].address
    as_regulator = ("--account", regulator)  # found in SDAP_KEYSTORE_DIR
    as_operator = ("--keystore", keys["operator_file"])
    as_a, as_b = ("--account", a), ("--key-env", "B_KEY")
    as_verifier, as_issuer = ("--key-env", "VERIFIER_KEY"), ("--key-env", "ISSUER_KEY")
    cli.env.update(VERIFIER_KEY=accounts[3].key.hex(), ISSUER_KEY=accounts[5].key.hex(), B_KEY=accounts[7].key.hex())
    permit_pdf, permit_hash = document(cli, "permit.pdf", "Permit No. 1 for SDAP operations")
    notice_txt, notice_hash = document(cli, "risk-notice.txt", "Digital assets may lose all their value.")

    # The regulator grants the operator its role and permit and publishes the risk notice; then it
    # registers the issuer and lists an asset type while the operator onboards the holders, who
    # acknowledge the notice.
    cli("role", "grant", "operator", operator, *as_regulator)
    granted = cli.json("permit", "grant", operator, "--until", "+365d", "--document-file", permit_pdf, *as_regulator)
    assert [e["name"] for e in granted["events"]] == ["PermitGranted"]
    refused = cli.json("notice", "publish", "--content-file", notice_txt, "--uri", "https://sdap.example/risk/1",
                       *as_operator, code=1)["error"]  # fmt: skip
    assert refused["type"] == "AccessControlUnauthorizedAccountError"  # the notice is the regulator's
    version = cli.json("notice", "publish", "--content-file", notice_txt, "--uri", "https://sdap.example/risk/1",
                       *as_regulator)["version"]  # fmt: skip

    def regulator_sets_up() -> int:
        cli("role", "grant", "verifier", verifier, *as_regulator)
        cli("issuer", "register", issuer, "--name", "Astana Grain LLP", "--business-id", "123456789012",
            "--jurisdiction", "KZ", "--details", "0x" + "ab" * 32, *as_regulator)  # fmt: skip
        return int(cli.json("type", "add", "Warehouse receipt", "--category", "goods", *as_regulator)["type_id"])

    def operator_onboards() -> None:
        for holder in (a, b):
            cli("participant", "register", holder, "--identity", "0x" + keccak(text=holder).hex(),
                "--identity-expiry", "+1y", *as_operator)  # fmt: skip
        cli.together(lambda: cli("notice", "acknowledge", *as_a), lambda: cli("notice", "acknowledge", *as_b))

    type_id, _ = cli.together(regulator_sets_up, operator_onboards)
    assert q.has_role(Role.OPERATOR, operator) and q.has_role(Role.VERIFIER, verifier)
    assert q.permit_state(operator) is PermitState.ACTIVE and q.permit(operator).document_hash == permit_hash
    assert q.issuer(issuer).status is IssuerStatus.ACTIVE and q.issuer(issuer).legal_name == "Astana Grain LLP"
    assert q.asset_type(type_id).name == "Warehouse receipt"
    assert version == 1 and q.risk_notice(1).content_hash == notice_hash
    assert {q.participant_status(h) for h in (a, b)} == {ParticipantStatus.ELIGIBLE}

    # The issuance, its decision to issue anchored by the file's hash; no unit without collateral.
    decision_pdf, decision_hash = document(cli, "decision.pdf", "Decision to issue 1,000 units of wheat")
    # The issuer consents to the terms and the operator (Law art. 6.5), signing only; the operator
    # submits the consent with the same terms.
    terms = ("--type", type_id, "--decision-file", decision_pdf, "--decision-uri", "https://issuer.example/decision.pdf",
             "--evidence", "0x" + "ee" * 32, "--unit", "1 tonne of wheat, class 3", "--max-supply", 1000)  # fmt: skip
    consent = cli.json("issuance", "consent", "--operator", operator, *terms, "--sign-only", "--out",
                       cli.cwd / "consent.json", *as_issuer)  # fmt: skip
    assert consent["params"]["issuer"] == issuer and consent["nonce"] == 0 and consent["written_to"].endswith("json")
    issuance = cli.json("issuance", "create", "--issuer", issuer, *terms, "--consent", cli.cwd / "consent.json",
                        *as_operator)["issuance_id"]  # fmt: skip
    assert q.issuance(issuance).decision_hash == decision_hash
    refused = cli("mint", issuance, "--to", a, "--amount", 300, *as_operator, code=1)
    assert refused.stderr == f"error: SecuredAsset_CollateralInsufficient(id={issuance}, covered=0, supply_after=300)\n"
    assert refused.stdout == ""

    # The verifier attests the collateral (signs and attaches); units are minted against it.
    receipt_pdf, receipt_hash = document(cli, "warehouse-receipt.pdf", "Warehouse receipt No. 7, 500 t")
    attested = cli.json("attest", issuance, "--units", 300, "--value", 3_000_000, "--valid-until", "+180d",
                        "--collateral-file", receipt_pdf, *as_verifier)  # fmt: skip
    assert q.attestation(attested["attestation_id"]).collateral_ref == receipt_hash
    minted = cli.json("mint", issuance, "--to", a, "--amount", 300, *as_operator)
    # The first mint is beyond any cover counted yet, so the collateral is counted against the new
    # supply in the same transaction, after the movement.
    assert [e["name"] for e in minted["events"]] == ["TransferSingle", "CoverageSynced"]
    assert q.total_supply(issuance) == 300

    # Units move, are pledged (and then cannot move), released, pledged again and enforced.
    cli("transfer", issuance, "--to", b, "--amount", 50, *as_a)
    pledge = cli.json("encumber", issuance, "--amount", 40, "--beneficiary", b, "--reference-file", receipt_pdf,
                      *as_a)["encumbrance_id"]  # fmt: skip
    assert q.encumbrance(pledge).reference_hash == receipt_hash
    restricted = cli.json("transfer", issuance, "--to", b, "--amount", 250, *as_a, code=1)["error"]
    assert restricted["type"] == "SecuredAssetUnitsRestrictedError"
    assert restricted["message"].startswith("SecuredAsset_UnitsRestricted(")
    lien = cli.together(
        lambda: cli("release", pledge, *as_b),
        lambda: cli.json("encumber", issuance, "--amount", 30, "--beneficiary", b, "--reference", "0x" + "01" * 32,
                         *as_a)["encumbrance_id"],
    )[1]  # fmt: skip
    cli("enforce", lien, "--reference-file", decision_pdf, *as_operator)
    assert q.balances(b, [issuance]) == {issuance: 80} and q.encumbered_units(issuance, a) == 0

    # Every holder asks to redeem its units; the issuer confirms each delivery, then closes the issuance.
    requests = cli.together(
        lambda: cli.json("redemption", "request", issuance, "--amount", 80, "--ref", "Elevator 7, lot B", *as_b),
        lambda: cli.json("redemption", "request", issuance, "--amount", 220, "--ref", "Elevator 7, lot A", *as_a),
    )
    pending = cli.json("redemption", "list", "--issuance", issuance, "--state", "requested")
    assert sorted(r["id"] for r in pending) == sorted(r["request_id"] for r in requests)
    for request in requests:
        cli("redemption", "confirm", request["request_id"], "--delivery", "delivered at the elevator", *as_issuer)
    fulfilment_pdf, fulfilment_hash = document(cli, "fulfilment.pdf", "All grain delivered")
    cli("issuance", "close", issuance, "--fulfilment-file", fulfilment_pdf, *as_issuer)

    shown, history = cli.together(
        lambda: cli.json("issuance", "show", issuance), lambda: cli.json("history", "--issuance", issuance)
    )
    assert shown["state"] == "closed" and shown["total_supply"] == 0 and len(shown["attestations"]) == 1
    assert shown["fulfilment_hash"] == "0x" + fulfilment_hash.hex() and q.issuance(issuance).closed
    names = [e["name"] for e in history]
    assert names[0] == "IssuanceCreated" and names[-1] == "IssuanceClosed"
    # The mint, a transfer, the enforcement, 2 requests into custody and 2 burns on confirmation.
    assert names.count("TransferSingle") == 7
    assert names.count("RedemptionRequested") == names.count("RedemptionConfirmed") == 2
    assert names.count("IssuerConsented") == 1
    for expected in ("AttestationAttached", "Encumbered", "EncumbranceReleased", "EncumbranceEnforced"):
        assert expected in names
