"""Comparing the rebuilt state with the contracts' own views at the same block.

Every record of the rebuilt state is read back through the view that exposes it (`eth_call` at the
audited block, in JSON-RPC batches) and compared field by field; a mismatch names the contract, the
view, the key (addresses, ids) and both values. A replay that matches is a replay the auditor can
trust to have seen everything; one that does not shows the events are not the whole story.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import keccak
from web3.contract import Contract
from web3.types import RPCEndpoint

from sdap.artifacts import load_artifact
from sdap.audit.rules import (
    accreditation_of,
    attestation_status,
    issuance_coverage,
    participant_status,
    permit_state,
)
from sdap.audit.state import ZERO_ADDRESS, AuditState, Governance, OperatorDetails
from sdap.errors import RpcError
from sdap.events import _normalise, _type_string
from sdap.platform import Platform
from sdap.transactions import rpc
from sdap.types import Role

_BATCH = 500
#: Entries per call when a register's list is read back in pages.
_PAGE = 200


@dataclass(frozen=True)
class Difference:
    contract: str
    view: str
    key: str
    field: str
    on_chain: Any
    rebuilt: Any

    def to_dict(self) -> dict[str, Any]:
        return {k: _show(v) for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class CrossCheck:
    block: int
    checked: int
    differences: tuple[Difference, ...]

    @property
    def ok(self) -> bool:
        return not self.differences


def _show(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, Mapping):
        return {k: _show(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_show(v) for v in value]
    return value


@dataclass(frozen=True)
class _Query:
    contract: str
    view: str
    key: str
    call: dict[str, str]
    types: tuple[str, ...]
    outputs: tuple[Mapping[str, Any], ...]
    expected: Any  # a value, or a mapping of field -> value for struct results
    #: What to compare of the answer (the answer itself when None).
    reading: Callable[[Any], Any] | None = None


class _Queries:
    def __init__(self, contracts: Mapping[str, Contract]) -> None:
        self.contracts = contracts
        self.items: list[_Query] = []

    def add(
        self,
        contract: str,
        view: str,
        args: Sequence[Any],
        key: str,
        expected: Any,
        reading: Callable[[Any], Any] | None = None,
    ) -> None:
        c = self.contracts[contract]
        entries: list[dict[str, Any]] = list(c.abi)  # type: ignore[arg-type]
        abi = next(i for i in entries if i.get("name") == view and len(i.get("inputs", [])) == len(args))
        outputs = tuple(abi["outputs"])
        self.items.append(
            _Query(
                contract,
                view,
                key,
                {"to": c.address, "data": c.encode_abi(view, list(args))},
                tuple(_type_string(o) for o in outputs),
                outputs,
                expected,
                reading,
            )
        )


def _run(platform: Platform, queries: list[_Query], block: int) -> Iterator[tuple[_Query, Any]]:
    provider: Any = platform.w3.provider
    for start in range(0, len(queries), _BATCH):
        part = queries[start : start + _BATCH]
        answers = rpc(
            lambda p=part: provider.make_batch_request(  # type: ignore[misc]
                [(RPCEndpoint("eth_call"), [q.call, hex(block)]) for q in p]
            )
        )
        if not isinstance(answers, list):
            raise RpcError(f"eth_call batch failed: {answers}")
        answers = sorted(answers, key=lambda r: int(r["id"]))
        for query, answer in zip(part, answers, strict=True):
            if "error" in answer:
                raise RpcError(f"{query.contract}.{query.view}({query.key}) at {block}: {answer['error']}")
            raw = bytes.fromhex(answer["result"][2:])
            values = abi_decode(list(query.types), raw)
            decoded = [_normalise(o, v) for o, v in zip(query.outputs, values, strict=True)]
            value = decoded[0] if len(decoded) == 1 else tuple(decoded)
            yield query, value if query.reading is None else query.reading(value)


def cross_check(platform: Platform, state: AuditState, block: int | None = None) -> CrossCheck:
    """Compares `state` with the contracts' views at `block` (default: the state's block)."""
    at = state.block if block is None else block
    timestamp = int(rpc(lambda: platform.w3.eth.get_block(at))["timestamp"])
    c = platform.contracts
    contracts = {
        "PlatformRegistry": c.registry,
        "CollateralAttestations": c.collateral,
        "SecuredAsset": c.asset,
        "HolderForwarder": c.forwarder,
    }
    addresses = platform.deployment.addresses
    if "SecuredExchange" in addresses:
        abi = load_artifact("SecuredExchange").abi
        contracts["SecuredExchange"] = platform.w3.eth.contract(address=addresses["SecuredExchange"], abi=abi)  # type: ignore[call-overload]
    if state.governance is not None and "RegulatorTimelock" in addresses:
        for name in ("RegulatorCouncil", "RegulatorTimelock"):
            abi = load_artifact(name).abi
            contracts[name] = platform.w3.eth.contract(address=addresses[name], abi=abi)  # type: ignore[call-overload]
    q = _Queries(contracts)
    if state.governance is not None and "RegulatorTimelock" in contracts:
        _governance_queries(q, state.governance, timestamp)
    _registry_queries(q, state, timestamp)
    _collateral_queries(q, state, timestamp)
    _asset_queries(q, state, platform.deployment.asset, timestamp)
    if "SecuredExchange" in contracts:
        _exchange_queries(q, state)
    for signer, nonce in state.forwarder_nonces.items():
        q.add("HolderForwarder", "nonces", [signer], signer, nonce)
    differences: list[Difference] = []
    for query, value in _run(platform, q.items, at):
        differences.extend(_compare(query, value))
    return CrossCheck(at, len(q.items), tuple(differences))


def _compare(query: _Query, value: Any) -> Iterator[Difference]:
    expected = query.expected
    if isinstance(expected, dict):
        for name, want in expected.items():
            got = value[name]
            if isinstance(want, list):
                got = list(got)
            if got != want:
                yield Difference(query.contract, query.view, query.key, name, got, want)
    elif isinstance(expected, list):
        if list(value) != expected:
            yield Difference(query.contract, query.view, query.key, "", list(value), expected)
    elif value != expected:
        yield Difference(query.contract, query.view, query.key, "", value, expected)


#: TimelockController's OperationState, and the timestamp it keeps for a done operation.
_UNSET, _WAITING, _READY, _DONE = range(4)
_DONE_TIMESTAMP = 1


def _governance_queries(q: _Queries, gov: Governance, timestamp: int) -> None:
    """The council's signers (by their hashes, as its events name them), threshold and nonce; the
    timelock's delay and the state and time of each operation's latest scheduling."""
    q.add("RegulatorCouncil", "threshold", [], "", gov.threshold)
    q.add("RegulatorCouncil", "nextNonce", [], "", gov.nonce)
    q.add("RegulatorCouncil", "getSignerCount", [], "", len(gov.signers))
    hashes = sorted("0x" + s.hex() for s in gov.signers)
    read = lambda signers: sorted("0x" + keccak(s).hex() for s in signers)  # noqa: E731
    q.add("RegulatorCouncil", "getSigners", [0, 2**64 - 1], "keccak256 of each", hashes, read)
    q.add("RegulatorTimelock", "getMinDelay", [], "", gov.min_delay)
    latest = {op.operation_id: op for op in gov.operations}
    for op_id, op in latest.items():
        if op.status == "cancelled" or not op.block:
            state, at = _UNSET, 0  # a cancellation forgets the operation; so does a never-scheduled one
        elif op.status == "done":
            state, at = _DONE, _DONE_TIMESTAMP
        else:
            state, at = (_READY if op.ready_at <= timestamp else _WAITING), op.ready_at
        q.add("RegulatorTimelock", "getOperationState", [op_id], "0x" + op_id.hex(), state)
        q.add("RegulatorTimelock", "getTimestamp", [op_id], "0x" + op_id.hex(), at)


def _registry_queries(q: _Queries, state: AuditState, timestamp: int) -> None:
    add: Callable[..., None] = lambda view, args, key, expected: q.add("PlatformRegistry", view, args, key, expected)  # noqa: E731
    for role, holders in state.roles.items():
        for account in holders:
            add("hasRole", [role, account], f"{role.hex()[:8]}/{account}", True)
    for role, admin in state.role_admins.items():
        add("getRoleAdmin", [role], role.hex()[:8], admin)
    add("regulatorCount", [], "", len(state.roles.get(Role.REGULATOR.id, ())))
    for operator, permit in state.permits.items():
        add(
            "permit",
            [operator],
            operator,
            {
                "status": permit.status,
                "validFrom": permit.valid_from,
                "validUntil": permit.valid_until,
                "documentHash": permit.document_hash,
            },
        )
        add("permitState", [operator], operator, permit_state(state, operator, timestamp))
    for wallet, i in state.issuers.items():
        fields: dict[str, Any] = {"status": i.status, "legalName": i.legal_name, "businessId": i.business_id}
        add("issuer", [wallet], wallet, {**fields, "jurisdiction": i.jurisdiction, "detailsHash": i.details_hash})
    _list_queries(q, "issuerCount", "issuers", [], "", state.issuer_list)
    _list_queries(q, "operatorCount", "operators", [], "", state.operator_list)
    listed = [*state.operator_list, *(o for o in state.identified if o not in state.operator_list)]
    for operator in state.operator_list:
        d = state.operator_details.get(operator) or OperatorDetails()
        fields = {"legalName": d.legal_name, "businessId": d.business_id, "jurisdiction": d.jurisdiction}
        add("operatorDetails", [operator], operator, {**fields, "detailsHash": d.details_hash})
    for operator in listed:
        wallets = state.identified.get(operator, [])
        _list_queries(q, "participantCountOf", "participantsOf", [operator], operator, wallets)
    add("assetTypeCount", [], "", len(state.asset_types))
    for type_id, t in state.asset_types.items():
        add("assetType", [type_id], str(type_id), {"category": t.category, "listed": t.listed, "name": t.name})
    for wallet, p in state.participants.items():
        fields = {"registered": p.registered, "frozen": p.frozen, "identityExpiry": p.identity_expiry}
        add(
            "participant",
            [wallet],
            wallet,
            {
                **fields,
                "acknowledgedNotice": p.acknowledged_notice,
                "identityRef": p.identity_ref,
                "operator": p.operator,
            },
        )
        add("participantStatus", [wallet], wallet, participant_status(state, wallet, timestamp))
        # Lost wallets (their records deleted) and every other one, which must not be lost.
        recovery = state.recoveries.get(wallet)
        add("recoveredTo", [wallet], wallet, ZERO_ADDRESS if recovery is None else recovery.replacement)
    for custodian in state.custodians:
        add("isCustodian", [custodian], custodian, True)
    add("noticeInForce", [], "", state.notice_in_force)
    for version, n in state.notices.items():
        add(
            "riskNotice",
            [version],
            str(version),
            {"contentHash": n.content_hash, "publishedAt": n.published_at, "uri": n.uri},
        )
    add("accreditationRevision", [], "", state.accreditation_revision)
    for verifier in state.accreditations:
        add("accreditationOf", [verifier], verifier, accreditation_of(state, verifier))


def _list_queries(q: _Queries, count: str, view: str, args: list[Any], key: str, expected: list[str]) -> None:
    """A register's list read back: its length, then its entries a page at a time, so the calls
    grow with the list's length divided by the page, not with its length."""
    q.add("PlatformRegistry", count, args, key, len(expected))
    for start in range(0, len(expected), _PAGE):
        page = expected[start : start + _PAGE]
        q.add("PlatformRegistry", view, [*args, start, _PAGE], f"{key}[{start}..{start + len(page) - 1}]", page)


