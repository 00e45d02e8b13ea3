// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredExchange} from "../../../contracts/interfaces/ISecuredExchange.sol";

import {ExchangeBase} from "./ExchangeBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Delivery against a payment made off-chain: the seller's units held for a named buyer
/// until the settlement agent confirms the payment (they move) or the deadline passes (they are
/// free again), and no other route moves them meanwhile.
contract ExchangeEscrowTest is ExchangeBase {
    bytes32 internal constant PAYMENT_REF = keccak256("bank transfer 2026-12-05/0042");
    uint256 internal constant AMOUNT = 300;

    /*//////////////////////////////////////////////////////////////
                          OPEN, CONFIRM, LAPSE
    //////////////////////////////////////////////////////////////*/

    function test_OpenEscrowHoldsTheUnits() public {
        vm.expectEmit(address(exchange));
        emit ISecuredExchange.EscrowOpened(1, issuanceId, alice, bob, agent, AMOUNT, AMOUNT * 300_00, "KZT", deadline());
        uint256 escrowId = openEscrow(AMOUNT);
        assertEq(escrowId, 1);
        assertEq(exchange.escrowCount(), 1);
        ISecuredExchange.Escrow memory e = exchange.escrow(escrowId);
        assertEq(e.issuanceId, issuanceId);
        assertEq(e.seller, alice);
        assertEq(e.buyer, bob);
        assertEq(e.agent, agent);
        assertEq(e.amount, AMOUNT);
        assertEq(e.price, AMOUNT * 300_00);
        assertEq(bytes32(e.currency), bytes32(bytes3("KZT")));
        assertEq(uint256(e.deadline), uint256(deadline()));
        assertEq(uint256(e.state), uint256(ISecuredExchange.EscrowState.Open));
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "the units stay in the seller's balance");
        assertEq(asset.escrowedUnits(issuanceId, alice), AMOUNT);
        assertEq(asset.availableUnits(issuanceId, alice), MINTED - AMOUNT);
        assertEq(uint256(exchange.escrow(2).state), uint256(ISecuredExchange.EscrowState.None));
    }

    function test_ConfirmPaymentDeliversToTheBuyer() public {
        uint256 escrowId = openEscrow(AMOUNT);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(address(exchange), alice, bob, issuanceId, AMOUNT);
        vm.expectEmit(address(exchange));
        emit ISecuredExchange.EscrowSettled(escrowId, bob, PAYMENT_REF, agent);
        vm.prank(agent);
        exchange.confirmPayment(escrowId, PAYMENT_REF);
        assertEq(asset.balanceOf(alice, issuanceId), MINTED - AMOUNT);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + AMOUNT);
        assertEq(asset.escrowedUnits(issuanceId, alice), 0);
        assertEq(asset.availableUnits(issuanceId, alice), MINTED - AMOUNT);
        assertEq(uint256(exchange.escrow(escrowId).state), uint256(ISecuredExchange.EscrowState.Settled));
    }

    function test_ConfirmPaymentAtTheDeadline() public {
        uint256 escrowId = openEscrow(AMOUNT);
        vm.warp(deadline());
        vm.prank(agent);
        exchange.confirmPayment(escrowId, PAYMENT_REF);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + AMOUNT);
    }

    function test_LapseFreesTheUnits() public {
        uint256 escrowId = openEscrow(AMOUNT);
        vm.warp(deadline() + 1);
        vm.expectEmit(address(exchange));
        emit ISecuredExchange.EscrowLapsed(escrowId, dave);
        vm.prank(dave); // anyone
        exchange.lapse(escrowId);
        assertEq(asset.escrowedUnits(issuanceId, alice), 0);
        assertEq(asset.availableUnits(issuanceId, alice), MINTED);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED, "nothing delivered");
        assertEq(uint256(exchange.escrow(escrowId).state), uint256(ISecuredExchange.EscrowState.Lapsed));
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, MINTED, "");
    }

    function test_RevertWhen_LapsedBeforeTheDeadline() public {
        uint256 escrowId = openEscrow(AMOUNT);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredExchange.Exchange_EscrowNotExpired.selector, escrowId, deadline())
        );
        exchange.lapse(escrowId);
        vm.warp(deadline());
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredExchange.Exchange_EscrowNotExpired.selector, escrowId, deadline())
        );
        exchange.lapse(escrowId);
    }

    function test_RevertWhen_ConfirmedAfterTheDeadline() public {
        uint256 escrowId = openEscrow(AMOUNT);
        vm.warp(deadline() + 1);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_EscrowExpired.selector, escrowId, deadline()));
        vm.prank(agent);
        exchange.confirmPayment(escrowId, PAYMENT_REF);
    }

    function test_RevertWhen_ConfirmedByAnotherThanTheAgent() public {
        uint256 escrowId = openEscrow(AMOUNT);
        address otherAgent = makeAddr("other agent");
        vm.prank(regulator);
        registry.grantRole(agentRole, otherAgent);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_NotEscrowAgent.selector, escrowId, otherAgent));
        vm.prank(otherAgent);
        exchange.confirmPayment(escrowId, PAYMENT_REF);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_NotEscrowAgent.selector, escrowId, alice));
        vm.prank(alice);
        exchange.confirmPayment(escrowId, PAYMENT_REF);
    }

    function test_AgentWhoseRoleWasRevokedConfirmsNothingAndTheEscrowLapses() public {
        uint256 escrowId = openEscrow(AMOUNT);
        vm.prank(regulator);
        registry.revokeRole(agentRole, agent);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_MissingRole.selector, agent, agentRole));
        vm.prank(agent);
        exchange.confirmPayment(escrowId, PAYMENT_REF);
        vm.warp(deadline() + 1);
        exchange.lapse(escrowId);
        assertEq(asset.escrowedUnits(issuanceId, alice), 0);
    }

    function test_RevertWhen_BuyerIsIneligibleAtConfirmation() public {
        uint256 escrowId = openEscrow(AMOUNT);
        freezeAccount(bob);
        vm.expectRevert(notEligible(bob, IPlatformRegistry.ParticipantStatus.Frozen));
        vm.prank(agent);
        exchange.confirmPayment(escrowId, PAYMENT_REF);
        assertEq(uint256(exchange.escrow(escrowId).state), uint256(ISecuredExchange.EscrowState.Open));
        assertEq(asset.escrowedUnits(issuanceId, alice), AMOUNT, "still held");
        vm.warp(deadline() + 1);
        exchange.lapse(escrowId);
    }

    function test_RevertWhen_SellerIsIneligibleAtConfirmation() public {
        uint256 escrowId = openEscrow(AMOUNT);
        publishNewNotice(); // alice has not acknowledged v2 (nor bob)
        acknowledge(bob);
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged));
        vm.prank(agent);
        exchange.confirmPayment(escrowId, PAYMENT_REF);
    }

    function test_RevertWhen_IssuancePausedAtConfirmationButItLapses() public {
        uint256 escrowId = openEscrow(AMOUNT);
        vm.prank(operator);
        asset.pause(issuanceId);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId));
        vm.prank(agent);
        exchange.confirmPayment(escrowId, PAYMENT_REF);
        vm.warp(deadline() + 1);
        exchange.lapse(escrowId);
        assertEq(asset.escrowedUnits(issuanceId, alice), 0);
    }

    /// @dev The buyer lost its wallet after the escrow opened: the units go to its replacement.
    function test_DeliveredToTheBuyersRecoveredWallet() public {
        uint256 escrowId = openEscrow(AMOUNT);
        address replacement = makeAddr("bob's new wallet");
        vm.prank(regulator);
        registry.recoverParticipant(bob, replacement, keccak256("kyc again"), uint64(START + 365 days), "order");
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(address(exchange), alice, replacement, issuanceId, AMOUNT);
        vm.expectEmit(address(exchange));
        emit ISecuredExchange.EscrowSettled(escrowId, replacement, PAYMENT_REF, agent);
        vm.prank(agent);
        exchange.confirmPayment(escrowId, PAYMENT_REF);
        assertEq(asset.balanceOf(replacement, issuanceId), AMOUNT);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED, "nothing to the lost wallet");
    }

    /// @dev The seller lost its wallet: its holdings wait until the escrow is settled or lapses.
    function test_SellerRecoveryWaitsForTheEscrow() public {
        uint256 escrowId = openEscrow(AMOUNT);
        address replacement = makeAddr("alice's new wallet");
        vm.prank(regulator);
        registry.recoverParticipant(alice, replacement, keccak256("kyc again"), uint64(START + 365 days), "order");
        uint256[] memory ids = new uint256[](1);
        ids[0] = issuanceId;
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_UnitsEscrowed.selector, issuanceId, alice, AMOUNT)
        );
        asset.recoverHoldings(alice, ids, new uint256[](0));
        // The lost wallet can no longer deliver: the agent's confirmation is refused, the escrow lapses.
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.NotRegistered));
        vm.prank(agent);
        exchange.confirmPayment(escrowId, PAYMENT_REF);
        vm.warp(deadline() + 1);
        exchange.lapse(escrowId);
        asset.recoverHoldings(alice, ids, new uint256[](0));
        assertEq(asset.balanceOf(replacement, issuanceId), MINTED);
    }

    function test_RevertWhen_SettledOrLapsedTwiceOrUnknown() public {
        uint256 escrowId = openEscrow(AMOUNT);
        vm.prank(agent);
        exchange.confirmPayment(escrowId, PAYMENT_REF);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_EscrowNotOpen.selector, escrowId));
        vm.prank(agent);
        exchange.confirmPayment(escrowId, PAYMENT_REF);
        vm.warp(deadline() + 1);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_EscrowNotOpen.selector, escrowId));
        exchange.lapse(escrowId);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_EscrowNotOpen.selector, 7));
        exchange.lapse(7);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_EscrowNotOpen.selector, 0));
        vm.prank(agent);
        exchange.confirmPayment(0, PAYMENT_REF);

        vm.prank(alice);
        uint256 second = exchange.openEscrow(issuanceId, 1, bob, agent, 1, "KZT", uint64(block.timestamp + 1));
        vm.warp(block.timestamp + 2);
        exchange.lapse(second);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_EscrowNotOpen.selector, second));
        exchange.lapse(second);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_EscrowNotOpen.selector, second));
        vm.prank(agent);
        exchange.confirmPayment(second, PAYMENT_REF);
    }

    function test_RegulatorCancelsAnEscrowByOrder() public {
        uint256 escrowId = openEscrow(AMOUNT);
        bytes32 regulatorRole = registry.REGULATOR_ROLE();
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_MissingRole.selector, agent, regulatorRole));
        vm.prank(agent);
        exchange.cancelEscrow(escrowId, keccak256("order"));
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_MissingRole.selector, alice, regulatorRole));
        vm.prank(alice);
        exchange.cancelEscrow(escrowId, keccak256("order"));
        vm.expectEmit(address(exchange));
        emit ISecuredExchange.EscrowCancelled(escrowId, keccak256("order"), regulator);
        vm.prank(regulator);
        exchange.cancelEscrow(escrowId, keccak256("order"));
        assertEq(uint256(exchange.escrow(escrowId).state), uint256(ISecuredExchange.EscrowState.Cancelled));
        assertEq(asset.escrowedUnits(issuanceId, alice), 0, "the seller's again");
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_EscrowNotOpen.selector, escrowId));
        vm.prank(regulator);
        exchange.cancelEscrow(escrowId, keccak256("order"));
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_EscrowNotOpen.selector, escrowId));
        vm.prank(agent);
        exchange.confirmPayment(escrowId, PAYMENT_REF);
    }

    /// @dev The agent confirms a payment between the parties: it is neither of them.
    function test_RevertWhen_TheAgentIsAParty() public {
        vm.prank(regulator);
        registry.grantRole(agentRole, bob);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_InvalidEscrow.selector));
        exchange.openEscrow(issuanceId, 1, bob, bob, 1, "KZT", deadline());
        vm.stopPrank();
        vm.prank(regulator);
        registry.grantRole(agentRole, alice);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_InvalidEscrow.selector));
        vm.prank(alice);
        exchange.openEscrow(issuanceId, 1, bob, alice, 1, "KZT", deadline());
    }

    function test_EscrowLastsAtMostItsMaximumPeriod() public {
        uint64 longest = uint64(block.timestamp) + exchange.MAX_ESCROW_PERIOD();
        assertEq(uint256(exchange.MAX_ESCROW_PERIOD()), 90 days);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_InvalidDeadline.selector, longest + 1));
        vm.prank(alice);
        exchange.openEscrow(issuanceId, 1, bob, agent, 1, "KZT", longest + 1);
        vm.prank(alice);
        exchange.openEscrow(issuanceId, 1, bob, agent, 1, "KZT", longest);
    }

    /// @dev A freeze made after the units were committed does not stop their delivery, and the
    /// frozen amount stays (ERC-7943: it withholds what the seller holds or receives).
    function test_SettlementOutranksALaterFreeze() public {
        uint256 escrowId = openEscrow(AMOUNT);
        vm.prank(compliance);
        asset.setFrozenTokens(alice, issuanceId, MINTED);
        vm.prank(agent);
        exchange.confirmPayment(escrowId, PAYMENT_REF);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + AMOUNT);
        assertEq(asset.getFrozenTokens(alice, issuanceId), MINTED);
        assertEq(asset.availableUnits(issuanceId, alice), 0);
    }

    /*//////////////////////////////////////////////////////////////
                          OPENING REFUSED
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_EscrowTermsAreInvalid() public {
        uint64 d = deadline();
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_InvalidEscrow.selector));
        exchange.openEscrow(issuanceId, 0, bob, agent, 1, "KZT", d);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_InvalidEscrow.selector));
        exchange.openEscrow(issuanceId, 1, bob, agent, 0, "KZT", d);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_InvalidEscrow.selector));
        exchange.openEscrow(issuanceId, 1, alice, agent, 1, "KZT", d);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_InvalidEscrow.selector));
        exchange.openEscrow(issuanceId, 1, address(0), agent, 1, "KZT", d);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_InvalidCurrency.selector, bytes3(0)));
        exchange.openEscrow(issuanceId, 1, bob, agent, 1, bytes3(0), d);
        uint64 now_ = uint64(block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_InvalidDeadline.selector, now_));
        exchange.openEscrow(issuanceId, 1, bob, agent, 1, "KZT", now_);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_MissingRole.selector, dave, agentRole));
        exchange.openEscrow(issuanceId, 1, bob, dave, 1, "KZT", d);
        vm.stopPrank();
        assertEq(exchange.escrowCount(), 0);
    }

    function test_RevertWhen_ATransferCouldNotPassNow() public {
        uint64 d = deadline();
        vm.startPrank(alice);
        vm.expectRevert(notEligible(carol, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged));
        exchange.openEscrow(issuanceId, 1, carol, agent, 1, "KZT", d);
        vm.expectRevert(notEligible(dave, IPlatformRegistry.ParticipantStatus.NotRegistered));
        exchange.openEscrow(issuanceId, 1, dave, agent, 1, "KZT", d);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, 99));
        exchange.openEscrow(99, 1, bob, agent, 1, "KZT", d);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsUnavailable.selector, issuanceId, alice, MINTED + 1, MINTED
            )
        );
        exchange.openEscrow(issuanceId, MINTED + 1, bob, agent, 1, "KZT", d);
        vm.stopPrank();
        vm.prank(operator);
        asset.pause(issuanceId);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId));
        vm.prank(alice);
        exchange.openEscrow(issuanceId, 1, bob, agent, 1, "KZT", d);
        // An ineligible seller holds nothing for anyone.
        vm.prank(operator);
        asset.unpause(issuanceId);
        freezeAccount(alice);
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen));
        vm.prank(alice);
        exchange.openEscrow(issuanceId, 1, bob, agent, 1, "KZT", d);
    }

    /*//////////////////////////////////////////////////////////////
                  ESCROWED UNITS MOVE BY NO OTHER ROUTE
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_EscrowedUnitsAreTransferred() public {
        openEscrow(AMOUNT);
        vm.expectRevert(restricted(AMOUNT - 1, 0, 0, AMOUNT));
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, MINTED - AMOUNT + 1, "");
        assertEq(
            uint256(asset.checkTransfer(alice, bob, issuanceId, MINTED - AMOUNT + 1)),
            uint256(ISecuredAssetTypes.Refusal.UnitsRestricted)
        );
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, MINTED - AMOUNT, ""); // the free units move
    }

    function test_RevertWhen_EscrowedUnitsAreSwapped() public {
        openEscrow(AMOUNT);
        ISecuredExchange.Offer memory offer = swapOffer(MINTED, 1, 1);
        bytes memory signature = signOffer(offer, aliceKey);
        assertRefusal(
            ISecuredExchange.OfferRefusal.GiveLegRefused,
            ISecuredAssetTypes.Refusal.UnitsRestricted,
            offer,
            signature,
            bob
        );
        vm.expectRevert(restricted(0, 0, 0, AMOUNT));
        vm.prank(bob);
        exchange.take(offer, signature);
    }

    function test_RevertWhen_EscrowedUnitsAreEncumberedFrozenOrEscrowedAgain() public {
        openEscrow(AMOUNT);
        uint256 free = MINTED - AMOUNT;
        vm.expectRevert(unavailable(free + 1, free));
        vm.prank(alice);
        asset.encumber(issuanceId, free + 1, bob, keccak256("pledge"), 0);
        vm.expectRevert(unavailable(free + 1, free));
        vm.prank(compliance);
        asset.freezeUnits(issuanceId, alice, free + 1, keccak256("hold"));
        vm.expectRevert(unavailable(free + 1, free));
        vm.prank(alice);
        exchange.openEscrow(issuanceId, free + 1, bob, agent, 1, "KZT", deadline());
    }

    function test_RevertWhen_EscrowedUnitsAreRedeemed() public {
        openEscrow(AMOUNT);
        vm.expectRevert(restricted(AMOUNT - 1, 0, 0, AMOUNT));
        vm.prank(alice);
        asset.requestRedemption(issuanceId, alice, MINTED - AMOUNT + 1, keccak256("deliver"));
        assertEq(
            uint256(asset.checkRedemption(issuanceId, alice, MINTED - AMOUNT + 1)),
            uint256(ISecuredAssetTypes.Refusal.UnitsRestricted)
        );
    }

    function test_RevertWhen_EscrowedUnitsAreOrderedAway() public {
        openEscrow(AMOUNT);
        uint256 free = MINTED - AMOUNT;
        vm.expectRevert(unavailable(free + 1, free));
        vm.prank(regulator);
        asset.forcedTransfer(issuanceId, alice, bob, free + 1, keccak256("order"));
        vm.expectRevert(unavailable(free + 1, free));
        vm.prank(regulator);
        asset.forcedTransfer(alice, bob, issuanceId, free + 1);
        vm.prank(regulator);
        asset.forcedTransfer(alice, bob, issuanceId, free); // the free units may be ordered
        assertEq(asset.balanceOf(alice, issuanceId), AMOUNT);
        assertEq(asset.escrowedUnits(issuanceId, alice), AMOUNT);
        vm.prank(agent);
        exchange.confirmPayment(1, PAYMENT_REF); // and the escrow still settles
        assertEq(asset.balanceOf(alice, issuanceId), 0);
    }

    /// @dev Fuzz: whatever is escrowed, confirmed or lapsed, escrowed + free = balance and only
    /// the confirmation moves units, exactly the escrow's amount.
    function testFuzz_EscrowSettlesOrLapsesExactly(uint256 amount, uint256 wait, bool confirm) public {
        amount = bound(amount, 1, MINTED);
        wait = bound(wait, 0, 2 days);
        uint256 escrowId = openEscrow(amount);
        assertEq(asset.availableUnits(issuanceId, alice) + asset.escrowedUnits(issuanceId, alice), MINTED);
        vm.warp(block.timestamp + wait);
        bool expired = block.timestamp > deadline();
        if (confirm) {
            if (expired) {
                vm.expectRevert(
                    abi.encodeWithSelector(ISecuredExchange.Exchange_EscrowExpired.selector, escrowId, deadline())
                );
            }
            vm.prank(agent);
            exchange.confirmPayment(escrowId, PAYMENT_REF);
            assertEq(asset.balanceOf(bob, issuanceId), expired ? MINTED : MINTED + amount);
            assertEq(asset.escrowedUnits(issuanceId, alice), expired ? amount : 0);
        } else {
            if (!expired) {
                vm.expectRevert(
                    abi.encodeWithSelector(ISecuredExchange.Exchange_EscrowNotExpired.selector, escrowId, deadline())
                );
            }
            exchange.lapse(escrowId);
            assertEq(asset.balanceOf(alice, issuanceId), MINTED);
            assertEq(asset.escrowedUnits(issuanceId, alice), expired ? 0 : amount);
        }
    }

    /*//////////////////////////////////////////////////////////////
                 THE ASSET'S HOOKS ANSWER ONLY ITS EXCHANGE
    //////////////////////////////////////////////////////////////*/

    function testFuzz_RevertWhen_HooksAreCalledByAnotherThanTheExchange(address caller) public {
        vm.assume(caller != address(exchange));
        bytes memory refused = abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotExchange.selector, caller);
        vm.expectRevert(refused);
        vm.prank(caller);
        asset.exchangeTransfer(alice, caller, issuanceId, 1);
        vm.expectRevert(refused);
        vm.prank(caller);
        asset.escrowUnits(alice, bob, issuanceId, 1);
        vm.expectRevert(refused);
        vm.prank(caller);
        asset.releaseEscrowedUnits(alice, issuanceId, 0, bob);
    }

    /// @dev Even the rightful roles: the regulator, the operator, the holder itself, the forwarder.
    function test_RevertWhen_HooksAreCalledByARole() public {
        address[4] memory callers = [regulator, operator, alice, address(forwarder)];
        for (uint256 i; i < callers.length; ++i) {
            bytes memory refused =
                abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotExchange.selector, callers[i]);
            vm.expectRevert(refused);
            vm.prank(callers[i]);
            asset.exchangeTransfer(alice, bob, issuanceId, 1);
            vm.expectRevert(refused);
            vm.prank(callers[i]);
            asset.escrowUnits(alice, bob, issuanceId, 1);
        }
        openEscrow(AMOUNT);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotExchange.selector, alice));
        vm.prank(alice);
        asset.releaseEscrowedUnits(alice, issuanceId, AMOUNT, address(0));
        assertEq(asset.escrowedUnits(issuanceId, alice), AMOUNT);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function restricted(uint256 balanceAfter, uint256 encumbered, uint256 frozen, uint256 escrowed)
        internal
        view
        returns (bytes memory)
    {
        return abi.encodeWithSelector(
            ISecuredAssetTypes.SecuredAsset_UnitsRestricted.selector,
            issuanceId,
            alice,
            balanceAfter,
            encumbered,
            frozen,
            escrowed
        );
    }

    function unavailable(uint256 requested, uint256 available) internal view returns (bytes memory) {
        return abi.encodeWithSelector(
            ISecuredAssetTypes.SecuredAsset_UnitsUnavailable.selector, issuanceId, alice, requested, available
        );
    }
}
