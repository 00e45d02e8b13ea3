// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {ISecuredExchange} from "../../../contracts/interfaces/ISecuredExchange.sol";

/// @dev What PermissiveAsset lets anyone do: move anyone's units, recorded with the caller as the
/// operator (here, this exchange).
interface IPermissiveUnits {
    function move(address from, address to, uint256 id, uint256 amount) external;
    function moveBatch(address from, address to, uint256[] calldata ids, uint256[] calldata amounts) external;
}

/// @notice A deliberately permissive stand-in for SecuredExchange, for the auditor's tests only,
/// next to PermissiveAsset. It emits exactly SecuredExchange's events but checks nothing, so a test
/// can write the histories the real exchange refuses: an offer taken with other legs than it says,
/// after its expiry, by its maker, under a nonce already spent, paying in an unlisted token; units
/// moved by the exchange for no offer or escrow; an escrow of units the seller does not have free,
/// settled by someone other than its agent, after its deadline, to another wallet, against a payment
/// reference already used, lapsed early or cancelled by anyone; a payment token listed by anyone. Its offer hash is the real one (same EIP-712 domain and type),
/// so an offer taken here is judged on its terms. Never deploy it for real.
contract PermissiveExchange is EIP712 {
    bytes32 private constant OFFER_TYPEHASH = keccak256(
        "Offer(address maker,address taker,address giveToken,uint256 giveId,uint256 giveAmount,address wantToken,"
        "uint256 wantId,uint256 wantAmount,uint256 nonce,uint64 expiry)"
    );

    /// @notice One movement: units of `id` when `token` is the asset, else `amount` of the ERC-20
    /// `token` (moved with `from`'s allowance to this contract).
    struct Leg {
        address token;
        address from;
        address to;
        uint256 id;
        uint256 amount;
    }

    address public immutable asset;

    constructor(address asset_) EIP712("SDAP Exchange", "1") {
        asset = asset_;
    }

    function offerHash(ISecuredExchange.Offer calldata offer) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(OFFER_TYPEHASH, offer)));
    }

    /// @dev Announces `offer` taken by `taker` (no signature, expiry or nonce checked), then moves
    /// `legs`, whatever they are.
    function take(ISecuredExchange.Offer calldata offer, address taker, Leg[] calldata legs) external {
        emit ISecuredExchange.OfferTaken(offerHash(offer), offer.maker, taker, offer);
        for (uint256 i; i < legs.length; ++i) {
            _deliver(legs[i]);
        }
    }

    /// @dev Announces `maker`'s `nonce` cancelled, whoever calls.
    function cancel(address maker, uint256 nonce) external {
        emit ISecuredExchange.OfferCancelled(maker, nonce);
    }

    /// @dev Moves `leg` as the exchange, for no offer or escrow.
    function deliver(Leg calldata leg) external {
        _deliver(leg);
    }

    /// @dev Moves a batch of `from`'s units as the exchange (which never moves a batch).
    function deliverBatch(address from, address to, uint256[] calldata ids, uint256[] calldata amounts) external {
        IPermissiveUnits(asset).moveBatch(from, to, ids, amounts);
    }

    /// @dev Lists `token` by the caller, whoever it is, with the currency and decimals it says.
    function listPaymentToken(address token, bytes3 currency, uint8 decimals) external {
        emit ISecuredExchange.PaymentTokenListed(token, currency, decimals, msg.sender);
    }

    function delistPaymentToken(address token) external {
        emit ISecuredExchange.PaymentTokenDelisted(token, msg.sender);
    }

    /// @dev Announces escrow `escrowId` as given, holding nothing and checking nothing.
    function openEscrow(
        uint256 escrowId,
        uint256 issuanceId,
        address seller,
        address buyer,
        address agent,
        uint256 amount,
        uint256 price,
        bytes3 currency,
        uint64 deadline
    ) external {
        emit ISecuredExchange.EscrowOpened(escrowId, issuanceId, seller, buyer, agent, amount, price, currency, deadline);
    }

    /// @dev Moves `delivery` as the exchange, then announces escrow `escrowId` settled by the caller
    /// (whoever it is, whenever) against `paymentRef`, with the units delivered to `delivery.to`.
    function settle(uint256 escrowId, Leg calldata delivery, bytes32 paymentRef) external {
        _deliver(delivery);
        emit ISecuredExchange.EscrowSettled(escrowId, delivery.to, paymentRef, msg.sender);
    }

    /// @dev Announces escrow `escrowId` cancelled by the caller's order, whoever it is.
    function cancelEscrow(uint256 escrowId) external {
        emit ISecuredExchange.EscrowCancelled(escrowId, keccak256("order"), msg.sender);
    }

    /// @dev Announces escrow `escrowId` lapsed by the caller, whenever.
    function lapse(uint256 escrowId) external {
        emit ISecuredExchange.EscrowLapsed(escrowId, msg.sender);
    }

    function _deliver(Leg calldata leg) private {
        if (leg.token == asset) {
            IPermissiveUnits(asset).move(leg.from, leg.to, leg.id, leg.amount);
        } else {
            // The test's token: it returns true or reverts (no SafeERC20 needed in a test helper).
            // slither-disable-next-line unchecked-transfer
            IERC20(leg.token).transferFrom(leg.from, leg.to, leg.amount);
        }
    }
}
