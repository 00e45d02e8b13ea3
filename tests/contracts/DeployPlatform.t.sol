// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "../../contracts/interfaces/IPlatformRegistry.sol";
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

    /// @dev The asset deployed its exchange, which answers to the same registry and forwarder and
    /// names the asset as the one whose units it moves.
    function test_DeployWiresTheExchange() public {
        DeployPlatform.Deployment memory d = script.deploy(regulator, "");
        assertEq(d.asset.exchange(), address(d.exchange), "asset -> exchange");
        (address asset_, IPlatformRegistry registry_, address forwarder_) = d.exchange.wiring();
        assertEq(asset_, address(d.asset), "exchange -> asset");
        assertEq(address(registry_), address(d.registry), "exchange -> registry");
        assertEq(forwarder_, address(d.forwarder), "exchange -> forwarder");
        assertTrue(d.exchange.isTrustedForwarder(address(d.forwarder)), "exchange trusts the forwarder");
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

    /// @dev One test for both settings: the environment is the process's, shared by tests run at once.
    function test_RunReadsTheRegulatorOrTheCouncilFromTheEnvironment() public {
        vm.setEnv("SDAP_COUNCIL", "");
        vm.setEnv("SDAP_REGULATOR", vm.toString(regulator));
        DeployPlatform.Deployment memory d = script.run();
        assertTrue(d.registry.hasRole(d.registry.REGULATOR_ROLE(), regulator), "regulator from env");
        assertEq(address(d.timelock), address(0), "single key: no timelock");

        address[] memory signers = _signers();
        vm.setEnv(
            "SDAP_COUNCIL",
            string.concat(vm.toString(signers[0]), ",", vm.toString(signers[1]), ",", vm.toString(signers[2]))
        );
        vm.setEnv("SDAP_COUNCIL_THRESHOLD", "2");
        vm.setEnv("SDAP_TIMELOCK_DELAY", "86400");
        d = script.run();
        vm.setEnv("SDAP_COUNCIL", "");
        assertTrue(d.registry.hasRole(d.registry.REGULATOR_ROLE(), address(d.timelock)), "the timelock regulates");
        assertFalse(d.registry.hasRole(d.registry.REGULATOR_ROLE(), regulator), "SDAP_REGULATOR ignored");
        assertEq(d.council.threshold(), 2, "threshold from env");
        assertEq(d.council.getSignerCount(), 3, "signers from env");
        assertEq(d.timelock.getMinDelay(), 86400, "delay from env");
    }

    function test_DeployGovernedLeavesOnlyTheTimelockWithRoles() public {
        address[] memory signers = _signers();
        DeployPlatform.Deployment memory d = script.deployGoverned(signers, 2, 3600, "");
        address timelock = address(d.timelock);
        assertTrue(d.registry.hasRole(d.registry.REGULATOR_ROLE(), timelock), "timelock holds the regulator role");
        assertFalse(d.registry.hasRole(d.registry.REGULATOR_ROLE(), address(script)), "script keeps no role");
        assertFalse(
            d.registry.hasRole(d.registry.REGULATOR_ROLE(), address(d.council)), "the council acts via the timelock"
        );
        // The timelock: the council proposes and cancels, anyone executes, the timelock administers itself.
        assertTrue(d.timelock.hasRole(d.timelock.PROPOSER_ROLE(), address(d.council)), "proposer");
        assertTrue(d.timelock.hasRole(d.timelock.CANCELLER_ROLE(), address(d.council)), "canceller");
        assertTrue(d.timelock.hasRole(d.timelock.EXECUTOR_ROLE(), address(0)), "anyone executes");
        assertTrue(d.timelock.hasRole(d.timelock.DEFAULT_ADMIN_ROLE(), timelock), "self-administered");
        assertFalse(d.timelock.hasRole(d.timelock.DEFAULT_ADMIN_ROLE(), address(script)), "script is no admin");
        assertEq(d.timelock.getMinDelay(), 3600, "delay");
        // The council: the three signers, two of them agree.
        assertEq(d.council.threshold(), 2, "threshold");
        for (uint256 i; i < signers.length; ++i) {
            assertTrue(d.council.isSigner(abi.encodePacked(signers[i])), "a signer");
        }
        assertEq(d.council.nextNonce(), 0, "no batch yet");
    }

    function test_RevertWhen_GovernedThresholdUnreachable() public {
        vm.expectRevert(abi.encodeWithSignature("MultiSignerERC7913UnreachableThreshold(uint64,uint64)", 3, 4));
        script.deployGoverned(_signers(), 4, 3600, "");
    }

    function _signers() private returns (address[] memory signers) {
        signers = new address[](3);
        signers[0] = makeAddr("signer 1");
        signers[1] = makeAddr("signer 2");
        signers[2] = makeAddr("signer 3");
    }

    function test_RevertWhen_RegulatorIsZero() public {
        vm.expectRevert(bytes4(keccak256("Registry_ZeroAddress()")));
        script.deploy(address(0), "");
    }
}
