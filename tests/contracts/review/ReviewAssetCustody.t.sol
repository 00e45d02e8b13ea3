// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {SecuredAsset} from "../../../contracts/SecuredAsset.sol";
import {SecuredAssetExtension} from "../../../contracts/SecuredAssetExtension.sol";
import {PlatformRegistry} from "../../../contracts/PlatformRegistry.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice What the review of issue 14 (the asset, its extension, its custody) found, fixed and kept
/// as tests, and what it checked and found sound.
contract ReviewAssetCustodyTest is Base {
    bytes32 internal constant NEW_KYC = keccak256("new kyc");
    bytes32 internal constant ORDER = keccak256("order");

    /*//////////////////////////////////////////////////////////////
                                FINDINGS
    //////////////////////////////////////////////////////////////*/

    /// Found in review: the registry took the asset's own address as a replacement wallet, after
    /// which a refusal "returned" units into the custody with no request behind them, and a pledge
    /// to a beneficiary recovered there could never be released or enforced. The asset now
    /// declares itself a custodian at construction: the registry refuses it as a replacement (and
    /// as a participant), so neither can happen.
    function test_TheCustodyIsNeverAReplacementWallet() public {
        vm.prank(alice);
        asset.requestRedemption(issuanceId, alice, 400, keccak256("delivery"));
        vm.prank(bob);
        asset.encumber(issuanceId, 300, alice, keccak256("loan"), 0);
        vm.prank(regulator);
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidReplacement.selector, alice, address(asset))
        );
        registry.recoverParticipant(alice, address(asset), NEW_KYC, uint64(START + 365 days), ORDER);
    }

    /// Found in review (low; ISecuredAssetExtension.requestRedemption: "holders can always get what their
    /// units certify: Law art. 6.1-6.2 end the operator's dealing, not the issuer's obligation").
    /// An operator pauses, then its permit is revoked: its pause outlives its permit, it can no
    /// longer lift it itself (no active permit), and holders cannot even ask to redeem until a
    /// supervisor or the council (after the delay) lifts it. Now: an operator's pause does not
    /// outlive its mandate for redemption requests.
    function test_RevokedOperatorsPauseDoesNotLockHoldersOut() public {
        vm.prank(operator);
        asset.pause(issuanceId);
        vm.prank(regulator);
        registry.revokePermit(operator, keccak256("revocation"));
        vm.prank(operator);
        vm.expectRevert(); // PermitNotActive: the operator cannot lift its own pause any more
        asset.unpause(issuanceId);
        vm.prank(alice);
        asset.requestRedemption(issuanceId, alice, 100, keccak256("delivery"));
    }

    /// Found in review (low; the rule of a45f9e3 and of updateDecisionUri: "a suspended or removed
    /// issuer's key may be the reason it was"). `close` still takes the issuer's key whatever its
    /// status: a removed issuer's (perhaps stolen) key closes an issuance before its first mint,
    /// for good, with a fulfilment record of its choosing. Now: SecuredAsset_IssuerNotActive.
    function test_ASuspendedIssuerCannotClose() public {
        uint256 fresh = createIssuance(); // no unit yet: supply zero
        vm.prank(regulator);
        registry.setIssuerStatus(issuer, IPlatformRegistry.IssuerStatus.Suspended, keccak256("key stolen"));
        vm.prank(issuer);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuerNotActive.selector, issuer));
        asset.close(fresh, keccak256("nothing was ever fulfilled"));
    }

    /// Found in review (info; deployment integrity). The asset takes any address as its extension and never
    /// checks that the extension was built on the same registry, collateral contract and forwarder:
    /// the extension's own immutables decide who is "the regulator" for forced transfers, recovery
    /// and refusals on the asset's storage. A deployment whose extension names another registry
    /// hands those powers to that registry's regulator, invisibly from the asset's own views.
    /// Now: the constructor refuses a mismatched extension.
    function test_AssetRefusesAMismatchedExtension() public {
        address mallory = makeAddr("mallory");
        PlatformRegistry other = new PlatformRegistry(mallory);
        SecuredAssetExtension ext =
            new SecuredAssetExtension(other, collateral, address(forwarder), "https://sdap.example/meta/{id}.json");
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ExtensionMismatch.selector, address(ext))
        );
        new SecuredAsset(registry, collateral, address(forwarder), "https://sdap.example/meta/{id}.json", address(ext));
    }

    /*//////////////////////////////////////////////////////////////
                          CHECKED AND SOUND
    //////////////////////////////////////////////////////////////*/

    function test_Sound_TransferToTheAssetRefused() public {
        vm.prank(alice);
        vm.expectRevert(); // the asset is no participant
        asset.safeTransferFrom(alice, address(asset), issuanceId, 1, "");
        // It can never be registered (it declared itself a custodian), and it has no receiver hook.
        assertTrue(registry.isCustodian(address(asset)), "a custodian");
    }

    function test_Sound_FallbackTakesNoEther() public {
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        (bool ok,) = address(asset).call{value: 1}(
            abi.encodeCall(asset.requestRedemption, (issuanceId, alice, 1, keccak256("d")))
        );
        assertFalse(ok, "no ether through the fallback");
        vm.prank(alice);
        (ok,) = address(asset).call{value: 1}("");
        assertFalse(ok, "no ether at all");
    }

    function test_Sound_UnknownSelectorReverts() public {
        (bool ok,) = address(asset)
            .call(
                abi.encodeWithSignature(
                    "onERC1155Received(address,address,uint256,uint256,bytes)", alice, alice, issuanceId, 1, ""
                )
            );
        assertFalse(ok, "the asset takes no units by hook");
        (ok,) = address(asset).call(hex"deadbeef");
        assertFalse(ok, "unknown selector");
    }

    function test_Sound_ExtensionRefusesDirectCalls() public {
        SecuredAssetExtension ext = SecuredAssetExtension(asset.extension());
        vm.prank(regulator);
        vm.expectRevert(ISecuredAssetTypes.SecuredAsset_NotThroughAsset.selector);
        ext.forcedTransfer(issuanceId, alice, bob, 1, ORDER);
        vm.prank(alice);
        vm.expectRevert(ISecuredAssetTypes.SecuredAsset_NotThroughAsset.selector);
        ext.requestRedemption(issuanceId, alice, 1, keccak256("d"));
    }

    function test_Sound_CustodyUnitsReachableOnlyBySettlement() public {
        vm.prank(alice);
        asset.requestRedemption(issuanceId, alice, 400, keccak256("delivery"));
        vm.prank(regulator);
        vm.expectRevert();
        asset.forcedTransfer(issuanceId, address(asset), bob, 1, ORDER);
        vm.prank(compliance);
        vm.expectRevert();
        asset.freezeUnits(issuanceId, address(asset), 1, ORDER);
        vm.expectRevert();
        asset.recoverHoldings(address(asset), ids1(), new uint256[](0));
        vm.prank(alice);
        vm.expectRevert();
        asset.safeTransferFrom(address(asset), bob, issuanceId, 1, "");
        assertEq(asset.balanceOf(address(asset), issuanceId), 400, "custody intact");
    }

    function ids1() internal view returns (uint256[] memory list) {
        list = new uint256[](1);
        list[0] = issuanceId;
    }
}
