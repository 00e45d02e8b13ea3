// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";
import {ISecuredExchange} from "../../../contracts/interfaces/ISecuredExchange.sol";

import {HandlerBase} from "./HandlerBase.sol";
import {InvariantBase} from "./InvariantBase.t.sol";

/// @notice The handler reaches every kind of success the invariant campaigns rely on.
contract HandlerReachTest is InvariantBase {
    /// @dev The fixture's attestation of issuance 1.
    function fixtureAttestation() internal view returns (bytes32) {
        return collateral.attestationsOf(address(asset), issuanceId)[0];
    }

    /*//////////////////////////////////////////////////////////////
                     THE HANDLER CAN REACH SUCCESS
    //////////////////////////////////////////////////////////////*/

    /// @dev A fixed walk through the handler: each kind of call it makes can succeed from the
    /// fixture (and the refusals the new rules call for are reached), so the invariant campaigns
    /// explore real state changes, not only reverts.
    function test_HandlerReachesEveryKindOfSuccess() public {
        // Seeds: actor index = seed % 6 (0 alice, 1 bob, 2 carol, 3 dave, 4 erin, 5 frank); a
        // caller seed that is not 4 mod 5 picks the rightful role; id seed 16 * k is issuance
        // 1 + k % (number of issuances), so 0 is issuance 1.
        handler.mint(0, 0, 8 * 5 + 1, 1);
        assertEq(handler.successfulMints(), 1, "mint");
        handler.transfer(0, 0, 1, 8 * 10 + 1);
        handler.batchTransfer(1, 0, 0, 1, 1); // bob -> alice, two items of issuance 1 (repeated id)
        handler.setApprovalForAll(0, 1, true);
        handler.operatorTransfer(0, 0, 1, 1, 8 * 3 + 1); // bob moves alice's units to himself
        uint256 supply = asset.totalSupply(issuanceId);
        handler.requestRedemption(0, 1, 1, 8 * 2 + 1); // bob asks to redeem 2
        handler.requestRedemption(0, 1, 1, 8 * 3 + 1); // and 3
        assertEq(asset.balanceOf(address(asset), issuanceId), 5, "requestRedemption: in custody");
        handler.confirmRedemption(0, 0); // the issuer confirms the first
        assertEq(asset.totalSupply(issuanceId), supply - 2, "confirmRedemption: burnt");
        uint256 bobs = asset.balanceOf(bob, issuanceId);
        handler.refuseRedemption(1, 3); // the regulator refuses the second
        assertEq(asset.balanceOf(bob, issuanceId), bobs + 3, "refuseRedemption: returned");
        assertEq(asset.balanceOf(address(asset), issuanceId), 0, "custody empty");
        handler.confirmRedemption(1, 1); // no longer pending: refused
        assertEq(handler.redemptionsConfirmed() + handler.redemptionsRefused(), 2, "each request settled once");
        handler.returnToIssuer(0, 0, 8 * 5 + 1); // alice sends 5 back to the issuer
        assertEq(asset.balanceOf(issuer, issuanceId), 5, "returnToIssuer");
        assertEq(handler.successfulMovements(), 8, "transfers, return and redemption requests");

        handler.encumber(0, 0, 1, 8 * 50 + 1, 1); // alice pledges to bob, expiring
        handler.encumber(0, 1, 0, 8 * 50 + 1, 0); // bob pledges to alice, no expiry
        assertEq(asset.encumbranceCount(), 2, "encumber");
        handler.enforce(1, 1); // the active one after index 0 is bob's pledge: enforced
        handler.release(0, 0); // alice's pledge released by its beneficiary, bob
        assertEq(asset.encumberedUnits(issuanceId, alice) + asset.encumberedUnits(issuanceId, bob), 0, "release");

        handler.freezeUnits(0, 0, 8 * 8 + 1, 1);
        assertEq(asset.frozenUnits(issuanceId, alice), 8, "freezeUnits");
        handler.unfreezeUnits(0, 0, 8 * 2 + 1, 1);
        handler.forcedTransfer(0, 4, 0, 8 * 100 + 1, 1); // regulator takes frozen erin's units
        assertEq(asset.balanceOf(erin, issuanceId), MINTED / 2 - 100, "forcedTransfer");

        handler.pause(acting(4, 32, 0), 1); // by the regulator
        assertTrue(asset.issuance(issuanceId).pausedByRegulator, "pause");
        handler.unpause(0, 0); // the operator may not lift it
        assertTrue(asset.issuance(issuanceId).paused, "the regulator's pause holds");
        handler.unpause(0, 1);
        assertFalse(asset.issuance(issuanceId).paused, "unpause");
        handler.pause(acting(4, 32, 0), 6); // caller seed 6: the supervisor, with the regulator's authority
        assertTrue(asset.issuance(issuanceId).pausedByRegulator, "the supervisor's pause");
        handler.unpause(0, 0); // the operator may not lift it either
        assertTrue(asset.issuance(issuanceId).paused, "the supervisor's pause holds");
        handler.unpause(0, 6);
        assertFalse(asset.issuance(issuanceId).paused, "the supervisor lifts it");
        handler.pause(acting(4, 32, 0), 1); // the regulator's own pause
        handler.unpause(0, 6); // not the supervisor's to lift
        assertTrue(asset.issuance(issuanceId).paused, "the regulator's own pause holds");
        handler.unpause(0, 1);
        assertFalse(asset.issuance(issuanceId).paused, "the regulator lifts it");
        handler.createIssuance(1, 0, 501);
        assertEq(asset.issuanceCount(), 3, "createIssuance");
        handler.attach(32, 1, 100 | (30 days << 64), 0); // id seed 32 -> issuance 3; a pool reference
        handler.mint(32, 0, 8 * 10 + 1, 1);
        assertEq(asset.totalSupply(3), 10, "mint against new collateral");
        // The fixture's pledge (index 0) renewed: 10,000 units for 100 days.
        bytes32 fixtureId = fixtureAttestation();
        handler.renew(0, 10_000 | (100 days << 64), 0);
        assertTrue(
            collateral.attestationStatus(fixtureId) == ICollateralAttestations.AttestationStatus.Superseded, "renew"
        );
        handler.syncCoverage(0, 0);
        handler.revokeAttestation(acting(4, 1, 0), 1);
        handler.invalidateNonce(1);

        handler.publishRiskNotice(acting(4, 5, 0));
        assertEq(uint256(registry.noticeInForce()), 2, "publishRiskNotice");
        handler.acknowledgeRiskNotice(0, 1);
        handler.acknowledgeRiskNoticeBySig(1, 1, 1, 1);
        assertTrue(handler.isEligible(alice) && handler.isEligible(bob), "acknowledge");
        handler.registerParticipant(3, 5, 1);
        handler.updateParticipantIdentity(5, 5, 1);
        handler.freezeParticipant(acting(4, 6, 0), 1);
        handler.unfreezeParticipant(4, 1);
        assertTrue(registry.participant(dave).registered && registry.participant(alice).frozen, "participants");
        assertFalse(registry.participant(erin).frozen, "unfreezeParticipant");

        handler.suspendPermit(acting(4, 2, 1), 1);
        assertFalse(registry.isPermitActive(operator2), "suspendPermit");
        handler.reinstatePermit(1, 1);
        handler.renewPermit(1, 400, 1);
        handler.revokePermit(acting(8, 2, 1), 1);
        assertFalse(registry.isPermitActive(operator2), "revokePermit");
        handler.grantPermit(1, 1, 101, 1);
        assertTrue(registry.isPermitActive(operator2), "permit cycle");
        handler.setIssuerStatus(1, acting(2, 20, 10), 1);
        assertFalse(registry.isIssuerActive(issuer2), "suspend issuer");
        handler.setIssuerStatus(1, 0, 1);
        handler.updateIssuer(0, 1);
        handler.delistAssetType(acting(2, 2, 1), 1);
        assertFalse(registry.isAssetTypeListed(servicesType), "delistAssetType");
        handler.relistAssetType(1, 1);
        assertTrue(registry.isAssetTypeListed(servicesType) && registry.isIssuerActive(issuer2), "relist, reactivate");
        handler.setOperatorRole(acting(4, 2, 1), 1); // operator2 loses OPERATOR_ROLE
        assertFalse(registry.hasRole(registry.OPERATOR_ROLE(), operator2), "setOperatorRole");
        handler.actWithoutPermit(1, 2, 1); // operator2 tries to pause its issuance: refused
        assertEq(handler.unpermittedAttempts(), 1, "actWithoutPermit");
        assertFalse(asset.issuance(2).paused, "nothing changed");
        handler.setOperatorRole(acting(4, 2, 1), 1);
        assertTrue(registry.hasRole(registry.OPERATOR_ROLE(), operator2), "role given back");
        handler.actWithoutPermit(0, 0, 0); // both in their mandate: the newcomer tries to create
        assertEq(handler.unpermittedAttempts(), 2, "the newcomer tried");
        assertEq(asset.issuanceCount(), 3, "nothing created");

        handler.withdrawAccreditation(acting(4, 2, 1), 1); // verifier2, behind issuance 2
        assertEq(registry.accreditationOf(verifier2), 0, "withdrawAccreditation");
        assertTrue(asset.coverage(2).undercollateralised, "issuance 2 uncovered");
        handler.accredit(1, 1);
        assertEq(registry.accreditationOf(verifier2), 2, "accredit: a new epoch");

        handler.warp(1);
        handler.close(33, 1); // issuance 3 still has supply: refused
        assertFalse(asset.issuance(3).closed, "close needs zero supply");

        // Consents that do not bind the issuer to these terms and this operator, each refused
        // as the model predicts: expired, a nonce ahead, a nonce used, another key, signed for
        // operator2, over another max supply; then a withdrawn nonce, and a good consent passes.
        for (uint256 flaw = 10; flaw < 16; ++flaw) {
            handler.createIssuance(1, 0, 501 | (flaw << 32));
        }
        assertEq(handler.consentsRefused(), 6, "every bad consent refused");
        handler.withdrawConsent(0, 3); // a nonce ahead: refused
        uint256 nonce = asset.nonces(issuer, 0);
        handler.withdrawConsent(0, 0);
        assertEq(asset.nonces(issuer, 0), nonce + 1, "withdrawConsent");
        handler.createIssuance(1, 0, 501);
        assertEq(asset.issuanceCount(), 4, "created under the next nonce");

        for (uint256 v; v <= uint256(type(HandlerBase.Violation).max); ++v) {
            assertNoViolation(HandlerBase.Violation(v));
        }
    }

    /// @dev Succession and redemption under a lapsed permit are reached, and so are the refusals
    /// around them: a successor without a permit, a transfer under the suspended permit.
    function test_HandlerReachesSuccessionAndRedemptionWithoutPermit() public {
        // Id seed 0: issuance 1; successor seed 0: the operator not running it; caller seed 1: the
        // regulator; shape 0: one id.
        handler.succeedIssuances(0, 0, 1, 0);
        assertEq(asset.issuance(issuanceId).operator, operator2, "succeeded to operator2");
        assertEq(handler.successions(), 1, "successions");
        handler.succeedIssuances(0, 6, 1, 0); // to the newcomer, never permitted: refused
        assertEq(asset.issuance(issuanceId).operator, operator2, "the newcomer may not succeed");

        handler.suspendPermit(acting(4, 2, 1), 1); // operator2, now running issuances 1 and 2
        assertFalse(registry.isPermitActive(operator2), "suspendPermit");
        uint256 moved = handler.successfulMovements();
        handler.transfer(0, 0, 1, 8 * 10 + 1); // alice -> bob of issuance 1: refused
        assertEq(handler.successfulMovements(), moved, "no transfer under a suspended permit");
        handler.requestRedemption(0, 0, 1, 8 * 5 + 1); // alice asks to redeem 5 of issuance 1 all the same
        assertEq(asset.balanceOf(alice, issuanceId), MINTED - 5, "requested");
        assertEq(handler.redemptionsWithoutPermit(), 1, "redemption without permit");
        handler.confirmRedemption(0, 0); // and the issuer confirms
        assertEq(handler.redemptionsConfirmed(), 1, "confirmed without permit");

        handler.succeedIssuances(0, 0, 1, 0); // back to the fixture's operator
        assertEq(asset.issuance(issuanceId).operator, operator, "succeeded back");
        handler.transfer(0, 0, 1, 8 * 10 + 1);
        assertEq(
            handler.successfulMovements(), moved + 2, "the redemption, then a transfer under the successor's permit"
        );

        handler.recordOperatorDetails(0, 0, 1); // the fixture's operator: already listed
        handler.recordOperatorDetails(4, 0, 1); // the newcomer: listed from its details
        assertEq(registry.operatorCount(), 3, "operators listed once each");
        assertEq(registry.operatorDetails(newcomer).detailsHash, handler.operatorDetailsHash(newcomer), "details");

        for (uint256 v; v <= uint256(type(HandlerBase.Violation).max); ++v) {
            assertNoViolation(HandlerBase.Violation(v));
        }
    }

    /// @dev Wallet recovery is reached, and so are the refusals the model predicts around it (a
    /// mismatched refusal would count as WronglyRefused): a stranger, another operator, an
    /// operator without permit, an operator without compliance's freeze, invalid replacements,
    /// holdings recovered with an encumbrance left out or from a wallet not lost; then the
    /// holdings follow, frozen, to the last replacement, which deals once compliance unfreezes it
    /// and whose pledge is enforced to the beneficiary's new wallet, which alone releases the
    /// other (the beneficiary's lost key cannot).
    function test_HandlerReachesWalletRecovery() public {
        // alice pledges 50 of issuance 1 and 50 of issuance 2 to bob; 8 of her units are frozen.
        handler.encumber(0, 0, 1, 8 * 50 + 1, 0);
        uint256 pledge = asset.encumbranceCount();
        handler.encumber(16, 0, 1, 8 * 50 + 1, 0);
        handler.freezeUnits(0, 0, 8 * 8 + 1, 1);
        // Seeds of recoverParticipant(lost, replacement, caller, expiry): lost 8 * k is the first
        // registered actor from index k; replacement 0 a fresh wallet, 5 + 8 * k actor k, 6 zero,
        // 14 the lost wallet itself, 7 a lost wallet; caller 0 the regulator, 3 the identifying
        // operator after compliance freezes alice, 11 the identifying operator alone, 6 the other
        // operator, 31 a stranger (bob); expiry 1 a day ahead.
        handler.recoverParticipant(0, 0, 31, 1); // a stranger
        handler.recoverParticipant(0, 0, 6, 1); // operator2, not alice's operator
        handler.recoverParticipant(0, 13, 0, 1); // to bob, registered
        handler.recoverParticipant(0, 6, 0, 1); // to the zero address
        handler.recoverParticipant(0, 14, 0, 1); // to alice herself
        handler.recoverParticipant(0, 0, 0, 0); // an identification already expired
        handler.suspendPermit(acting(4, 2, 0), 1);
        handler.recoverParticipant(0, 0, 11, 1); // the operator, its permit suspended
        handler.reinstatePermit(0, 1);
        handler.recoverParticipant(0, 0, 11, 1); // the operator alone: alice is not frozen
        assertEq(registry.recoveredTo(alice), address(0), "every refusal held");
        assertFalse(registry.participant(alice).frozen, "no freeze came with the refusals");

        handler.recoverParticipant(0, 0, 3, 1); // compliance freezes alice, her operator recovers her
        address first = handler.recoveredTo(alice);
        assertEq(registry.recoveredTo(alice), first, "recovered by the identifying operator");
        assertTrue(registry.participant(first).registered, "the replacement is registered");
        assertTrue(registry.participant(first).frozen, "the replacement inherits the freeze");
        handler.recoverParticipant(8, 7, 0, 1); // bob to alice, lost: refused
        assertEq(registry.recoveredTo(bob), address(0), "a lost wallet is no replacement");
        handler.registerParticipant(0, 5, 1); // alice registered again: refused
        handler.transfer(0, 1, 7 * 3, 8 * 10 + 1); // bob -> alice (toSeed 21: alice whatever her state): refused
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "a lost wallet never receives");

        // Seeds of recoverHoldings(lost, ids, caller, shape): lost 8 * k the first lost wallet
        // from index k still holding units, 7 + 8 * k actor k; caller 4 bob; shape 0 every id
        // held with its encumbrances, 4 the first encumbrance left out, 2 | 4 << 2 only the first
        // issuance named but both pledges.
        handler.recoverHoldings(0, 0, 4, 4);
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "the encumbrance left out: refused");
        handler.recoverHoldings(0, 0, 4, 2 | (4 << 2));
        assertEq(asset.encumbrance(pledge + 1).holder, alice, "a pledge without its units: refused");
        handler.recoverHoldings(15, 0, 4, 0); // bob, not lost
        assertEq(asset.balanceOf(bob, issuanceId), MINTED, "a wallet not lost keeps its units");

        handler.recoverParticipant(8 * 6, 0, 0, 1); // the replacement is lost in turn
        address last = handler.recoveredTo(first);
        assertTrue(last != address(0) && registry.recoveredTo(first) == last, "recovered twice");
        handler.recoverHoldings(0, 0, 4, 0); // alice's issuances 1 and 2, with her pledge
        assertEq(handler.holdingsRecoveries(), 1, "holdings recovered");
        assertEq(asset.balanceOf(last, issuanceId), MINTED, "to the last replacement");
        assertEq(asset.balanceOf(last, 2), MINTED / 2, "every id held");
        assertEq(asset.encumberedUnits(2, last), 50, "with every pledge");
        assertEq(asset.encumberedUnits(issuanceId, last), 50, "the pledge followed");
        assertEq(asset.frozenUnits(issuanceId, last), 8, "the frozen units followed");
        assertEq(asset.encumbrance(pledge).beneficiary, bob, "same beneficiary");
        assertEq(asset.balanceOf(alice, issuanceId) + asset.balanceOf(first, issuanceId), 0, "nothing left behind");
        handler.recoverHoldings(8, 0, 4, 0); // the first replacement: it holds nothing, issuance 1 moves 0
        assertTrue(handler.holdingsRecovered(1, first) && !handler.holdingsRecovered(2, first), "zero moved");

        uint256 moved = handler.successfulMovements();
        handler.transfer(0, 7 + 8 * 3, 1, 8 * 10 + 1); // the last replacement (actor 7) whatever its state
        assertEq(handler.successfulMovements(), moved, "the units arrived frozen");
        assertEq(asset.balanceOf(last, issuanceId), MINTED, "frozen until compliance has reviewed it");
        handler.unfreezeParticipant(7, 1); // compliance, having reviewed it, unfreezes it
        handler.transfer(0, 7, 1, 8 * 10 + 1);
        assertEq(handler.successfulMovements(), moved + 1, "the replacement deals");

        handler.recoverParticipant(4 + 8, 0, 0, 1); // the regulator recovers bob, the beneficiary
        address bobNow = handler.recoveredTo(bob);
        assertEq(registry.recoveredTo(bob), bobNow, "the beneficiary recovered");
        handler.enforce(0, 1); // the operator enforces the first pledge, against the replacement
        assertEq(asset.balanceOf(bobNow, issuanceId), 50, "enforced to the beneficiary's new wallet");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 10, "nothing to the lost key");
        handler.release(1, 5); // bob's lost key (a stranger's seed: actor 1)
        assertTrue(asset.encumbrance(pledge + 1).active, "the lost key releases nothing");
        handler.release(1, 0); // the beneficiary, from its new wallet
        assertFalse(asset.encumbrance(pledge + 1).active, "released from the new wallet");
        assertEq(handler.walletRecoveries(), 3, "three recoveries");

        for (uint256 v; v <= uint256(type(HandlerBase.Violation).max); ++v) {
            assertNoViolation(HandlerBase.Violation(v));
        }
    }

    /// @dev The exchange is reached: a swap, a sale and a purchase for e-money taken, each spoil
    /// refused, a nonce cancelled then refused, escrows opened, settled and lapsed (after the
    /// clock passes the deadline), one cancelled by the regulator's order, the agent's role and the token's listing withdrawn and given
    /// back, frozen amounts set within and beyond the balance; no violation.
    function test_HandlerReachesTheExchange() public {
        // Ids: the low 32 bits pick the units given (0: issuance 1), the high bits a swap's
        // wanted issuance. The kind, spoil and approval come from a hash of shape and amounts.
        uint256 ids = 16 << 32;
        uint256 amounts = 81;
        handler.takeOffer(0, 1, ids, amounts, shapeFor(amounts, 0, 5, true));
        assertEq(handler.swapsTaken(), 1, "swap");
        assertTrue(asset.balanceOf(alice, 2) > MINTED / 2, "alice got issuance 2's units");
        handler.takeOffer(0, 1, ids, amounts, shapeFor(amounts, 1, 5, true));
        assertEq(handler.salesTaken(), 1, "sale");
        assertTrue(money.balanceOf(alice) > 1_000_000_00, "alice paid in e-money");
        handler.takeOffer(0, 1, ids, amounts, shapeFor(amounts, 2, 5, true));
        assertEq(handler.purchasesTaken(), 1, "purchase");
        handler.takeOffer(0, 1, ids, amounts, shapeFor(amounts, 1, 5, false)); // one tiyn short
        assertEq(handler.salesTaken(), 1, "no sale without the allowance");
        for (uint256 spoil; spoil < 5; ++spoil) {
            if (spoil == 2) continue; // below, with a cancelled nonce
            handler.takeOffer(0, 1, ids, amounts, shapeFor(amounts, 1, spoil, true));
        }
        assertEq(handler.spoiledOffersRefused(), 4, "every spoiled offer refused");
        uint256 reused = shapeFor(amounts, 1, 2, true);
        uint256 nonceSeed = handler.offerMix(reused, amounts) >> 64;
        handler.cancelOffer(0, nonceSeed);
        handler.takeOffer(0, 1, ids, amounts, reused);
        assertEq(handler.spoiledOffersRefused(), 5, "an offer under a cancelled nonce refused");
        handler.cancelOffer(0, nonceSeed); // spent: refused, as the model predicts

        // Escrows: alice holds units for bob; the agent confirms; another lapses after the deadline.
        handler.openEscrow(0, 0, 1, 8 * 5 + 1, 0);
        assertEq(asset.escrowedUnits(issuanceId, alice), 5, "escrowed");
        handler.openEscrow(0, 0, 1, 8 * 5 + 1, 5); // an agent without the role (alice): refused
        assertEq(handler.escrowsOpened(), 1, "no escrow without a settlement agent");
        uint256 bobs = asset.balanceOf(bob, issuanceId);
        handler.confirmPayment(0, 0);
        assertEq(handler.escrowsSettled(), 1, "settled");
        assertEq(asset.balanceOf(bob, issuanceId), bobs + 5, "delivered");
        handler.openEscrow(0, 0, 1, 8 * 7 + 1, 0);
        handler.lapseEscrow(1, 0); // before the deadline: refused
        handler.setAgentRole(acting(3, 1, 0)); // the regulator withdraws the agent's role
        assertFalse(registry.hasRole(registry.SETTLEMENT_AGENT_ROLE(), agent), "role withdrawn");
        handler.confirmPayment(1, 0); // refused: the agent no longer holds the role
        handler.warp(0); // a month passes
        handler.lapseEscrow(1, 0);
        assertEq(handler.escrowsLapsed(), 1, "lapsed");
        assertEq(asset.escrowedUnits(issuanceId, alice), 0, "free again");
        handler.setAgentRole(acting(3, 1, 0));
        assertTrue(registry.hasRole(registry.SETTLEMENT_AGENT_ROLE(), agent), "role given back");
        handler.openEscrow(0, 0, 1, 8 * 4 + 1, 0);
        handler.cancelEscrow(2, 4); // a stranger (caller seed 4): refused
        handler.cancelEscrow(2, 0); // the regulator, by order
        assertEq(handler.escrowsCancelled(), 1, "cancelled");
        assertEq(asset.escrowedUnits(issuanceId, alice), 0, "free again after the order");

        handler.setPaymentTokenListed(acting(3, 1, 0));
        assertFalse(ISecuredExchange(asset.exchange()).paymentToken(address(money)).listed, "delisted");
        handler.takeOffer(0, 1, ids, amounts, shapeFor(amounts, 1, 5, true));
        assertEq(handler.salesTaken(), 1, "no sale in a delisted token");
        handler.setPaymentTokenListed(acting(3, 1, 0));
        handler.takeOffer(0, 1, ids, amounts, shapeFor(amounts, 1, 5, true));
        assertEq(handler.salesTaken(), 2, "listed again");

        // ERC-7943: alice frozen beyond her balance, then within it.
        handler.setFrozenTokens(0, 0, 0, 0);
        assertEq(handler.overFreezes(), 1, "frozen beyond the balance");
        assertTrue(asset.getFrozenTokens(alice, issuanceId) > asset.balanceOf(alice, issuanceId), "beyond");
        handler.setFrozenTokens(0, 0, 1, 0);
        assertEq(asset.getFrozenTokens(alice, issuanceId), 0, "overwritten");
        assertEq(handler.frozenAmountsSet(), 2, "setFrozenTokens");
        uint256 moved = handler.successfulMovements();
        handler.forcedTransfer(0, 1, 0, 8 * 3 + 1, 1 << 8); // the four-argument order: bob's 3 to alice
        assertEq(handler.successfulMovements(), moved + 1, "ERC-7943's forcedTransfer");

        for (uint256 v; v <= uint256(type(HandlerBase.Violation).max); ++v) {
            assertNoViolation(HandlerBase.Violation(v));
        }
    }

    /// @dev A `shape` for which the handler's take draws `kind`, `spoil` and the approval.
    function shapeFor(uint256 amounts, uint256 kind, uint256 spoil, bool approved) internal view returns (uint256 s) {
        for (;; ++s) {
            uint256 mix = handler.offerMix(s, amounts);
            if (mix % 4 == kind && (mix >> 8) % 16 == spoil && ((mix >> 16) % 5 != 0) == approved) return s;
        }
    }
}
