"""Wallet recovery (sdap/clients/_base.py, regulator.py, operator.py, queries.py, _position.py): the
regulator or the identifying operator moves a participant whose wallet is lost to a new wallet, the
lost wallet is kept out for good, and anyone moves its whole position after it, found from events
when not named. Refusals are typed errors raised by the simulation before anything is sent."""

from __future__ import annotations

import pytest
from world import YEAR, States, World, chain_time, h

from sdap.clients import HolderClient, OperatorClient
from sdap.contract_errors import (
    RegistryIdentityExpiryInPastError,
    RegistryInvalidReplacementError,
    RegistryNotParticipantOperatorError,
    RegistryParticipantNotRegisteredError,
    RegistryPermitNotActiveError,
    RegistryRecoveryNeedsFreezeError,
    RegistryWalletLostError,
    SecuredAssetEncumbrancesLeftBehindError,
    SecuredAssetNotBeneficiaryError,
    SecuredAssetNotHoldersEncumbranceError,
    SecuredAssetParticipantNotEligibleError,
    SecuredAssetWalletNotRecoveredError,
)
from sdap.errors import InvalidArgument
from sdap.types import ParticipantStatus, PermitState, Role

ZERO = "0x" + "00" * 20
NEW, NEWER = 11, 13  # funded accounts nobody registered: the replacement wallets


@pytest.fixture
def w(states: States) -> World:
    return states.world()


def wallet(w: World, index: int = NEW) -> HolderClient:
    return w.client_of(HolderClient, index)


def second_issuance(w: World, minted: int = 40) -> int:
    """Another issuance of the same operator, `minted` units of it to holder a."""
    issuance = w.create_issuance(w.params(unit_description="1 tonne of barley")).id
    w.attest(500, issuance=issuance)
    w.operator.mint(issuance, w.a.address, minted)
    return issuance


def other_operator(w: World, index: int = 10) -> OperatorClient:
    other = w.client_of(OperatorClient, index)
    w.regulator.grant_role(Role.OPERATOR, other.address)
    w.regulator.grant_permit(other.address, 0, chain_time(w.w3) + YEAR, h(f"permit {index}"))
    return other


def test_the_regulator_moves_the_whole_position_to_the_new_wallet(w: World) -> None:
    a, new = w.a.address, wallet(w)
    second = second_issuance(w)
    pledge = w.a.encumber(w.issuance, 30, w.b.address, h("pledge agreement")).id
    w.compliance.freeze_units(w.issuance, a, 20, h("court ruling"))
    expiry = chain_time(w.w3) + YEAR
    done = w.regulator.recover_wallet(a, new.address, h("kyc of the new wallet"), expiry, h("recovery order"))

    recovered = done.recovered.event("WalletRecovered")
    assert (recovered["lost"], recovered["replacement"], recovered["by"]) == (a, new.address, w.regulator.address)
    assert (bytes(recovered["reasonHash"]), recovered["identityExpiry"]) == (h("recovery order"), expiry)
    assert w.queries.recovered_to(a) == new.address
    assert w.queries.recovered_to(new.address) is None
    person = w.queries.participant(new.address)
    assert (person.registered, person.operator) == (True, w.operator.address)
    assert person.identity_ref == h("kyc of the new wallet")
    assert person.acknowledged_notice == w.notice
    assert w.queries.participant_status(a) is ParticipantStatus.NOT_REGISTERED
    assert w.queries.participants_of(w.operator.address)[-1].wallet == new.address

    assert done.holdings is not None
    moved = done.holdings.event("HoldingsRecovered")
    assert (moved["lost"], moved["replacement"], moved["by"]) == (a, new.address, w.regulator.address)
    assert list(moved["ids"]) == [w.issuance, second]
    assert (list(moved["amounts"]), list(moved["frozen"])) == ([100, 40], [20, 0])
    assert [e["encumbranceId"] for e in done.holdings.events_named("EncumbranceRecovered")] == [pledge]
    assert w.queries.balances(a, [w.issuance, second]) == {w.issuance: 0, second: 0}
    assert w.queries.balances(new.address, [w.issuance, second]) == {w.issuance: 100, second: 40}
    assert w.queries.frozen_units(w.issuance, new.address) == 20
    assert w.queries.encumbered_units(w.issuance, new.address) == 30
    assert w.queries.encumbrance(pledge).holder == new.address
    assert w.queries.available_units(w.issuance, new.address) == 50

    # The beneficiary's pledge binds the new wallet: its operator enforces it there.
    w.operator.enforce(pledge, h("default notice"))
    assert w.queries.balance_of(w.b.address, w.issuance) == 30
    new.transfer(w.c.address, w.issuance, 50)  # the free units move; the frozen 20 stay
    assert w.queries.available_units(w.issuance, new.address) == 0
    assert w.queries.frozen_units(w.issuance, new.address) == 20


