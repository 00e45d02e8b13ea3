// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {CollateralAttestations} from "../../../contracts/CollateralAttestations.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

/// @notice The real CollateralAttestations, for the auditor's tests only, with two more doors that
/// emit its events for any payload and check nothing: a collateral pledged twice, an attestation
/// attached by an operator without a permit or signed by no verifier, a renewal of anything. What
/// they emit is not recorded, so the contract's views do not follow; the auditor's rules must
/// still catch the history. Never deploy it for real.
contract PermissiveCollateral is CollateralAttestations {
    constructor(IPlatformRegistry registry_) CollateralAttestations(registry_) {}

    /// @dev Announces `a` as attached, signed by `verifier` and sent by the caller, under the id the
    /// real `attach` would give it.
    function attachUnchecked(Attestation calldata a, address verifier) external returns (bytes32 attestationId) {
        attestationId = attestationDigest(a);
        emit AttestationAttached(attestationId, a.asset, a.issuanceId, verifier, a, msg.sender);
    }

    function supersedeUnchecked(bytes32 attestationId, bytes32 supersededBy) external {
        emit AttestationSuperseded(attestationId, supersededBy);
    }
}
