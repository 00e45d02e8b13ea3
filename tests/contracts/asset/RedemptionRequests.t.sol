// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";

import {FreezeBase} from "./FreezeBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice A redemption request's life (Rules item 2.3): the units move from the holder into the
/// asset's own custody, out of circulation but still in the supply, until the issuer confirms
/// delivery (they are burnt and the collateral counted again) or the issuer or the regulator
/// refuses (they go back to the holder's wallet now). Who may ask and under which dealing rules:
/// Redemption.t.sol.
contract RedemptionRequestsTest is FreezeBase {
    bytes32 internal constant FULFILMENT = keccak256("deliver to Kostanay elevator, bay 4");
    bytes32 internal constant DELIVERED = keccak256("waybill 2026-118");
    bytes32 internal constant NOT_DELIVERED = keccak256("the grain was not in the bay");

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function request(address holder, uint256 amount) internal returns (uint256 requestId) {
        vm.prank(holder);
        requestId = asset.requestRedemption(issuanceId, holder, amount, FULFILMENT);
    }

    function custody() internal view returns (uint256) {
        return asset.balanceOf(address(asset), issuanceId);
    }

    function assertRequest(uint256 requestId, address holder, uint256 amount, ISecuredAssetTypes.RedemptionState state)
        internal
        view
    {
        ISecuredAssetTypes.RedemptionRequest memory r = asset.redemptionRequest(requestId);
        assertEq(r.issuanceId, issuanceId, "issuance");
        assertEq(r.holder, holder, "holder");
        assertEq(r.amount, amount, "amount");
        assertEq(r.fulfilmentRef, FULFILMENT, "fulfilmentRef");
        assertEq(uint256(r.state), uint256(state), "state");
    }

    function refusal(ISecuredAssetTypes.Refusal r) internal pure returns (uint256) {
        return uint256(r);
    }

    /// @dev `by` asks to redeem `amount` of `holder`'s units and is refused with `err`, which
    /// checkRedemption names as `expected` (when it is about the holder); nothing moves.
    function expectRequestRefused(
        address by,
        address holder,
        uint256 amount,
        ISecuredAssetTypes.Refusal expected,
        bytes memory err
    ) internal {
        if (expected != ISecuredAssetTypes.Refusal.None) {
            assertEq(refusal(asset.checkRedemption(issuanceId, holder, amount)), refusal(expected), "checkRedemption");
        }
        uint256 before = asset.balanceOf(holder, issuanceId);
        uint256 count = asset.redemptionCount();
        vm.expectRevert(err);
        vm.prank(by);
        asset.requestRedemption(issuanceId, holder, amount, FULFILMENT);
        assertEq(asset.balanceOf(holder, issuanceId), before, "the holder keeps its units");
        assertEq(custody(), 0, "nothing in custody");
        assertEq(asset.redemptionCount(), count, "no request recorded");
    }

    function notParty(uint256 requestId, address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotRedemptionParty.selector, requestId, account);
    }

    function notRequested(uint256 requestId) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_RedemptionNotRequested.selector, requestId);
    }

    function confirm(uint256 requestId) internal {
        vm.prank(issuer);
        asset.confirmRedemption(requestId, DELIVERED);
    }

    function refuse(address by, uint256 requestId) internal {
        vm.prank(by);
        asset.refuseRedemption(requestId, NOT_DELIVERED);
    }

    function fixtureAttestation() internal view returns (bytes32) {
        return collateral.attestationsOf(address(asset), issuanceId)[0];
    }

    /// @dev The regulator recovers `lost` to a fresh wallet named `name` (no freeze needed).
    function recover(address lost, string memory name) internal returns (address replacement) {
        replacement = makeAddr(name);
        vm.prank(regulator);
        registry.recoverParticipant(lost, replacement, keccak256("kyc again"), uint64(START + 730 days), REASON);
    }

    /*//////////////////////////////////////////////////////////////
                               REQUEST
    //////////////////////////////////////////////////////////////*/

    function test_Request_MovesUnitsIntoCustody() public {
        assertEq(refusal(asset.checkRedemption(issuanceId, alice, 400)), refusal(ISecuredAssetTypes.Refusal.None), "c");
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.RedemptionRequested(1, issuanceId, alice, 400, FULFILMENT, alice);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(alice, alice, address(asset), issuanceId, 400);
        uint256 requestId = request(alice, 400);

        assertEq(requestId, 1, "first request");
        assertEq(asset.redemptionCount(), 1, "count");
        assertRequest(1, alice, 400, ISecuredAssetTypes.RedemptionState.Requested);
        assertHolding(alice, MINTED - 400, 0, 0);
        assertEq(custody(), 400, "in the asset's custody");
        assertEq(asset.availableUnits(issuanceId, address(asset)), 0, "custody is never available");
        // Out of circulation, still in the supply: the collateral keeps covering it.
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED, "supply unchanged");
        assertEq(asset.coverage(issuanceId).supply, 2 * MINTED, "coverage counts it");
    }

    function test_RequestIdsAreSequentialAcrossIssuances() public {
        uint256 other = createIssuance();
        attest(other, COVERED);
        vm.prank(operator);
        asset.mint(other, bob, 10);
        assertEq(request(alice, 1), 1, "first");
        vm.prank(bob);
        assertEq(asset.requestRedemption(other, bob, 10, FULFILMENT), 2, "second, another issuance");
        assertEq(asset.redemptionRequest(2).issuanceId, other, "its issuance");
        assertEq(asset.balanceOf(address(asset), other), 10, "custody per issuance");
        assertEq(custody(), 1, "custody per issuance");
    }

    function test_Request_ByApprovedEligibleOperator() public {
        vm.prank(alice);
        asset.setApprovalForAll(bob, true);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.RedemptionRequested(1, issuanceId, alice, 250, FULFILMENT, bob);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(bob, alice, address(asset), issuanceId, 250);
        vm.prank(bob);
        asset.requestRedemption(issuanceId, alice, 250, FULFILMENT);
        assertRequest(1, alice, 250, ISecuredAssetTypes.RedemptionState.Requested);
        assertHolding(bob, MINTED, 0, 0);
    }

    /// @dev Rules item 4.1: whoever moves a holder's units deals in them, so it must be eligible.
    function test_RevertWhen_RequestByApprovedOperatorNotEligible() public {
        vm.startPrank(alice);
        asset.setApprovalForAll(carol, true);
        asset.setApprovalForAll(dave, true);
        vm.stopPrank();
        expectRequestRefused(
            carol,
            alice,
            1,
            ISecuredAssetTypes.Refusal.None,
            notEligible(carol, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged)
        );
        expectRequestRefused(
            dave,
            alice,
            1,
            ISecuredAssetTypes.Refusal.None,
            notEligible(dave, IPlatformRegistry.ParticipantStatus.NotRegistered)
        );
    }

    function test_RevertWhen_RequestByUnapproved() public {
        expectRequestRefused(
            bob,
            alice,
            1,
            ISecuredAssetTypes.Refusal.None,
            abi.encodeWithSelector(IERC1155Errors.ERC1155MissingApprovalForAll.selector, bob, alice)
        );
    }

    function test_RevertWhen_RequestByFrozenParticipant() public {
        freezeAccount(alice);
        expectRequestRefused(
            alice,
            alice,
            1,
            ISecuredAssetTypes.Refusal.SenderFrozen,
            notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen)
        );
    }

    function test_RevertWhen_RequestAfterIdentityExpired() public {
        vm.warp(START + 730 days);
        expectRequestRefused(
            alice,
            alice,
            1,
            ISecuredAssetTypes.Refusal.SenderIdentityExpired,
            notEligible(alice, IPlatformRegistry.ParticipantStatus.IdentityExpired)
        );
    }

    /// @dev A lost wallet is deregistered: it asks for nothing, its replacement does once its
    /// holdings followed it.
    function test_RevertWhen_RequestByUnregisteredWallet() public {
        recover(alice, "alice's new wallet");
        expectRequestRefused(
            alice,
            alice,
            1,
            ISecuredAssetTypes.Refusal.SenderNotRegistered,
            notEligible(alice, IPlatformRegistry.ParticipantStatus.NotRegistered)
        );
    }

    function test_RevertWhen_RequestEncumberedUnits() public {
        lock(alice, 700);
        expectRequestRefused(
            alice,
            alice,
            301,
            ISecuredAssetTypes.Refusal.UnitsRestricted,
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsRestricted.selector, issuanceId, alice, 699, 700, 0, 0
            )
        );
        request(alice, 300);
        assertHolding(alice, 700, 700, 0);
    }

    function test_RevertWhen_RequestFrozenUnits() public {
        freezeUnits(alice, 700);
        expectRequestRefused(
            alice,
            alice,
            301,
            ISecuredAssetTypes.Refusal.UnitsRestricted,
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsRestricted.selector, issuanceId, alice, 699, 0, 700, 0
            )
        );
    }

    function test_RevertWhen_RequestWhilePaused() public {
        vm.prank(operator);
        asset.pause(issuanceId);
        expectRequestRefused(
            alice,
            alice,
            1,
            ISecuredAssetTypes.Refusal.IssuancePaused,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId)
        );
    }

    function test_CheckRedemption_UnknownIssuanceAndBalance() public view {
        assertEq(
            refusal(asset.checkRedemption(99, alice, 1)), refusal(ISecuredAssetTypes.Refusal.IssuanceUnknown), "unknown"
        );
        assertEq(
            refusal(asset.checkRedemption(issuanceId, alice, MINTED + 1)),
            refusal(ISecuredAssetTypes.Refusal.InsufficientBalance),
            "balance"
        );
        assertEq(
            refusal(asset.checkRedemption(issuanceId, address(asset), 0)),
            refusal(ISecuredAssetTypes.Refusal.SenderNotRegistered),
            "the custody asks for nothing"
        );
    }

    /*//////////////////////////////////////////////////////////////
          BEYOND THE PERMIT AND THE COVERAGE: BOTH SIDES PASS
    //////////////////////////////////////////////////////////////*/

    // Asked and confirmed under each permit state out of force: Redemption.t.sol.

    /// @dev Asked under a permit in force, confirmed after it was revoked.
    function test_ConfirmAfterThePermitWasRevoked() public {
        uint256 requestId = request(alice, 400);
        vm.prank(regulator);
        registry.revokePermit(operator, keccak256("licence withdrawn"));
        confirm(requestId);
        assertRequest(requestId, alice, 400, ISecuredAssetTypes.RedemptionState.Confirmed);
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED - 400, "burnt");
    }

    /// @dev A suspended issuer's key may be why it was suspended: it burns nobody's units. The
    /// regulator gives them back by refusing the request.
    function test_RevertWhen_ConfirmBySuspendedIssuer() public {
        uint256 requestId = request(alice, 400);
        vm.prank(regulator);
        registry.setIssuerStatus(issuer, IPlatformRegistry.IssuerStatus.Suspended, keccak256("inspection"));
        vm.prank(issuer);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuerNotActive.selector, issuer));
        asset.confirmRedemption(requestId, keccak256("delivered"));
        assertRequest(requestId, alice, 400, ISecuredAssetTypes.RedemptionState.Requested);
        vm.prank(regulator);
        asset.refuseRedemption(requestId, keccak256("issuer suspended"));
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "given back");
    }

    function test_RequestAndConfirmWhileUndercollateralised() public {
        bytes32 attestationId = fixtureAttestation();
        vm.prank(verifier);
        collateral.revoke(attestationId, keccak256("grain sold"));
        assertTrue(asset.coverage(issuanceId).undercollateralised, "uncovered");
        uint256 requestId = request(alice, 400);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.CoverageSynced(issuanceId, 0, 2 * MINTED - 400, 0);
        confirm(requestId);
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED - 400, "burnt");
    }

    /*//////////////////////////////////////////////////////////////
                          CONFIRM OR REFUSE
    //////////////////////////////////////////////////////////////*/

    function test_Confirm_BurnsAndCountsTheCollateralAgain() public {
        uint256 requestId = request(alice, 400);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.RedemptionConfirmed(requestId, issuanceId, DELIVERED, issuer);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(issuer, address(asset), address(0), issuanceId, 400);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.CoverageSynced(issuanceId, COVERED, 2 * MINTED - 400, uint64(START + 180 days));
        confirm(requestId);
        assertRequest(requestId, alice, 400, ISecuredAssetTypes.RedemptionState.Confirmed);
        assertEq(custody(), 0, "custody empty");
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED - 400, "supply");
        assertHolding(alice, MINTED - 400, 0, 0);
    }

    function test_Refuse_ByIssuerReturnsTheUnits() public {
        uint256 requestId = request(alice, 400);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.RedemptionRefused(requestId, issuanceId, alice, NOT_DELIVERED, issuer);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(issuer, address(asset), alice, issuanceId, 400);
        refuse(issuer, requestId);
        assertRequest(requestId, alice, 400, ISecuredAssetTypes.RedemptionState.Refused);
        assertHolding(alice, MINTED, 0, 0);
        assertEq(custody(), 0, "custody empty");
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED, "supply unchanged");
    }

    /// @dev An order, when the issuer cannot act.
    function test_Refuse_ByRegulatorReturnsTheUnits() public {
        uint256 requestId = request(alice, 400);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.RedemptionRefused(requestId, issuanceId, alice, NOT_DELIVERED, regulator);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(regulator, address(asset), alice, issuanceId, 400);
        refuse(regulator, requestId);
        assertRequest(requestId, alice, 400, ISecuredAssetTypes.RedemptionState.Refused);
        assertHolding(alice, MINTED, 0, 0);
    }

    function test_RevertWhen_ConfirmedByAnyoneButTheIssuer() public {
        uint256 requestId = request(alice, 400);
        address[5] memory others = [regulator, operator, compliance, alice, bob];
        for (uint256 i; i < others.length; ++i) {
            vm.expectRevert(notParty(requestId, others[i]));
            vm.prank(others[i]);
            asset.confirmRedemption(requestId, DELIVERED);
        }
        assertEq(custody(), 400, "still pending");
    }

    function test_RevertWhen_RefusedByAnyoneButTheIssuerOrTheRegulator() public {
        uint256 requestId = request(alice, 400);
        address[4] memory others = [operator, compliance, alice, bob];
        for (uint256 i; i < others.length; ++i) {
            vm.expectRevert(notParty(requestId, others[i]));
            vm.prank(others[i]);
            asset.refuseRedemption(requestId, NOT_DELIVERED);
        }
        assertEq(custody(), 400, "still pending");
    }

    function test_RevertWhen_SettledTwice() public {
        uint256 confirmed = request(alice, 100);
        uint256 refused = request(alice, 200);
        confirm(confirmed);
        refuse(issuer, refused);
        for (uint256 i; i < 2; ++i) {
            uint256 requestId = i == 0 ? confirmed : refused;
            vm.expectRevert(notRequested(requestId));
            vm.prank(issuer);
            asset.confirmRedemption(requestId, DELIVERED);
            vm.expectRevert(notRequested(requestId));
            vm.prank(issuer);
            asset.refuseRedemption(requestId, NOT_DELIVERED);
            vm.expectRevert(notRequested(requestId));
            vm.prank(regulator);
            asset.refuseRedemption(requestId, NOT_DELIVERED);
        }
        assertHolding(alice, MINTED - 100, 0, 0);
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED - 100, "burnt once");
    }

    /// @dev A request that never existed is not pending, whoever asks.
    function test_RevertWhen_SettlingAnUnknownRequest() public {
        vm.expectRevert(notRequested(99));
        vm.prank(issuer);
        asset.confirmRedemption(99, DELIVERED);
        vm.expectRevert(notRequested(0));
        vm.prank(bob);
        asset.refuseRedemption(0, NOT_DELIVERED);
    }

    /// @dev Once asked, the holder's state, the pause and the restrictions no longer matter: the
    /// issuer settles the request and a refusal returns the units to a frozen holder too.
    function test_SettledWhateverTheHolderOrThePause() public {
        uint256 confirmed = request(alice, 100);
        uint256 refused = request(alice, 200);
        freezeAccount(alice);
        vm.prank(regulator);
        asset.pause(issuanceId);
        confirm(confirmed);
        refuse(issuer, refused);
        assertHolding(alice, MINTED - 100, 0, 0);
        assertEq(custody(), 0, "custody empty");
    }

    /// @dev The holder lost its wallet while its request was pending (twice): the units come back
    /// to the end of its recovery chain, never to a lost key.
    function test_Refuse_AfterRecoveryReturnsToTheReplacement() public {
        uint256 requestId = request(alice, 400);
        address second = recover(alice, "alice's second wallet");
        address third = recover(second, "alice's third wallet");
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.RedemptionRefused(requestId, issuanceId, third, NOT_DELIVERED, issuer);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(issuer, address(asset), third, issuanceId, 400);
        refuse(issuer, requestId);
        assertEq(asset.balanceOf(third, issuanceId), 400, "to the last replacement");
        assertEq(asset.balanceOf(alice, issuanceId), MINTED - 400, "nothing to the lost key");
        assertEq(asset.balanceOf(second, issuanceId), 0, "nothing to the lost replacement");
        assertEq(asset.redemptionRequest(requestId).holder, alice, "the request still names who asked");
    }

    /*//////////////////////////////////////////////////////////////
                   THE CUSTODY IS THE REQUESTS' ALONE
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_CustodyUnitsFrozen() public {
        request(alice, 400);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsUnavailable.selector, issuanceId, address(asset), 1, 0
            )
        );
        vm.prank(compliance);
        asset.freezeUnits(issuanceId, address(asset), 1, REASON);
        assertEq(asset.frozenUnits(issuanceId, address(asset)), 0, "nothing frozen");
    }

    function test_RevertWhen_CustodyUnitsForcedOut() public {
        request(alice, 400);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsUnavailable.selector, issuanceId, address(asset), 1, 0
            )
        );
        vm.prank(regulator);
        asset.forcedTransfer(issuanceId, address(asset), bob, 1, keccak256("order"));
        assertEq(custody(), 400, "still in custody");
    }

    /// @dev Units reach the custody only by a request: a transfer there is to a wallet that is
    /// no participant.
    function test_RevertWhen_UnitsSentToTheCustody() public {
        vm.expectRevert(notEligible(address(asset), IPlatformRegistry.ParticipantStatus.NotRegistered));
        vm.prank(alice);
        asset.safeTransferFrom(alice, address(asset), issuanceId, 1, "");
        assertEq(
            refusal(asset.checkTransfer(alice, address(asset), issuanceId, 1)),
            refusal(ISecuredAssetTypes.Refusal.RecipientNotRegistered),
            "checkTransfer"
        );
    }

    /// @dev The custody's units are the requests', not an order's or a recovery's: a recovery of
    /// a wallet that holds none moves nothing out of it.
    function test_RecoveryOfTheHolderLeavesTheCustodyAlone() public {
        request(alice, 400);
        address replacement = recover(alice, "alice's new wallet");
        uint256[] memory ids = new uint256[](1);
        ids[0] = issuanceId;
        asset.recoverHoldings(alice, ids, new uint256[](0));
        assertEq(asset.balanceOf(replacement, issuanceId), MINTED - 400, "what alice held");
        assertEq(custody(), 400, "the pending request's units stay");
    }

    /// @dev Even if an operator registers the asset's address and the regulator recovers it, the
    /// custody is no one's wallet: its units leave only by confirmation or refusal, which still
    /// work afterwards.
    /// @dev The asset declared itself a custodian to the registry at construction: its address is
    /// never registered, never a replacement, so custody units never become a recovered position.
    function test_RevertWhen_CustodyRegisteredOrMadeAReplacement() public {
        uint256 requestId = request(alice, 400);
        assertTrue(registry.isCustodian(address(asset)), "declared");
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRegistry.Registry_CustodianNotParticipant.selector, address(asset))
        );
        registry.registerParticipant(address(asset), keccak256("kyc"), uint64(START + 730 days));
        vm.prank(regulator);
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidReplacement.selector, alice, address(asset))
        );
        registry.recoverParticipant(alice, address(asset), keccak256("kyc"), uint64(START + 730 days), REASON);
        uint256[] memory ids = new uint256[](1);
        ids[0] = issuanceId;
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_WalletNotRecovered.selector, address(asset))
        );
        asset.recoverHoldings(address(asset), ids, new uint256[](0));
        assertEq(custody(), 400, "custody kept");
        confirm(requestId);
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED - 400, "and settled");
    }

    /*//////////////////////////////////////////////////////////////
                      PENDING REQUESTS BLOCK CLOSE
    //////////////////////////////////////////////////////////////*/

    function test_PendingRequestsBlockClose() public {
        uint256 fromAlice = request(alice, MINTED);
        uint256 fromBob = request(bob, MINTED);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_SupplyOutstanding.selector, issuanceId, 2 * MINTED)
        );
        vm.prank(issuer);
        asset.close(issuanceId, keccak256("all delivered"));

        confirm(fromAlice);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_SupplyOutstanding.selector, issuanceId, MINTED)
        );
        vm.prank(issuer);
        asset.close(issuanceId, keccak256("all delivered"));

        confirm(fromBob);
        vm.prank(issuer);
        asset.close(issuanceId, keccak256("all delivered"));
        assertTrue(asset.issuance(issuanceId).closed, "closed once all is confirmed");
    }

    /*//////////////////////////////////////////////////////////////
                    checkRedemption AGREES WITH THE ACT
    //////////////////////////////////////////////////////////////*/

    /// @dev In any of several states of the holder, the issuance and the permit, and for any
    /// amount, checkRedemption says None exactly when the request passes, and it moves that amount
    /// into custody.
    function testFuzz_CheckRedemptionAgreesWithRequest(uint256 amount, uint256 locked, uint256 frozen, uint8 state)
        public
    {
        amount = bound(amount, 1, MINTED + 5);
        locked = bound(locked, 0, MINTED / 2);
        frozen = bound(frozen, 0, MINTED / 2);
        if (locked != 0) lock(alice, locked);
        if (frozen != 0) freezeUnits(alice, frozen);
        state = uint8(bound(state, 0, 6));
        if (state == 1) freezeAccount(alice);
        if (state == 2) {
            vm.prank(operator);
            asset.pause(issuanceId);
        }
        if (state == 3) publishNewNotice();
        if (state == 4) {
            vm.prank(regulator);
            registry.revokePermit(operator, keccak256("licence withdrawn"));
        }
        if (state == 5) {
            bytes32 attestationId = fixtureAttestation();
            vm.prank(verifier);
            collateral.revoke(attestationId, keccak256("grain sold"));
        }
        if (state == 6) vm.warp(START + 730 days);

        ISecuredAssetTypes.Refusal check = asset.checkRedemption(issuanceId, alice, amount);
        vm.prank(alice);
        try asset.requestRedemption(issuanceId, alice, amount, FULFILMENT) {
            assertEq(refusal(check), refusal(ISecuredAssetTypes.Refusal.None), "passed though checkRedemption refused");
            assertEq(custody(), amount, "moved into custody");
        } catch {
            assertTrue(check != ISecuredAssetTypes.Refusal.None, "refused though checkRedemption said None");
            assertEq(custody(), 0, "nothing moved");
        }
    }
}
