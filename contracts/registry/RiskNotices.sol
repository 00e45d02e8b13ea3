// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "../interfaces/IPlatformRegistry.sol";
import {RegistryRoles} from "./RegistryRoles.sol";

/// @notice Versioned risk notices (Law art. 6.4). The newest version is the one in force.
abstract contract RiskNotices is RegistryRoles {
    mapping(uint32 version => RiskNotice) private _notices;

    /// @inheritdoc IPlatformRegistry
    /// @dev Law art. 6.4 puts the duty to tell the risks on everyone who issues and deals, and the
    /// risks it names are those of buying, holding and dealing in secured digital assets as such,
    /// not of one operator. One platform notice that the regulator publishes tells every person
    /// the same once, and no operator's publication can make another operator's participants
    /// ineligible; operators still present it and relay the acknowledgements.
    function publishRiskNotice(bytes32 contentHash, string calldata uri)
        external
        onlyRole(REGULATOR_ROLE)
        returns (uint32 version)
    {
        if (contentHash == bytes32(0) || bytes(uri).length == 0) revert Registry_EmptyNotice();
        version = ++_noticeInForce;
        _notices[version] = RiskNotice(contentHash, uint64(block.timestamp), uri);
        emit RiskNoticePublished(version, contentHash, uri, _msgSender());
        _platformValuesChanged();
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
