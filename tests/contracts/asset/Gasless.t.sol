// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Errors} from "@openzeppelin/contracts/utils/Errors.sol";

import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";
import {ISecuredAssetCore} from "../../../contracts/interfaces/ISecuredAssetCore.sol";
import {ISecuredAssetExtension} from "../../../contracts/interfaces/ISecuredAssetExtension.sol";
import {SecuredAsset} from "../../../contracts/SecuredAsset.sol";
import {SecuredAssetExtension} from "../../../contracts/SecuredAssetExtension.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Holders act without gas: a relayer submits the holder's EIP-712 ForwardRequest to the
/// trusted forwarder, and the asset records the holder, not the relayer, as the one who acted
/// (Rules item 4.1: every change attributable to a registered key).
contract GaslessTest is Base {
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant FORWARD_REQUEST_TYPEHASH = keccak256(
        "ForwardRequest(address from,address to,uint256 value,uint256 gas,uint256 nonce,uint48 deadline,bytes data)"
    );
    uint256 internal constant GAS = 500_000;

    address internal relayer;
    uint48 internal deadline;

    function setUp() public override {
        super.setUp();
        relayer = makeAddr("relayer");
        deadline = uint48(START + 1 hours);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev The digest the holder signs, computed independently of the forwarder.
    function requestDigest(address from, bytes memory data, uint256 nonce, uint48 until)
        internal
        view
        returns (bytes32)
    {
        bytes32 domainSeparator = keccak256(
            abi.encode(
                DOMAIN_TYPEHASH, keccak256("SDAP Holder Forwarder"), keccak256("1"), block.chainid, address(forwarder)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(FORWARD_REQUEST_TYPEHASH, from, address(asset), 0, GAS, nonce, until, keccak256(data))
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    /// @dev A request from `from` for `data` on the asset, signed with `key` over `from`'s current nonce.
    function signedRequest(address from, uint256 key, bytes memory data, uint48 until)
        internal
        view
        returns (ERC2771Forwarder.ForwardRequestData memory request)
    {
        request = ERC2771Forwarder.ForwardRequestData({
            from: from,
            to: address(asset),
            value: 0,
            gas: GAS,
            deadline: until,
            data: data,
            signature: sign(key, requestDigest(from, data, forwarder.nonces(from), until))
        });
    }

    function relay(ERC2771Forwarder.ForwardRequestData memory request) internal {
        vm.prank(relayer);
        forwarder.execute(request);
    }

    function transferData(uint256 amount) internal view returns (bytes memory) {
        return abi.encodeCall(IERC1155.safeTransferFrom, (alice, bob, issuanceId, amount, ""));
    }

    /// @dev Who signed `request` if its nonce were `nonce`: what the forwarder recovers.
    function recoveredAt(ERC2771Forwarder.ForwardRequestData memory request, uint256 nonce)
        internal
        view
        returns (address)
    {
        bytes memory sig = request.signature;
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := mload(add(sig, 0x20))
            s := mload(add(sig, 0x40))
            v := byte(0, mload(add(sig, 0x60)))
        }
        return ecrecover(requestDigest(request.from, request.data, nonce, request.deadline), v, r, s);
    }

    /*//////////////////////////////////////////////////////////////
                           RELAYED ACTIONS
    //////////////////////////////////////////////////////////////*/

    function test_RelayedTransferRecordsTheHolder() public {
        ERC2771Forwarder.ForwardRequestData memory request = signedRequest(alice, aliceKey, transferData(250), deadline);
        assertTrue(forwarder.verify(request), "forwarder accepts the signature");

        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(alice, alice, bob, issuanceId, 250);
        vm.expectEmit(address(forwarder));
        emit ERC2771Forwarder.ExecutedForwardRequest(alice, 0, true);
        relay(request);

        assertEq(asset.balanceOf(alice, issuanceId), MINTED - 250, "alice");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 250, "bob");
        assertEq(asset.balanceOf(relayer, issuanceId), 0, "relayer");
        assertEq(forwarder.nonces(alice), 1, "nonce used");
    }

    function test_RelayedEncumberRecordsTheHolder() public {
        bytes memory data = abi.encodeCall(
            ISecuredAssetCore.encumber, (issuanceId, 300, bob, keccak256("pledge"), uint64(START + 30 days))
        );
        ERC2771Forwarder.ForwardRequestData memory request = signedRequest(alice, aliceKey, data, deadline);

        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.Encumbered(1, issuanceId, alice, bob, 300, uint64(START + 30 days), keccak256("pledge"));
        relay(request);

        ISecuredAssetTypes.Encumbrance memory e = asset.encumbrance(1);
        assertEq(e.holder, alice, "holder is the signer");
        assertEq(e.beneficiary, bob, "beneficiary");
        assertEq(asset.encumberedUnits(issuanceId, alice), 300, "alice's units locked");
        assertEq(asset.encumberedUnits(issuanceId, relayer), 0, "relayer has nothing locked");
    }

    function test_RelayedReleaseByBeneficiary() public {
        vm.prank(alice);
        uint256 encumbranceId = asset.encumber(issuanceId, 300, bob, keccak256("pledge"), 0);
        bytes memory data = abi.encodeCall(ISecuredAssetCore.release, (encumbranceId));

        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.EncumbranceReleased(encumbranceId, bob);
        relay(signedRequest(bob, bobKey, data, deadline));
        assertEq(asset.encumberedUnits(issuanceId, alice), 0, "released");
    }

    /// @dev The extension's acts, reached through the asset's fallback, read the relayed sender
    /// too: the request records the holder, the confirmation the issuer, never the relayer.
    function test_RelayedRedeemRecordsTheHolderAndTheIssuer() public {
        bytes memory data =
            abi.encodeCall(ISecuredAssetExtension.requestRedemption, (issuanceId, alice, 100, keccak256("delivery")));
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.RedemptionRequested(1, issuanceId, alice, 100, keccak256("delivery"), alice);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(alice, alice, address(asset), issuanceId, 100);
        relay(signedRequest(alice, aliceKey, data, deadline));
        assertEq(asset.balanceOf(alice, issuanceId), MINTED - 100, "alice");
        assertEq(asset.balanceOf(address(asset), issuanceId), 100, "in custody");

        data = abi.encodeCall(ISecuredAssetExtension.confirmRedemption, (1, keccak256("delivered")));
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.RedemptionConfirmed(1, issuanceId, keccak256("delivered"), issuer);
        relay(signedRequest(issuer, issuerKey, data, deadline));
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED - 100, "supply");
        assertEq(asset.balanceOf(address(asset), issuanceId), 0, "custody empty");
    }

    function test_RelayedApprovalIsTheHolders() public {
        bytes memory data = abi.encodeCall(IERC1155.setApprovalForAll, (bob, true));
        relay(signedRequest(alice, aliceKey, data, deadline));
        assertTrue(asset.isApprovedForAll(alice, bob), "alice approved bob");
        assertFalse(asset.isApprovedForAll(relayer, bob), "relayer approved nothing");
    }

    function test_RelayedRequestsUseSuccessiveNonces() public {
        relay(signedRequest(alice, aliceKey, transferData(1), deadline));
        relay(signedRequest(alice, aliceKey, transferData(2), deadline));
        assertEq(forwarder.nonces(alice), 2, "two nonces used");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 3, "bob");
    }

    function test_RelayedOnTheDeadline() public {
        ERC2771Forwarder.ForwardRequestData memory request = signedRequest(alice, aliceKey, transferData(5), deadline);
        vm.warp(deadline);
        relay(request);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 5, "bob");
    }

    /*//////////////////////////////////////////////////////////////
                             REFUSALS
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_DeadlinePassed() public {
        ERC2771Forwarder.ForwardRequestData memory request = signedRequest(alice, aliceKey, transferData(5), deadline);
        vm.warp(deadline + 1);
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderExpiredRequest.selector, deadline));
        forwarder.execute(request);
        assertEq(forwarder.nonces(alice), 0, "nonce unused");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED, "nothing moved");
    }

    function test_RevertWhen_NonceReused() public {
        ERC2771Forwarder.ForwardRequestData memory request = signedRequest(alice, aliceKey, transferData(5), deadline);
        relay(request);
        // The forwarder now hashes nonce 1, so the old signature recovers to some other address.
        address recovered = recoveredAt(request, 1);
        assertTrue(recovered != alice, "recovers to someone else");
        vm.prank(relayer);
        vm.expectRevert(
            abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderInvalidSigner.selector, recovered, alice)
        );
        forwarder.execute(request);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 5, "moved once");
    }

    function test_RevertWhen_WrongSigner() public {
        // Bob signs a request that claims to come from alice.
        ERC2771Forwarder.ForwardRequestData memory request = signedRequest(alice, bobKey, transferData(5), deadline);
        assertEq(recoveredAt(request, 0), bob, "bob signed");
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderInvalidSigner.selector, bob, alice));
        forwarder.execute(request);
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "alice untouched");
    }

    function test_RevertWhen_RelayerAltersTheRequest() public {
        ERC2771Forwarder.ForwardRequestData memory request = signedRequest(alice, aliceKey, transferData(5), deadline);
        request.data = transferData(500);
        address recovered = recoveredAt(request, 0);
        assertTrue(recovered != alice, "recovers to someone else");
        vm.prank(relayer);
        vm.expectRevert(
            abi.encodeWithSelector(ERC2771Forwarder.ERC2771ForwarderInvalidSigner.selector, recovered, alice)
        );
        forwarder.execute(request);
    }

    function test_RevertWhen_RelayedTransferBreaksARule() public {
        vm.prank(compliance);
        registry.freezeParticipant(alice, keccak256("aml"));
        ERC2771Forwarder.ForwardRequestData memory request = signedRequest(alice, aliceKey, transferData(5), deadline);
        // The forwarder reports the failed call, not the asset's reason.
        vm.prank(relayer);
        vm.expectRevert(abi.encodeWithSelector(Errors.FailedCall.selector));
        forwarder.execute(request);
        assertEq(forwarder.nonces(alice), 0, "nonce unused");
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "alice untouched");
    }

    function test_RevertWhen_RelayerCallsTheAssetDirectlyAsTheHolder() public {
        // Appending alice's address only counts when the trusted forwarder is the caller.
        bytes memory data = abi.encodePacked(transferData(5), alice);
        vm.prank(relayer);
        (bool ok, bytes memory reason) = address(asset).call(data);
        assertFalse(ok, "refused");
        assertEq(
            keccak256(reason),
            keccak256(abi.encodeWithSelector(IERC1155Errors.ERC1155MissingApprovalForAll.selector, relayer, alice)),
            "relayer is the sender"
        );
    }

    /// @dev The extension's code reads the relayed sender with its own immutable forwarder: it
    /// must be the asset's.
    function test_AssetTrustsOnlyItsForwarder() public view {
        SecuredAsset wired = SecuredAsset(address(asset));
        assertTrue(wired.isTrustedForwarder(address(forwarder)), "forwarder");
        assertFalse(wired.isTrustedForwarder(relayer), "relayer");
        assertEq(wired.trustedForwarder(), address(forwarder), "trustedForwarder");
        assertEq(SecuredAssetExtension(asset.extension()).trustedForwarder(), address(forwarder), "extension's");
    }
}
