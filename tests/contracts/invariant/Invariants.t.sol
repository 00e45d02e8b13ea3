// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {vm} from "../utils/Vm.sol";
import {HandlerBase} from "./HandlerBase.sol";
import {InvariantBase} from "./InvariantBase.t.sol";

/// @notice The platform's circulation rules, checked after every call of random sequences of every
/// state-changing function (see {InvariantBase}): balances, supply, caps, locks, eligibility, halts,
/// roles and the state the model reached. Collateral and coverage: CollateralInvariants.t.sol;
/// operators' mandates and the regulator's pause: MandateInvariants.t.sol.
contract InvariantsTest is InvariantBase {
    /*//////////////////////////////////////////////////////////////
                               INVARIANTS
    //////////////////////////////////////////////////////////////*/

    /// @dev Units exist only in the holders' wallets (the actors, the issuers and the replacement
    /// wallets) and in the asset's custody (units whose redemption is pending, still in the supply
    /// until confirmed), as many as the model counts for each of them, so recovery, which moves a
    /// lost wallet's units to its replacement, and redemption, which takes them into custody and
    /// out again, conserve each issuance's supply; the next, unknown id has none.
    function invariant_SumOfBalancesEqualsSupply() public view {
        address[] memory holders = handler.holders();
        for (uint256 id = 1; id <= handler.issuanceCount() + 1; ++id) {
            uint256[] memory balances = balancesOf(id);
            (uint256[] memory modelBalances,,) = handler.holdings(id);
            uint256 sum = asset.balanceOf(address(asset), id);
            assertEq(sum, handler.ghostCustody(id), "custody != model");
            for (uint256 i; i < balances.length; ++i) {
                if (balances[i] != modelBalances[i]) fail("balance != model", id, holders[i]);
                sum += balances[i];
            }
            assertEq(sum, asset.totalSupply(id), "sum of balances != totalSupply");
            assertEq(sum, handler.issuanceModel(id).supply, "sum of balances != model supply");
        }
    }

    /// @dev Rules item 2.3: the asset's custody of each issuance is exactly the units of its
    /// pending redemption requests, on the chain's own records, and the model's; requests are
    /// settled once (confirmed or refused, as the model saw it); custody units are never
    /// available to anything else, nor encumbered or frozen.
    function invariant_CustodyHoldsExactlyThePendingRequests() public view {
        uint256 count = asset.redemptionCount();
        assertEq(count, handler.redemptionModelCount(), "redemption count != model");
        uint256 ids = handler.issuanceCount() + 1;
        uint256[] memory pending = new uint256[](ids + 1);
        for (uint256 i; i < count; ++i) {
            HandlerBase.RedemptionModel memory m = handler.redemptionModel(i);
            ISecuredAssetTypes.RedemptionRequest memory r = asset.redemptionRequest(m.requestId);
            if (r.issuanceId != m.issuanceId || r.holder != m.holder || r.amount != m.amount) {
                fail("redemption request != model", m.issuanceId, m.holder);
            }
            if ((r.state == ISecuredAssetTypes.RedemptionState.Requested) != m.pending) {
                fail("redemption state != model", m.issuanceId, m.holder);
            }
            if (r.state == ISecuredAssetTypes.RedemptionState.Requested) pending[r.issuanceId] += r.amount;
        }
        address custody = address(asset);
        for (uint256 id = 1; id <= ids; ++id) {
            if (asset.balanceOf(custody, id) != pending[id]) fail("custody != pending requests", id, custody);
            if (asset.availableUnits(id, custody) != 0) fail("custody units available", id, custody);
            if (asset.encumberedUnits(id, custody) + asset.frozenUnits(id, custody) != 0) {
                fail("custody units restricted", id, custody);
            }
        }
    }

    /// @dev R6: supply stays within the collateral that was live at the last mint (a later expiry,
    /// revocation or withdrawal may lower coverage below supply: see CollateralInvariants.t.sol for
    /// what may then move), and no mint ever left supply above the live collateral.
    function invariant_SupplyNeverExceedsCoveredCollateral() public view {
        for (uint256 id = 1; id <= handler.issuanceCount(); ++id) {
            assertLe(
                asset.totalSupply(id), handler.issuanceModel(id).coverageAtLastMint, "supply > coverage at last mint"
            );
        }
        assertNoViolation(HandlerBase.Violation.MintBeyondCoverage);
    }

    function invariant_SupplyNeverExceedsMaxSupply() public view {
        for (uint256 id = 1; id <= handler.issuanceCount(); ++id) {
            uint256 maxSupply = asset.issuance(id).maxSupply;
            assertEq(maxSupply, handler.issuanceModel(id).maxSupply, "max supply changed");
            assertLe(asset.totalSupply(id), maxSupply, "supply > max supply");
        }
    }

    /// @dev Rules item 4: pledged and escrowed units are always backed by the holder's balance,
    /// and frozen ones with them, but for a holding compliance froze beyond its balance with
    /// ERC-7943's setFrozenTokens (the model's over-frozen set: such a freeze withholds units
    /// received later); replacement wallets' included (their recovered encumbrances and frozen
    /// units came with the units). The chain's figures are the model's.
    function invariant_EncumberedAndFrozenNeverExceedBalance() public view {
        address[] memory holders = handler.holders();
        for (uint256 id = 1; id <= handler.issuanceCount(); ++id) {
            uint256[] memory balances = balancesOf(id);
            (, uint256[] memory modelEncumbered, uint256[] memory modelFrozen) = handler.holdings(id);
            uint256[] memory modelEscrowed = handler.escrowedHoldings(id);
            for (uint256 i; i < balances.length; ++i) {
                uint256 encumbered = asset.encumberedUnits(id, holders[i]);
                uint256 frozen = asset.frozenUnits(id, holders[i]);
                uint256 escrowed = asset.escrowedUnits(id, holders[i]);
                if (encumbered + escrowed > balances[i]) fail("encumbered + escrowed > balance", id, holders[i]);
                if (encumbered + escrowed + frozen > balances[i] && !handler.overFrozen(id, holders[i])) {
                    fail("encumbered + escrowed + frozen > balance", id, holders[i]);
                }
                if (asset.getFrozenTokens(holders[i], id) != frozen) fail("getFrozenTokens != frozen", id, holders[i]);
                if (encumbered != modelEncumbered[i]) fail("encumbered != model", id, holders[i]);
                if (frozen != modelFrozen[i]) fail("frozen != model", id, holders[i]);
                if (escrowed != modelEscrowed[i]) fail("escrowed != model", id, holders[i]);
            }
        }
    }

    /// @dev R8, R10: every receipt went to a wallet registered, identified, not frozen and having
    /// acknowledged the notice then in force (the handler checks each one); so, on the chain's own
    /// record, whoever holds units is registered and has acknowledged a notice; but a lost wallet,
    /// deregistered, still holds what it held until its holdings are recovered (see
    /// RecoveryInvariants.t.sol). The asset's own address, the custody of pending redemptions, is
    /// no participant and holds only those (see invariant_CustodyHoldsExactlyThePendingRequests).
    function invariant_NoUnregisteredOrUnacknowledgedHolder() public view {
        assertNoViolation(HandlerBase.Violation.IneligibleRecipient);
        uint256 count = handler.issuanceCount();
        address[] memory holders = handler.holders();
        for (uint256 i; i < holders.length; ++i) {
            IPlatformRegistry.Participant memory p = registry.participant(holders[i]);
            if (p.registered && p.acknowledgedNotice != 0) continue;
            bool lost = handler.recoveredTo(holders[i]) != address(0);
            for (uint256 id = 1; id <= count; ++id) {
                if (lost && !handler.holdingsRecovered(id, holders[i])) continue;
                if (asset.balanceOf(holders[i], id) != 0) {
                    fail("unregistered or unacknowledged holder", id, holders[i]);
                }
            }
        }
    }

    /// @dev R2: no mint, transfer, batch, approved-operator transfer, encumbrance, enforcement or
    /// redemption succeeds while the issuance is paused or closed, and none but a redemption while
    /// its operator's permit is not in force: redemption outlives the permit (Law art. 6.1-6.2 end
    /// the operator's dealing, not the issuer's obligation), so it is never refused for the permit
    /// alone. Regulator orders (forcedTransfer) are exempt by design.
    function invariant_NothingMovesWhilePausedOrPermitInactive() public view {
        assertNoViolation(HandlerBase.Violation.HaltedMovement);
        assertNoViolation(HandlerBase.Violation.WronglyRefused);
    }

    /// @dev R8, R10: on the standard route (transfers, batches, redemptions, encumbrances) the
    /// sending wallet is registered, identified, not frozen and has acknowledged the notice in
    /// force (Law art. 6.4: dealing too).
    function invariant_OnlyIdentifiedParticipantsSend() public view {
        assertNoViolation(HandlerBase.Violation.IneligibleSender);
    }

    /// @dev R10, R12: an approved operator moving a holder's units is itself an eligible
    /// participant, so every movement is attributable to a registered key.
    function invariant_OnlyIdentifiedOperatorsMoveOthersUnits() public view {
        assertNoViolation(HandlerBase.Violation.IneligibleInitiator);
    }

    /// @dev R2, R4, R12: every role and right check held, no mint went to a suspended issuer or a
    /// delisted type, and no other call succeeded that the model says must fail.
    function invariant_NoCallSucceedsAgainstTheRules() public view {
        assertNoViolation(HandlerBase.Violation.Unauthorised);
        assertNoViolation(HandlerBase.Violation.MintOutsideRegister);
        assertNoViolation(HandlerBase.Violation.RuleBroken);
    }

    /// @dev The registry and the asset report the state the model reached by the same calls.
    function invariant_StateMatchesModel() public {
        vm.warp(handler.currentTime());
        address[2] memory ops = handler.operators();
        bytes32 operatorRole = registry.OPERATOR_ROLE();
        for (uint256 i; i < 2; ++i) {
            assertEq(registry.isPermitActive(ops[i]), handler.permitActive(ops[i]), "permit state != model");
            assertEq(registry.hasRole(operatorRole, ops[i]), handler.hasOperatorRole(ops[i]), "role != model");
        }
        address[2] memory vs = handler.verifiers();
        for (uint256 i; i < 2; ++i) {
            assertEq(registry.accreditationOf(vs[i]), handler.accreditationOf(i), "accreditation != model");
        }
        address[2] memory issuers = handler.issuers();
        for (uint256 i; i < 2; ++i) {
            assertTrue(registry.issuer(issuers[i]).status == handler.issuerStatus(issuers[i]), "issuer status != model");
            assertEq(asset.nonces(issuers[i], 0), handler.consentNonce(issuers[i]), "consent nonce != model");
        }
        uint32[2] memory types = handler.assetTypes();
        for (uint256 i; i < 2; ++i) {
            assertEq(registry.isAssetTypeListed(types[i]), handler.isListed(types[i]), "type listing != model");
        }
        assertEq(uint256(registry.noticeInForce()), uint256(handler.noticeInForce()), "notice != model");
        address[] memory holders = handler.holders();
        for (uint256 i; i < holders.length; ++i) {
            bool eligible = registry.participantStatus(holders[i]) == IPlatformRegistry.ParticipantStatus.Eligible;
            if (eligible != handler.isEligible(holders[i])) fail("eligibility != model", 0, holders[i]);
            if (registry.participant(holders[i]).operator != handler.participantOperator(holders[i])) {
                fail("participant's operator != model", 0, holders[i]);
            }
        }
        assertEq(asset.issuanceCount(), handler.issuanceCount(), "issuance count != model");
        for (uint256 id = 1; id <= handler.issuanceCount(); ++id) {
            ISecuredAssetTypes.Issuance memory iss = asset.issuance(id);
            HandlerBase.IssuanceModel memory m = handler.issuanceModel(id);
            assertEq(iss.paused, m.paused, "paused != model");
            assertEq(iss.pausedByRegulator, m.pausedByRegulator, "pausedByRegulator != model");
            assertEq(iss.closed, m.closed, "closed != model");
            assertEq(iss.operator, m.operator, "operator != model");
        }
    }
}
