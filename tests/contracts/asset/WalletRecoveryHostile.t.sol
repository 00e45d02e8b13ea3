// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";
import {ISecuredAssetExtension} from "../../../contracts/interfaces/ISecuredAssetExtension.sol";

import {FreezeBase} from "./FreezeBase.t.sol";
import {ArmedWallet} from "../utils/ArmedWallet.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Wallet recovery under attack: a replacement's receiver hook runs while recoverHoldings
/// is under way and finds the ordinary rules back in force (the Recovery route covers the one
/// move); a recovery chain lands every position at its end; a pledge named twice, a lapsed pledge,
/// an order taking units between the two steps; and the register's pages cannot overflow.
contract WalletRecoveryHostileTest is FreezeBase {
    bytes32 internal constant ORDER = keccak256("recovery order 2026/7");
    bytes32 internal constant KYC = keccak256("kyc, re-identified");

    /// @dev A smart wallet chosen as a replacement that, when the recovered units arrive, makes one
    /// call of its owner's choice on the asset: how its receiver hook could try to use the recovery
    /// while it is still running.
    ArmedWallet internal wallet;

    function setUp() public override {
        super.setUp();
        wallet = new ArmedWallet();
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function recover(address lost, address to) internal {
        vm.prank(regulator);
        registry.recoverParticipant(lost, to, KYC, uint64(START + 365 days), ORDER);
    }

    function one(uint256 value) internal pure returns (uint256[] memory list) {
        list = new uint256[](1);
        list[0] = value;
    }

    function pair(uint256 a, uint256 b) internal pure returns (uint256[] memory list) {
        list = new uint256[](2);
        (list[0], list[1]) = (a, b);
    }

    function none() internal pure returns (uint256[] memory) {
        return new uint256[](0);
    }

    function transferCall(address to, uint256 id, uint256 amount) internal view returns (bytes memory) {
        return abi.encodeCall(IERC1155.safeTransferFrom, (address(wallet), to, id, amount, ""));
    }

    function assertRefusedInTheHook(bytes memory expected) internal view {
        assertTrue(wallet.attempted(), "the hook ran");
        (bool succeeded, bytes memory failure) = wallet.outcome(0);
        assertFalse(succeeded, "the hook's move was refused");
        assertEq(keccak256(failure), keccak256(expected), "refused by the ordinary rule");
    }

    /*//////////////////////////////////////////////////////////////
                    THE REPLACEMENT'S RECEIVER HOOK
    //////////////////////////////////////////////////////////////*/

    /// @dev The recovery moves units in a paused issuance; the replacement's hook, running inside
    /// that move, tries to pass them on and meets the pause: _update reset the route before the
    /// acceptance check called the hook.
    function test_AReplacementsHookMeetsThePauseTheRecoveryIgnored() public {
        vm.prank(regulator);
        asset.pause(issuanceId);
        recover(alice, address(wallet));
        wallet.arm(address(asset), transferCall(bob, issuanceId, 1));

        vm.prank(dave);
        asset.recoverHoldings(alice, one(issuanceId), none());

        assertRefusedInTheHook(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId)
        );
        assertHolding(address(wallet), MINTED, 0, 0);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED, "bob received nothing");
    }

    /// @dev The same through the batch hook (two issuances): a recipient that cannot receive is
    /// refused there as anywhere.
    function test_AReplacementsBatchHookCannotSendToAnUnregisteredWallet() public {
        uint256 other = createIssuance();
        attest(other, COVERED);
        vm.prank(operator);
        asset.mint(other, alice, 10);
        recover(alice, address(wallet));
        wallet.arm(address(asset), transferCall(dave, other, 10));

        asset.recoverHoldings(alice, pair(issuanceId, other), none());

        assertRefusedInTheHook(notEligible(dave, IPlatformRegistry.ParticipantStatus.NotRegistered));
        assertEq(asset.balanceOf(address(wallet), other), 10, "the units stayed with the replacement");
        assertEq(asset.balanceOf(dave, other), 0);
    }

    /// @dev Frozen units follow to the replacement's frozen count before the units arrive, so the
    /// hook cannot move them out while the recovery runs.
    function test_AReplacementsHookCannotMoveTheFrozenUnitsItJustReceived() public {
        freezeUnits(alice, 100);
        recover(alice, address(wallet));
        wallet.arm(address(asset), transferCall(bob, issuanceId, MINTED));

        asset.recoverHoldings(alice, one(issuanceId), none());

        assertRefusedInTheHook(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsRestricted.selector, issuanceId, address(wallet), 0, 0, 100, 0
            )
        );
        assertHolding(address(wallet), MINTED, 0, 100);
    }

    /// @dev The hook asks for the same recovery again: nothing is left to move, and neither the
    /// frozen count nor the pledge is counted twice.
    function test_AReentrantRecoveryMovesNothingTwice() public {
        freezeUnits(alice, 100);
        lock(alice, 200);
        uint256 pledge = asset.encumbranceCount();
        recover(alice, address(wallet));
        wallet.arm(
            address(asset), abi.encodeCall(ISecuredAssetExtension.recoverHoldings, (alice, one(issuanceId), none()))
        );

        asset.recoverHoldings(alice, one(issuanceId), one(pledge));

        (bool succeeded,) = wallet.outcome(0);
        assertTrue(succeeded, "the nested call moved zero units");
        assertHolding(address(wallet), MINTED, 200, 100);
        assertHolding(alice, 0, 0, 0);
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED, "supply conserved");
    }

    /// @dev After the recovery returned, the replacement deals under every ordinary rule: the pause
    /// the recovery ignored stops it.
    function test_TheRouteEndsWithTheRecovery() public {
        address replacement = makeAddr("alice's new wallet");
        recover(alice, replacement);
        vm.prank(regulator);
        asset.pause(issuanceId);
        asset.recoverHoldings(alice, one(issuanceId), none());

        vm.prank(replacement);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId));
        asset.safeTransferFrom(replacement, bob, issuanceId, 1, "");
    }

    /*//////////////////////////////////////////////////////////////
                            RECOVERY CHAINS
    //////////////////////////////////////////////////////////////*/

    /// @dev A lost to B, B dealt (received units, had some frozen, pledged some), then B lost to C:
    /// both positions end at C, in either order, frozen and pledged counts added, not replaced.
    function test_BothPositionsOfAChainEndAtItsLastWallet() public {
        address second = makeAddr("alice's second wallet");
        address third = makeAddr("alice's third wallet");
        freezeUnits(alice, 30);
        lock(alice, 40);
        uint256 firstPledge = asset.encumbranceCount();
        recover(alice, second);

        vm.prank(bob);
        asset.safeTransferFrom(bob, second, issuanceId, 500, "");
        freezeUnits(second, 50);
        vm.prank(second);
        uint256 secondPledge = asset.encumber(issuanceId, 60, bob, keccak256("pledge"), 0);
        recover(second, third);

        asset.recoverHoldings(second, one(issuanceId), one(secondPledge));
        asset.recoverHoldings(alice, one(issuanceId), one(firstPledge));

        assertHolding(third, MINTED + 500, 100, 80);
        assertHolding(second, 0, 0, 0);
        assertHolding(alice, 0, 0, 0);
        assertEq(asset.encumbrance(firstPledge).holder, third, "first pledge at the end");
        assertEq(asset.encumbrance(secondPledge).holder, third, "second pledge at the end");
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED, "supply conserved");
    }

    /// @dev At the largest supply holdings allow, two frozen positions of a chain added at its
    /// end still fit the 64 bits of the frozen count: it never exceeds the supply.
    function test_AChainAtTheLargestSupplyFitsTheFrozenCount() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        p.maxSupply = type(uint64).max;
        uint256 id = createIssuanceAs(operator, p, issuerKey);
        attest(id, type(uint64).max);
        uint256 half = uint256(type(uint64).max) / 2;
        vm.startPrank(operator);
        asset.mint(id, alice, half);
        asset.mint(id, bob, type(uint64).max - half);
        vm.stopPrank();
        address second = makeAddr("alice's second wallet");
        address third = makeAddr("alice's third wallet");
        vm.prank(compliance);
        asset.freezeUnits(id, alice, half, REASON);
        recover(alice, second);
        vm.prank(bob);
        asset.safeTransferFrom(bob, second, id, type(uint64).max - half, "");
        vm.prank(compliance);
        asset.freezeUnits(id, second, type(uint64).max - half, REASON);
        recover(second, third);

        asset.recoverHoldings(second, one(id), none());
        asset.recoverHoldings(alice, one(id), none());
        assertEq(asset.frozenUnits(id, third), type(uint64).max, "every unit frozen, at the end of the chain");
        assertEq(asset.balanceOf(third, id), type(uint64).max, "the whole supply");
        assertEq(asset.availableUnits(id, third), 0);
    }

    /// @dev A chain cannot loop: a lost wallet is never a replacement again.
    function test_RevertWhen_AChainWouldLoopBack() public {
        address second = makeAddr("alice's second wallet");
        recover(alice, second);
        vm.prank(regulator);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidReplacement.selector, second, alice));
        registry.recoverParticipant(second, alice, KYC, uint64(START + 365 days), ORDER);
    }

    /*//////////////////////////////////////////////////////////////
                     PLEDGES, ORDERS AND TIME
    //////////////////////////////////////////////////////////////*/

    /// @dev A pledge named twice moves once: the second finds it held by the replacement.
    function test_RevertWhen_APledgeIsNamedTwice() public {
        lock(alice, 200);
        uint256 pledge = asset.encumbranceCount();
        address replacement = makeAddr("alice's new wallet");
        recover(alice, replacement);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotHoldersEncumbrance.selector, pledge, alice)
        );
        asset.recoverHoldings(alice, one(issuanceId), pair(pledge, pledge));
        assertHolding(alice, MINTED, 200, 0);
    }

    /// @dev A pledge that lapsed but was not released still binds the units: it moves with them,
    /// cannot be enforced, and the replacement may release it as the holder could.
    function test_ALapsedPledgeMovesAndTheReplacementReleasesIt() public {
        vm.prank(alice);
        uint256 pledge = asset.encumber(issuanceId, 200, bob, keccak256("pledge"), uint64(START + 1 days));
        address replacement = makeAddr("alice's new wallet");
        recover(alice, replacement);
        vm.warp(START + 2 days);
        asset.recoverHoldings(alice, one(issuanceId), one(pledge));

        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_EncumbranceExpired.selector, pledge, uint64(START + 1 days)
            )
        );
        asset.enforce(pledge, keccak256("default"));
        vm.prank(replacement);
        asset.release(pledge);
        assertHolding(replacement, MINTED, 0, 0);
    }

    /// @dev Between the two steps a regulator's order may still take units from the lost wallet
    /// (it outranks the holder), never give it any; the recovery then moves what is left.
    function test_AnOrderBetweenTheTwoStepsTakesButNeverGives() public {
        address replacement = makeAddr("alice's new wallet");
        recover(alice, replacement);

        vm.prank(regulator);
        asset.forcedTransfer(issuanceId, alice, bob, 300, keccak256("court order"));
        vm.prank(regulator);
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.NotRegistered));
        asset.forcedTransfer(issuanceId, bob, alice, 1, keccak256("court order"));

        asset.recoverHoldings(alice, one(issuanceId), none());
        assertHolding(replacement, MINTED - 300, 0, 0);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 300);
    }

    /// @dev Redemption outlives the permit, not the identification: when the operator that could
    /// re-identify its holder has no permit, only the regulator renews it, and then the holder
    /// redeems.
    function test_AfterARevokedPermitOnlyTheRegulatorLetsAnExpiredHolderRedeem() public {
        vm.prank(regulator);
        registry.revokePermit(operator, keccak256("revoked"));
        vm.warp(START + 731 days); // alice's identification ended

        vm.prank(alice);
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.IdentityExpired));
        asset.requestRedemption(issuanceId, alice, 10, keccak256("delivery"));

        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_PermitNotActive.selector, operator, IPlatformRegistry.PermitState.Revoked
            )
        );
        registry.updateParticipantIdentity(alice, KYC, uint64(START + 800 days));

        vm.prank(regulator);
        registry.updateParticipantIdentity(alice, KYC, uint64(START + 800 days));
        redeem(issuanceId, alice, 10, keccak256("delivery"));
        assertEq(asset.balanceOf(alice, issuanceId), MINTED - 10);
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED - 10, "burnt");
    }

    /*//////////////////////////////////////////////////////////////
                             REGISTER PAGES
    //////////////////////////////////////////////////////////////*/

    /// @dev Whatever start and limit, a page is capped by what is left: no overflow, no revert.
    function testFuzz_PagesNeverOverflow(uint256 start, uint256 limit) public view {
        uint256 count = registry.participantCountOf(operator);
        address[] memory page = registry.participantsOf(operator, start, limit);
        uint256 left = start >= count ? 0 : count - start;
        assertEq(page.length, limit < left ? limit : left, "page length");
        if (page.length != 0) assertEq(page[0], start == 0 ? alice : start == 1 ? bob : carol, "first entry");
        assertEq(registry.issuers(start, limit).length, start == 0 && limit != 0 ? 1 : 0, "issuers page");
        assertEq(registry.operators(start, limit).length, start == 0 && limit != 0 ? 1 : 0, "operators page");
    }
}
