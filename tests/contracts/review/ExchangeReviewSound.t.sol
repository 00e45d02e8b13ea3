// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";
import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ISecuredExchange} from "../../../contracts/interfaces/ISecuredExchange.sol";

import {ExchangeReviewBase} from "./ExchangeReviewBase.t.sol";
import {ArmedWallet} from "../utils/ArmedWallet.sol";
import {Vm, vm} from "../utils/Vm.sol";

/// @notice What the security review of issue 15 checked and found sound, kept as passing tests.
contract ExchangeReviewSoundTest is ExchangeReviewBase {
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant FORWARD_REQUEST_TYPEHASH = keccak256(
        "ForwardRequest(address from,address to,uint256 value,uint256 gas,uint256 nonce,uint48 deadline,bytes data)"
    );
    uint256 internal constant GAS = 1_000_000;

    /*//////////////////////////////////////////////////////////////
                          ERC-2771 THROUGH THE FORWARDER
    //////////////////////////////////////////////////////////////*/

    function forwardTo(address to, address from, uint256 key, bytes memory data)
        internal
        view
        returns (ERC2771Forwarder.ForwardRequestData memory request)
    {
        uint48 until = uint48(block.timestamp + 1 hours);
        bytes32 domainSeparator = keccak256(
            abi.encode(
                DOMAIN_TYPEHASH, keccak256("SDAP Holder Forwarder"), keccak256("1"), block.chainid, address(forwarder)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(FORWARD_REQUEST_TYPEHASH, from, to, 0, GAS, forwarder.nonces(from), until, keccak256(data))
        );
        request = ERC2771Forwarder.ForwardRequestData({
            from: from,
            to: to,
            value: 0,
            gas: GAS,
            deadline: until,
            data: data,
            signature: sign(key, keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash)))
        });
    }

    /// A holder's relayed take: the taker is the signer of the forward request, not the relayer.
    function test_Sound_RelayedTakeIsTheSigners() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 7);
        bytes memory data = abi.encodeCall(ISecuredExchange.take, (offer, signOffer(offer, aliceKey)));
        ERC2771Forwarder.ForwardRequestData memory request = forwardTo(address(exchange), bob, bobKey, data);
        vm.prank(makeAddr("relayer"));
        forwarder.execute(request);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 100, "bob took it");
        assertEq(asset.balanceOf(alice, otherId), MINTED + 40, "alice was paid in units");
    }

    /// A request whose data ends with someone else's address (a forged "appended sender"): the
    /// forwarder appends the signer after it, and the exchange reads only the last 20 bytes.
    function test_Sound_ForgedAppendedSenderIsIgnored() public {
        bytes memory data = abi.encodePacked(abi.encodeCall(ISecuredExchange.cancelOffer, (55)), alice);
        vm.prank(makeAddr("relayer"));
        forwarder.execute(forwardTo(address(exchange), bob, bobKey, data));
        assertTrue(exchange.isNonceUsed(bob, 55), "the signer's nonce was spent");
        assertFalse(exchange.isNonceUsed(alice, 55), "not the forged sender's");
        // Called directly (not from the forwarder), trailing bytes mean nothing either.
        (bool ok,) = address(exchange).call(abi.encodePacked(abi.encodeCall(ISecuredExchange.cancelOffer, (56)), alice));
        assertTrue(ok);
        assertTrue(exchange.isNonceUsed(address(this), 56));
        assertFalse(exchange.isNonceUsed(alice, 56));
    }

    /// The forwarder cannot be aimed at the asset's exchange hooks: only the exchange's own address may call them.
    function test_Sound_ExchangeHooksRefuseTheForwarder() public {
        vm.prank(address(forwarder));
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotExchange.selector, address(forwarder))
        );
        asset.exchangeTransfer(alice, bob, issuanceId, 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotExchange.selector, alice));
        asset.releaseEscrowedUnits(alice, issuanceId, 0, bob);
    }

    /*//////////////////////////////////////////////////////////////
                               SIGNATURES
    //////////////////////////////////////////////////////////////*/

    function test_Sound_OfferOnAnotherChainIsNotSigned() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory sig = signOffer(offer, aliceKey);
        vm.chainId(block.chainid + 1);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_OfferNotSigned.selector, alice));
        exchange.take(offer, sig);
    }

    /// Another deployment's exchange (same registry, same forwarder): the domain names its address.
    function test_Sound_OfferForAnotherExchangeIsNotSigned() public {
        ISecuredAsset other = deployAsset(registry, collateral, address(forwarder), "https://other.example/{id}.json");
        ISecuredExchange otherExchange = ISecuredExchange(other.exchange());
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        (offer.giveToken, offer.wantToken) = (address(other), address(other));
        bytes memory sig = signOffer(offer, aliceKey); // signed for this exchange
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_OfferNotSigned.selector, alice));
        otherExchange.take(offer, sig);
    }

    function test_Sound_MalleableSignatureRefusedAndFillOnce() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(aliceKey, exchange.offerHash(offer));
        bytes memory flipped = abi.encodePacked(r, bytes32(SECP256K1_N - uint256(s)), v == 27 ? uint8(28) : uint8(27));
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_OfferNotSigned.selector, alice));
        exchange.take(offer, flipped);
        bytes memory sig = abi.encodePacked(r, s, v);
        vm.prank(bob);
        exchange.take(offer, sig);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_NonceUsed.selector, alice, 1));
        exchange.take(offer, sig);
    }

    /*//////////////////////////////////////////////////////////////
                               REENTRANCY
    //////////////////////////////////////////////////////////////*/

    /// A contract taker re-entering from onERC1155Received: every guarded entry refuses, the
    /// second offer stays unfilled, the first settles whole.
    function test_Sound_ReentrantTakerIsRefused() public {
        ArmedWallet taker = new ArmedWallet();
        onboard(address(taker));
        vm.prank(operator);
        asset.mint(otherId, address(taker), 100);
        ISecuredExchange.Offer memory first = swapOffer(100, 40, 1);
        ISecuredExchange.Offer memory second = swapOffer(50, 20, 2);
        bytes memory take = abi.encodeCall(ISecuredExchange.take, (first, signOffer(first, aliceKey)));
        taker.arm(address(exchange), abi.encodeCall(ISecuredExchange.take, (second, signOffer(second, aliceKey))));
        taker.arm(
            address(exchange),
            abi.encodeCall(
                ISecuredExchange.openEscrow,
                (issuanceId, 1, address(1), address(2), 1, "KZT", uint64(block.timestamp + 1))
            )
        );
        taker.arm(address(exchange), abi.encodeCall(ISecuredExchange.lapse, (1)));
        taker.execute(address(exchange), take);
        bytes4 reentrant = ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector;
        assertEq(bytes32(revertSelector(taker, 0)), bytes32(reentrant), "take");
        assertEq(bytes32(revertSelector(taker, 1)), bytes32(reentrant), "openEscrow");
        assertEq(bytes32(revertSelector(taker, 2)), bytes32(reentrant), "lapse");
        assertFalse(exchange.isNonceUsed(alice, 2), "the second offer was not filled");
        assertEq(asset.balanceOf(address(taker), issuanceId), 100);
        assertEq(asset.balanceOf(address(taker), otherId), 60);
    }

    /// @dev The selector a call the taker made in its receipt hook reverted with (none if it
    /// succeeded).
    function revertSelector(ArmedWallet taker, uint256 index) internal view returns (bytes4) {
        (bool succeeded, bytes memory result) = taker.outcome(index);
        return succeeded ? bytes4(0) : bytes4(result);
    }

    /*//////////////////////////////////////////////////////////////
                               TIME EDGES
    //////////////////////////////////////////////////////////////*/

    function test_Sound_DeadlineSecondBelongsToConfirmation() public {
        uint256 first = aliceEscrows(100, 1 days);
        uint256 second = aliceEscrows(100, 1 days);
        uint64 deadline = exchange.escrow(first).deadline;
        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_EscrowNotExpired.selector, second, deadline));
        exchange.lapse(second);
        vm.prank(agent);
        exchange.confirmPayment(first, keccak256("paid on the last second"));
        vm.warp(uint256(deadline) + 1);
        vm.prank(agent);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_EscrowExpired.selector, second, deadline));
        exchange.confirmPayment(second, keccak256("too late"));
        exchange.lapse(second);
        assertEq(asset.escrowedUnits(issuanceId, alice), 0);
    }

    function test_Sound_OfferExpirySecondIsTakeable() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        ISecuredExchange.Offer memory late = swapOffer(100, 40, 2);
        bytes memory sig = signOffer(offer, aliceKey);
        bytes memory lateSig = signOffer(late, aliceKey);
        vm.warp(offer.expiry);
        vm.prank(bob);
        exchange.take(offer, sig);
        vm.warp(uint256(late.expiry) + 1);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_OfferExpired.selector, late.expiry));
        exchange.take(late, lateSig);
    }

    /*//////////////////////////////////////////////////////////////
                    ESCROWED UNITS MOVE BY NO OTHER ROUTE
    //////////////////////////////////////////////////////////////*/

    function test_Sound_EscrowedUnitsDoNotEscape() public {
        aliceEscrows(600, 1 days); // 400 free
        vm.startPrank(alice);
        vm.expectRevert();
        asset.safeTransferFrom(alice, bob, issuanceId, 401, "");
        uint256[] memory ids = new uint256[](2);
        uint256[] memory amounts = new uint256[](2);
        (ids[0], ids[1], amounts[0], amounts[1]) = (issuanceId, issuanceId, 200, 201);
        vm.expectRevert();
        asset.safeBatchTransferFrom(alice, bob, ids, amounts, "");
        vm.expectRevert();
        asset.encumber(issuanceId, 401, bob, keccak256("loan"), 0);
        vm.expectRevert();
        asset.requestRedemption(issuanceId, alice, 401, keccak256("delivery"));
        vm.stopPrank();
        vm.prank(compliance);
        vm.expectRevert();
        asset.freezeUnits(issuanceId, alice, 401, keccak256("aml"));
        vm.prank(regulator);
        vm.expectRevert();
        asset.forcedTransfer(alice, bob, issuanceId, 401);
        ISecuredExchange.Offer memory offer = swapOffer(401, 1, 9);
        bytes memory sig = signOffer(offer, aliceKey);
        vm.prank(bob);
        vm.expectRevert();
        exchange.take(offer, sig);
        // Recovery leaves the escrowed issuance behind (the registry moved the identity).
        vm.prank(regulator);
        registry.recoverParticipant(
            alice, makeAddr("alice new"), keccak256("kyc"), uint64(START + 365 days), bytes32(0)
        );
        uint256[] memory one = new uint256[](1);
        one[0] = issuanceId;
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_UnitsEscrowed.selector, issuanceId, alice, 600)
        );
        asset.recoverHoldings(alice, one, new uint256[](0));
        assertEq(asset.balanceOf(alice, issuanceId), MINTED);
        assertEq(asset.escrowedUnits(issuanceId, alice), 600);
    }

    /*//////////////////////////////////////////////////////////////
                  PAYMENT TOKENS, ELIGIBILITY, ERC-7943 VIEWS
    //////////////////////////////////////////////////////////////*/

    function test_Sound_DelistedTokenMidOfferIsRefused() public {
        ISecuredExchange.Offer memory offer = saleOffer(100, 50_000_00, 1);
        bytes memory sig = signOffer(offer, aliceKey);
        vm.prank(regulator);
        exchange.delistPaymentToken(address(money));
        (ISecuredExchange.OfferRefusal refusal,) = exchange.checkOffer(offer, sig, bob);
        assertEq(uint256(refusal), uint256(ISecuredExchange.OfferRefusal.PaymentTokenNotListed));
        vm.startPrank(bob);
        money.approve(address(exchange), 50_000_00);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredExchange.Exchange_PaymentTokenNotListed.selector, address(money))
        );
        exchange.take(offer, sig);
        vm.stopPrank();
    }

    /// carol (registered, notice not acknowledged) pays in e-money: the units leg refuses her, so
    /// no leg moves; nor can she be an escrow's buyer.
    function test_Sound_IneligiblePartyReceivesNoLeg() public {
        money.mint(carol, 100_000_00);
        ISecuredExchange.Offer memory offer = saleOffer(100, 50_000_00, 1);
        bytes memory sig = signOffer(offer, aliceKey);
        vm.startPrank(carol);
        money.approve(address(exchange), 50_000_00);
        vm.expectRevert();
        exchange.take(offer, sig);
        vm.stopPrank();
        assertEq(money.balanceOf(alice), 1_000_000_00, "alice received no payment");
        vm.prank(alice);
        vm.expectRevert();
        exchange.openEscrow(issuanceId, 100, carol, agent, 1, "KZT", uint64(block.timestamp + 1 days));
    }

    function test_Sound_CanTransferNeverReverts() public view {
        assertFalse(asset.canTransfer(alice, bob, 999, 1), "unknown issuance");
        assertFalse(asset.canTransfer(address(0), address(0), issuanceId, 1), "zero addresses");
        assertFalse(asset.canTransfer(alice, address(asset), issuanceId, 1), "the custody");
        assertTrue(asset.canTransfer(alice, bob, issuanceId, type(uint256).max), "a short balance is ERC-1155's");
        assertFalse(asset.canSend(address(0)));
        assertFalse(asset.canReceive(address(asset)));
    }

    /// ERC-7943: whenever `canTransfer` says yes (for an amount within the balance), the holder's own
    /// transfer passes, and whenever it says no, the transfer reverts, whatever mix of pledge, escrow
    /// and freeze (within or beyond the balance) the holding carries.
    function testFuzz_Sound_CanTransferAgreesWithTransfer(
        uint256 pledged,
        uint256 escrowed,
        uint256 frozen,
        uint256 amount
    ) public {
        pledged = bound(pledged, 0, MINTED / 2);
        escrowed = bound(escrowed, 0, MINTED - pledged);
        frozen = bound(frozen, 0, 2 * MINTED);
        amount = bound(amount, 0, MINTED);
        if (pledged != 0) {
            vm.prank(alice);
            asset.encumber(issuanceId, pledged, bob, keccak256("loan"), 0);
        }
        if (escrowed != 0) aliceEscrows(escrowed, 1 days);
        vm.prank(compliance);
        asset.setFrozenTokens(alice, issuanceId, frozen);
        bool allowed = asset.canTransfer(alice, bob, issuanceId, amount);
        vm.prank(alice);
        (bool moved,) = address(asset)
            .call(
                abi.encodeWithSignature(
                    "safeTransferFrom(address,address,uint256,uint256,bytes)", alice, bob, issuanceId, amount, ""
                )
            );
        assertEq(allowed, moved, "canTransfer disagrees with the transfer");
    }

    /// An order that takes frozen units: Frozen before the TransferSingle, ForcedTransfer after it.
    function test_Sound_ForcedTransferEventOrder() public {
        vm.prank(compliance);
        asset.freezeUnits(issuanceId, alice, MINTED, keccak256("aml"));
        vm.recordLogs();
        vm.prank(regulator);
        asset.forcedTransfer(alice, bob, issuanceId, 100);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bytes32 frozenSig = keccak256("Frozen(address,uint256,uint256)");
        bytes32 singleSig = keccak256("TransferSingle(address,address,address,uint256,uint256)");
        bytes32 forcedSig = keccak256("ForcedTransfer(address,address,uint256,uint256)");
        uint256 frozenAt = type(uint256).max;
        uint256 singleAt = type(uint256).max;
        uint256 forcedAt = type(uint256).max;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(asset)) continue;
            bytes32 t = logs[i].topics[0];
            if (t == frozenSig) frozenAt = i;
            else if (t == singleSig) singleAt = i;
            else if (t == forcedSig) forcedAt = i;
        }
        assertTrue(frozenAt < singleAt && singleAt < forcedAt && forcedAt != type(uint256).max, "event order");
        assertEq(asset.getFrozenTokens(alice, issuanceId), MINTED - 100);
    }
}
