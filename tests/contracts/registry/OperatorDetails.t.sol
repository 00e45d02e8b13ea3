// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

import {RegisterListBase} from "./RegisterListBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice The regulator records each operator's legal details (Law art. 6.1-6.2), before or after
/// its permit, and may correct them; the register shows them to anyone.
contract OperatorDetailsTest is RegisterListBase {
    bytes32 internal constant DETAILS = keccak256("operator details");

    function recordDetails(address op, string memory legalName, string memory businessId, string memory jurisdiction)
        internal
    {
        vm.prank(regulator);
        registry.recordOperatorDetails(op, legalName, businessId, jurisdiction, DETAILS);
    }

    function assertDetails(
        address op,
        string memory legalName,
        string memory businessId,
        string memory jurisdiction,
        bytes32 detailsHash
    ) internal view {
        IPlatformRegistry.OperatorDetails memory d = registry.operatorDetails(op);
        assertEq(d.legalName, legalName, "legalName");
        assertEq(d.businessId, businessId, "businessId");
        assertEq(d.jurisdiction, jurisdiction, "jurisdiction");
        assertEq(d.detailsHash, detailsHash, "detailsHash");
    }

    function expectInvalid() internal {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidOperatorDetails.selector));
    }

    /*//////////////////////////////////////////////////////////////
                                 RECORD
    //////////////////////////////////////////////////////////////*/

    function test_RecordOperatorDetails_EmitsAndStores() public {
        vm.expectEmit(address(registry));
        emit IPlatformRegistry.OperatorDetailsRecorded(
            operator, "Astana Exchange LLP", "111222333444", "KZ", DETAILS, regulator
        );
        recordDetails(operator, "Astana Exchange LLP", "111222333444", "KZ");
        assertDetails(operator, "Astana Exchange LLP", "111222333444", "KZ", DETAILS);
        assertEq(registry.operatorCount(), 1, "already listed by its permit");
    }

    function test_OperatorDetails_EmptyWhenNoneRecorded() public view {
        assertDetails(operator, "", "", "", bytes32(0));
        assertDetails(alice, "", "", "", bytes32(0));
    }

    /// @dev Recorded again, the details are replaced as a whole and the correction is logged.
    function test_RecordOperatorDetails_CorrectionOverwrites() public {
        recordDetails(operator, "Astana Exchange LLP", "111222333444", "KZ");
        vm.expectEmit(address(registry));
        emit IPlatformRegistry.OperatorDetailsRecorded(
            operator, "Astana Exchange JSC", "111222333445", "AIFC", keccak256("corrected"), regulator
        );
        vm.prank(regulator);
        registry.recordOperatorDetails(operator, "Astana Exchange JSC", "111222333445", "AIFC", keccak256("corrected"));
        assertDetails(operator, "Astana Exchange JSC", "111222333445", "AIFC", keccak256("corrected"));
        assertEq(registry.operatorCount(), 1, "listed once");
    }

    /// @dev Before any permit: the operator is listed from its details, with no permit.
    function test_RecordOperatorDetails_BeforePermit() public {
        address op2 = makeAddr("operator2");
        recordDetails(op2, "Qazaq Broker JSC", "987654321098", "KZ");
        assertDetails(op2, "Qazaq Broker JSC", "987654321098", "KZ", DETAILS);
        assertPage(registry.operators(0, 10), list(operator, op2), "listed");
        assertEq(uint256(registry.permitState(op2)), uint256(IPlatformRegistry.PermitState.None), "no permit");
    }

    /// @dev After its permit is revoked: the register keeps who the operator was.
    function test_RecordOperatorDetails_AfterRevocation() public {
        vm.prank(regulator);
        registry.revokePermit(operator, keccak256("licence withdrawn"));
        recordDetails(operator, "Astana Exchange LLP", "111222333444", "KZ");
        assertDetails(operator, "Astana Exchange LLP", "111222333444", "KZ", DETAILS);
    }

    /*//////////////////////////////////////////////////////////////
                                REFUSALS
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_RecordOperatorDetailsByOperator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, operator, REGULATOR_ROLE)
        );
        vm.prank(operator);
        registry.recordOperatorDetails(operator, "Astana Exchange LLP", "111222333444", "KZ", DETAILS);
        assertDetails(operator, "", "", "", bytes32(0));
    }

    function test_RevertWhen_RecordOperatorDetailsByStranger() public {
        address op2 = makeAddr("operator2");
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice, REGULATOR_ROLE)
        );
        vm.prank(alice);
        registry.recordOperatorDetails(op2, "Qazaq Broker JSC", "987654321098", "KZ", DETAILS);
        assertEq(registry.operatorCount(), 1, "not listed");
    }

    function test_RevertWhen_RecordOperatorDetailsZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_ZeroAddress.selector));
        recordDetails(address(0), "Qazaq Broker JSC", "987654321098", "KZ");
        assertEq(registry.operatorCount(), 1, "not listed");
    }

    function test_RevertWhen_RecordOperatorDetailsEmptyLegalName() public {
        expectInvalid();
        recordDetails(operator, "", "111222333444", "KZ");
    }

    function test_RevertWhen_RecordOperatorDetailsEmptyBusinessId() public {
        expectInvalid();
        recordDetails(operator, "Astana Exchange LLP", "", "KZ");
    }

    function test_RevertWhen_RecordOperatorDetailsEmptyJurisdiction() public {
        expectInvalid();
        recordDetails(operator, "Astana Exchange LLP", "111222333444", "");
    }

    function test_RevertWhen_RecordOperatorDetailsZeroDetailsHash() public {
        expectInvalid();
        vm.prank(regulator);
        registry.recordOperatorDetails(operator, "Astana Exchange LLP", "111222333444", "KZ", bytes32(0));
    }

    /// @dev An invalid correction leaves the recorded details as they were, and an invalid first
    /// record lists no one.
    function test_RevertWhen_InvalidDetailsChangeNothing() public {
        recordDetails(operator, "Astana Exchange LLP", "111222333444", "KZ");
        expectInvalid();
        recordDetails(operator, "Astana Exchange JSC", "", "KZ");
        assertDetails(operator, "Astana Exchange LLP", "111222333444", "KZ", DETAILS);

        address op2 = makeAddr("operator2");
        expectInvalid();
        recordDetails(op2, "", "", "");
        assertEq(registry.operatorCount(), 1, "not listed");
    }
}
