// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice The state register of issuers (Law art. 4.1.10; R3): kept by the regulator, read by anyone.
contract IssuerRegisterTest is Base {
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 internal constant DETAILS = keccak256("issuer-2 details");
    bytes32 internal constant REASON = keccak256("court order 42");

    address internal newIssuer;

    function setUp() public override {
        super.setUp();
        newIssuer = makeAddr("issuer2");
    }

    function registerNewIssuer() internal {
        vm.prank(regulator);
        registry.registerIssuer(newIssuer, "Kostanay Seeds JSC", "987654321098", "KZ", DETAILS);
    }

    function setStatus(address wallet, IPlatformRegistry.IssuerStatus status) internal {
        vm.prank(regulator);
        registry.setIssuerStatus(wallet, status, REASON);
    }

    function assertIssuer(
        address wallet,
        IPlatformRegistry.IssuerStatus status,
        string memory legalName,
        string memory businessId,
        string memory jurisdiction,
        bytes32 detailsHash
    ) internal view {
        IPlatformRegistry.Issuer memory entry = registry.issuer(wallet);
        assertEq(uint256(entry.status), uint256(status), "status");
        assertEq(entry.legalName, legalName, "legalName");
        assertEq(entry.businessId, businessId, "businessId");
        assertEq(entry.jurisdiction, jurisdiction, "jurisdiction");
        assertEq(entry.detailsHash, detailsHash, "detailsHash");
        assertEq(registry.isIssuerActive(wallet), status == IPlatformRegistry.IssuerStatus.Active, "isIssuerActive");
    }

    /*//////////////////////////////////////////////////////////////
                                REGISTER
    //////////////////////////////////////////////////////////////*/

    function test_RegisterIssuer_EmitsAndStores() public {
        vm.expectEmit();
        emit IPlatformRegistry.IssuerRegistered(
            newIssuer, "Kostanay Seeds JSC", "987654321098", "KZ", DETAILS, regulator
        );
        registerNewIssuer();
        assertIssuer(
            newIssuer, IPlatformRegistry.IssuerStatus.Active, "Kostanay Seeds JSC", "987654321098", "KZ", DETAILS
        );
    }

    function test_Issuer_ReadableByAnyone() public {
        vm.prank(dave);
        IPlatformRegistry.Issuer memory entry = registry.issuer(issuer);
        assertEq(entry.legalName, "Astana Grain LLP", "legalName");
        assertEq(entry.businessId, "123456789012", "businessId");
        assertEq(entry.jurisdiction, "KZ", "jurisdiction");
        assertEq(entry.detailsHash, keccak256("issuer-details"), "detailsHash");
        vm.prank(dave);
        assertTrue(registry.isIssuerActive(issuer), "active");
    }

    function test_Issuer_UnregisteredIsEmpty() public view {
        assertIssuer(newIssuer, IPlatformRegistry.IssuerStatus.None, "", "", "", bytes32(0));
    }

    function test_RevertWhen_RegisterIssuerZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_ZeroAddress.selector));
        vm.prank(regulator);
        registry.registerIssuer(address(0), "Kostanay Seeds JSC", "987654321098", "KZ", DETAILS);
    }

    function test_RevertWhen_RegisterIssuerTwice() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_IssuerAlreadyRegistered.selector, issuer));
        vm.prank(regulator);
        registry.registerIssuer(issuer, "Other LLP", "000000000001", "KZ", DETAILS);
    }

    /// @dev A removed issuer stays in the register as history: the wallet cannot be entered again.
    function test_RevertWhen_RegisterIssuerRemoved() public {
        setStatus(issuer, IPlatformRegistry.IssuerStatus.Removed);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_IssuerAlreadyRegistered.selector, issuer));
        vm.prank(regulator);
        registry.registerIssuer(issuer, "Astana Grain LLP", "123456789012", "KZ", DETAILS);
    }

    function test_RevertWhen_RegisterIssuerEmptyLegalName() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidIssuerDetails.selector));
        vm.prank(regulator);
        registry.registerIssuer(newIssuer, "", "987654321098", "KZ", DETAILS);
    }

    function test_RevertWhen_RegisterIssuerEmptyBusinessId() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidIssuerDetails.selector));
        vm.prank(regulator);
        registry.registerIssuer(newIssuer, "Kostanay Seeds JSC", "", "KZ", DETAILS);
    }

    function test_RevertWhen_RegisterIssuerEmptyJurisdiction() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidIssuerDetails.selector));
        vm.prank(regulator);
        registry.registerIssuer(newIssuer, "Kostanay Seeds JSC", "987654321098", "", DETAILS);
    }

    function test_RevertWhen_RegisterIssuerZeroDetailsHash() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidIssuerDetails.selector));
        vm.prank(regulator);
        registry.registerIssuer(newIssuer, "Kostanay Seeds JSC", "987654321098", "KZ", bytes32(0));
    }

    function test_RevertWhen_RegisterIssuerCallerNotRegulator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, operator, REGULATOR_ROLE)
        );
        vm.prank(operator);
        registry.registerIssuer(newIssuer, "Kostanay Seeds JSC", "987654321098", "KZ", DETAILS);
    }

    /*//////////////////////////////////////////////////////////////
                                 UPDATE
    //////////////////////////////////////////////////////////////*/

    function test_UpdateIssuer_EmitsAndStores() public {
        bytes32 details = keccak256("new charter");
        vm.expectEmit();
        emit IPlatformRegistry.IssuerUpdated(issuer, "Astana Grain JSC", "123456789099", "KZ-AST", details, regulator);
        vm.prank(regulator);
        registry.updateIssuer(issuer, "Astana Grain JSC", "123456789099", "KZ-AST", details);
        assertIssuer(
            issuer, IPlatformRegistry.IssuerStatus.Active, "Astana Grain JSC", "123456789099", "KZ-AST", details
        );
    }

    function test_UpdateIssuer_KeepsStatus() public {
        setStatus(issuer, IPlatformRegistry.IssuerStatus.Suspended);
        vm.prank(regulator);
        registry.updateIssuer(issuer, "Astana Grain JSC", "123456789012", "KZ", DETAILS);
        assertIssuer(
            issuer, IPlatformRegistry.IssuerStatus.Suspended, "Astana Grain JSC", "123456789012", "KZ", DETAILS
        );
    }

    function test_RevertWhen_UpdateIssuerNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_IssuerNotRegistered.selector, newIssuer));
        vm.prank(regulator);
        registry.updateIssuer(newIssuer, "Kostanay Seeds JSC", "987654321098", "KZ", DETAILS);
    }

    function test_RevertWhen_UpdateIssuerInvalidDetails() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidIssuerDetails.selector));
        vm.prank(regulator);
        registry.updateIssuer(issuer, "Astana Grain LLP", "", "KZ", DETAILS);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidIssuerDetails.selector));
        vm.prank(regulator);
        registry.updateIssuer(issuer, "Astana Grain LLP", "123456789012", "KZ", bytes32(0));
        assertIssuer(
            issuer,
            IPlatformRegistry.IssuerStatus.Active,
            "Astana Grain LLP",
            "123456789012",
            "KZ",
            keccak256("issuer-details")
        );
    }

    function test_RevertWhen_UpdateIssuerCallerNotRegulator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, issuer, REGULATOR_ROLE)
        );
        vm.prank(issuer);
        registry.updateIssuer(issuer, "Astana Grain JSC", "123456789012", "KZ", DETAILS);
    }

    /*//////////////////////////////////////////////////////////////
                                 STATUS
    //////////////////////////////////////////////////////////////*/

    function test_SetIssuerStatus_SuspendEmitsAndStopsIssuance() public {
        vm.expectEmit();
        emit IPlatformRegistry.IssuerStatusChanged(issuer, IPlatformRegistry.IssuerStatus.Suspended, REASON, regulator);
        setStatus(issuer, IPlatformRegistry.IssuerStatus.Suspended);
        assertEq(uint256(registry.issuer(issuer).status), uint256(IPlatformRegistry.IssuerStatus.Suspended), "status");
        assertFalse(registry.isIssuerActive(issuer), "not active");

        ISecuredAssetTypes.IssuerConsent memory consent = issuerConsent(issuanceParams(), operator, issuerKey);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuerNotActive.selector, issuer));
        vm.prank(operator);
        asset.createIssuance(issuanceParams(), consent);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuerNotActive.selector, issuer));
        vm.prank(operator);
        asset.mint(issuanceId, alice, 1);
    }

    function test_SetIssuerStatus_ReactivateSuspended() public {
        setStatus(issuer, IPlatformRegistry.IssuerStatus.Suspended);
        vm.expectEmit();
        emit IPlatformRegistry.IssuerStatusChanged(issuer, IPlatformRegistry.IssuerStatus.Active, REASON, regulator);
        setStatus(issuer, IPlatformRegistry.IssuerStatus.Active);
        assertTrue(registry.isIssuerActive(issuer), "active again");
    }

    function test_SetIssuerStatus_RemoveKeepsHistory() public {
        vm.expectEmit();
        emit IPlatformRegistry.IssuerStatusChanged(issuer, IPlatformRegistry.IssuerStatus.Removed, REASON, regulator);
        setStatus(issuer, IPlatformRegistry.IssuerStatus.Removed);
        assertIssuer(
            issuer,
            IPlatformRegistry.IssuerStatus.Removed,
            "Astana Grain LLP",
            "123456789012",
            "KZ",
            keccak256("issuer-details")
        );
    }

    function test_RevertWhen_SetIssuerStatusNone() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_InvalidIssuerStatus.selector, issuer, IPlatformRegistry.IssuerStatus.None
            )
        );
        setStatus(issuer, IPlatformRegistry.IssuerStatus.None);
    }

    function test_RevertWhen_SetIssuerStatusUnchanged() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_InvalidIssuerStatus.selector, issuer, IPlatformRegistry.IssuerStatus.Active
            )
        );
        setStatus(issuer, IPlatformRegistry.IssuerStatus.Active);
    }

    function test_RevertWhen_SetIssuerStatusAfterRemoval() public {
        setStatus(issuer, IPlatformRegistry.IssuerStatus.Removed);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_InvalidIssuerStatus.selector, issuer, IPlatformRegistry.IssuerStatus.Active
            )
        );
        setStatus(issuer, IPlatformRegistry.IssuerStatus.Active);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_InvalidIssuerStatus.selector,
                issuer,
                IPlatformRegistry.IssuerStatus.Suspended
            )
        );
        setStatus(issuer, IPlatformRegistry.IssuerStatus.Suspended);
    }

    function test_RevertWhen_SetIssuerStatusNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_IssuerNotRegistered.selector, newIssuer));
        setStatus(newIssuer, IPlatformRegistry.IssuerStatus.Suspended);
    }

    function test_RevertWhen_SetIssuerStatusCallerNotRegulator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, compliance, REGULATOR_ROLE)
        );
        vm.prank(compliance);
        registry.setIssuerStatus(issuer, IPlatformRegistry.IssuerStatus.Suspended, REASON);
    }
}