def _collateral_queries(q: _Queries, state: AuditState, timestamp: int) -> None:
    for attestation_id, a in state.attestations.items():
        key = "0x" + attestation_id.hex()
        q.add(
            "CollateralAttestations",
            "attestation",
            [attestation_id],
            key,
            {
                "verifier": a.verifier,
                "revoked": a.revoked,
                "validUntil": a.valid_until,
                "accreditation": a.accreditation,
                "supersededBy": a.superseded_by,
                "owner": a.owner,
                "asset": a.asset,
                "issuanceId": a.issuance_id,
                "units": a.units,
                "value": a.value,
                "collateralRef": a.collateral_ref,
            },
        )
        q.add(
            "CollateralAttestations",
            "attestationStatus",
            [attestation_id],
            key,
            attestation_status(state, a, timestamp),
        )
    for (owner, ref), attestation_id in state.pledges.items():
        q.add("CollateralAttestations", "pledgeOf", [owner, ref], f"{owner}/0x{ref.hex()}", attestation_id)
    for (asset, issuance_id), ids in state.attestation_lists.items():
        q.add("CollateralAttestations", "attestationsOf", [asset, issuance_id], f"{asset}/{issuance_id}", list(ids))
    for verifier, nonces in state.used_nonces.items():
        for nonce in nonces:
            q.add("CollateralAttestations", "isNonceUsed", [verifier, nonce], f"{verifier}/{nonce}", True)


