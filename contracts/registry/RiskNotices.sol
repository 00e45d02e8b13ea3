// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "../interfaces/IPlatformRegistry.sol";
import {RegistryRoles} from "./RegistryRoles.sol";

/// @notice Versioned risk notices (Law art. 6.4). The newest version is the one in force.
abstract contract RiskNotices is RegistryRoles {
    mapping(uint32 version => RiskNotice) private _notices;
    uint32 private _noticeInForce;

    /// @inheritdoc IPlatformRegistry
    function publishRiskNotice(bytes32 contentHash, string calldata uri)
        external
        onlyRole(OPERATOR_ROLE)
        returns (uint32 version)
    {
        if (contentHash == bytes32(0) || bytes(uri).length == 0) revert Registry_EmptyNotice();
        version = ++_noticeInForce;
        _notices[version] = RiskNotice(contentHash, uint64(block.timestamp), uri);
        emit RiskNoticePublished(version, contentHash, uri, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function noticeInForce() public view returns (uint32) {
        return _noticeInForce;
    }

    /// @inheritdoc IPlatformRegistry
    function riskNotice(uint32 version) public view returns (RiskNotice memory) {
        return _notices[version];
    }
}