def test_a_recovered_beneficiary_releases_from_its_new_wallet_and_never_the_lost_one(w: World) -> None:
    new = wallet(w)
    pledge = w.a.encumber(w.issuance, 30, w.b.address, h("pledge agreement")).id
    w.regulator.recover_participant(w.b.address, new.address, h("kyc"), chain_time(w.w3) + YEAR, h("order"))
    with pytest.raises(SecuredAssetNotBeneficiaryError) as refused:
        w.b.release(pledge)  # the lost key, maybe in someone else's hands now
    assert refused.value.arguments == {"encumbrance_id": pledge, "account": w.b.address}
    new.release(pledge)
    assert w.queries.encumbered_units(w.issuance, w.a.address) == 0


def test_a_pledge_to_a_recovered_beneficiary_is_enforced_to_its_new_wallet(w: World) -> None:
    new = wallet(w).address
    pledge = w.a.encumber(w.issuance, 30, w.b.address, h("pledge agreement")).id
    w.regulator.recover_wallet(w.b.address, new, h("kyc"), chain_time(w.w3) + YEAR, h("order"))
    moved = w.operator.enforce(pledge, h("default notice")).event("TransferSingle")
    assert (moved["from"], moved["to"], moved["value"]) == (w.a.address, new, 30)
    assert w.queries.encumbrance(pledge).beneficiary == w.b.address  # the record keeps who it was given to
    assert w.queries.balance_of(new, w.issuance) == 30


def test_the_beneficiary_releases_the_recovered_pledge(w: World) -> None:
    new = wallet(w)
    pledge = w.a.encumber(w.issuance, 30, w.b.address, h("pledge agreement")).id
    w.regulator.recover_wallet(w.a.address, new.address, h("kyc"), chain_time(w.w3) + YEAR, h("order"))
    w.b.release(pledge)
    assert w.queries.encumbered_units(w.issuance, new.address) == 0
    assert w.queries.available_units(w.issuance, new.address) == 100


def test_a_wallet_that_held_nothing_needs_no_second_transaction(w: World) -> None:
    new = wallet(w).address
    sent = w.w3.eth.get_transaction_count(w.regulator.address)  # type: ignore[arg-type]
    done = w.regulator.recover_wallet(w.b.address, new, h("kyc"), chain_time(w.w3) + YEAR, h("order"))
    assert done.holdings is None
    assert w.w3.eth.get_transaction_count(w.regulator.address) == sent + 1  # type: ignore[arg-type]
    assert w.queries.recovered_to(w.b.address) == new


def test_the_lost_wallet_is_refused_everything_afterwards(w: World) -> None:
    a, new = w.a.address, wallet(w).address
    w.regulator.recover_participant(a, new, h("kyc"), chain_time(w.w3) + YEAR, h("order"))
    # Before its holdings move, the lost wallet still holds units it can move by no route of its own.
    with pytest.raises(SecuredAssetParticipantNotEligibleError) as sending:
        w.a.transfer(w.b.address, w.issuance, 1)
    assert sending.value.arguments == {"account": a, "status": ParticipantStatus.NOT_REGISTERED}
    with pytest.raises(SecuredAssetParticipantNotEligibleError):
        w.operator.mint(w.issuance, a, 1)
    w.operator.mint(w.issuance, w.b.address, 5)  # b holds units, and may not send them to a
    with pytest.raises(SecuredAssetParticipantNotEligibleError):
        w.b.transfer(a, w.issuance, 1)
    with pytest.raises(RegistryWalletLostError) as again:
        w.operator.register_participant(a, h("kyc again"), chain_time(w.w3) + YEAR)
    assert again.value.arguments == {"wallet": a, "replacement": new}
    w.c.recover_holdings(a)  # anyone finishes it
    assert w.queries.balance_of(new, w.issuance) == 100
    with pytest.raises(RegistryInvalidReplacementError):
        w.regulator.recover_participant(new, a, h("kyc"), chain_time(w.w3) + YEAR, h("order"))


