"""The issuances service (api.services.issuances), called directly on a running test gateway: a mint
is checked in order (the caller is the issuer, this gateway's operator posted it, then the
contract's `checkMint`) and a refusal sends nothing; the parties of an issuance are remembered,
read again when they may have changed and forgotten when the chain says so; the list of issuances
is filtered and paged from the event index, each as the chain has it now; `_Codec` lays out a
contract function's calldata as web3 would."""

from __future__ import annotations

from typing import Any

import pytest
from gateway_support import Api, Documents, issuance_body
from sqlalchemy import select
from world import YEAR, World, chain_time, h

from api.auth import Principal, Role
from api.db.schema import transactions
from api.errors import (
    AttestationNotFound,
    IssuanceNotFound,
    MaxSupplyExceeded,
    NotIssuanceIssuer,
    NotIssuanceOperator,
    RecipientNotRegistered,
)
from api.schemas.issuances import AttestationSubmission, ConsentTerms, IssuanceCreation, Minted, MintRequest
from api.services.issuances import _Codec
from sdap.contract_errors import SecuredAssetNotIssuanceOperatorError
from sdap.platform import Platform
from sdap.types import Refusal
from sdap.types import Role as ChainRole


def mint(api: Api, caller: Principal, issuance_id: int, to: str, amount: int) -> Minted:
    """`Issuances.mint` on the gateway's own event loop (the TestClient's portal), where its
    writers and node session live, as a request would run it."""
    body = MintRequest(to=to, amount=amount)
    return api.client.portal.call(api.gateway.issuances.mint, caller, issuance_id, body)  # type: ignore[union-attr]


def journal(api: Api) -> list[str]:
    with api.gateway.db.read() as conn:
        return list(conn.scalars(select(transactions.c.state)))


def issuer_of(world: World) -> Principal:
    return Principal(Role.ISSUER, world.issuer.address)


def hand_to_successor(world: World, api: Api, issuance_id: int, index: int = 10) -> str:
    """Account `index` made an operator with a permit, and handed the issuance by the regulator's
    own client, outside the gateway (which shares the regulator's key: both resync their nonces)."""
    world.platform.resync_nonces()
    successor = world.accounts[index].address
    if not world.queries.has_role(ChainRole.OPERATOR, successor):
        world.regulator.grant_role(ChainRole.OPERATOR, successor)
        world.regulator.grant_permit(successor, 0, chain_time(world.w3) + YEAR, h(f"permit of {successor}"))
    world.regulator.succeed_issuances([issuance_id], successor, h(f"order for {issuance_id}"))
    api.gateway.chain.resync_nonces()
    return successor


def test_a_mint_is_checked_issuer_first_then_operator_with_nothing_sent(api: Api, world: World) -> None:
    """Both first checks fail for another issuer's key on an issuance handed away: the issuer is
    named, not the operator; the issuer's own key is told the operator."""
    hand_to_successor(world, api, world.issuance)
    stranger = Principal(Role.ISSUER, world.accounts[9].address)
    with pytest.raises(NotIssuanceIssuer):
        mint(api, stranger, world.issuance, world.b.address, 1)
    with pytest.raises(NotIssuanceOperator):
        mint(api, issuer_of(world), world.issuance, world.b.address, 1)
    assert journal(api) == []


def test_a_mint_the_contracts_check_refuses_sends_nothing_and_journals_nothing(api: Api, world: World) -> None:
    operator = api.gateway.chain.operator_address
    nonce = world.w3.eth.get_transaction_count(operator, "pending")
    with pytest.raises(MaxSupplyExceeded):
        mint(api, issuer_of(world), world.issuance, world.b.address, 10**6)
    with pytest.raises(RecipientNotRegistered):
        mint(api, issuer_of(world), world.issuance, world.accounts[15].address, 1)
    assert journal(api) == [] and world.w3.eth.get_transaction_count(operator, "pending") == nonce

    minted = mint(api, issuer_of(world), world.issuance, world.b.address, 7)
    assert (minted.issuance_id, minted.to, minted.amount) == (world.issuance, world.b.address, 7)
    assert minted.block_number > 0 and journal(api) == ["mined"]
    assert world.queries.balance_of(world.b.address, world.issuance) == 7


def test_the_parties_are_remembered_until_read_fresh_or_forgotten(api: Api, world: World) -> None:
    issuances = api.gateway.issuances
    assert issuances.known_parties(world.issuance) is None  # nothing read yet
    seen = issuances.parties(world.issuance)
    assert (seen.issuer, seen.operator) == (world.issuer.address, world.operator.address)
    assert issuances.known_parties(world.issuance) == seen

    successor = hand_to_successor(world, api, world.issuance)
    assert issuances.parties(world.issuance).operator == world.operator.address  # as remembered
    assert issuances.parties(world.issuance, fresh=True).operator == successor
    known = issuances.known_parties(world.issuance)
    assert known is not None and known.operator == successor  # the fresh read is remembered
    issuances.forget([world.issuance, 99])  # one never seen is no error
    assert issuances.known_parties(world.issuance) is None

    with pytest.raises(IssuanceNotFound):
        issuances.parties(99)
    assert issuances.known_parties(99) is None  # an unknown issuance is not remembered


