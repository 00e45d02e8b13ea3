// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

import {CollateralAttestations} from "../../../contracts/CollateralAttestations.sol";
import {HolderForwarder} from "../../../contracts/HolderForwarder.sol";
import {PlatformRegistry} from "../../../contracts/PlatformRegistry.sol";
import {RegulatorTimelock} from "../../../contracts/governance/RegulatorTimelock.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";
import {CouncilBase} from "./CouncilBase.t.sol";

/// @notice The shared fixture deployed governed: the registry is constructed with the
/// RegulatorTimelock as its regulator, the council the timelock's only proposer. The standard
/// fixture's regulator acts (roles, the operator's permit, the issuer, the type, the notice) as
/// one operation the council scheduled and anyone executed after the delay; the rest (participants,
/// the issuance, its collateral and units) is the operator's, issuer's and verifier's as usual.
/// `regulator` is a key that holds nothing here: what a single regulator key would have been.
abstract contract GovernedBase is Base, CouncilBase {
    uint256 internal constant DELAY = 2 days;
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 internal constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 internal constant VERIFIER_ROLE = keccak256("VERIFIER_ROLE");
    bytes32 internal constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    bytes32 internal constant SUPERVISOR_ROLE = keccak256("SUPERVISOR_ROLE");

    RegulatorTimelock internal timelock;
    /// @dev Anyone: executes what waited its delay, holding no role anywhere.
    address internal executor;
    uint256 private _salts;

    function setUp() public virtual override {
        vm.warp(START);
        regulator = makeAddr("regulator");
        operator = makeAddr("operator");
        compliance = makeAddr("compliance");
        executor = makeAddr("executor");
        (verifier, verifierKey) = makeKey("verifier");
        (issuer, issuerKey) = makeKey("issuer");
        (alice, aliceKey) = makeKey("alice");
        (bob, bobKey) = makeKey("bob");
        (carol, carolKey) = makeKey("carol");
        dave = makeAddr("dave");

        deployCouncil();
        timelock = new RegulatorTimelock(DELAY, address(council));
        registry = new PlatformRegistry(address(timelock));
        forwarder = new HolderForwarder();
        collateral = new CollateralAttestations(registry);
        asset = deployAsset(registry, collateral, address(forwarder), "https://sdap.example/meta/{id}.json");

        address[] memory targets = new address[](7);
        bytes[] memory payloads = new bytes[](7);
        for (uint256 i; i < 7; ++i) {
            targets[i] = address(registry);
        }
        payloads[0] = abi.encodeCall(IAccessControl.grantRole, (OPERATOR_ROLE, operator));
        payloads[1] = abi.encodeCall(IAccessControl.grantRole, (VERIFIER_ROLE, verifier));
        payloads[2] = abi.encodeCall(IAccessControl.grantRole, (COMPLIANCE_ROLE, compliance));
        payloads[3] = abi.encodeCall(
            IPlatformRegistry.grantPermit, (operator, uint64(START), uint64(START + 365 days), keccak256("permit-001"))
        );
        payloads[4] = abi.encodeCall(
            IPlatformRegistry.registerIssuer,
            (issuer, "Astana Grain LLP", "123456789012", "KZ", keccak256("issuer-details"))
        );
        payloads[5] = abi.encodeCall(
            IPlatformRegistry.listAssetType, ("Grain warehouse receipt", IPlatformRegistry.AssetCategory.Goods)
        );
        payloads[6] = abi.encodeCall(
            IPlatformRegistry.publishRiskNotice, (keccak256("risk notice v1"), "https://sdap.example/risk/v1")
        );
        governAll(targets, payloads);
        goodsType = registry.assetTypeCount();
        noticeVersion = registry.noticeInForce();

        onboard(alice);
        onboard(bob);
        register(carol);

        issuanceId = createIssuance();
        attest(issuanceId, COVERED);
        vm.prank(operator);
        asset.mint(issuanceId, alice, MINTED);
        vm.prank(operator);
        asset.mint(issuanceId, bob, MINTED);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function nextSalt() internal returns (bytes32) {
        return bytes32(++_salts);
    }

    /// @dev The council agrees on `timelock.schedule(target, 0, data, 0, salt, DELAY)`; returns the
    /// operation's id.
    function propose(address target, bytes memory data, bytes32 salt) internal returns (bytes32 id) {
        agree(
            address(timelock), abi.encodeCall(TimelockController.schedule, (target, 0, data, bytes32(0), salt, DELAY))
        );
        id = timelock.hashOperation(target, 0, data, bytes32(0), salt);
    }

    /// @dev Anyone (`executor`) runs the scheduled operation.
    function executeScheduled(address target, bytes memory data, bytes32 salt) internal {
        vm.prank(executor);
        timelock.execute(target, 0, data, bytes32(0), salt);
    }

    /// @dev The whole governed path: the council schedules, the delay passes, anyone executes.
    function govern(address target, bytes memory data) internal {
        bytes32 salt = nextSalt();
        propose(target, data, salt);
        vm.warp(block.timestamp + DELAY);
        executeScheduled(target, data, salt);
    }

    /// @dev The governed path for several calls as one operation (scheduleBatch, executeBatch).
    function governAll(address[] memory targets, bytes[] memory payloads) internal {
        uint256[] memory values = new uint256[](targets.length);
        bytes32 salt = nextSalt();
        agree(
            address(timelock),
            abi.encodeCall(TimelockController.scheduleBatch, (targets, values, payloads, bytes32(0), salt, DELAY))
        );
        vm.warp(block.timestamp + DELAY);
        vm.prank(executor);
        timelock.executeBatch(targets, values, payloads, bytes32(0), salt);
    }

    /// @dev The bitmap TimelockController reports when an operation is not Ready.
    function readyState() internal pure returns (bytes32) {
        return bytes32(uint256(1) << uint8(TimelockController.OperationState.Ready));
    }

    function expectNotReady(bytes32 id) internal {
        vm.expectRevert(
            abi.encodeWithSelector(TimelockController.TimelockUnexpectedOperationState.selector, id, readyState())
        );
    }
}
