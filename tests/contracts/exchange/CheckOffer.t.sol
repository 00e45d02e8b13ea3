// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC1155Errors, IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ISecuredExchange} from "../../../contracts/interfaces/ISecuredExchange.sol";

import {ExchangeBase} from "./ExchangeBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice `checkOffer` says why an offer cannot be taken, and agrees with what `take` then does.
contract ExchangeCheckOfferTest is ExchangeBase {
    uint256 internal constant PRICE = 50_000_00;

    function test_GoodOffersPass() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        assertRefusal(
            ISecuredExchange.OfferRefusal.None, ISecuredAssetTypes.Refusal.None, offer, signOffer(offer, aliceKey), bob
        );
        vm.prank(bob);
        money.approve(address(exchange), PRICE);
        offer = saleOffer(100, PRICE, 2);
        assertRefusal(
            ISecuredExchange.OfferRefusal.None, ISecuredAssetTypes.Refusal.None, offer, signOffer(offer, aliceKey), bob
        );
        vm.prank(alice);
        money.approve(address(exchange), PRICE);
        offer = buyOffer(100, PRICE, 3);
        assertRefusal(
            ISecuredExchange.OfferRefusal.None, ISecuredAssetTypes.Refusal.None, offer, signOffer(offer, aliceKey), bob
        );
    }

    function test_InvalidLegsOfEveryShape() public view {
        ISecuredExchange.Offer[5] memory offers;
        offers[0] = swapOffer(100, 40, 1);
        offers[0].wantId = issuanceId;
        offers[1] = swapOffer(0, 40, 1);
        offers[2] = saleOffer(100, 0, 1);
        offers[3] = saleOffer(100, PRICE, 1);
        offers[3].giveToken = address(money);
        offers[4] = buyOffer(100, PRICE, 1);
        offers[4].giveId = 5;
        for (uint256 i; i < offers.length; ++i) {
            assertRefusal(
                ISecuredExchange.OfferRefusal.InvalidLegs,
                ISecuredAssetTypes.Refusal.None,
                offers[i],
                signOffer(offers[i], aliceKey),
                bob
            );
        }
    }

    function test_LegRefusalsCarryTheAssetsRefusal() public {
        ISecuredExchange.Offer memory offer = swapOffer(MINTED + 1, 40, 1);
        bytes memory signature = signOffer(offer, aliceKey);
        assertRefusal(
            ISecuredExchange.OfferRefusal.GiveLegRefused,
            ISecuredAssetTypes.Refusal.InsufficientBalance,
            offer,
            signature,
            bob
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                IERC1155Errors.ERC1155InsufficientBalance.selector, alice, MINTED, MINTED + 1, issuanceId
            )
        );
        vm.prank(bob);
        exchange.take(offer, signature);
        offer = swapOffer(100, 40, 2);
        signature = signOffer(offer, aliceKey);
        assertRefusal(
            ISecuredExchange.OfferRefusal.GiveLegRefused,
            ISecuredAssetTypes.Refusal.RecipientNotRegistered,
            offer,
            signature,
            dave
        );
        assertRefusal(
            ISecuredExchange.OfferRefusal.GiveLegRefused,
            ISecuredAssetTypes.Refusal.RecipientNoticeNotAcknowledged,
            offer,
            signature,
            carol
        );
    }

    /// @dev An offer both spent and not for this taker: `take` and `checkOffer` must give the
    /// same reason, whichever it is.
    function test_SpentOfferForAnotherTakerGivesTakesReason() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        offer.taker = bob;
        bytes memory signature = signOffer(offer, aliceKey);
        vm.prank(alice);
        exchange.cancelOffer(1);
        onboard(dave);
        (ISecuredExchange.OfferRefusal refusal,) = exchange.checkOffer(offer, signature, dave);
        vm.prank(dave);
        try exchange.take(offer, signature) {
            revert("taken");
        } catch (bytes memory reason) {
            assertEq(bytes32(bytes4(reason)), bytes32(expectedSelector(refusal)), "take's error != checkOffer's reason");
        }
    }

    /*//////////////////////////////////////////////////////////////
                     FUZZ: checkOffer AGREES WITH take
    //////////////////////////////////////////////////////////////*/

    /// @dev An offer of any kind (swap, sale, purchase) spoiled in any combination of ways: when
    /// `checkOffer` says None the take succeeds and moves both legs, otherwise the take reverts
    /// with the error of the reason given, and a leg's refusal is the asset's own for that leg.
    function testFuzz_CheckOfferAgreesWithTake(uint256 seed) public {
        uint256 kind = seed % 3;
        ISecuredExchange.Offer memory offer =
            kind == 0 ? swapOffer(100, 40, 1) : kind == 1 ? saleOffer(100, PRICE, 1) : buyOffer(100, PRICE, 1);
        address taker = bob;
        uint256 signer = aliceKey;
        vm.prank(alice);
        money.approve(address(exchange), PRICE);
        vm.prank(bob);
        money.approve(address(exchange), PRICE);

        if (spoiled(seed, 0)) offer.expiry = uint64(block.timestamp - 1);
        if (spoiled(seed, 1)) {
            vm.prank(alice);
            exchange.cancelOffer(1);
        }
        if (spoiled(seed, 2)) signer = bobKey;
        if (spoiled(seed, 3)) offer.taker = carol;
        if (spoiled(seed, 4)) taker = alice;
        if (spoiled(seed, 5)) taker = carol;
        // Locks first: a pledge needs both parties eligible and the issuance running.
        if (spoiled(seed, 8)) {
            vm.prank(compliance);
            asset.freezeUnits(issuanceId, alice, MINTED - 50, keccak256("hold"));
        }
        if (spoiled(seed, 9)) {
            vm.prank(bob);
            asset.encumber(kind == 0 ? otherId : issuanceId, MINTED - 10, alice, keccak256("pledge"), 0);
        }
        if (spoiled(seed, 6)) freezeAccount(alice);
        if (spoiled(seed, 7)) freezeAccount(bob);
        if (spoiled(seed, 10)) {
            vm.prank(operator);
            asset.pause(issuanceId);
        }
        if (spoiled(seed, 11)) {
            vm.prank(operator);
            asset.pause(otherId);
        }
        if (spoiled(seed, 12)) {
            vm.prank(bob);
            money.approve(address(exchange), 0);
        }
        if (spoiled(seed, 13)) {
            vm.prank(alice);
            money.approve(address(exchange), PRICE - 1);
        }
        if (spoiled(seed, 14)) offer.giveAmount = kind == 2 ? MONEY + 1 : MINTED + 1;
        if (spoiled(seed, 15)) offer.wantAmount = kind == 1 ? MONEY + 1 : MINTED + 1;
        if (spoiled(seed, 16)) {
            vm.prank(regulator);
            exchange.delistPaymentToken(address(money));
        }
        if (spoiled(seed, 17)) {
            if (kind == 0) offer.wantId = offer.giveId;
            else offer.giveAmount = 0;
        }
        bytes memory signature = sign(signer, exchange.offerHash(offer));
        if (spoiled(seed, 18)) signature = malleable(signature);

        (ISecuredExchange.OfferRefusal refusal, ISecuredAssetTypes.Refusal leg) =
            exchange.checkOffer(offer, signature, taker);
        if (refusal == ISecuredExchange.OfferRefusal.GiveLegRefused) {
            assertEq(uint256(leg), uint256(asset.checkTransfer(alice, taker, offer.giveId, offer.giveAmount)), "give");
        } else if (refusal == ISecuredExchange.OfferRefusal.WantLegRefused) {
            assertEq(uint256(leg), uint256(asset.checkTransfer(taker, alice, offer.wantId, offer.wantAmount)), "want");
        } else {
            assertEq(uint256(leg), 0, "a leg's refusal only with a leg refused");
        }

        uint256 giveBefore = balanceOf(offer.giveToken, offer.giveId, alice);
        uint256 wantBefore = balanceOf(offer.wantToken, offer.wantId, taker);
        vm.prank(taker);
        try exchange.take(offer, signature) {
            assertEq(uint256(refusal), 0, "taken although checkOffer refused");
            assertEq(balanceOf(offer.giveToken, offer.giveId, alice), giveBefore - offer.giveAmount, "give leg");
            assertEq(balanceOf(offer.wantToken, offer.wantId, taker), wantBefore - offer.wantAmount, "want leg");
        } catch (bytes memory reason) {
            assertTrue(refusal != ISecuredExchange.OfferRefusal.None, "refused although checkOffer passed");
            bytes4 got = bytes4(reason);
            bool legShort =
                (refusal == ISecuredExchange.OfferRefusal.GiveLegRefused
                        && offer.giveAmount > asset.balanceOf(alice, offer.giveId))
                    || (refusal == ISecuredExchange.OfferRefusal.WantLegRefused
                        && offer.wantAmount > asset.balanceOf(taker, offer.wantId));
            // ERC-1155 checks the balance before the asset's rules run on the moved balances.
            if (legShort && got == IERC1155Errors.ERC1155InsufficientBalance.selector) return;
            bytes4 expected = expectedSelector(refusal);
            if (expected == bytes4(0)) expected = legSelector(leg);
            if (refusal == ISecuredExchange.OfferRefusal.PaymentNotAvailable) {
                assertEq(
                    bytes32(got),
                    bytes32(ISecuredExchange.Exchange_PaymentNotAvailable.selector),
                    "payment refused otherwise"
                );
            } else {
                assertEq(bytes32(got), bytes32(expected), "take's error != checkOffer's reason");
            }
        }
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev One spoil in ten, independently: about one offer in seven is spoiled in no way.
    function spoiled(uint256 seed, uint256 which) internal pure returns (bool) {
        return uint256(keccak256(abi.encode(seed, which))) % 10 == 0;
    }

    function balanceOf(address token, uint256 id, address holder) internal view returns (uint256) {
        return token == address(asset) ? asset.balanceOf(holder, id) : money.balanceOf(holder);
    }

    /// @dev The exchange's error for each reason; zero for a leg refused by the asset.
    function expectedSelector(ISecuredExchange.OfferRefusal refusal) internal pure returns (bytes4) {
        if (refusal == ISecuredExchange.OfferRefusal.InvalidLegs) {
            return ISecuredExchange.Exchange_InvalidLegs.selector;
        }
        if (refusal == ISecuredExchange.OfferRefusal.PaymentTokenNotListed) {
            return ISecuredExchange.Exchange_PaymentTokenNotListed.selector;
        }
        if (refusal == ISecuredExchange.OfferRefusal.Expired) return ISecuredExchange.Exchange_OfferExpired.selector;
        if (refusal == ISecuredExchange.OfferRefusal.NonceUsed) return ISecuredExchange.Exchange_NonceUsed.selector;
        if (refusal == ISecuredExchange.OfferRefusal.TakerNotAllowed) {
            return ISecuredExchange.Exchange_TakerNotAllowed.selector;
        }
        if (refusal == ISecuredExchange.OfferRefusal.NotSigned) {
            return ISecuredExchange.Exchange_OfferNotSigned.selector;
        }
        return bytes4(0);
    }

    /// @dev The asset's error for a refusal of a leg in units.
    function legSelector(ISecuredAssetTypes.Refusal leg) internal pure returns (bytes4) {
        if (leg == ISecuredAssetTypes.Refusal.IssuancePaused) {
            return ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector;
        }
        if (leg == ISecuredAssetTypes.Refusal.UnitsRestricted) {
            return ISecuredAssetTypes.SecuredAsset_UnitsRestricted.selector;
        }
        if (leg == ISecuredAssetTypes.Refusal.InsufficientBalance) {
            return IERC1155Errors.ERC1155InsufficientBalance.selector;
        }
        if (leg == ISecuredAssetTypes.Refusal.PermitNotActive) {
            return ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector;
        }
        if (leg == ISecuredAssetTypes.Refusal.Undercollateralised) {
            return ISecuredAssetTypes.SecuredAsset_Undercollateralised.selector;
        }
        return ISecuredAssetTypes.SecuredAsset_ParticipantNotEligible.selector;
    }
}
