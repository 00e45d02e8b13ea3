// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Errors} from "@openzeppelin/contracts/utils/Errors.sol";

import {ISecuredAssetExtension} from "../../../contracts/interfaces/ISecuredAssetExtension.sol";
import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice The asset runs its rarer acts through its extension, on its own storage: reached at the
/// asset's address only, with the asset's events; a selector neither contract has, and ether, are
/// refused.
contract ExtensionTest is Base {
    ISecuredAssetExtension internal extension;

    function setUp() public override {
        super.setUp();
        extension = ISecuredAssetExtension(asset.extension());
    }

    function notThroughAsset() internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotThroughAsset.selector);
    }

    function test_AssetNamesItsExtension() public view {
        assertTrue(address(extension) != address(0) && address(extension) != address(asset), "an extension of its own");
        assertTrue(address(extension).code.length != 0, "deployed");
    }

    /// @dev Called directly, every act of the extension would write storage nobody reads: each
    /// one refuses, whoever calls, before any other check.
    function test_RevertWhen_ExtensionCalledDirectly() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        ISecuredAssetTypes.IssuerConsent memory consent = issuerConsent(p, operator, issuerKey);
        vm.expectRevert(notThroughAsset());
        vm.prank(operator);
        extension.createIssuance(p, consent);
        vm.expectRevert(notThroughAsset());
        vm.prank(issuer);
        extension.withdrawConsent(1);
        vm.expectRevert(notThroughAsset());
        vm.prank(alice);
        extension.requestRedemption(issuanceId, alice, 1, keccak256("fulfilment"));
        vm.expectRevert(notThroughAsset());
        vm.prank(issuer);
        extension.confirmRedemption(1, keccak256("delivered"));
        vm.expectRevert(notThroughAsset());
        vm.prank(regulator);
        extension.refuseRedemption(1, keccak256("refused"));
        vm.expectRevert(notThroughAsset());
        vm.prank(regulator);
        extension.forcedTransfer(issuanceId, alice, bob, 1, keccak256("order"));
        vm.expectRevert(notThroughAsset());
        extension.recoverHoldings(alice, new uint256[](0), new uint256[](0));

        assertEq(asset.nonces(issuer, 0), 1, "the issuer's nonce untouched");
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "nothing moved");
    }

    /// @dev Through the asset the same acts run on the asset's storage and log from its address.
    function test_ExtensionActsRunOnTheAssetsStorage() public {
        vm.prank(alice);
        uint256 requestId = asset.requestRedemption(issuanceId, alice, 1, keccak256("fulfilment"));
        assertEq(asset.redemptionCount(), 1, "recorded at the asset");
        assertEq(extension.redemptionCount(), 0, "nothing in the extension's own storage");
        assertEq(asset.redemptionRequest(requestId).holder, alice, "read back through the asset");
    }

    /// @dev The removed `redeem` and any other selector neither contract has: the extension has
    /// no fallback, so the delegated call fails without data.
    function test_RevertWhen_UnknownSelector() public {
        bytes[2] memory calls = [
            abi.encodeWithSignature("redeem(uint256,address,uint256,bytes32)", issuanceId, alice, 1, bytes32(0)),
            abi.encodeWithSignature("selfdestruct()")
        ];
        for (uint256 i; i < calls.length; ++i) {
            vm.prank(alice);
            (bool ok, bytes memory reason) = address(asset).call(calls[i]);
            assertFalse(ok, "refused");
            assertEq(keccak256(reason), keccak256(abi.encodeWithSelector(Errors.FailedCall.selector)), "FailedCall");
        }
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "nothing moved");
    }

    /// @dev Nothing here takes ether: neither a plain transfer nor a call through the fallback.
    function test_RevertWhen_EtherSent() public {
        vm.deal(alice, 1 ether);
        vm.startPrank(alice);
        (bool plain,) = address(asset).call{value: 1}("");
        (bool delegated,) = address(asset).call{value: 1}(abi.encodeCall(asset.redemptionCount, ()));
        (bool direct,) = address(asset).call{value: 1}(abi.encodeCall(asset.issuanceCount, ()));
        vm.stopPrank();
        assertFalse(plain, "plain transfer");
        assertFalse(delegated, "through the fallback");
        assertFalse(direct, "to a function of the asset");
        assertEq(address(asset).balance, 0, "no ether held");
        assertEq(alice.balance, 1 ether, "alice keeps it");
    }
}
