// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredExchange} from "../../../contracts/interfaces/ISecuredExchange.sol";

import {HandlerBase} from "./HandlerBase.sol";
import {InvariantBase} from "./InvariantBase.t.sol";

/// @notice The exchange (Law art. 1.1-1.2, Rules item 4): escrowed units are exactly those of
/// the open escrows, every settled exchange moved exactly its legs between eligible parties, and
/// `checkOffer` never says an offer can be taken that cannot, or the opposite. The balances,
/// supply and restrictions it touches are checked with every holder's in Invariants.t.sol.
contract ExchangeInvariantsTest is InvariantBase {
    /// @dev Per issuance and holder, the asset's escrowed units are the sum of the exchange's open
    /// escrows of that seller and issuance, on the chain's own records; each escrow is as the
    /// model saw it opened, and open, settled or lapsed as it saw.
    function invariant_EscrowedUnitsAreTheOpenEscrows() public view {
        ISecuredExchange exchange = ISecuredExchange(asset.exchange());
        uint256 count = exchange.escrowCount();
        assertEq(count, handler.escrowModelCount(), "escrow count != model");
        address[] memory holders = handler.holders();
        uint256 ids = handler.issuanceCount();
        uint256[][] memory open = new uint256[][](ids + 1);
        for (uint256 id = 1; id <= ids; ++id) {
            open[id] = new uint256[](holders.length);
        }
        for (uint256 i; i < count; ++i) {
            HandlerBase.EscrowModel memory m = handler.escrowModel(i);
            ISecuredExchange.Escrow memory e = exchange.escrow(m.escrowId);
            if (e.issuanceId != m.issuanceId || e.seller != m.seller || e.buyer != m.buyer || e.amount != m.amount) {
                fail("escrow != model", m.issuanceId, m.seller);
            }
            if ((e.state == ISecuredExchange.EscrowState.Open) != m.open) {
                fail("escrow state != model", e.issuanceId, e.seller);
            }
            if (e.state != ISecuredExchange.EscrowState.Open) continue;
            for (uint256 k; k < holders.length; ++k) {
                if (holders[k] == e.seller) open[e.issuanceId][k] += e.amount;
            }
        }
        for (uint256 id = 1; id <= ids; ++id) {
            for (uint256 k; k < holders.length; ++k) {
                if (asset.escrowedUnits(id, holders[k]) != open[id][k]) {
                    fail("escrowed units != open escrows", id, holders[k]);
                }
            }
        }
    }

    /// @dev R8, R10: no exchange had an ineligible party, and no leg reached an ineligible wallet
    /// (the handler checks each take and confirmation); each settled swap, sale, purchase and
    /// escrow changed exactly two holdings per leg, by the leg's amount; checkOffer agreed with
    /// every take; no spoiled offer was taken.
    function invariant_ExchangesMoveExactlyTheirLegs() public view {
        assertNoViolation(HandlerBase.Violation.IneligibleRecipient);
        assertNoViolation(HandlerBase.Violation.IneligibleSender);
        assertNoViolation(HandlerBase.Violation.ExchangeLegMismatch);
        assertNoViolation(HandlerBase.Violation.CheckOfferDisagrees);
        assertNoViolation(HandlerBase.Violation.RuleBroken);
    }
}
