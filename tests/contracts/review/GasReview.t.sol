// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

import {Base} from "../Base.t.sol";
import {ArmedWallet} from "../utils/ArmedWallet.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Review of the issue-16 gas changes, as an attacker: the packed holding, the mint that
/// skips the count within the lasting cover, the platform values copied into every operator's
/// permit slot. Each test is an attack the changes could have opened; each holds.
contract GasReviewTest is Base {
    bytes32 internal fixtureAttestation;

    function setUp() public virtual override {
        super.setUp();
        fixtureAttestation = collateral.attestationsOf(address(asset), issuanceId)[0];
    }

    /*//////////////////////////////////////////////////////////////
                 THE LASTING COVER: NO MINT ON A STALE ONE
    //////////////////////////////////////////////////////////////*/

    /// @dev The refusal of a mint of one unit over the fixture's supply, `covered` units live.
    function insufficient(uint256 covered) internal view returns (bytes memory) {
        return abi.encodeWithSelector(
            ISecuredAssetTypes.SecuredAsset_CollateralInsufficient.selector, issuanceId, covered, 2 * MINTED + 1
        );
    }

    function test_LastingCover_RevokedAttestation_NoMint() public {
        assertEq(asset.issuance(issuanceId).lastingCover, COVERED, "the fixture's cover lasts");
        vm.prank(verifier);
        collateral.revoke(fixtureAttestation, keccak256("gone"));
        assertEq(asset.issuance(issuanceId).lastingCover, 0, "revocation recounts");
        vm.expectRevert(insufficient(0));
        vm.prank(operator);
        asset.mint(issuanceId, alice, 1);
    }

    function test_LastingCover_SupersededBySmallerRenewal_NoMintBeyondIt() public {
        attachSigned(renewal(fixtureAttestation, 2 * MINTED));
        assertEq(asset.issuance(issuanceId).lastingCover, 2 * MINTED, "the renewal recounts");
        vm.expectRevert(insufficient(2 * MINTED));
        vm.prank(operator);
        asset.mint(issuanceId, alice, 1);
    }

    function test_LastingCover_ExpiredCount_NoMint() public {
        vm.warp(START + 180 days);
        vm.expectRevert(insufficient(0));
        vm.prank(operator);
        asset.mint(issuanceId, alice, 1);
    }

    /// @dev The issuance passes to an operator whose permit was granted after the accreditation
    /// was withdrawn: its slot's copy of the revision is the new one, not the issuance's.
    function test_LastingCover_WithdrawnThenSucceededToNewOperator_NoMint() public {
        bytes32 role = registry.VERIFIER_ROLE();
        vm.prank(regulator);
        registry.revokeRole(role, verifier);
        address successor = permittedOperator("successor", uint64(block.timestamp));
        uint256[] memory ids = new uint256[](1);
        ids[0] = issuanceId;
        vm.prank(regulator);
        asset.succeedIssuances(ids, successor, keccak256("order"));
        vm.expectRevert(insufficient(0));
        vm.prank(successor);
        asset.mint(issuanceId, alice, 1);
    }

    /// @dev The same with the successor permitted before the withdrawal: the withdrawal rewrote its copy.
    function test_LastingCover_SuccessorPermittedBeforeWithdrawal_NoMint() public {
        address successor = permittedOperator("successor", uint64(block.timestamp));
        bytes32 role = registry.VERIFIER_ROLE();
        vm.prank(regulator);
        registry.revokeRole(role, verifier);
        uint256[] memory ids = new uint256[](1);
        ids[0] = issuanceId;
        vm.prank(regulator);
        asset.succeedIssuances(ids, successor, keccak256("order"));
        vm.expectRevert(insufficient(0));
        vm.prank(successor);
        asset.mint(issuanceId, alice, 1);
    }

    /*//////////////////////////////////////////////////////////////
               THE COPIES IN THE OPERATORS' SLOTS STAY CURRENT
    //////////////////////////////////////////////////////////////*/

    function assertCopiesCurrent(address op) internal view {
        (, IPlatformRegistry.ParticipantStatus fromStatus,, uint32 revision) = circulation(op, alice, bob);
        assertEq(uint256(fromStatus), uint256(registry.participantStatus(alice)), "notice copy");
        assertEq(revision, registry.accreditationRevision(), "revision copy");
    }

    function test_Copies_OperatorListedByDetailsOnly_ThenPermitted() public {
        address op = makeAddr("detailsOnly");
        vm.prank(regulator);
        registry.recordOperatorDetails(op, "Listed JSC", "123", "KZ", keccak256("details"));
        publishNewNotice();
        bytes32 role = registry.VERIFIER_ROLE();
        vm.prank(regulator);
        registry.revokeRole(role, verifier);
        assertCopiesCurrent(op);
        vm.startPrank(regulator);
        registry.grantRole(registry.OPERATOR_ROLE(), op);
        registry.grantPermit(op, uint64(block.timestamp), uint64(block.timestamp + 1 days), keccak256("p"));
        vm.stopPrank();
        assertCopiesCurrent(op);
    }

    function test_Copies_RevokedPermit_ReGrantedAfterANotice() public {
        address op = permittedOperator("regranted", uint64(block.timestamp));
        vm.prank(regulator);
        registry.revokePermit(op, keccak256("revoked"));
        publishNewNotice();
        assertCopiesCurrent(op);
        vm.prank(regulator);
        registry.grantPermit(op, uint64(block.timestamp), uint64(block.timestamp + 1 days), keccak256("again"));
        assertCopiesCurrent(op);
        (, IPlatformRegistry.ParticipantStatus fromStatus,,) = circulation(op, alice, bob);
        assertEq(uint256(fromStatus), uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged), "v2");
    }

    /*//////////////////////////////////////////////////////////////
                      THE HOLDING AS ONE 64-BIT-FIELD WORD
    //////////////////////////////////////////////////////////////*/

    /// @dev An amount above 2^64 whose low 64 bits are within the balance is refused, not truncated.
    function test_Holding_AmountAbove64Bits_NotTruncated() public {
        uint256 amount = (uint256(1) << 64) + 1;
        vm.expectRevert();
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, amount, "");
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "nothing moved");
        vm.expectRevert();
        vm.prank(operator);
        asset.mint(issuanceId, alice, amount);
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED, "nothing minted");
    }

    /// @dev The largest supply, all in one balance beside a lock: no carry into the locks, no
    /// borrow from them, and the cap holds.
    function test_Holding_FullWidthBalance_NoCarryIntoTheLocks() public {
        uint256 max = type(uint64).max;
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        p.maxSupply = max;
        uint256 id = createIssuanceAs(operator, p, issuerKey);
        attest(id, max);
        vm.prank(operator);
        asset.mint(id, alice, max - 1);
        vm.prank(alice);
        asset.encumber(id, 1, bob, keccak256("pledge"), 0);
        vm.prank(operator);
        asset.mint(id, bob, 1);
        vm.prank(bob);
        asset.safeTransferFrom(bob, alice, id, 1, "");
        assertEq(asset.balanceOf(alice, id), max, "the whole supply");
        assertEq(asset.encumberedUnits(id, alice), 1, "the lock untouched");
        assertEq(asset.frozenUnits(id, alice), 0, "no carry into frozen");
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_UnitsRestricted.selector, id, alice, 0, 1, 0, 0)
        );
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, id, max, "");
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, id, max - 1, "");
        assertEq(asset.balanceOf(alice, id), 1, "the pledged unit stays");
        assertEq(asset.balanceOf(bob, id), max - 1, "received");
        assertEq(asset.encumberedUnits(id, alice), 1, "no borrow from the lock");
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_MaxSupplyExceeded.selector, id, max, uint256(max) + 1
            )
        );
        vm.prank(operator);
        asset.mint(id, bob, 1);
    }

    /*//////////////////////////////////////////////////////////////
            THE RELAXED ROUTE ENDS WITH ITS MOVE (BOTH ENTRIES)
    //////////////////////////////////////////////////////////////*/

    /// @dev An enforcement outranks a freeze of units; the beneficiary's wallet, inside the
    /// acceptance callback, must not borrow that to move frozen units of a holder that approved it.
    function enforceIntoProbe(bool batch) internal returns (ArmedWallet wallet) {
        wallet = new ArmedWallet();
        onboard(address(wallet));
        vm.prank(alice);
        asset.setApprovalForAll(address(wallet), true);
        vm.prank(compliance);
        asset.freezeUnits(issuanceId, alice, MINTED, keccak256("freeze"));
        vm.prank(bob);
        uint256 encumbranceId = asset.encumber(issuanceId, 100, address(wallet), keccak256("pledge"), 0);
        wallet.arm(address(asset), batch ? batchMove(alice, bob, issuanceId, 500) : move(alice, bob, issuanceId, 500));
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default"));
        assertEq(asset.balanceOf(address(wallet), issuanceId), 100, "pledged units delivered");
        (bool succeeded, bytes memory failure) = wallet.outcome(0);
        assertFalse(succeeded, "frozen units moved inside the enforcement");
        assertEq(
            keccak256(failure),
            keccak256(
                abi.encodeWithSelector(
                    ISecuredAssetTypes.SecuredAsset_UnitsRestricted.selector,
                    issuanceId,
                    alice,
                    MINTED - 500,
                    0,
                    MINTED,
                    0
                )
            ),
            "refused for the frozen units"
        );
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "frozen units untouched");
    }

    /// @dev The probe's call: units it is approved for, moved by the single entry.
    function move(address from, address to, uint256 id, uint256 amount) internal pure returns (bytes memory) {
        return abi.encodeCall(IERC1155.safeTransferFrom, (from, to, id, amount, ""));
    }

    /// @dev The same move by the batch entry, as a batch of one.
    function batchMove(address from, address to, uint256 id, uint256 amount) internal pure returns (bytes memory) {
        uint256[] memory ids = new uint256[](1);
        uint256[] memory amounts = new uint256[](1);
        (ids[0], amounts[0]) = (id, amount);
        return abi.encodeCall(IERC1155.safeBatchTransferFrom, (from, to, ids, amounts, ""));
    }

    function test_Route_SingleInsideEnforcementCallback_Standard() public {
        enforceIntoProbe(false);
    }

    function test_Route_BatchInsideEnforcementCallback_Standard() public {
        enforceIntoProbe(true);
    }
}
