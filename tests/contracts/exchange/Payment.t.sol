// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ISecuredExchange} from "../../../contracts/interfaces/ISecuredExchange.sol";

import {ExchangeBase} from "./ExchangeBase.t.sol";
import {TestEMoney} from "../utils/TestEMoney.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Delivery against an on-chain payment: units for a listed e-money token, both legs or
/// neither; the regulator's list of payment tokens.
contract ExchangePaymentTest is ExchangeBase {
    uint256 internal constant PRICE = 50_000_00; // 50,000 tenge, in tiyn

    function test_SaleForEMoneyWithItsEvents() public {
        ISecuredExchange.Offer memory offer = saleOffer(100, PRICE, 3);
        bytes memory signature = signOffer(offer, aliceKey);
        vm.prank(bob);
        money.approve(address(exchange), PRICE);

        vm.expectEmit(address(exchange));
        emit ISecuredExchange.OfferTaken(exchange.offerHash(offer), alice, bob, offer);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(address(exchange), alice, bob, issuanceId, 100);
        vm.expectEmit(address(money));
        emit IERC20.Transfer(bob, alice, PRICE);
        vm.prank(bob);
        exchange.take(offer, signature);

        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 100);
        assertEq(asset.balanceOf(alice, issuanceId), MINTED - 100);
        assertEq(money.balanceOf(alice), MONEY + PRICE);
        assertEq(money.balanceOf(bob), MONEY - PRICE);
        assertEq(money.allowance(bob, address(exchange)), 0, "the allowance spent");
    }

    /// @dev The maker pays: alice's e-money for bob's units.
    function test_PurchaseForEMoney() public {
        ISecuredExchange.Offer memory offer = buyOffer(100, PRICE, 3);
        bytes memory signature = signOffer(offer, aliceKey);
        vm.prank(alice);
        money.approve(address(exchange), PRICE);
        vm.expectEmit(address(money));
        emit IERC20.Transfer(alice, bob, PRICE);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(address(exchange), bob, alice, issuanceId, 100);
        vm.prank(bob);
        exchange.take(offer, signature);
        assertEq(asset.balanceOf(alice, issuanceId), MINTED + 100);
        assertEq(money.balanceOf(bob), MONEY + PRICE);
    }

    function test_RevertWhen_TakerHasNotApproved() public {
        ISecuredExchange.Offer memory offer = saleOffer(100, PRICE, 3);
        bytes memory signature = signOffer(offer, aliceKey);
        assertRefusal(
            ISecuredExchange.OfferRefusal.PaymentNotAvailable, ISecuredAssetTypes.Refusal.None, offer, signature, bob
        );
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredExchange.Exchange_PaymentNotAvailable.selector, bob, address(money), PRICE)
        );
        vm.prank(bob);
        exchange.take(offer, signature);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED, "the units leg rolled back");
        assertFalse(exchange.isNonceUsed(alice, 3));
    }

    function test_RevertWhen_MakerHasNotApproved() public {
        ISecuredExchange.Offer memory offer = buyOffer(100, PRICE, 3);
        bytes memory signature = signOffer(offer, aliceKey);
        assertRefusal(
            ISecuredExchange.OfferRefusal.PaymentNotAvailable, ISecuredAssetTypes.Refusal.None, offer, signature, bob
        );
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredExchange.Exchange_PaymentNotAvailable.selector, alice, address(money), PRICE)
        );
        vm.prank(bob);
        exchange.take(offer, signature);
    }

    function test_RevertWhen_TakersBalanceIsShort() public {
        ISecuredExchange.Offer memory offer = saleOffer(100, MONEY + 1, 3);
        bytes memory signature = signOffer(offer, aliceKey);
        vm.prank(bob);
        money.approve(address(exchange), type(uint256).max);
        assertRefusal(
            ISecuredExchange.OfferRefusal.PaymentNotAvailable, ISecuredAssetTypes.Refusal.None, offer, signature, bob
        );
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredExchange.Exchange_PaymentNotAvailable.selector, bob, address(money), MONEY + 1
            )
        );
        vm.prank(bob);
        exchange.take(offer, signature);
        assertEq(asset.balanceOf(alice, issuanceId), MINTED, "the units leg rolled back");
    }

    function test_RevertWhen_TokenDelistedAfterSigning() public {
        ISecuredExchange.Offer memory offer = saleOffer(100, PRICE, 3);
        bytes memory signature = signOffer(offer, aliceKey);
        vm.prank(bob);
        money.approve(address(exchange), PRICE);
        vm.expectEmit(address(exchange));
        emit ISecuredExchange.PaymentTokenDelisted(address(money), regulator);
        vm.prank(regulator);
        exchange.delistPaymentToken(address(money));
        assertFalse(exchange.paymentToken(address(money)).listed);
        assertRefusal(
            ISecuredExchange.OfferRefusal.PaymentTokenNotListed, ISecuredAssetTypes.Refusal.None, offer, signature, bob
        );
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredExchange.Exchange_PaymentTokenNotListed.selector, address(money))
        );
        vm.prank(bob);
        exchange.take(offer, signature);

        // Listed again: the same offer can be taken.
        vm.prank(regulator);
        exchange.listPaymentToken(address(money), "KZT");
        vm.prank(bob);
        exchange.take(offer, signature);
        assertEq(money.balanceOf(alice), MONEY + PRICE);
    }

    function test_RevertWhen_TokenNeverListed() public {
        TestEMoney unlisted = new TestEMoney();
        ISecuredExchange.Offer memory offer = saleOffer(100, PRICE, 3);
        offer.wantToken = address(unlisted);
        bytes memory signature = signOffer(offer, aliceKey);
        assertRefusal(
            ISecuredExchange.OfferRefusal.PaymentTokenNotListed, ISecuredAssetTypes.Refusal.None, offer, signature, bob
        );
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredExchange.Exchange_PaymentTokenNotListed.selector, address(unlisted))
        );
        vm.prank(bob);
        exchange.take(offer, signature);
        // The maker paying in it: the same refusal, naming the token.
        offer = buyOffer(100, PRICE, 4);
        offer.giveToken = address(unlisted);
        signature = signOffer(offer, aliceKey);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredExchange.Exchange_PaymentTokenNotListed.selector, address(unlisted))
        );
        vm.prank(bob);
        exchange.take(offer, signature);
    }

    function test_RevertWhen_BuyerCannotReceiveTheUnits() public {
        onboard(dave);
        money.mint(dave, PRICE);
        vm.prank(dave);
        money.approve(address(exchange), PRICE);
        ISecuredExchange.Offer memory offer = saleOffer(100, PRICE, 3);
        bytes memory signature = signOffer(offer, aliceKey);
        freezeAccount(dave);
        vm.expectRevert(notEligible(dave, registry.participantStatus(dave)));
        vm.prank(dave);
        exchange.take(offer, signature);
        assertEq(money.balanceOf(dave), PRICE, "dave paid nothing");
    }

    /*//////////////////////////////////////////////////////////////
                             PAYMENT TOKENS
    //////////////////////////////////////////////////////////////*/

    function test_ListPaymentTokenRecordsCurrencyAndDecimals() public {
        TestEMoney token = new TestEMoney();
        vm.expectEmit(address(exchange));
        emit ISecuredExchange.PaymentTokenListed(address(token), "KZT", 2, regulator);
        vm.prank(regulator);
        exchange.listPaymentToken(address(token), "KZT");
        ISecuredExchange.PaymentToken memory p = exchange.paymentToken(address(token));
        assertEq(bytes32(p.currency), bytes32(bytes3("KZT")));
        assertEq(uint256(p.decimals), 2);
        assertTrue(p.listed);
        ISecuredExchange.PaymentToken memory none = exchange.paymentToken(makeAddr("nothing"));
        assertFalse(none.listed);
    }

    function test_RevertWhen_ListingIsNotTheRegulators() public {
        TestEMoney token = new TestEMoney();
        bytes32 regulatorRole = registry.REGULATOR_ROLE();
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_MissingRole.selector, operator, regulatorRole));
        vm.prank(operator);
        exchange.listPaymentToken(address(token), "KZT");
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_MissingRole.selector, alice, regulatorRole));
        vm.prank(alice);
        exchange.delistPaymentToken(address(money));
    }

    function test_RevertWhen_ListingIsInvalid() public {
        TestEMoney token = new TestEMoney();
        vm.startPrank(regulator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_InvalidCurrency.selector, bytes3(0)));
        exchange.listPaymentToken(address(token), bytes3(0));
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_NotAToken.selector, address(asset)));
        exchange.listPaymentToken(address(asset), "KZT");
        address noCode = makeAddr("no code");
        vm.expectRevert(abi.encodeWithSelector(ISecuredExchange.Exchange_NotAToken.selector, noCode));
        exchange.listPaymentToken(noCode, "KZT");
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredExchange.Exchange_PaymentTokenAlreadyListed.selector, address(money))
        );
        exchange.listPaymentToken(address(money), "USD");
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredExchange.Exchange_PaymentTokenNotListed.selector, address(token))
        );
        exchange.delistPaymentToken(address(token));
        exchange.delistPaymentToken(address(money));
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredExchange.Exchange_PaymentTokenNotListed.selector, address(money))
        );
        exchange.delistPaymentToken(address(money));
        vm.stopPrank();
    }

    /// @dev Fuzz: a sale at any price the buyer can pay moves exactly the units and the price.
    function testFuzz_SaleMovesExactlyUnitsAndPrice(uint256 units, uint256 price) public {
        units = bound(units, 1, MINTED);
        price = bound(price, 1, MONEY);
        ISecuredExchange.Offer memory offer = saleOffer(units, price, 9);
        vm.prank(bob);
        money.approve(address(exchange), price);
        takeAs(bob, offer);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + units);
        assertEq(money.balanceOf(alice), MONEY + price);
        assertEq(money.balanceOf(bob), MONEY - price);
    }
}
