"""The event index beyond movements: the asset's attestations and when they stopped counting, each
issuance's last recorded coverage, the accreditations withdrawn; rebuilt when the chain was rewound."""

from __future__ import annotations

from typing import Any

from gateway_support import Api
from sqlalchemy import select
from world import World, h

from api.db.schema import accreditation_withdrawals, attestations, coverage_records
from sdap.types import Role


def rows(api: Api, table: Any) -> list[dict[str, Any]]:
    with api.gateway.db.read() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table))]


def test_what_the_coverage_watch_reads(api: Api, world: World) -> None:
    index = api.gateway.index
    index.sync()
    record = world.queries.attestation(world.attestation)
    assert rows(api, attestations) == [
        {
            "attestation_id": "0x" + world.attestation.hex(),
            "issuance_id": world.issuance,
            "verifier": world.verifier.address,
            "valid_until": record.valid_until,
            "ended_block": None,
        }
    ]
    [coverage] = rows(api, coverage_records)
    assert (coverage["issuance_id"], coverage["supply"]) == (world.issuance, "100")  # recorded by the mint
    assert rows(api, accreditation_withdrawals) == []

    world.platform.resync_nonces()
    revoked = world.regulator.revoke_attestation(world.attestation, h("the elevator burnt down"))
    withdrawn = world.regulator.revoke_role(Role.VERIFIER, world.verifier.address)
    index.sync()
    assert rows(api, attestations)[0]["ended_block"] == revoked.block_number
    assert rows(api, coverage_records)[0]["block_number"] == revoked.block_number  # the revocation recorded it
    [withdrawal] = rows(api, accreditation_withdrawals)
    assert (withdrawal["verifier"], withdrawal["block_number"]) == (world.verifier.address, withdrawn.block_number)


def test_rebuilt_when_the_chain_was_rewound(api: Api, world: World) -> None:
    w3 = world.w3

    def snapshot() -> str:
        return str(w3.provider.make_request("evm_snapshot", [])["result"])  # type: ignore[arg-type]

    def rewind(to: str) -> None:  # anvil drops the snapshot it goes back to
        assert w3.provider.make_request("evm_revert", [to])["result"] is True  # type: ignore[arg-type]

    branch = snapshot()
    world.platform.resync_nonces()
    world.regulator.revoke_attestation(world.attestation, h("revoked on a branch that will be dropped"))
    api.gateway.index.sync()
    assert rows(api, attestations)[0]["ended_block"] is not None
    rewind(branch)
    # The head is now below the indexed block, which no longer exists.
    api.gateway.index.sync()
    assert rows(api, attestations)[0]["ended_block"] is None
    assert [r["issuance_id"] for r in rows(api, coverage_records)] == [world.issuance]
    # The same branch again, then blocks past it: the indexed block is there, with another hash.
    branch = snapshot()
    world.platform.resync_nonces()
    world.regulator.revoke_attestation(world.attestation, h("revoked again"))
    api.gateway.index.sync()
    assert rows(api, attestations)[0]["ended_block"] is not None
    rewind(branch)
    for _ in range(3):
        w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    api.gateway.index.sync()
    assert rows(api, attestations)[0]["ended_block"] is None
