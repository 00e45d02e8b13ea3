// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {PlatformRegistry} from "../../../contracts/PlatformRegistry.sol";

/// @notice The real PlatformRegistry, for the auditor's tests only, with doors that emit its
/// participant and notice events for anyone, checking nothing: an operator without a permit that
/// registers or re-identifies participants or relays acknowledgements, another operator's
/// customer re-identified, a notice published by an operator, an operator's details recorded by
/// anyone or left incomplete, a wallet recovered by a stranger or to a wallet that is not new, a
/// registered wallet declared a custodian.
/// What they emit is not recorded, so the registry's views do not follow; the auditor's rules must
/// still catch the history. Roles, permits and everything else are the real registry's. Never
/// deploy it for real.
contract PermissiveRegistry is PlatformRegistry {
    constructor(address regulator) PlatformRegistry(regulator) {}

    function registerUnchecked(address wallet, bytes32 identityRef, uint64 identityExpiry) external {
        emit ParticipantRegistered(wallet, identityRef, identityExpiry, msg.sender);
    }

    function updateIdentityUnchecked(address wallet, bytes32 identityRef, uint64 identityExpiry) external {
        emit ParticipantIdentityUpdated(wallet, identityRef, identityExpiry, msg.sender);
    }

    function publishUnchecked(uint32 version, bytes32 contentHash, string calldata uri) external {
        emit RiskNoticePublished(version, contentHash, uri, msg.sender);
    }

    function recordOperatorDetailsUnchecked(
        address operator,
        string calldata legalName,
        string calldata businessId,
        string calldata jurisdiction,
        bytes32 detailsHash
    ) external {
        emit OperatorDetailsRecorded(operator, legalName, businessId, jurisdiction, detailsHash, msg.sender);
    }

    /// @dev `lost` recovered to `replacement` by the caller, whoever they are.
    function recoverUnchecked(
        address lost,
        address replacement,
        bytes32 identityRef,
        uint64 identityExpiry,
        bytes32 reasonHash
    ) external {
        emit WalletRecovered(lost, replacement, identityRef, identityExpiry, reasonHash, msg.sender);
    }

    /// @dev `custodian` declared a custodian of units by the caller, whoever they are, registered or lost.
    function declareCustodianUnchecked(address custodian) external {
        emit CustodianDeclared(custodian);
    }

    /// @dev An acknowledgement of `participant` relayed by the caller.
    function relayUnchecked(address participant, uint32 version, bytes32 contentHash) external {
        emit RiskNoticeAcknowledged(participant, version, contentHash, msg.sender);
    }
}