def test_the_identifying_operator_recovers_its_participant_and_another_may_not(w: World) -> None:
    a, new = w.a.address, wallet(w)
    other = other_operator(w)
    expiry = chain_time(w.w3) + YEAR
    w.compliance.freeze_participant(a, h("reported lost"))  # the second hand: compliance, not the operator
    with pytest.raises(RegistryNotParticipantOperatorError) as refused:
        other.recover_participant(a, new.address, h("kyc"), expiry, h("case file"))
    assert refused.value.arguments == {"wallet": a, "operator": w.operator.address, "account": other.address}
    done = w.operator.recover_wallet(a, new.address, h("kyc"), expiry, h("case file"))
    assert done.recovered.event("WalletRecovered")["by"] == w.operator.address
    assert done.holdings is not None
    assert done.holdings.event("HoldingsRecovered")["by"] == w.operator.address
    assert w.queries.balance_of(new.address, w.issuance) == 100

    # The units arrive on a frozen account: they move only once compliance has reviewed the new wallet.
    assert w.queries.participant(new.address).frozen
    with pytest.raises(SecuredAssetParticipantNotEligibleError) as frozen:
        new.transfer(w.c.address, w.issuance, 1)
    assert frozen.value.arguments == {"account": new.address, "status": ParticipantStatus.FROZEN}
    w.compliance.unfreeze_participant(new.address, h("replacement reviewed"))
    new.transfer(w.c.address, w.issuance, 1)
    assert w.queries.balance_of(w.c.address, w.issuance) == 1


def test_an_operator_recovers_only_a_wallet_compliance_has_frozen(w: World) -> None:
    a, new = w.a.address, wallet(w).address
    expiry = chain_time(w.w3) + YEAR
    with pytest.raises(RegistryRecoveryNeedsFreezeError) as refused:
        w.operator.recover_wallet(a, new, h("kyc"), expiry, h("case file"))
    assert refused.value.arguments == {"lost": a}
    assert w.queries.recovered_to(a) is None
    # The regulator's order needs no freeze, and the replacement then arrives unfrozen, as `a` was.
    w.regulator.recover_participant(a, new, h("kyc"), expiry, h("order"))
    assert not w.queries.participant(new).frozen


def test_an_operator_without_a_permit_in_force_recovers_no_one(w: World) -> None:
    w.regulator.suspend_permit(w.operator.address, h("inspection"))
    with pytest.raises(RegistryPermitNotActiveError) as refused:
        w.operator.recover_participant(w.a.address, wallet(w).address, h("kyc"), chain_time(w.w3) + YEAR, h("r"))
    assert refused.value.arguments == {"account": w.operator.address, "state": PermitState.SUSPENDED}
    # The regulator still may, and the units move whatever the permit and the pause.
    w.regulator.pause(w.issuance)
    w.regulator.recover_wallet(w.a.address, wallet(w).address, h("kyc"), chain_time(w.w3) + YEAR, h("order"))
    assert w.queries.balance_of(wallet(w).address, w.issuance) == 100


def test_the_position_is_found_from_events(w: World) -> None:
    a = w.a.address
    second = second_issuance(w)
    third = w.create_issuance(w.params(unit_description="1 tonne of rye")).id
    w.attest(500, issuance=third)
    w.operator.mint(third, w.b.address, 11)
    w.b.batch_transfer(a, [third], [10])  # a TransferBatch to a
    w.a.transfer(w.b.address, second, 40)  # a holds none of `second` any more
    released = w.a.encumber(w.issuance, 5, w.b.address, h("old pledge")).id
    w.b.release(released)
    held = w.a.encumber(w.issuance, 7, w.b.address, h("pledge")).id
    w.b.encumber(third, 1, w.a.address, h("b's pledge to a"))  # a is its beneficiary, not its holder
    found = w.queries.position(a)
    assert (found.wallet, found.issuance_ids, found.encumbrance_ids) == (a, (w.issuance, third), (held,))
    assert w.queries.position(wallet(w).address).issuance_ids == ()

    new = wallet(w).address
    w.regulator.recover_participant(a, new, h("kyc"), chain_time(w.w3) + YEAR, h("order"))
    receipt = w.c.recover_holdings(a)  # a holder, neither the regulator nor the operator
    assert list(receipt.event("HoldingsRecovered")["ids"]) == [w.issuance, third]
    assert w.queries.position(a).issuance_ids == ()
    # What came with the recovery is found on the new wallet too (TransferBatch, EncumbranceRecovered).
    assert w.queries.position(new) == type(found)(new, (w.issuance, third), (held,))


