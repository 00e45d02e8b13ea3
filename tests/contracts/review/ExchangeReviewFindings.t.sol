// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ISecuredExchange} from "../../../contracts/interfaces/ISecuredExchange.sol";

import {ExchangeReviewBase} from "./ExchangeReviewBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice What the security review of issue 15 (exchange, escrow, ERC-7943) found. Every test here
/// FAILS on the code of 42048df and passes once the finding is fixed; the fix recommended for each is
/// in the review's report and summarised above each test.
contract ExchangeReviewFindingsTest is ExchangeReviewBase {
    /// @dev ERC-7943's event, declared here to be expected.
    event Frozen(address indexed account, uint256 indexed tokenId, uint256 amount);

    bytes32 internal constant REASON = keccak256("aml review");

    /*//////////////////////////////////////////////////////////////
        MEDIUM: A FREEZE OVER UNITS THAT ARE NOT FREE BLOCKS WHAT OUTRANKS IT
    //////////////////////////////////////////////////////////////*/

    // `setFrozenTokens` (ERC-7943) may freeze more than the holder's free units (only the uint64
    // bound is checked), unlike `freezeUnits`, which refuses more than `availableUnits`. The balance
    // path then checks EVERY outgoing movement, whatever its route, against
    // `encumbered + frozen + escrowed` after the move. A movement of claimed units keeps
    // `balance - encumbered - escrowed` unchanged, so once `frozen` exceeds that, every such movement
    // reverts with SecuredAsset_UnitsRestricted: a regulator order (which `_orderTransfer` explicitly
    // means to let take frozen units, leaving "a freeze beyond the holding" to withhold future units),
    // the enforcement of a pledge ("the pledge outranks the holder's freeze", Compliance.Route) and the
    // settlement of an escrow ("escrowed units move by no other route": a freeze is not supposed to
    // reach them, `freezeUnits` cannot). A compliance key, by one call, vetoes court orders, pledgees
    // and paid buyers. Fix (AssetState._checkMovement): for routes that move units a claim or an order
    // entitles (Enforcement, Forced, and an escrow settlement, which needs its own Route, say
    // `Settlement`, set by `releaseEscrowedUnits` instead of Route.Exchange), require only
    // `balanceAfter >= encumbered + escrowed` (the claims that remain); keep the full
    // `encumbered + frozen + escrowed` check for Standard, Exchange (take) and Redemption.

    /// A regulator order against a wallet frozen beyond its holding reverts, although the order
    /// code unfreezes what it takes and means the excess to keep withholding future units.
    function test_Finding_OverFreezeBlocksForcedTransfer() public {
        vm.prank(compliance);
        asset.setFrozenTokens(alice, issuanceId, MINTED + 500);
        vm.prank(regulator);
        asset.forcedTransfer(alice, bob, issuanceId, 100);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 100, "the order moved the units");
        assertEq(asset.getFrozenTokens(alice, issuanceId), MINTED + 400, "the excess freeze keeps withholding");
    }

    /// A pledge of 600 of alice's 1000 units; compliance then sets 500 frozen (within her balance,
    /// beyond her 400 free units). The pledgee's operator can no longer enforce the pledge.
    function test_Finding_FreezeOverPledgedUnitsBlocksEnforcement() public {
        vm.prank(alice);
        uint256 encumbranceId = asset.encumber(issuanceId, 600, bob, keccak256("loan"), 0);
        vm.prank(compliance);
        asset.setFrozenTokens(alice, issuanceId, 500);
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default"));
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 600, "the pledgee received the pledged units");
    }

    /// alice escrows 600 for bob; compliance sets 500 frozen (beyond her 400 free units, which
    /// `freezeUnits` would refuse). The agent's confirmation of bob's payment reverts: the buyer paid
    /// and only a lapse is left, returning the units to the seller.
    function test_Finding_FreezeOverEscrowedUnitsBlocksSettlement() public {
        uint256 escrowId = aliceEscrows(600, 1 days);
        vm.prank(compliance);
        asset.setFrozenTokens(alice, issuanceId, 500);
        vm.prank(agent);
        exchange.confirmPayment(escrowId, keccak256("bank transfer 1"));
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 600, "the paid buyer received the units");
    }

    /*//////////////////////////////////////////////////////////////
          MEDIUM: AN ESCROW NOBODY CAN END, BEYOND ORDERS AND RECOVERY
    //////////////////////////////////////////////////////////////*/

    // `openEscrow` takes any deadline after now (up to uint64 max, the year 584 billion) and nothing
    // ends an escrow but confirmation by its agent or lapse after the deadline. Escrowed units are
    // out of reach of regulator orders (`_orderTransfer` excludes them) and block recovery
    // (SecuredAsset_UnitsEscrowed). So (a) a holder expecting a seizure order escrows its units to an
    // accomplice with any settlement agent and a far deadline: no order, recovery or freeze reaches
    // them, and the accomplice's agent may still deliver them later; (b) when the regulator
    // withdraws the agent's role (the code says "the escrow will lapse"), or the agent's key is lost,
    // the seller's units stay locked until the deadline anyway. Fix (SecuredExchange): bound the
    // period, e.g. `uint64 constant MAX_ESCROW_PERIOD = 90 days;` and
    // `if (deadline <= block.timestamp || deadline > block.timestamp + MAX_ESCROW_PERIOD) revert
    // Exchange_InvalidDeadline(deadline);`; let `lapse` run once the deadline passed OR the agent no
    // longer holds SETTLEMENT_AGENT_ROLE:
    // `if (e.deadline >= block.timestamp && _registry.hasRole(SETTLEMENT_AGENT_ROLE, e.agent)) revert
    // Exchange_EscrowNotExpired(...)`; and consider a regulator's `cancelEscrow(escrowId, orderHash)`
    // (REGULATOR_ROLE) so that an order can reach escrowed units.

    /// A deadline of uint64 max is accepted today: the units are locked for good.
    function test_Finding_EscrowDeadlineIsBounded() public {
        uint64 forever = type(uint64).max;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_InvalidDeadline.selector, forever));
        exchange.openEscrow(issuanceId, 300, bob, agent, 90_000_00, "KZT", forever);
    }

    /// The regulator withdraws the agent's role: nobody can confirm, yet the seller's units stay
    /// escrowed (out of orders, recovery, transfers) until the deadline.
    function test_Finding_EscrowOfWithdrawnAgentLapses() public {
        uint256 escrowId = aliceEscrows(300, 90 days);
        vm.prank(regulator);
        registry.revokeRole(agentRole, agent);
        exchange.lapse(escrowId);
        assertEq(asset.escrowedUnits(issuanceId, alice), 0, "the units are the seller's again");
        assertEq(uint256(exchange.escrow(escrowId).state), uint256(ISecuredExchange.EscrowState.Lapsed));
    }

    /*//////////////////////////////////////////////////////////////
          LOW-MEDIUM: A SELLER'S RECOVERED WALLET KILLS ITS ESCROW'S SETTLEMENT
    //////////////////////////////////////////////////////////////*/

    // The registry recovers a wallet whatever the asset holds for it (it does not know about
    // escrows); the asset then refuses `recoverHoldings` for the escrowed issuance
    // (SecuredAsset_UnitsEscrowed), and the settlement judges the seller by its lost wallet, which
    // the registry deregistered: the escrow cannot settle. Kept as designed (the lead's decision):
    // the regulator, who orders the recovery, ends the escrow by order first (`cancelEscrow`), and
    // the units follow the person; the payment, if made, is unwound where it was made.

    function test_EscrowOfRecoveredSellerIsCancelledThenRecovered() public {
        uint256 escrowId = aliceEscrows(300, 1 days);
        address aliceNew = makeAddr("alice new wallet");
        vm.prank(compliance);
        registry.freezeParticipant(alice, REASON);
        vm.prank(regulator);
        registry.recoverParticipant(alice, aliceNew, keccak256("kyc again"), uint64(START + 365 days), REASON);
        vm.prank(agent);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_ParticipantNotEligible.selector,
                alice,
                IPlatformRegistry.ParticipantStatus.NotRegistered
            )
        );
        exchange.confirmPayment(escrowId, keccak256("bank transfer 1"));
        uint256[] memory ids = new uint256[](1);
        ids[0] = issuanceId;
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_UnitsEscrowed.selector, issuanceId, alice, 300)
        );
        asset.recoverHoldings(alice, ids, new uint256[](0));

        vm.prank(regulator);
        exchange.cancelEscrow(escrowId, keccak256("order: recovery of alice"));
        asset.recoverHoldings(alice, ids, new uint256[](0));
        assertEq(asset.balanceOf(aliceNew, issuanceId), MINTED, "the units followed the person");
        assertEq(uint256(exchange.escrow(escrowId).state), uint256(ISecuredExchange.EscrowState.Cancelled));
    }

    /*//////////////////////////////////////////////////////////////
        LOW: THE FROZEN AMOUNT CHANGES WITHOUT ERC-7943's `Frozen` EVENT
    //////////////////////////////////////////////////////////////*/

    // `getFrozenTokens` returns `_holdings[id][a].frozen`, which `freezeUnits`, `unfreezeUnits` and
    // `recoverHoldings` (lost -> replacement) also change, but only `setFrozenTokens` and an order
    // that unfreezes emit ERC-7943's `Frozen`. An ERC-7943 indexer (the standard gives `Frozen` to
    // "help off-chain indexers correctly keep track ... of freezing") rebuilds the wrong frozen amount
    // after the platform's own freeze. Fix: emit `Frozen(holder, id, h.frozen)` after the change in
    // freezeUnits and unfreezeUnits (beside UnitsFrozen / UnitsUnfrozen), and in recoverHoldings
    // `Frozen(lost, id, 0)` and `Frozen(replacement, id, newTotal)` for each id whose freeze moved.

    function test_Finding_FreezeUnitsEmitsERC7943Frozen() public {
        vm.expectEmit(true, true, false, true, address(asset));
        emit Frozen(alice, issuanceId, 100);
        vm.prank(compliance);
        asset.freezeUnits(issuanceId, alice, 100, REASON);

        vm.expectEmit(true, true, false, true, address(asset));
        emit Frozen(alice, issuanceId, 60);
        vm.prank(compliance);
        asset.unfreezeUnits(issuanceId, alice, 40, REASON);
    }

    function test_Finding_RecoveryEmitsERC7943Frozen() public {
        vm.prank(compliance);
        asset.setFrozenTokens(alice, issuanceId, 250);
        address aliceNew = makeAddr("alice new wallet");
        vm.prank(regulator);
        registry.recoverParticipant(alice, aliceNew, keccak256("kyc again"), uint64(START + 365 days), REASON);
        uint256[] memory ids = new uint256[](1);
        ids[0] = issuanceId;
        vm.expectEmit(true, true, false, true, address(asset));
        emit Frozen(aliceNew, issuanceId, 250);
        asset.recoverHoldings(alice, ids, new uint256[](0));
        assertEq(asset.getFrozenTokens(aliceNew, issuanceId), 250);
    }

    /*//////////////////////////////////////////////////////////////
            LOW: A SETTLEMENT WITHOUT A PAYMENT REFERENCE, OR WITH A SPENT ONE
    //////////////////////////////////////////////////////////////*/

    // `confirmPayment` takes any `paymentRef`, zero included, and the same reference for any number
    // of escrows: one bank payment can "settle" two escrows and the auditor (R14) has no reference to
    // check a delivery against. The asset already refuses an empty record where one is the evidence
    // (`close` without fulfilment: SecuredAsset_EmptyFulfilment). Fix (SecuredExchange.confirmPayment):
    // `if (paymentRef == bytes32(0)) revert Exchange_EmptyPaymentRef();` and
    // `mapping(address agent => mapping(bytes32 ref => bool)) _paymentRefUsed;` refusing a spent one
    // with `Exchange_PaymentRefUsed(agent, paymentRef)`.

    function test_Finding_EmptyPaymentRefRefused() public {
        uint256 escrowId = aliceEscrows(300, 1 days);
        vm.prank(agent);
        vm.expectRevert(); // Exchange_EmptyPaymentRef(), once it exists
        exchange.confirmPayment(escrowId, bytes32(0));
    }

    function test_Finding_PaymentRefSettlesOneEscrow() public {
        uint256 first = aliceEscrows(300, 1 days);
        uint256 second = aliceEscrows(200, 1 days);
        bytes32 ref = keccak256("bank transfer 1");
        vm.prank(agent);
        exchange.confirmPayment(first, ref);
        vm.prank(agent);
        vm.expectRevert(); // Exchange_PaymentRefUsed(agent, ref), once it exists
        exchange.confirmPayment(second, ref);
    }

    /*//////////////////////////////////////////////////////////////
               INFO: LISTING A CONTRACT THAT IS NO TOKEN FAILS BLINDLY
    //////////////////////////////////////////////////////////////*/

    // `listPaymentToken` refuses the asset and code-less addresses with Exchange_InvalidLegs, but the
    // exchange itself, the registry, the forwarder or any contract without `decimals()` make it
    // revert with no data (the call to `decimals()` fails): the regulator's client gets no reason,
    // against the project's rule that bad input gets a clear on-chain error. Fix:
    // `if (token == address(_asset) || token == address(this) || token == address(_registry) ||
    // token == trustedForwarder() || token.code.length == 0) revert Exchange_InvalidLegs();` and
    // read decimals with `try IERC20Metadata(token).decimals() returns (uint8 d) {...} catch {
    // revert Exchange_InvalidLegs(); }` (or a dedicated Exchange_NotAToken(token)).

    function test_Finding_ListingTheExchangeOrRegistryFailsClearly() public {
        vm.startPrank(regulator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_NotAToken.selector, address(exchange)));
        exchange.listPaymentToken(address(exchange), "KZT");
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_NotAToken.selector, address(registry)));
        exchange.listPaymentToken(address(registry), "KZT");
        vm.stopPrank();
    }
}
