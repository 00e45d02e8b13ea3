// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {PlatformRegistry} from "../../../contracts/PlatformRegistry.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Versioned risk notices (Law art. 6.4; R8): one platform notice, published by the
/// regulator; the newest is in force at once.
contract RiskNoticesTest is Base {
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 internal constant V2_HASH = keccak256("risk notice v2");
    string internal constant V2_URI = "https://sdap.example/risk/v2";

    function publish(bytes32 contentHash, string memory uri) internal returns (uint32 version) {
        vm.prank(regulator);
        version = registry.publishRiskNotice(contentHash, uri);
    }

    function assertNotice(uint32 version, bytes32 contentHash, uint256 publishedAt, string memory uri) internal view {
        IPlatformRegistry.RiskNotice memory notice = registry.riskNotice(version);
        assertEq(notice.contentHash, contentHash, "contentHash");
        assertEq(notice.publishedAt, publishedAt, "publishedAt");
        assertEq(notice.uri, uri, "uri");
    }

    function test_Fixture_FirstNoticeInForce() public view {
        assertEq(registry.noticeInForce(), 1, "version 1 in force");
        assertNotice(1, keccak256("risk notice v1"), START, "https://sdap.example/risk/v1");
    }

    function test_PublishRiskNotice_EmitsAndStores() public {
        vm.warp(START + 5 days);
        vm.expectEmit();
        emit IPlatformRegistry.RiskNoticePublished(2, V2_HASH, V2_URI, regulator);
        uint32 version = publish(V2_HASH, V2_URI);

        assertEq(version, 2, "version");
        assertEq(registry.noticeInForce(), 2, "in force at once");
        assertNotice(2, V2_HASH, START + 5 days, V2_URI);
        // Earlier versions stay readable.
        assertNotice(1, keccak256("risk notice v1"), START, "https://sdap.example/risk/v1");
    }

    function test_PublishRiskNotice_VersionsCountUp() public {
        assertEq(publish(V2_HASH, V2_URI), 2, "v2");
        assertEq(publish(keccak256("risk notice v3"), "https://sdap.example/risk/v3"), 3, "v3");
        assertEq(registry.noticeInForce(), 3, "newest in force");
    }

    /// @dev R8: nobody receives units without acknowledging the notice in force.
    function test_PublishRiskNotice_StopsReceiptUntilAcknowledged() public {
        publish(V2_HASH, V2_URI);
        acknowledge(alice); // the sender deals: it acknowledges first (see TransferRefusals.t.sol)
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_ParticipantNotEligible.selector,
                bob,
                IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged
            )
        );
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");

        vm.prank(bob);
        registry.acknowledgeRiskNotice(2);
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 1, "received after acknowledging");
    }

    function test_RiskNotice_UnknownVersionIsEmpty() public view {
        assertNotice(0, bytes32(0), 0, "");
        assertNotice(2, bytes32(0), 0, "");
    }

    function test_NoticeInForce_ZeroBeforeFirstNotice() public {
        PlatformRegistry fresh = new PlatformRegistry(regulator);
        assertEq(fresh.noticeInForce(), 0, "none");
    }

    function test_RevertWhen_PublishRiskNoticeEmptyHash() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_EmptyNotice.selector));
        publish(bytes32(0), V2_URI);
        assertEq(registry.noticeInForce(), 1, "unchanged");
    }

    function test_RevertWhen_PublishRiskNoticeEmptyUri() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_EmptyNotice.selector));
        publish(V2_HASH, "");
    }

    /// @dev Law art. 6.4: no operator can make every participant on the platform (another
    /// operator's customers included) ineligible to receive by publishing a notice.
    function test_RevertWhen_PublishRiskNoticeByOperator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, operator, REGULATOR_ROLE)
        );
        vm.prank(operator);
        registry.publishRiskNotice(V2_HASH, V2_URI);
        assertEq(registry.noticeInForce(), 1, "unchanged");
        assertEq(uint256(registry.participantStatus(bob)), 0, "bob still eligible");
    }
}
