// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {CollateralAttestations} from "../contracts/CollateralAttestations.sol";
import {HolderForwarder} from "../contracts/HolderForwarder.sol";
import {PlatformRegistry} from "../contracts/PlatformRegistry.sol";
import {SecuredAsset} from "../contracts/SecuredAsset.sol";
import {SecuredAssetExtension} from "../contracts/SecuredAssetExtension.sol";

/// @dev The three cheatcodes a broadcast needs (forge-std is not available; see the README).
interface BroadcastVm {
    function envAddress(string calldata name) external view returns (address);
    function envOr(string calldata name, string calldata defaultValue) external view returns (string memory);
    function startBroadcast() external;
    function stopBroadcast() external;
}

/// @title DeployPlatform
/// @notice Deploys and wires the whole platform for a regulator:
///
///     SDAP_REGULATOR=0x... forge script scripts/DeployPlatform.s.sol --rpc-url $RPC --broadcast --private-key $KEY
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
    }

    function run() external returns (Deployment memory deployment) {
        address regulator = VM.envAddress("SDAP_REGULATOR");
        string memory metadataUri = VM.envOr("SDAP_METADATA_URI", string(""));
        VM.startBroadcast();
        deployment = deploy(regulator, metadataUri);
        VM.stopBroadcast();
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
    }
}