def _asset_queries(q: _Queries, state: AuditState, asset: str, timestamp: int) -> None:
    add: Callable[..., None] = lambda view, args, key, expected: q.add("SecuredAsset", view, args, key, expected)  # noqa: E731
    real = {i: s for i, s in state.issuances.items() if s.operator != ZERO_ADDRESS}
    add("issuanceCount", [], "", len(real))
    wallets: set[str] = set(state.participants)
    for iid, s in state.issuances.items():
        if iid in real:
            add(
                "issuance",
                [iid],
                str(iid),
                {
                    "operator": s.operator,
                    "assetType": s.asset_type,
                    "coveredUntil": s.covered_until,
                    "paused": s.paused,
                    "pausedByRegulator": s.paused_by_regulator,
                    "closed": s.closed,
                    "coverageRevision": s.coverage_revision,
                    "issuer": s.issuer,
                    "supply": s.supply,
                    "maxSupply": s.max_supply,
                    "lastingCover": s.lasting_cover,
                    "decisionHash": s.decision_hash,
                    "evidenceHash": s.evidence_hash,
                    "fulfilmentHash": s.fulfilment_hash,
                    "decisionUri": s.decision_uri,
                    "unitDescription": s.unit_description,
                },
            )
            # The auditor's own count of the live collateral, against the asset's.
            covered, until, _ = issuance_coverage(state, asset, iid, s.issuer, s.supply, timestamp)
            add(
                "coverage",
                [iid],
                str(iid),
                {
                    "covered": covered,
                    "supply": s.supply,
                    "coveredUntil": until,
                    "undercollateralised": until <= timestamp,
                },
            )
        add("totalSupply", [iid], str(iid), s.supply)
        wallets.update(s.balances, s.encumbered, s.frozen)
        for holder in set(s.encumbered) | set(s.frozen) | set(s.balances) | set(s.escrowed):
            add("encumberedUnits", [iid, holder], f"{iid}/{holder}", s.encumbered.get(holder, 0))
            add("frozenUnits", [iid, holder], f"{iid}/{holder}", s.frozen.get(holder, 0))
            if "SecuredExchange" in q.contracts:
                add("escrowedUnits", [iid, holder], f"{iid}/{holder}", s.escrowed.get(holder, 0))
    # Every known wallet's balance in every issuance, so units the replay missed show too.
    ordered = sorted(wallets)
    for iid, s in sorted(state.issuances.items()):
        for start in range(0, len(ordered), 200):
            part = ordered[start : start + 200]
            add(
                "balanceOfBatch",
                [part, [iid] * len(part)],
                f"{iid}/{part[0]}..{part[-1]}",
                [s.balances.get(w, 0) for w in part],
            )
    add("encumbranceCount", [], "", len(state.encumbrances))
    for eid, e in state.encumbrances.items():
        add(
            "encumbrance",
            [eid],
            str(eid),
            {
                "issuanceId": e.issuance_id,
                "holder": e.holder,
                "beneficiary": e.beneficiary,
                "amount": e.amount,
                "expiry": e.expiry,
                "active": e.active,
                "referenceHash": e.reference_hash,
            },
        )
    for account, operators in state.approvals.items():
        for operator in operators:
            add("isApprovedForAll", [account, operator], f"{account}/{operator}", True)
    add("redemptionCount", [], "", len(state.redemptions))
    for rid, r in state.redemptions.items():
        add(
            "redemptionRequest",
            [rid],
            str(rid),
            {
                "issuanceId": r.issuance_id,
                "holder": r.holder,
                "state": r.state,
                "amount": r.amount,
                "fulfilmentRef": r.fulfilment_ref,
            },
        )
    # Each issuer's consent nonces: the contract counts the spent ones per key.
    for issuer, spent in state.consent_nonces.items():
        keys: dict[int, int] = {}
        for nonce in spent:
            keys[nonce >> 64] = keys.get(nonce >> 64, 0) + 1
        for key, count in keys.items():
            add("nonces", [issuer, key], f"{issuer}/{key}", (key << 64) + count)


def _exchange_queries(q: _Queries, state: AuditState) -> None:
    """The exchange's escrows, its makers' spent nonces and its payment tokens."""
    add: Callable[..., None] = lambda view, args, key, expected: q.add("SecuredExchange", view, args, key, expected)  # noqa: E731
    add("escrowCount", [], "", len(state.escrows))
    for escrow_id, x in state.escrows.items():
        add(
            "escrow",
            [escrow_id],
            str(escrow_id),
            {
                "issuanceId": x.issuance_id,
                "seller": x.seller,
                "deadline": x.deadline,
                "state": x.state,
                "buyer": x.buyer,
                "agent": x.agent,
                "currency": x.currency.encode().ljust(3, b"\0"),
                "amount": x.amount,
                "price": x.price,
            },
        )
    for maker, nonces in state.offer_nonces.items():
        for nonce in nonces:
            add("isNonceUsed", [maker, nonce], f"{maker}/{nonce}", True)
    for token, t in state.payment_tokens.items():
        currency = t.currency.encode().ljust(3, b"\0")
        add("paymentToken", [token], token, {"currency": currency, "decimals": t.decimals, "listed": t.listed})
