"""The contract's reasons (`checkMint`, `checkTransfer`) as problem codes: every reason the enum has
is answered by a problem of its own, and the routes that check a movement list the ones it may carry."""

from __future__ import annotations

from api import errors
from api.errors import all_errors
from api.services.refusals import MINT_ERRORS, REFUSALS, TRANSFER_ERRORS
from sdap.types import Refusal


def test_every_reason_has_a_problem_in_the_catalogue() -> None:
    catalogue = set(all_errors())
    for refusal in Refusal:
        if refusal is Refusal.NONE:
            continue
        assert refusal in REFUSALS, f"{refusal.name} has no problem"
        assert REFUSALS[refusal] in catalogue
    assert len({e.code for e in REFUSALS.values()}) == len(REFUSALS)  # one code per reason


def test_the_reasons_of_dealing_and_coverage() -> None:
    assert REFUSALS[Refusal.SENDER_NOTICE_NOT_ACKNOWLEDGED].code == "sender_notice_not_acknowledged"
    assert REFUSALS[Refusal.UNDERCOLLATERALISED].code == "undercollateralised"
    assert {errors.SenderNoticeNotAcknowledged, errors.Undercollateralised} <= set(TRANSFER_ERRORS)
    # A mint has no sender, and an under-collateralised issuance refuses it as collateral_insufficient.
    assert errors.SenderNoticeNotAcknowledged not in MINT_ERRORS and errors.Undercollateralised not in MINT_ERRORS
