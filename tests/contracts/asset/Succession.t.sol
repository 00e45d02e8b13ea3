// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Succession (Law art. 6.1-6.2): the regulator hands issuances to another operator, so
/// that a suspended or revoked permit leaves none orphaned. From then on the successor runs them:
/// it mints, pauses and closes, and its permit is the one transfers check.
contract SuccessionTest is Base {
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 internal constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 internal constant ORDER = keccak256("regulator's order 2026-14");

    address internal successor;

    function setUp() public override {
        super.setUp();
        successor = permittedOperator("successor", uint64(START));
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function ids1(uint256 a) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](1);
        ids[0] = a;
    }

    function ids3(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](3);
        (ids[0], ids[1], ids[2]) = (a, b, c);
    }

    function succeed(uint256[] memory ids, address to) internal {
        vm.prank(regulator);
        asset.succeedIssuances(ids, to, ORDER);
    }

    function expectNotActive(address op, IPlatformRegistry.PermitState state) internal {
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector, op, state));
    }

    /// @dev Expects `ids` to succeed to `to`, or to revert with `err`, and checks nothing moved then.
    function expectSuccessionRevert(uint256[] memory ids, address to, bytes memory err) internal {
        address[] memory before = new address[](ids.length);
        for (uint256 i; i < ids.length; ++i) {
            before[i] = ids[i] <= asset.issuanceCount() ? asset.issuance(ids[i]).operator : address(0);
        }
        vm.expectRevert(err);
        vm.prank(regulator);
        asset.succeedIssuances(ids, to, ORDER);
        for (uint256 i; i < ids.length; ++i) {
            if (before[i] == address(0)) continue;
            assertEq(asset.issuance(ids[i]).operator, before[i], "nothing moved");
        }
    }

    /*//////////////////////////////////////////////////////////////
                              SUCCESSION
    //////////////////////////////////////////////////////////////*/

    function test_SucceedOneIssuance() public {
        ISecuredAssetTypes.Issuance memory before = asset.issuance(issuanceId);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuanceSucceeded(issuanceId, operator, successor, ORDER, regulator);
        succeed(ids1(issuanceId), successor);

        ISecuredAssetTypes.Issuance memory iss = asset.issuance(issuanceId);
        assertEq(iss.operator, successor, "operator");
        // Only the operator changes: the issuer, its decision and the holdings stay as they were.
        assertEq(iss.issuer, before.issuer, "issuer");
        assertEq(iss.decisionHash, before.decisionHash, "decisionHash");
        assertEq(iss.maxSupply, before.maxSupply, "maxSupply");
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED, "supply");
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "alice");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED, "bob");
    }

    /// @dev Several issuances, of two predecessors, in one order: one event each, in the order
    /// given, naming its own predecessor; an issuance left out stays where it was.
    function test_SucceedSeveralIssuances() public {
        uint256 second = createIssuance();
        uint256 leftOut = createIssuance();
        address other = permittedOperator("operator3", uint64(START));
        uint256 others = createIssuanceAs(other, issuanceParams(), issuerKey);

        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuanceSucceeded(second, operator, successor, ORDER, regulator);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuanceSucceeded(others, other, successor, ORDER, regulator);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuanceSucceeded(issuanceId, operator, successor, ORDER, regulator);
        succeed(ids3(second, others, issuanceId), successor);

        assertEq(asset.issuance(issuanceId).operator, successor, "issuanceId");
        assertEq(asset.issuance(second).operator, successor, "second");
        assertEq(asset.issuance(others).operator, successor, "others");
        assertEq(asset.issuance(leftOut).operator, operator, "left out");
    }

    /// @dev The usual case: the permit is revoked first, then the regulator hands its issuances on.
    function test_SucceedAfterPredecessorRevoked() public {
        vm.prank(regulator);
        registry.revokePermit(operator, keccak256("licence withdrawn"));
        succeed(ids1(issuanceId), successor);
        assertEq(asset.issuance(issuanceId).operator, successor, "operator");
    }

    /// @dev A successor may be succeeded in turn, back to the first operator too.
    function test_SucceedBackToPredecessor() public {
        succeed(ids1(issuanceId), successor);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuanceSucceeded(issuanceId, successor, operator, ORDER, regulator);
        succeed(ids1(issuanceId), operator);
        assertEq(asset.issuance(issuanceId).operator, operator, "back");
    }

    /// @dev A closed issuance moves too: its record still names who answers for it.
    function test_SucceedClosedIssuance() public {
        uint256 id = createIssuance();
        vm.prank(issuer);
        asset.close(id, keccak256("fulfilled"));
        succeed(ids1(id), successor);
        assertEq(asset.issuance(id).operator, successor, "operator");
        assertTrue(asset.issuance(id).closed, "still closed");
    }

    /*//////////////////////////////////////////////////////////////
                         THE SUCCESSOR RUNS IT
    //////////////////////////////////////////////////////////////*/

    function test_SuccessorMints() public {
        succeed(ids1(issuanceId), successor);
        vm.prank(successor);
        asset.mint(issuanceId, alice, 10);
        assertEq(asset.balanceOf(alice, issuanceId), MINTED + 10, "minted");
    }

    function test_SuccessorPausesUnpausesAndCloses() public {
        uint256 id = createIssuance();
        succeed(ids1(id), successor);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuancePaused(id, successor, false);
        vm.prank(successor);
        asset.pause(id);
        vm.prank(successor);
        asset.unpause(id);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuanceClosed(id, keccak256("fulfilled"), successor);
        vm.prank(successor);
        asset.close(id, keccak256("fulfilled"));
        assertTrue(asset.issuance(id).closed, "closed");
    }

    /// @dev The successor lifts its predecessor's pause; the regulator's pause stays the regulator's.
    function test_SuccessorLiftsPredecessorsPauseNotRegulators() public {
        uint256 id = createIssuance();
        vm.prank(operator);
        asset.pause(id);
        vm.prank(regulator);
        asset.pause(issuanceId);
        succeed(ids3(id, issuanceId, createIssuance()), successor);

        vm.prank(successor);
        asset.unpause(id);
        assertFalse(asset.issuance(id).paused, "predecessor's pause lifted");
        vm.prank(successor);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_PausedByRegulator.selector, issuanceId));
        asset.unpause(issuanceId);
    }

    function test_SuccessorEnforcesEncumbrance() public {
        vm.prank(alice);
        uint256 encumbranceId = asset.encumber(issuanceId, 100, bob, keccak256("pledge"), 0);
        succeed(ids1(issuanceId), successor);
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperator.selector, issuanceId, operator)
        );
        asset.enforce(encumbranceId, keccak256("court order"));
        vm.prank(successor);
        asset.enforce(encumbranceId, keccak256("court order"));
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 100, "enforced to bob");
    }

    function test_RevertWhen_PredecessorActsAfterSuccession() public {
        uint256 id = createIssuance();
        succeed(ids3(issuanceId, id, createIssuance()), successor);
        vm.startPrank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperator.selector, issuanceId, operator)
        );
        asset.mint(issuanceId, alice, 1);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperator.selector, issuanceId, operator)
        );
        asset.pause(issuanceId);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperatorOrIssuer.selector, id, operator)
        );
        asset.close(id, keccak256("fulfilled"));
        vm.stopPrank();
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED, "nothing minted");
    }

    /// @dev Transfers check the permit of whoever runs the issuance now: stopped while the
    /// predecessor's is suspended, they resume under the successor once the predecessor's is
    /// revoked, and stop again when the successor's is suspended.
    function test_TransfersCheckTheSuccessorsPermit() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        expectNotActive(operator, IPlatformRegistry.PermitState.Suspended);
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");

        succeed(ids1(issuanceId), successor);
        vm.prank(regulator);
        registry.revokePermit(operator, keccak256("licence withdrawn"));
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 7, "");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 7, "transferred under the successor's permit");
        assertEq(
            uint256(asset.checkTransfer(alice, bob, issuanceId, 1)), uint256(ISecuredAssetTypes.Refusal.None), "check"
        );

        vm.prank(regulator);
        registry.suspendPermit(successor, keccak256("inspection"));
        expectNotActive(successor, IPlatformRegistry.PermitState.Suspended);
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
    }

    /*//////////////////////////////////////////////////////////////
                                REFUSALS
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_SucceedByOperator() public {
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, operator, REGULATOR_ROLE)
        );
        asset.succeedIssuances(ids1(issuanceId), successor, ORDER);
        assertEq(asset.issuance(issuanceId).operator, operator, "nothing moved");
    }

    function test_RevertWhen_SucceedByStranger() public {
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, alice, REGULATOR_ROLE)
        );
        asset.succeedIssuances(ids1(issuanceId), alice, ORDER);
        assertEq(asset.issuance(issuanceId).operator, operator, "nothing moved");
    }

    function test_RevertWhen_SuccessorWithoutOperatorRole() public {
        expectSuccessionRevert(
            ids1(issuanceId),
            dave,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, dave, OPERATOR_ROLE)
        );
    }

    /// @dev A permit alone is not enough: the role taken, the successor may run nothing.
    function test_RevertWhen_SuccessorRoleRevoked() public {
        vm.prank(regulator);
        registry.revokeRole(OPERATOR_ROLE, successor);
        expectSuccessionRevert(
            ids1(issuanceId),
            successor,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, successor, OPERATOR_ROLE)
        );
    }

    function test_RevertWhen_SuccessorPermitSuspended() public {
        vm.prank(regulator);
        registry.suspendPermit(successor, keccak256("inspection"));
        expectSuccessionRevert(
            ids1(issuanceId),
            successor,
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector,
                successor,
                IPlatformRegistry.PermitState.Suspended
            )
        );
    }

    function test_RevertWhen_SuccessorPermitExpired() public {
        vm.warp(START + 365 days);
        expectSuccessionRevert(
            ids1(issuanceId),
            successor,
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector,
                successor,
                IPlatformRegistry.PermitState.Expired
            )
        );
    }

    function test_RevertWhen_SuccessorPermitRevoked() public {
        vm.prank(regulator);
        registry.revokePermit(successor, keccak256("licence withdrawn"));
        expectSuccessionRevert(
            ids1(issuanceId),
            successor,
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector,
                successor,
                IPlatformRegistry.PermitState.Revoked
            )
        );
    }

    function test_RevertWhen_SuccessorNeverPermitted() public {
        address newcomer = makeAddr("newcomer");
        vm.prank(regulator);
        registry.grantRole(OPERATOR_ROLE, newcomer);
        expectSuccessionRevert(
            ids1(issuanceId),
            newcomer,
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector, newcomer, IPlatformRegistry.PermitState.None
            )
        );
    }

    function test_RevertWhen_SucceedNoIssuance() public {
        expectSuccessionRevert(
            new uint256[](0), successor, abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_EmptyBatch.selector)
        );
    }

    function test_RevertWhen_SucceedUnknownIssuance() public {
        expectSuccessionRevert(
            ids1(99), successor, abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, 99)
        );
    }

    function test_RevertWhen_SuccessorAlreadyRunsIt() public {
        expectSuccessionRevert(
            ids1(issuanceId),
            operator,
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_AlreadyIssuanceOperator.selector, issuanceId, operator
            )
        );
    }

    /// @dev One bad id in the middle refuses the whole order: the ids before it do not move.
    function test_RevertWhen_UnknownIssuanceInTheMiddle() public {
        uint256 last = createIssuance();
        uint256 unknown = last + 1;
        expectSuccessionRevert(
            ids3(issuanceId, unknown, last),
            successor,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, unknown)
        );
    }

    function test_RevertWhen_SuccessorRunsOneInTheMiddle() public {
        uint256 own = createIssuanceAs(successor, issuanceParams(), issuerKey);
        uint256 last = createIssuance();
        expectSuccessionRevert(
            ids3(issuanceId, own, last),
            successor,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_AlreadyIssuanceOperator.selector, own, successor)
        );
    }

    /// @dev An id named twice: the second time the successor already runs it.
    function test_RevertWhen_SameIssuanceTwice() public {
        uint256 other = createIssuance();
        expectSuccessionRevert(
            ids3(issuanceId, other, issuanceId),
            successor,
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_AlreadyIssuanceOperator.selector, issuanceId, successor
            )
        );
    }
}