def test_a_mint_follows_the_operator_across_successions_made_elsewhere(api: Api, world: World) -> None:
    """Remembered as this gateway's, handed away: the chain refuses the mint, and the parties are
    forgotten; read again, the next mint is refused before anything is sent. Handed back, the
    remembered successor is read again before a refusal, and the mint goes through."""
    issuances, issuer = api.gateway.issuances, issuer_of(world)
    mint(api, issuer, world.issuance, world.b.address, 1)
    successor = hand_to_successor(world, api, world.issuance)

    with pytest.raises(SecuredAssetNotIssuanceOperatorError):
        mint(api, issuer, world.issuance, world.b.address, 1)
    assert issuances.known_parties(world.issuance) is None
    with pytest.raises(NotIssuanceOperator):
        mint(api, issuer, world.issuance, world.b.address, 1)
    known = issuances.known_parties(world.issuance)
    assert known is not None and known.operator == successor
    assert journal(api) == ["mined", "reverted"]  # the second refusal sent nothing

    world.platform.resync_nonces()
    world.regulator.succeed_issuances([world.issuance], world.operator.address, h("order back"))
    api.gateway.chain.resync_nonces()
    mint(api, issuer, world.issuance, world.b.address, 1)
    known = issuances.known_parties(world.issuance)
    assert known is not None and known.operator == world.operator.address
    assert world.queries.balance_of(world.b.address, world.issuance) == 2


def test_summaries_filter_by_operator_and_issuer_and_page_by_id(api: Api, world: World) -> None:
    world.platform.resync_nonces()
    other_issuer = world.accounts[9].address
    world.regulator.register_issuer(other_issuer, "Kostanay Grain LLP", "210987654321", "KZ", h("issuer 2"))
    second = world.create_issuance(world.params(issuer=other_issuer)).id
    third = world.create_issuance(world.params()).id
    world.operator.pause(world.issuance)
    successor = hand_to_successor(world, api, third)
    issuances = api.gateway.issuances

    def ids(**filters: Any) -> list[int]:
        return [s.id for s in issuances.summaries(**filters)]

    assert ids() == [world.issuance, second, third]
    assert ids(issuer=other_issuer) == [second]
    assert ids(operator=successor) == [third]  # as the chain runs it now, not as it was created
    assert ids(operator=world.operator.address, issuer=world.issuer.address) == [world.issuance]
    assert ids(after=world.issuance, limit=1) == [second] and ids(after=third) == []
    first = issuances.summaries(limit=1)[0]
    assert (first.total_supply, first.max_supply, first.paused, first.paused_by_regulator) == (100, 1000, True, False)
    assert (first.closed, first.undercollateralised) == (False, False)
    assert issuances.summaries(operator=successor)[0].total_supply == 0


def test_an_issuer_posts_only_its_own_issuance_and_no_url_is_fetched_for_another(
    api: Api, world: World, documents: Documents
) -> None:
    fields = issuance_body(world, documents, content=b"Decision No. 8, another issuer's")
    body = IssuanceCreation(**fields)
    terms = ConsentTerms(**{k: v for k, v in fields.items() if k != "consent"})
    stranger = Principal(Role.ISSUER, world.accounts[9].address)
    fetched = len(documents.requests)
    with pytest.raises(NotIssuanceIssuer):
        api.gateway.issuances.create(stranger, body)
    with pytest.raises(NotIssuanceIssuer):
        api.gateway.issuances.consent_request(stranger, terms)
    assert len(documents.requests) == fetched and world.queries.issuance_count() == world.issuance

    created = api.gateway.issuances.create(Principal(Role.OPERATOR, world.operator.address), body)
    assert created.id == world.issuance + 1 and created.decision_hash == body.decision_hash
    assert len(documents.requests) == fetched + 1  # the decision, fetched once


def test_unknown_issuances_and_attestations_are_not_found_before_anything_is_sent(api: Api, world: World) -> None:
    attestation = AttestationSubmission(
        owner=world.issuer.address,
        collateral_ref="0x" + h("silo 9").hex(),
        value=10,
        units=10,
        valid_until=2**40,
        nonce=0,
        signature="0x" + "11" * 65,
    )
    with pytest.raises(IssuanceNotFound):
        api.gateway.issuances.attach(99, attestation)
    with pytest.raises(IssuanceNotFound):
        api.gateway.issuances.details(99)
    with pytest.raises(AttestationNotFound):
        api.gateway.issuances.attestation(h("no such attestation"))
    assert api.gateway.issuances.attestation(world.attestation).units == 500
    assert journal(api) == []


def test_a_codec_lays_out_calldata_as_web3_and_shares_arguments(platform: Platform, accounts: Any) -> None:
    asset = platform.contracts.asset
    to = accounts[7].address
    mint_codec, check_codec = _Codec(asset, "mint"), _Codec(asset, "checkMint")
    assert mint_codec.encode(3, to, 40) == bytes.fromhex(asset.encode_abi("mint", [3, to, 40])[2:])
    arguments = mint_codec.arguments(3, to, 40)
    assert check_codec.call(arguments) == bytes.fromhex(asset.encode_abi("checkMint", [3, to, 40])[2:])
    # `checkMint` answers one reason (uint8).
    answer = (int(Refusal.MAX_SUPPLY_EXCEEDED)).to_bytes(32, "big")
    assert Refusal(check_codec.decode(answer)[0]) is Refusal.MAX_SUPPLY_EXCEEDED
    with pytest.raises(ValueError):
        _Codec(asset, "noSuchFunction")