def test_a_replacement_lost_in_turn_passes_everything_on(w: World) -> None:
    a, first, second = w.a.address, wallet(w).address, wallet(w, NEWER).address
    pledge = w.a.encumber(w.issuance, 30, w.b.address, h("pledge")).id
    w.regulator.recover_wallet(a, first, h("kyc 1"), chain_time(w.w3) + YEAR, h("order 1"))
    w.regulator.recover_wallet(first, second, h("kyc 2"), chain_time(w.w3) + YEAR, h("order 2"))
    assert w.queries.balance_of(second, w.issuance) == 100
    assert w.queries.encumbrance(pledge).holder == second


def test_units_left_on_a_wallet_lost_twice_go_to_the_last_replacement(w: World) -> None:
    a, first, second = w.a.address, wallet(w).address, wallet(w, NEWER).address
    w.regulator.recover_participant(a, first, h("kyc 1"), chain_time(w.w3) + YEAR, h("order 1"))
    w.regulator.recover_participant(first, second, h("kyc 2"), chain_time(w.w3) + YEAR, h("order 2"))
    moved = w.c.recover_holdings(a).event("HoldingsRecovered")
    assert moved["replacement"] == second
    assert w.queries.balance_of(second, w.issuance) == 100


# --- refusals -----------------------------------------------------------------------------


def test_a_replacement_must_be_a_wallet_never_registered(w: World) -> None:
    a, expiry = w.a.address, chain_time(w.w3) + YEAR
    for replacement in (w.b.address, a, ZERO):
        with pytest.raises(RegistryInvalidReplacementError) as refused:
            w.regulator.recover_participant(a, replacement, h("kyc"), expiry, h("order"))
        assert refused.value.arguments == {"lost": a, "replacement": replacement}


def test_only_a_registered_participant_is_recovered_and_identified_for_the_future(w: World) -> None:
    stranger, new = w.accounts[12].address, wallet(w).address
    with pytest.raises(RegistryParticipantNotRegisteredError):
        w.regulator.recover_participant(stranger, new, h("kyc"), chain_time(w.w3) + YEAR, h("order"))
    with pytest.raises(RegistryIdentityExpiryInPastError):
        w.regulator.recover_participant(w.a.address, new, h("kyc"), 1, h("order"))


def test_holdings_of_a_wallet_not_recovered_do_not_move(w: World) -> None:
    with pytest.raises(SecuredAssetWalletNotRecoveredError) as refused:
        w.c.recover_holdings(w.a.address, [w.issuance], [])
    assert refused.value.arguments == {"wallet": w.a.address}


def test_every_encumbrance_goes_with_the_units_and_only_the_lost_wallets(w: World) -> None:
    a, new = w.a.address, wallet(w).address
    w.operator.mint(w.issuance, w.b.address, 10)
    others = w.b.encumber(w.issuance, 5, w.c.address, h("b's pledge")).id
    w.a.encumber(w.issuance, 30, w.b.address, h("pledge"))
    w.regulator.recover_participant(a, new, h("kyc"), chain_time(w.w3) + YEAR, h("order"))
    with pytest.raises(SecuredAssetEncumbrancesLeftBehindError) as left:
        w.c.recover_holdings(a, [w.issuance], [])
    assert left.value.arguments == {"id": w.issuance, "lost": a, "encumbered": 30}
    with pytest.raises(SecuredAssetNotHoldersEncumbranceError) as foreign:
        w.c.recover_holdings(a, [w.issuance], [others])
    assert foreign.value.arguments == {"encumbrance_id": others, "holder": a}
    with pytest.raises(InvalidArgument, match="ids must be a list"):
        w.c.recover_holdings(a, "1")  # type: ignore[arg-type]
