// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Law art. 6.4: persons are told the risks before buying, holding and dealing. A holder
/// that has not acknowledged the notice in force sends, encumbers and redeems nothing (the single
/// transfer, encumbrance and redemption: TransferRefusals, EncumberAndRelease, Redemption); a
/// regulator's order and an enforcement still take its units.
contract DealingTest is Base {
    function setUp() public override {
        super.setUp();
        publishNewNotice();
        acknowledge(bob); // bob may receive; alice, who holds units, has not acknowledged v2
    }

    function notAcknowledged(address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(
            ISecuredAssetTypes.SecuredAsset_ParticipantNotEligible.selector,
            account,
            IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged
        );
    }

    function test_RevertWhen_BatchBySenderNotAcknowledged() public {
        uint256[] memory ids = new uint256[](1);
        ids[0] = issuanceId;
        vm.expectRevert(notAcknowledged(alice));
        vm.prank(alice);
        asset.safeBatchTransferFrom(alice, bob, ids, ids, "");
    }

    /// @dev Even back to the issuer: the holder deals, whoever receives.
    function test_RevertWhen_ReturnToIssuerBySenderNotAcknowledged() public {
        onboard(issuer);
        assertEq(
            uint256(asset.checkTransfer(alice, issuer, issuanceId, 1)),
            uint256(ISecuredAssetTypes.Refusal.SenderNoticeNotAcknowledged),
            "checkTransfer"
        );
        vm.expectRevert(notAcknowledged(alice));
        vm.prank(alice);
        asset.safeTransferFrom(alice, issuer, issuanceId, 1, "");
    }

    /// @dev The sender is reported first: checkTransfer names the first rule that fails.
    function test_CheckTransfer_SenderBeforeRecipient() public view {
        assertEq(
            uint256(asset.checkTransfer(alice, carol, issuanceId, 1)),
            uint256(ISecuredAssetTypes.Refusal.SenderNoticeNotAcknowledged),
            "sender first"
        );
        assertEq(
            uint256(asset.checkTransfer(bob, carol, issuanceId, 1)),
            uint256(ISecuredAssetTypes.Refusal.RecipientNoticeNotAcknowledged),
            "then the recipient"
        );
    }

    function test_WhenSenderAcknowledges() public {
        acknowledge(alice);
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 3, "");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 3, "moved");
    }

    function test_ForcedTransferFromHolderNotAcknowledged() public {
        vm.prank(regulator);
        asset.forcedTransfer(issuanceId, alice, bob, 50, keccak256("court order"));
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 50, "the order takes the units");
    }

    function test_EnforceAgainstHolderNotAcknowledged() public {
        // bob pledges to alice while both are in order; then a newer notice comes into force and
        // only alice, the pledgee, acknowledges it.
        acknowledge(alice);
        vm.prank(bob);
        uint256 encumbranceId = asset.encumber(issuanceId, 40, alice, keccak256("pledge"), 0);
        publishNewNotice();
        acknowledge(alice);
        vm.prank(operator);
        asset.enforce(encumbranceId, keccak256("default"));
        assertEq(asset.balanceOf(alice, issuanceId), MINTED + 40, "the pledge is enforced");
    }
}
