// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";
import {ISecuredExchange} from "../../../contracts/interfaces/ISecuredExchange.sol";

import {ExchangeBase, HoldingContractWallet} from "./ExchangeBase.t.sol";
import {ArmedWallet} from "../utils/ArmedWallet.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Swaps of units for units (DvD): both legs or neither, every rule of the balance path on
/// each leg, the permits of both issuances' operators, and the legs an offer may have.
contract ExchangeSwapTest is ExchangeBase {
    function test_SwapMovesBothLegsWithItsEvents() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 7);
        bytes memory signature = signOffer(offer, aliceKey);
        bytes32 hash = exchange.offerHash(offer);

        vm.expectEmit(address(exchange));
        emit ISecuredExchange.OfferTaken(hash, alice, bob, offer);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(address(exchange), alice, bob, issuanceId, 100);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(address(exchange), bob, alice, otherId, 40);
        vm.prank(bob);
        assertEq(exchange.take(offer, signature), hash, "take returns the offer's hash");

        assertEq(asset.balanceOf(alice, issuanceId), MINTED - 100);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 100);
        assertEq(asset.balanceOf(alice, otherId), MINTED + 40);
        assertEq(asset.balanceOf(bob, otherId), MINTED - 40);
        assertTrue(exchange.isNonceUsed(alice, 7), "nonce spent");
        assertFalse(exchange.isNonceUsed(bob, 7), "only the maker's");
    }

    /// @dev The digest is the documented EIP-712 one, so any standard library signs it.
    function test_OfferHashIsTheDocumentedTypedDataDigest() public view {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 7);
        assertEq(exchange.offerHash(offer), typedDigest(offer, block.chainid, address(exchange)));
        (address a, IPlatformRegistry r, address f) = exchange.wiring();
        assertEq(a, address(asset));
        assertEq(address(r), address(registry));
        assertEq(f, address(forwarder));
    }

    function test_SwapBetweenIssuancesOfDifferentOperators() public {
        (, uint256 foreignId) = foreignIssuance();
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        offer.wantId = foreignId;
        takeAs(bob, offer);
        assertEq(asset.balanceOf(alice, foreignId), MINTED + 40);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 100);
    }

    function test_RevertWhen_TheWantedIssuancesOperatorIsSuspended() public {
        (address operator2, uint256 foreignId) = foreignIssuance();
        vm.prank(regulator);
        registry.suspendPermit(operator2, keccak256("inspection"));
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        offer.wantId = foreignId;
        bytes memory signature = signOffer(offer, aliceKey);
        assertRefusal(
            ISecuredExchange.OfferRefusal.WantLegRefused,
            ISecuredAssetTypes.Refusal.PermitNotActive,
            offer,
            signature,
            bob
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector, operator2, registry.permitState(operator2)
            )
        );
        vm.prank(bob);
        exchange.take(offer, signature);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED, "the first leg rolled back");
        assertFalse(exchange.isNonceUsed(alice, 1), "the nonce rolled back");
    }

    function test_RevertWhen_TheGivenIssuancesOperatorIsSuspended() public {
        (address operator2, uint256 foreignId) = foreignIssuance();
        vm.prank(regulator);
        registry.suspendPermit(operator2, keccak256("inspection"));
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        offer.giveId = foreignId;
        bytes memory signature = signOffer(offer, aliceKey);
        assertRefusal(
            ISecuredExchange.OfferRefusal.GiveLegRefused,
            ISecuredAssetTypes.Refusal.PermitNotActive,
            offer,
            signature,
            bob
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector, operator2, registry.permitState(operator2)
            )
        );
        vm.prank(bob);
        exchange.take(offer, signature);
    }

    function test_RevertWhen_TakerIsNotEligible() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory signature = signOffer(offer, aliceKey);
        vm.expectRevert(notEligible(carol, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged));
        vm.prank(carol);
        exchange.take(offer, signature);
    }

    function test_RevertWhen_MakerWasFrozenAfterSigning() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory signature = signOffer(offer, aliceKey);
        freezeAccount(alice);
        assertRefusal(
            ISecuredExchange.OfferRefusal.GiveLegRefused, ISecuredAssetTypes.Refusal.SenderFrozen, offer, signature, bob
        );
        vm.expectRevert(notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen));
        vm.prank(bob);
        exchange.take(offer, signature);
    }

    function test_RevertWhen_TakerIsFrozen() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory signature = signOffer(offer, aliceKey);
        freezeAccount(bob);
        vm.expectRevert(notEligible(bob, IPlatformRegistry.ParticipantStatus.Frozen));
        vm.prank(bob);
        exchange.take(offer, signature);
    }

    function test_RevertWhen_AnIssuanceIsPaused() public {
        vm.prank(operator);
        asset.pause(otherId);
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory signature = signOffer(offer, aliceKey);
        assertRefusal(
            ISecuredExchange.OfferRefusal.WantLegRefused,
            ISecuredAssetTypes.Refusal.IssuancePaused,
            offer,
            signature,
            bob
        );
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, otherId));
        vm.prank(bob);
        exchange.take(offer, signature);
    }

    function test_RevertWhen_MakersUnitsAreFrozen() public {
        vm.prank(compliance);
        asset.freezeUnits(issuanceId, alice, MINTED - 50, keccak256("hold"));
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory signature = signOffer(offer, aliceKey);
        assertRefusal(
            ISecuredExchange.OfferRefusal.GiveLegRefused,
            ISecuredAssetTypes.Refusal.UnitsRestricted,
            offer,
            signature,
            bob
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsRestricted.selector,
                issuanceId,
                alice,
                MINTED - 100,
                0,
                MINTED - 50,
                0
            )
        );
        vm.prank(bob);
        exchange.take(offer, signature);
    }

    function test_RevertWhen_TakersUnitsAreEncumbered() public {
        vm.prank(bob);
        asset.encumber(otherId, MINTED - 10, alice, keccak256("pledge"), 0);
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory signature = signOffer(offer, aliceKey);
        assertRefusal(
            ISecuredExchange.OfferRefusal.WantLegRefused,
            ISecuredAssetTypes.Refusal.UnitsRestricted,
            offer,
            signature,
            bob
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_UnitsRestricted.selector, otherId, bob, MINTED - 40, MINTED - 10, 0, 0
            )
        );
        vm.prank(bob);
        exchange.take(offer, signature);
    }

    /*//////////////////////////////////////////////////////////////
                                  LEGS
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_LegsAreInvalid() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        offer.wantId = issuanceId; // the same issuance on both sides
        expectTakeReverts(offer, abi.encodeWithSelector(ISecuredExchange.Exchange_InvalidLegs.selector));
        offer = swapOffer(0, 40, 1);
        expectTakeReverts(offer, abi.encodeWithSelector(ISecuredExchange.Exchange_InvalidLegs.selector));
        offer = swapOffer(100, 0, 1);
        expectTakeReverts(offer, abi.encodeWithSelector(ISecuredExchange.Exchange_InvalidLegs.selector));
        offer = saleOffer(100, 40, 1);
        offer.giveToken = address(money); // money for money: no units
        expectTakeReverts(offer, abi.encodeWithSelector(ISecuredExchange.Exchange_InvalidLegs.selector));
        offer = saleOffer(100, 40, 1);
        offer.wantId = 1; // a payment token has no id
        expectTakeReverts(offer, abi.encodeWithSelector(ISecuredExchange.Exchange_InvalidLegs.selector));
    }

    function test_RevertWhen_UnitsOfAnUnknownIssuance() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        offer.wantId = 99;
        bytes memory signature = signOffer(offer, aliceKey);
        assertRefusal(
            ISecuredExchange.OfferRefusal.WantLegRefused,
            ISecuredAssetTypes.Refusal.IssuanceUnknown,
            offer,
            signature,
            bob
        );
        vm.expectRevert();
        vm.prank(bob);
        exchange.take(offer, signature);
    }

    function expectTakeReverts(ISecuredExchange.Offer memory offer, bytes memory reason) internal {
        bytes memory signature = signOffer(offer, aliceKey);
        vm.expectRevert(reason);
        vm.prank(bob);
        exchange.take(offer, signature);
    }

    /*//////////////////////////////////////////////////////////////
                               SIGNATURES
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_SignedOnAnotherChain() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory signature = sign(aliceKey, typedDigest(offer, 1, address(exchange)));
        assertRefusal(ISecuredExchange.OfferRefusal.NotSigned, ISecuredAssetTypes.Refusal.None, offer, signature, bob);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_OfferNotSigned.selector, alice));
        vm.prank(bob);
        exchange.take(offer, signature);
    }

    /// @dev The chain forks: an offer signed before is not valid on the fork's chain id.
    function test_RevertWhen_TheChainIdChangedSinceSigning() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory signature = signOffer(offer, aliceKey);
        vm.chainId(block.chainid + 1);
        assertTrue(exchange.offerHash(offer) != typedDigest(offer, block.chainid - 1, address(exchange)));
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_OfferNotSigned.selector, alice));
        vm.prank(bob);
        exchange.take(offer, signature);
    }

    function test_RevertWhen_SignedForAnotherExchange() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        ISecuredAsset otherAsset = deployAsset(registry, collateral, address(forwarder), "https://other.example/{id}");
        ISecuredExchange otherExchange = ISecuredExchange(otherAsset.exchange());
        bytes memory signature = sign(aliceKey, otherExchange.offerHash(offer));
        assertEq(otherExchange.offerHash(offer), typedDigest(offer, block.chainid, address(otherExchange)));
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_OfferNotSigned.selector, alice));
        vm.prank(bob);
        exchange.take(offer, signature);
        // Another verifying contract, any address.
        signature = sign(aliceKey, typedDigest(offer, block.chainid, address(asset)));
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_OfferNotSigned.selector, alice));
        vm.prank(bob);
        exchange.take(offer, signature);
    }

    function test_OfferTakenUntilItsExpiryThenRefused() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory signature = signOffer(offer, aliceKey);
        vm.warp(offer.expiry + 1);
        assertRefusal(ISecuredExchange.OfferRefusal.Expired, ISecuredAssetTypes.Refusal.None, offer, signature, bob);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_OfferExpired.selector, offer.expiry));
        vm.prank(bob);
        exchange.take(offer, signature);
        vm.warp(offer.expiry); // the last second it may be taken
        vm.prank(bob);
        exchange.take(offer, signature);
    }

    function test_RevertWhen_TakenTwice() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory signature = signOffer(offer, aliceKey);
        vm.prank(bob);
        exchange.take(offer, signature);
        assertRefusal(ISecuredExchange.OfferRefusal.NonceUsed, ISecuredAssetTypes.Refusal.None, offer, signature, bob);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_NonceUsed.selector, alice, 1));
        vm.prank(bob);
        exchange.take(offer, signature);
        // Another offer under the same nonce is spent too.
        ISecuredExchange.Offer memory other = swapOffer(5, 5, 1);
        bytes memory otherSignature = signOffer(other, aliceKey);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_NonceUsed.selector, alice, 1));
        vm.prank(bob);
        exchange.take(other, otherSignature);
    }

    function test_CancelledOfferCannotBeTaken() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory signature = signOffer(offer, aliceKey);
        vm.expectEmit(address(exchange));
        emit ISecuredExchange.OfferCancelled(alice, 1);
        vm.prank(alice);
        exchange.cancelOffer(1);
        assertTrue(exchange.isNonceUsed(alice, 1));
        assertRefusal(ISecuredExchange.OfferRefusal.NonceUsed, ISecuredAssetTypes.Refusal.None, offer, signature, bob);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_NonceUsed.selector, alice, 1));
        vm.prank(bob);
        exchange.take(offer, signature);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_NonceUsed.selector, alice, 1));
        vm.prank(alice);
        exchange.cancelOffer(1);
    }

    /// @dev bob cancelling "his" nonce 1 spends nothing of alice's.
    function test_CancelSpendsOnlyTheCallersNonce() public {
        vm.prank(bob);
        exchange.cancelOffer(1);
        takeAs(bob, swapOffer(100, 40, 1));
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 100);
    }

    function test_RevertWhen_SignatureIsMalleable() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory signature = signOffer(offer, aliceKey);
        bytes memory highS = malleable(signature);
        // The high-s twin recovers alice with plain ecrecover: only the checker's rule refuses it.
        (bytes32 r, bytes32 s, uint8 v) = split(highS);
        assertEq(ecrecover(exchange.offerHash(offer), v, r, s), alice, "the twin recovers the maker");
        assertRefusal(ISecuredExchange.OfferRefusal.NotSigned, ISecuredAssetTypes.Refusal.None, offer, highS, bob);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_OfferNotSigned.selector, alice));
        vm.prank(bob);
        exchange.take(offer, highS);
        vm.prank(bob);
        exchange.take(offer, signature);
    }

    function test_RevertWhen_SignedByAnotherKeyOrTampered() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory bobs = signOffer(offer, bobKey);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_OfferNotSigned.selector, alice));
        vm.prank(bob);
        exchange.take(offer, bobs);
        bytes memory signature = signOffer(offer, aliceKey);
        offer.wantAmount = 1; // the taker rewrites the price
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_OfferNotSigned.selector, alice));
        vm.prank(bob);
        exchange.take(offer, signature);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_OfferNotSigned.selector, alice));
        vm.prank(bob);
        exchange.take(offer, "");
    }

    function test_NamedTakerOnly() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        offer.taker = bob;
        bytes memory signature = signOffer(offer, aliceKey);
        onboard(dave);
        assertRefusal(
            ISecuredExchange.OfferRefusal.TakerNotAllowed, ISecuredAssetTypes.Refusal.None, offer, signature, dave
        );
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_TakerNotAllowed.selector, dave));
        vm.prank(dave);
        exchange.take(offer, signature);
        vm.prank(bob);
        exchange.take(offer, signature);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 100);
    }

    function test_RevertWhen_MakerTakesItsOwnOffer() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory signature = signOffer(offer, aliceKey);
        assertRefusal(
            ISecuredExchange.OfferRefusal.TakerNotAllowed, ISecuredAssetTypes.Refusal.None, offer, signature, alice
        );
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_TakerNotAllowed.selector, alice));
        vm.prank(alice);
        exchange.take(offer, signature);
        offer.taker = alice; // named itself: still refused
        signature = signOffer(offer, aliceKey);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_TakerNotAllowed.selector, alice));
        vm.prank(alice);
        exchange.take(offer, signature);
    }

    /// @dev A smart-account maker (ERC-1271): its owner's key signs for it.
    function test_ContractWalletMaker() public {
        (address owner, uint256 ownerKey) = makeKey("wallet owner");
        HoldingContractWallet wallet = contractWalletParticipant(owner);
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        offer.maker = address(wallet);
        bytes memory signature = signOffer(offer, ownerKey);
        assertRefusal(ISecuredExchange.OfferRefusal.None, ISecuredAssetTypes.Refusal.None, offer, signature, bob);
        bytes memory strangers = signOffer(offer, bobKey);
        assertRefusal(ISecuredExchange.OfferRefusal.NotSigned, ISecuredAssetTypes.Refusal.None, offer, strangers, bob);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_OfferNotSigned.selector, address(wallet)));
        vm.prank(bob);
        exchange.take(offer, strangers);
        vm.prank(bob);
        exchange.take(offer, signature);
        assertEq(asset.balanceOf(address(wallet), issuanceId), MINTED - 100);
        assertEq(asset.balanceOf(address(wallet), otherId), 40);
    }

    /// @dev Fuzz: any amounts within both balances swap exactly; the nonce is spent by the fill.
    function testFuzz_SwapMovesExactlyTheLegs(uint256 give, uint256 want, uint256 nonce) public {
        give = bound(give, 1, MINTED);
        want = bound(want, 1, MINTED);
        takeAs(bob, swapOffer(give, want, nonce));
        assertEq(asset.balanceOf(alice, issuanceId), MINTED - give);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + give);
        assertEq(asset.balanceOf(alice, otherId), MINTED + want);
        assertEq(asset.balanceOf(bob, otherId), MINTED - want);
        assertTrue(exchange.isNonceUsed(alice, nonce));
    }

    /// @dev Law art. 5.2, 6.8: while an issuance's live collateral does not cover its supply, its
    /// units go nowhere but back to the issuer; a swap's leg is no exception.
    function test_RevertWhen_AnIssuanceIsUndercollateralised() public {
        bytes32 attestationId = collateral.attestationsOf(address(asset), otherId)[0];
        vm.prank(verifier);
        collateral.revoke(attestationId, keccak256("warehouse burnt"));
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory signature = signOffer(offer, aliceKey);
        assertRefusal(
            ISecuredExchange.OfferRefusal.WantLegRefused,
            ISecuredAssetTypes.Refusal.Undercollateralised,
            offer,
            signature,
            bob
        );
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_Undercollateralised.selector, otherId, 0, 2 * MINTED)
        );
        vm.prank(bob);
        exchange.take(offer, signature);
    }

    /// @dev A contract taker's receipt hook cannot take a second offer inside the first take.
    function test_RevertWhen_ATakerReentersFromItsReceiptHook() public {
        ArmedWallet taker = new ArmedWallet();
        register(address(taker));
        taker.execute(
            address(registry), abi.encodeCall(IPlatformRegistry.acknowledgeRiskNotice, (registry.noticeInForce()))
        );
        vm.prank(operator);
        asset.mint(otherId, address(taker), MINTED);

        ISecuredExchange.Offer memory first = swapOffer(100, 40, 1);
        ISecuredExchange.Offer memory second = swapOffer(50, 20, 2);
        taker.armBubbling(
            address(exchange), abi.encodeCall(ISecuredExchange.take, (second, signOffer(second, aliceKey)))
        );
        bytes memory take = abi.encodeCall(ISecuredExchange.take, (first, signOffer(first, aliceKey)));
        vm.expectRevert(abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector));
        taker.execute(address(exchange), take);
        assertEq(asset.balanceOf(address(taker), issuanceId), 0, "neither offer taken");
        assertFalse(exchange.isNonceUsed(alice, 1) || exchange.isNonceUsed(alice, 2), "no nonce spent");
    }
}
