// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAsset} from "../../contracts/interfaces/ISecuredAsset.sol";
import {ISecuredAssetTypes} from "../../contracts/interfaces/ISecuredAssetTypes.sol";
import {DeployPlatform} from "../../scripts/DeployPlatform.s.sol";
import {Test} from "./utils/Test.sol";
import {vm} from "./utils/Vm.sol";

contract DeployPlatformTest is Test {
    DeployPlatform internal script;
    address internal regulator;

    function setUp() public {
        script = new DeployPlatform();
        regulator = makeAddr("regulator");
    }

    function test_DeployWiresEveryContract() public {
        DeployPlatform.Deployment memory d = script.deploy(regulator, "https://sdap.example/{id}.json");
        assertEq(address(d.asset.registry()), address(d.registry), "asset -> registry");
        assertEq(address(d.asset.collateral()), address(d.collateral), "asset -> collateral");
        assertEq(d.collateral.registry(), address(d.registry), "collateral -> registry");
        assertTrue(d.asset.isTrustedForwarder(address(d.forwarder)), "asset trusts the forwarder");
        assertEq(d.asset.uri(1), "https://sdap.example/{id}.json", "metadata uri");
    }

    /// @dev The asset names the extension deployed with it, which trusts the same forwarder, and
    /// the extension's acts answer at the asset's address (its own refuses them).
    function test_DeployWiresTheAssetsExtension() public {
        DeployPlatform.Deployment memory d = script.deploy(regulator, "https://sdap.example/{id}.json");
        assertEq(d.asset.extension(), address(d.extension), "asset -> extension");
        assertTrue(d.extension.isTrustedForwarder(address(d.forwarder)), "extension trusts the forwarder");
        ISecuredAsset whole = ISecuredAsset(address(d.asset));
        assertEq(whole.redemptionCount(), 0, "an extension view at the asset's address");
        ISecuredAssetTypes.IssuanceParams memory p;
        assertTrue(whole.consentDigest(p, address(1), 0, 0) != bytes32(0), "consentDigest answers");
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotThroughAsset.selector));
        d.extension.withdrawConsent(0);
    }

    function test_DeployLeavesOnlyTheRegulatorWithRoles() public {
        DeployPlatform.Deployment memory d = script.deploy(regulator, "");
        bytes32[5] memory roles = [
            d.registry.DEFAULT_ADMIN_ROLE(),
            d.registry.REGULATOR_ROLE(),
            d.registry.OPERATOR_ROLE(),
            d.registry.VERIFIER_ROLE(),
            d.registry.COMPLIANCE_ROLE()
        ];
        for (uint256 i; i < roles.length; ++i) {
            assertFalse(d.registry.hasRole(roles[i], address(script)), "script keeps a role");
            assertFalse(d.registry.hasRole(roles[i], address(this)), "deployer keeps a role");
        }
        assertTrue(d.registry.hasRole(d.registry.REGULATOR_ROLE(), regulator), "regulator role");
        assertEq(d.registry.getRoleAdmin(d.registry.OPERATOR_ROLE()), d.registry.REGULATOR_ROLE(), "admin");
    }

    function test_RunReadsTheRegulatorFromTheEnvironment() public {
        vm.setEnv("SDAP_REGULATOR", vm.toString(regulator));
        DeployPlatform.Deployment memory d = script.run();
        assertTrue(d.registry.hasRole(d.registry.REGULATOR_ROLE(), regulator), "regulator from env");
    }

    function test_RevertWhen_RegulatorIsZero() public {
        vm.expectRevert(bytes4(keccak256("Registry_ZeroAddress()")));
        script.deploy(address(0), "");
    }
}
