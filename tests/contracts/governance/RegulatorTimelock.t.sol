// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

import {CollateralAttestations} from "../../../contracts/CollateralAttestations.sol";
import {PlatformRegistry} from "../../../contracts/PlatformRegistry.sol";
import {RegulatorCouncil} from "../../../contracts/governance/RegulatorCouncil.sol";
import {RegulatorTimelock} from "../../../contracts/governance/RegulatorTimelock.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";
import {ISecuredAssetCore} from "../../../contracts/interfaces/ISecuredAssetCore.sol";
import {ISecuredAssetExtension} from "../../../contracts/interfaces/ISecuredAssetExtension.sol";
import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";

import {vm} from "../utils/Vm.sol";
import {GovernedBase} from "./GovernedBase.t.sol";

/// @notice The governed regulator: the timelock holds REGULATOR_ROLE, the council alone schedules
/// and cancels, anyone executes once the delay has passed, and the registry's and the asset's
/// events name the timelock as the one who acted. The timelock administers itself, so its delay
/// and its proposers change only by an operation that waited the delay too.
contract RegulatorTimelockTest is GovernedBase {
    bytes32 internal constant ORDER = keccak256("regulator's order 2026-14");
    bytes32 internal constant REASON = keccak256("permit revoked: order 2026-15");

    address internal newOperator;

    function setUp() public override {
        super.setUp();
        newOperator = makeAddr("new operator");
    }

    function grantOperatorCall(address account) internal pure returns (bytes memory) {
        return abi.encodeCall(IAccessControl.grantRole, (OPERATOR_ROLE, account));
    }

    function ids1(uint256 a) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](1);
        ids[0] = a;
    }

    /*//////////////////////////////////////////////////////////////
                              CONFIGURATION
    //////////////////////////////////////////////////////////////*/

    function test_Configuration() public view {
        assertEq(timelock.getMinDelay(), DELAY, "delay");
        assertTrue(timelock.hasRole(timelock.PROPOSER_ROLE(), address(council)), "the council proposes");
        assertTrue(timelock.hasRole(timelock.CANCELLER_ROLE(), address(council)), "the council cancels");
        assertTrue(timelock.hasRole(timelock.EXECUTOR_ROLE(), address(0)), "anyone executes");
        assertTrue(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(timelock)), "self-administered");
        assertFalse(
            timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(council)), "the council administers nothing"
        );
        assertFalse(timelock.hasRole(timelock.DEFAULT_ADMIN_ROLE(), address(this)), "the deployer keeps nothing");
        assertFalse(timelock.hasRole(timelock.PROPOSER_ROLE(), signer1), "no signer proposes alone");

        assertTrue(registry.hasRole(REGULATOR_ROLE, address(timelock)), "the timelock is the regulator");
        assertEq(registry.regulatorCount(), 1, "the only one");
        assertFalse(registry.hasRole(REGULATOR_ROLE, address(council)), "not the council");
        assertFalse(registry.hasRole(REGULATOR_ROLE, address(this)), "not the deployer");
        assertEq(asset.issuance(issuanceId).operator, operator, "the fixture ran governed");
    }

    /*//////////////////////////////////////////////////////////////
                        SCHEDULE, WAIT, EXECUTE
    //////////////////////////////////////////////////////////////*/

    function test_GrantRoleRunsOnlyAfterTheDelay() public {
        bytes memory data = grantOperatorCall(newOperator);
        bytes32 salt = nextSalt();
        bytes32 id = timelock.hashOperation(address(registry), 0, data, bytes32(0), salt);

        vm.expectEmit(address(timelock));
        emit TimelockController.CallScheduled(id, 0, address(registry), 0, data, bytes32(0), DELAY);
        propose(address(registry), data, salt);
        assertTrue(timelock.isOperationPending(id), "waiting");
        assertEq(timelock.getTimestamp(id), block.timestamp + DELAY, "ready at");

        expectNotReady(id);
        executeScheduled(address(registry), data, salt);
        vm.warp(block.timestamp + DELAY - 1);
        expectNotReady(id);
        executeScheduled(address(registry), data, salt);
        assertFalse(registry.hasRole(OPERATOR_ROLE, newOperator), "not before the delay");

        vm.warp(block.timestamp + 1);
        vm.expectEmit(address(registry));
        emit IAccessControl.RoleGranted(OPERATOR_ROLE, newOperator, address(timelock));
        vm.expectEmit(address(timelock));
        emit TimelockController.CallExecuted(id, 0, address(registry), 0, data);
        executeScheduled(address(registry), data, salt);
        assertTrue(registry.hasRole(OPERATOR_ROLE, newOperator), "granted");
        assertTrue(timelock.isOperationDone(id), "done");
    }

    function testFuzz_AnyoneExecutesAfterTheDelay(address by, uint256 wait) public {
        wait = bound(wait, DELAY, 3650 days);
        bytes memory data = grantOperatorCall(newOperator);
        bytes32 salt = nextSalt();
        propose(address(registry), data, salt);
        vm.warp(block.timestamp + wait);
        vm.prank(by);
        timelock.execute(address(registry), 0, data, bytes32(0), salt);
        assertTrue(registry.hasRole(OPERATOR_ROLE, newOperator), "granted");
    }

    function test_RevertWhen_ExecutedTwice() public {
        bytes memory data = grantOperatorCall(newOperator);
        bytes32 salt = nextSalt();
        bytes32 id = propose(address(registry), data, salt);
        vm.warp(block.timestamp + DELAY);
        executeScheduled(address(registry), data, salt);
        expectNotReady(id);
        executeScheduled(address(registry), data, salt);
    }

    function test_RevokePermitThroughTheTimelock() public {
        bytes memory data = abi.encodeCall(IPlatformRegistry.revokePermit, (operator, REASON));
        bytes32 salt = nextSalt();
        propose(address(registry), data, salt);
        vm.warp(block.timestamp + DELAY);
        vm.expectEmit(address(registry));
        emit IPlatformRegistry.PermitRevoked(operator, REASON, address(timelock));
        executeScheduled(address(registry), data, salt);
        assertEq(
            uint256(registry.permitState(operator)), uint256(IPlatformRegistry.PermitState.Revoked), "permit revoked"
        );
    }

    function test_ForcedTransferThroughTheTimelock() public {
        bytes memory data = abi.encodeCall(ISecuredAssetExtension.forcedTransfer, (issuanceId, alice, bob, 100, ORDER));
        bytes32 salt = nextSalt();
        propose(address(asset), data, salt);
        vm.warp(block.timestamp + DELAY);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.TransferOrdered(issuanceId, alice, bob, 100, 0, ORDER, address(timelock));
        executeScheduled(address(asset), data, salt);
        assertEq(asset.balanceOf(alice, issuanceId), MINTED - 100, "alice");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 100, "bob");
    }

    function test_SuccessionThroughTheTimelock() public {
        address[] memory targets = new address[](2);
        bytes[] memory payloads = new bytes[](2);
        (targets[0], targets[1]) = (address(registry), address(registry));
        payloads[0] = grantOperatorCall(newOperator);
        payloads[1] = abi.encodeCall(
            IPlatformRegistry.grantPermit,
            (newOperator, uint64(block.timestamp), uint64(block.timestamp + 365 days), keccak256("permit-002"))
        );
        governAll(targets, payloads);

        bytes memory data = abi.encodeCall(ISecuredAssetCore.succeedIssuances, (ids1(issuanceId), newOperator, ORDER));
        bytes32 salt = nextSalt();
        propose(address(asset), data, salt);
        vm.warp(block.timestamp + DELAY);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuanceSucceeded(issuanceId, operator, newOperator, ORDER, address(timelock));
        executeScheduled(address(asset), data, salt);
        assertEq(asset.issuance(issuanceId).operator, newOperator, "succeeded");
    }

    function test_PauseThroughTheTimelockIsTheRegulators() public {
        bytes memory data = abi.encodeCall(ISecuredAssetCore.pause, (issuanceId));
        bytes32 salt = nextSalt();
        propose(address(asset), data, salt);
        vm.warp(block.timestamp + DELAY);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuancePaused(issuanceId, address(timelock), true);
        executeScheduled(address(asset), data, salt);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_PausedByRegulator.selector, issuanceId));
        asset.unpause(issuanceId);
    }

    /// @dev What is true of OpenZeppelin's TimelockController, and worth knowing: an operation
    /// never expires. One that reverted when first executed stays Ready, and anyone may run it
    /// later, once the state lets it through; the council must cancel what it no longer wants.
    function test_AFailedOperationStaysExecutableUntilCancelled() public {
        bytes memory data = abi.encodeCall(ISecuredAssetExtension.forcedTransfer, (issuanceId, alice, bob, 100, ORDER));
        bytes32 salt = nextSalt();
        bytes32 id = propose(address(asset), data, salt);
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, MINTED, "");
        vm.warp(block.timestamp + DELAY);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_UnitsUnavailable.selector, issuanceId, alice, 100, 0)
        );
        executeScheduled(address(asset), data, salt);
        assertTrue(timelock.isOperationReady(id), "still ready");

        vm.warp(block.timestamp + 30 days);
        vm.prank(bob);
        asset.safeTransferFrom(bob, alice, issuanceId, 100, "");
        executeScheduled(address(asset), data, salt);
        assertEq(asset.balanceOf(alice, issuanceId), 0, "the old order took alice's new units");
    }

    /*//////////////////////////////////////////////////////////////
                                 CANCEL
    //////////////////////////////////////////////////////////////*/

    function test_CouncilCancelsAWaitingOperation() public {
        bytes memory data = grantOperatorCall(newOperator);
        bytes32 salt = nextSalt();
        bytes32 id = propose(address(registry), data, salt);

        vm.expectEmit(address(timelock));
        emit TimelockController.Cancelled(id);
        agree(address(timelock), abi.encodeCall(TimelockController.cancel, (id)));
        assertFalse(timelock.isOperation(id), "gone");

        vm.warp(block.timestamp + DELAY);
        expectNotReady(id);
        executeScheduled(address(registry), data, salt);
        assertFalse(registry.hasRole(OPERATOR_ROLE, newOperator), "never granted");
    }

    function testFuzz_RevertWhen_CancelledByAnyoneButTheCouncil(address caller) public {
        vm.assume(caller != address(council));
        bytes32 id = propose(address(registry), grantOperatorCall(newOperator), nextSalt());
        bytes32 role = timelock.CANCELLER_ROLE();
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, role));
        timelock.cancel(id);
        assertTrue(timelock.isOperationPending(id), "still waiting");
    }

    /*//////////////////////////////////////////////////////////////
                      ONLY THE COUNCIL, ONLY THE DELAY
    //////////////////////////////////////////////////////////////*/

    function testFuzz_RevertWhen_ScheduledByAnyoneButTheCouncil(address caller) public {
        vm.assume(caller != address(council));
        bytes32 role = timelock.PROPOSER_ROLE();
        bytes memory data = grantOperatorCall(newOperator);
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, caller, role));
        timelock.schedule(address(registry), 0, data, bytes32(0), bytes32(0), DELAY);
    }

    function test_RevertWhen_ScheduledByOneSigner() public {
        bytes32 role = timelock.PROPOSER_ROLE();
        bytes memory data = grantOperatorCall(newOperator);
        vm.prank(signer1);
        vm.expectRevert(abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, signer1, role));
        timelock.schedule(address(registry), 0, data, bytes32(0), bytes32(0), DELAY);

        // Nor through the council with one signature.
        bytes memory batch = batchOf(
            address(timelock),
            abi.encodeCall(TimelockController.schedule, (address(registry), 0, data, bytes32(0), bytes32(0), DELAY))
        );
        uint256 nonce = council.nextNonce();
        bytes32 digest = digestOf(batch, nonce);
        bytes memory signatures = signedBy(digest, keysOf(signer1Key));
        vm.expectRevert(abi.encodeWithSelector(RegulatorCouncil.Council_NotAgreed.selector, digest));
        council.executeSigned(BATCH_MODE, batch, nonce, signatures);
    }

    function test_RevertWhen_DelayBelowTheMinimum() public {
        bytes memory data = grantOperatorCall(newOperator);
        bytes memory batch = batchOf(
            address(timelock),
            abi.encodeCall(TimelockController.schedule, (address(registry), 0, data, bytes32(0), bytes32(0), DELAY - 1))
        );
        uint256 nonce = council.nextNonce();
        bytes memory signatures = signedBy(digestOf(batch, nonce), quorum());
        vm.expectRevert(abi.encodeWithSelector(TimelockController.TimelockInsufficientDelay.selector, DELAY - 1, DELAY));
        council.executeSigned(BATCH_MODE, batch, nonce, signatures);
    }

    /// @dev The council agreeing is not enough: it holds no role on the registry, only the
    /// timelock does, so every regulator power waits the delay.
    function test_RevertWhen_CouncilSkipsTheTimelock() public {
        bytes memory batch = batchOf(address(registry), grantOperatorCall(newOperator));
        uint256 nonce = council.nextNonce();
        bytes memory signatures = signedBy(digestOf(batch, nonce), quorum());
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, address(council), REGULATOR_ROLE
            )
        );
        council.executeSigned(BATCH_MODE, batch, nonce, signatures);
    }

    /*//////////////////////////////////////////////////////////////
                          SELF-ADMINISTRATION
    //////////////////////////////////////////////////////////////*/

    function test_UpdateDelayOnlyThroughAScheduledOperation() public {
        vm.prank(address(council));
        vm.expectRevert(
            abi.encodeWithSelector(TimelockController.TimelockUnauthorizedCaller.selector, address(council))
        );
        timelock.updateDelay(0);
        vm.prank(signer1);
        vm.expectRevert(abi.encodeWithSelector(TimelockController.TimelockUnauthorizedCaller.selector, signer1));
        timelock.updateDelay(0);

        bytes memory data = abi.encodeCall(TimelockController.updateDelay, (7 days));
        bytes32 salt = nextSalt();
        propose(address(timelock), data, salt);
        vm.warp(block.timestamp + DELAY);
        vm.expectEmit(address(timelock));
        emit TimelockController.MinDelayChange(DELAY, 7 days);
        executeScheduled(address(timelock), data, salt);
        assertEq(timelock.getMinDelay(), 7 days, "new delay");
    }

    function test_RevertWhen_CouncilAdministersTheTimelockDirectly() public {
        bytes32 proposer = timelock.PROPOSER_ROLE();
        bytes32 admin = timelock.DEFAULT_ADMIN_ROLE();
        bytes memory batch = batchOf(address(timelock), abi.encodeCall(IAccessControl.grantRole, (proposer, signer1)));
        uint256 nonce = council.nextNonce();
        bytes memory signatures = signedBy(digestOf(batch, nonce), quorum());
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, address(council), admin)
        );
        council.executeSigned(BATCH_MODE, batch, nonce, signatures);
    }

    /// @dev A new proposer (a new council) is itself an operation that waited the delay.
    function test_NewCouncilOnlyThroughAScheduledOperation() public {
        RegulatorCouncil next = new RegulatorCouncil(signersOf(signer1, signer2, signer3), 3);
        bytes32 proposer = timelock.PROPOSER_ROLE();
        govern(address(timelock), abi.encodeCall(IAccessControl.grantRole, (proposer, address(next))));
        assertTrue(timelock.hasRole(proposer, address(next)), "the new council proposes");
        govern(address(timelock), abi.encodeCall(IAccessControl.revokeRole, (proposer, address(council))));
        assertFalse(timelock.hasRole(proposer, address(council)), "the old one no longer");
    }

    /*//////////////////////////////////////////////////////////////
                          NO KEY HOLDS THE POWER
    //////////////////////////////////////////////////////////////*/

    /// @dev The key that would have been the single regulator, and the deployer, hold nothing.
    function test_NoRegulatorKeyInTheGovernedSetup() public {
        address[2] memory keys = [regulator, address(this)];
        for (uint256 i; i < 2; ++i) {
            address key = keys[i];
            vm.prank(key);
            vm.expectRevert(
                abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, key, REGULATOR_ROLE)
            );
            registry.grantRole(OPERATOR_ROLE, key);
            vm.prank(key);
            vm.expectRevert(
                abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, key, REGULATOR_ROLE)
            );
            asset.forcedTransfer(issuanceId, alice, key, 1, ORDER);
            vm.prank(key);
            vm.expectRevert(
                abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperator.selector, issuanceId, key)
            );
            asset.pause(issuanceId);
        }
    }

    /// @dev A platform run by one key moves to governance: the key grants REGULATOR_ROLE to the
    /// timelock and renounces its own; from then on it holds nothing and the timelock governs.
    function test_FormerRegulatorKeyHoldsNothing() public {
        address key = makeAddr("former regulator key");
        PlatformRegistry single = new PlatformRegistry(key);
        ISecuredAsset singleAsset =
            deployAsset(single, new CollateralAttestations(single), address(forwarder), "https://sdap.example/{id}");
        vm.startPrank(key);
        single.grantRole(REGULATOR_ROLE, address(timelock));
        single.renounceRole(REGULATOR_ROLE, key);
        vm.stopPrank();
        assertFalse(single.hasRole(REGULATOR_ROLE, key), "renounced");
        assertEq(single.regulatorCount(), 1, "the timelock alone");

        bytes memory unauthorized =
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, key, REGULATOR_ROLE);
        vm.prank(key);
        vm.expectRevert(unauthorized);
        single.grantRole(OPERATOR_ROLE, key);
        vm.prank(key);
        vm.expectRevert(unauthorized);
        single.grantRole(REGULATOR_ROLE, key);
        vm.prank(key);
        vm.expectRevert(unauthorized);
        single.listAssetType("Grain warehouse receipt", IPlatformRegistry.AssetCategory.Goods);
        vm.prank(key);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, key, REGULATOR_ROLE)
        );
        singleAsset.succeedIssuances(ids1(1), key, ORDER);

        govern(address(single), grantOperatorCall(newOperator));
        assertTrue(single.hasRole(OPERATOR_ROLE, newOperator), "the timelock governs");
    }

    /*//////////////////////////////////////////////////////////////
                      SUPERVISORS ACT AT ONCE
    //////////////////////////////////////////////////////////////*/

    function test_SupervisorPausesAtOnceWhileTheCouncilWaits() public {
        address supervisor = makeAddr("supervisor");
        govern(address(registry), abi.encodeCall(IAccessControl.grantRole, (SUPERVISOR_ROLE, supervisor)));
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuancePaused(issuanceId, supervisor, true);
        vm.prank(supervisor);
        asset.pause(issuanceId);
        assertTrue(asset.issuance(issuanceId).pausedByRegulator, "with the regulator's authority");
    }

    /// @dev What is true, and worth knowing: a pause the council agreed on and the timelock
    /// imposed after its delay is lifted at once by any one supervisor key (the design gives a
    /// supervisor the regulator's authority over pauses both ways).
    /// @dev A pause the council ordered is lifted by the council (after the delay), never by one
    /// supervisor's key.
    function test_RevertWhen_SupervisorLiftsAPauseTheCouncilImposed() public {
        address supervisor = makeAddr("supervisor");
        govern(address(registry), abi.encodeCall(IAccessControl.grantRole, (SUPERVISOR_ROLE, supervisor)));
        govern(address(asset), abi.encodeCall(ISecuredAssetCore.pause, (issuanceId)));
        assertTrue(asset.issuance(issuanceId).pausedByRegulator, "paused by the timelock");

        vm.prank(supervisor);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_PausedByRegulator.selector, issuanceId));
        asset.unpause(issuanceId);

        govern(address(asset), abi.encodeCall(ISecuredAssetCore.unpause, (issuanceId)));
        assertFalse(asset.issuance(issuanceId).paused, "lifted by the council");
    }

    function test_RevertWhen_TimelockWithoutACouncil() public {
        vm.expectRevert(abi.encodeWithSelector(RegulatorTimelock.Timelock_InvalidSetup.selector, DELAY, address(0)));
        new RegulatorTimelock(DELAY, address(0));
    }

    function test_RevertWhen_TimelockWithoutADelay() public {
        vm.expectRevert(abi.encodeWithSelector(RegulatorTimelock.Timelock_InvalidSetup.selector, 0, address(council)));
        new RegulatorTimelock(0, address(council));
    }

    /// @dev The delay never drops to zero, even by the timelock's own scheduled operation.
    function test_RevertWhen_DelayUpdatedToZero() public {
        vm.prank(address(timelock));
        vm.expectRevert(abi.encodeWithSelector(RegulatorTimelock.Timelock_InvalidSetup.selector, 0, address(0)));
        timelock.updateDelay(0);
        assertEq(timelock.getMinDelay(), DELAY, "unchanged");
    }
}
