// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {CollateralAttestations} from "../contracts/CollateralAttestations.sol";
import {HolderForwarder} from "../contracts/HolderForwarder.sol";
import {PlatformRegistry} from "../contracts/PlatformRegistry.sol";
import {SecuredAsset} from "../contracts/SecuredAsset.sol";
import {SecuredAssetExtension} from "../contracts/SecuredAssetExtension.sol";
import {SecuredExchange} from "../contracts/SecuredExchange.sol";
import {RegulatorCouncil} from "../contracts/governance/RegulatorCouncil.sol";
import {RegulatorTimelock} from "../contracts/governance/RegulatorTimelock.sol";

/// @dev The cheatcodes a broadcast needs (forge-std is not available; see the README).
interface BroadcastVm {
    function envAddress(string calldata name) external view returns (address);
    function envAddress(string calldata name, string calldata delimiter) external view returns (address[] memory);
    function envUint(string calldata name) external view returns (uint256);
    function envOr(string calldata name, string calldata defaultValue) external view returns (string memory);
    function startBroadcast() external;
    function stopBroadcast() external;
}

/// @title DeployPlatform
/// @notice Deploys and wires the whole platform for a regulator, one key:
///
///     SDAP_REGULATOR=0x... forge script scripts/DeployPlatform.s.sol --rpc-url $RPC --broadcast --private-key $KEY
///
/// or governed: a council of signers (SDAP_COUNCIL, comma-separated addresses) agreeing
/// SDAP_COUNCIL_THRESHOLD of them proposes to a timelock (SDAP_TIMELOCK_DELAY seconds) that holds
/// the regulator's role:
///
///     SDAP_COUNCIL=0x..,0x..,0x.. SDAP_COUNCIL_THRESHOLD=2 SDAP_TIMELOCK_DELAY=86400 forge script ...
///
/// The regulator is the only role holder afterwards; the deploying key keeps nothing. Nothing needs
/// wiring after construction: each contract receives what it depends on in its constructor.
contract DeployPlatform {
    BroadcastVm private constant VM = BroadcastVm(address(uint160(uint256(keccak256("hevm cheat code")))));

    struct Deployment {
        PlatformRegistry registry;
        HolderForwarder forwarder;
        CollateralAttestations collateral;
        SecuredAsset asset;
        SecuredAssetExtension extension;
        /// @dev Deployed by the asset's constructor.
        SecuredExchange exchange;
        /// @dev Zero for a single-key regulator.
        RegulatorCouncil council;
        RegulatorTimelock timelock;
    }

    function run() external returns (Deployment memory deployment) {
        string memory metadataUri = VM.envOr("SDAP_METADATA_URI", string(""));
        bool governed = bytes(VM.envOr("SDAP_COUNCIL", string(""))).length != 0;
        if (governed) {
            address[] memory council = VM.envAddress("SDAP_COUNCIL", ",");
            uint256 threshold = VM.envUint("SDAP_COUNCIL_THRESHOLD");
            uint256 delay = VM.envUint("SDAP_TIMELOCK_DELAY");
            VM.startBroadcast();
            deployment = deployGoverned(council, SafeCast.toUint64(threshold), delay, metadataUri);
        } else {
            address regulator = VM.envAddress("SDAP_REGULATOR");
            VM.startBroadcast();
            deployment = deploy(regulator, metadataUri);
        }
        VM.stopBroadcast();
    }

    /// @notice The platform for a governed regulator: the council (`threshold` of `signers`), the
    /// timelock (`minDelay` seconds, the council its proposer) holding REGULATOR_ROLE, then the rest.
    function deployGoverned(address[] memory signers, uint64 threshold, uint256 minDelay, string memory metadataUri)
        public
        returns (Deployment memory deployment)
    {
        bytes[] memory members = new bytes[](signers.length);
        for (uint256 i; i < signers.length; ++i) {
            members[i] = abi.encodePacked(signers[i]);
        }
        RegulatorCouncil council = new RegulatorCouncil(members, threshold);
        RegulatorTimelock timelock = new RegulatorTimelock(minDelay, address(council));
        deployment = deploy(address(timelock), metadataUri);
        deployment.council = council;
        deployment.timelock = timelock;
    }

    function deploy(address regulator, string memory metadataUri) public returns (Deployment memory deployment) {
        deployment.registry = new PlatformRegistry(regulator);
        deployment.forwarder = new HolderForwarder();
        deployment.collateral = new CollateralAttestations(deployment.registry);
        deployment.extension = new SecuredAssetExtension(
            deployment.registry, deployment.collateral, address(deployment.forwarder), metadataUri
        );
        deployment.asset = new SecuredAsset(
            deployment.registry,
            deployment.collateral,
            address(deployment.forwarder),
            metadataUri,
            address(deployment.extension)
        );
        deployment.exchange = SecuredExchange(deployment.asset.exchange());
    }
}
