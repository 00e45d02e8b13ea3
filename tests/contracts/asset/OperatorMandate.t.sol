// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice No key beyond its mandate (Law art. 6.1-6.2): every operator action on the asset
/// (create, mint, pause, unpause, close, enforce) needs OPERATOR_ROLE and a permit in force. The
/// issuer closes without any role; the regulator keeps its own powers whatever the operator's state.
contract OperatorMandateTest is Base {
    bytes32 internal constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 internal constant FULFILLED = keccak256("obligations fulfilled");

    /// @dev The operator's issuance without supply (for close) and one it paused (for unpause).
    uint256 internal emptyId;
    uint256 internal pausedId;
    /// @dev alice's units of `issuanceId` pledged to bob (for enforce).
    uint256 internal encumbranceId;

    function setUp() public override {
        super.setUp();
        vm.prank(alice);
        encumbranceId = asset.encumber(issuanceId, 10, bob, keccak256("pledge"), 0);
        emptyId = createIssuance();
        pausedId = createIssuance();
        vm.prank(operator);
        asset.pause(pausedId);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function permitNotActive(address account, IPlatformRegistry.PermitState state)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector, account, state);
    }

    /// @dev Every operator action of `operator` reverts with `err`, and nothing changes.
    function assertEveryActionRefused(bytes memory err) internal {
        uint256 count = asset.issuanceCount();
        uint256 supply = asset.totalSupply(issuanceId);

        vm.expectRevert(err);
        vm.prank(operator);
        asset.pause(issuanceId);

        vm.expectRevert(err);
        vm.prank(operator);
        asset.unpause(pausedId);

        vm.expectRevert(err);
        vm.prank(operator);
        asset.close(emptyId, FULFILLED);

        vm.expectRevert(err);
        vm.prank(operator);
        asset.mint(issuanceId, alice, 1);

        vm.expectRevert(err);
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default"));

        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        ISecuredAssetTypes.IssuerConsent memory consent = issuerConsent(p, operator, issuerKey);
        vm.expectRevert(err);
        vm.prank(operator);
        asset.createIssuance(p, consent);

        assertFalse(asset.issuance(issuanceId).paused, "not paused");
        assertTrue(asset.issuance(pausedId).paused, "still paused");
        assertFalse(asset.issuance(emptyId).closed, "not closed");
        assertEq(asset.totalSupply(issuanceId), supply, "nothing minted");
        assertTrue(asset.encumbrance(encumbranceId).active, "not enforced");
        assertEq(asset.issuanceCount(), count, "nothing created");
    }

    /*//////////////////////////////////////////////////////////////
                      OUTSIDE THE MANDATE: REFUSED
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_OperatorRoleRevoked() public {
        vm.prank(regulator);
        registry.revokeRole(OPERATOR_ROLE, operator);
        assertEveryActionRefused(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, operator, OPERATOR_ROLE)
        );
    }

    function test_RevertWhen_OperatorPermitSuspended() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        assertEveryActionRefused(permitNotActive(operator, IPlatformRegistry.PermitState.Suspended));
    }

    function test_RevertWhen_OperatorPermitRevoked() public {
        vm.prank(regulator);
        registry.revokePermit(operator, keccak256("licence withdrawn"));
        assertEveryActionRefused(permitNotActive(operator, IPlatformRegistry.PermitState.Revoked));
    }

    function test_RevertWhen_OperatorPermitExpired() public {
        vm.warp(START + 365 days);
        assertEveryActionRefused(permitNotActive(operator, IPlatformRegistry.PermitState.Expired));
    }

    /// @dev An operator that never held a permit never posted an issuance: only creation is open
    /// to try, and it is refused.
    function test_RevertWhen_OperatorPermitNeverGranted() public {
        address newcomer = makeAddr("newcomer");
        vm.prank(regulator);
        registry.grantRole(OPERATOR_ROLE, newcomer);
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        ISecuredAssetTypes.IssuerConsent memory consent = issuerConsent(p, newcomer, issuerKey);
        vm.expectRevert(permitNotActive(newcomer, IPlatformRegistry.PermitState.None));
        vm.prank(newcomer);
        asset.createIssuance(p, consent);
    }

    /*//////////////////////////////////////////////////////////////
                        OTHERS KEEP THEIR POWERS
    //////////////////////////////////////////////////////////////*/

    /// @dev The issuer's obligations do not depend on the operator's permit (Law art. 7.1).
    function test_CloseByIssuerWithoutAnOperatorInForce() public {
        vm.startPrank(regulator);
        registry.revokePermit(operator, keccak256("licence withdrawn"));
        registry.revokeRole(OPERATOR_ROLE, operator);
        vm.stopPrank();
        vm.prank(issuer);
        asset.close(emptyId, FULFILLED);
        assertTrue(asset.issuance(emptyId).closed, "closed by the issuer");
    }

    function test_RegulatorPausesAndUnpausesWhateverTheOperatorsState() public {
        vm.startPrank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        registry.revokeRole(OPERATOR_ROLE, operator);
        asset.pause(issuanceId);
        asset.unpause(pausedId);
        vm.stopPrank();
        assertTrue(asset.issuance(issuanceId).paused, "paused by the regulator");
        assertFalse(asset.issuance(pausedId).paused, "operator's pause lifted by the regulator");
    }

    function test_WhenPermitReinstated_OperatorActsAgain() public {
        vm.startPrank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        registry.reinstatePermit(operator, keccak256("cleared"));
        vm.stopPrank();
        vm.startPrank(operator);
        asset.unpause(pausedId);
        asset.close(emptyId, FULFILLED);
        asset.enforce(encumbranceId, keccak256("default"));
        vm.stopPrank();
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 10, "enforced");
    }
}
