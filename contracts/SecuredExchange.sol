// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IPlatformRegistry} from "./interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "./interfaces/ISecuredAsset.sol";
import {ISecuredAssetTypes} from "./interfaces/ISecuredAssetTypes.sol";
import {ISecuredExchange} from "./interfaces/ISecuredExchange.sol";

/// @title SecuredExchange
/// @notice Swaps between holders (units for units), delivery against an on-chain payment (units
/// for a listed electronic-money token) and delivery against a payment made off-chain (units held
/// for a buyer until a settlement agent confirms the payment). See {ISecuredExchange}.
/// @dev The asset deploys this contract in its constructor and lets only it move units for an
/// exchange (`exchangeTransfer`) or hold them for a buyer (`escrowUnits`): the asset keeps every
/// rule of the movement and of the locks, this contract only the terms, the signatures and the
/// escrows. Holders act gaslessly through the same forwarder as on the asset.
contract SecuredExchange is ISecuredExchange, ERC2771Context, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    bytes32 private constant OFFER_TYPEHASH = keccak256(
        "Offer(address maker,address taker,address giveToken,uint256 giveId,uint256 giveAmount,address wantToken,"
        "uint256 wantId,uint256 wantAmount,uint256 nonce,uint64 expiry)"
    );
    bytes32 private constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 private constant SETTLEMENT_AGENT_ROLE = keccak256("SETTLEMENT_AGENT_ROLE");
    /// @inheritdoc ISecuredExchange
    uint64 public constant MAX_ESCROW_PERIOD = 90 days;

    ISecuredAsset private immutable _asset;
    IPlatformRegistry private immutable _registry;

    mapping(address maker => mapping(uint256 nonce => bool)) private _nonceUsed;
    mapping(address token => PaymentToken) private _paymentTokens;
    mapping(uint256 escrowId => Escrow) private _escrows;
    uint256 private _escrowCount;
    mapping(address agent => mapping(bytes32 paymentRef => bool)) private _paymentRefUsed;

    /// @dev Called by the asset's constructor: the deployer is the asset this exchange serves.
    constructor(IPlatformRegistry registry_, address trustedForwarder)
        ERC2771Context(trustedForwarder)
        EIP712("SDAP Exchange", "1")
    {
        _asset = ISecuredAsset(msg.sender);
        _registry = registry_;
    }

    /*//////////////////////////////////////////////////////////////
                                 OFFERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISecuredExchange
    function take(Offer calldata offer, bytes calldata signature) external nonReentrant returns (bytes32 hash) {
        address taker = _msgSender();
        _requireValidLegs(offer);
        if (offer.expiry < block.timestamp) revert Exchange_OfferExpired(offer.expiry);
        if ((offer.taker != address(0) && offer.taker != taker) || taker == offer.maker) {
            revert Exchange_TakerNotAllowed(taker);
        }
        _spendNonce(offer.maker, offer.nonce);
        hash = _offerHash(offer);
        // OpenZeppelin's checker refuses high-s (malleable) signatures and asks a contract wallet
        // maker (ERC-1271) whether it accepts the signature.
        if (!SignatureChecker.isValidSignatureNow(offer.maker, hash, signature)) {
            revert Exchange_OfferNotSigned(offer.maker);
        }
        emit OfferTaken(hash, offer.maker, taker, offer);
        _deliver(offer.giveToken, offer.giveId, offer.giveAmount, offer.maker, taker);
        _deliver(offer.wantToken, offer.wantId, offer.wantAmount, taker, offer.maker);
    }

    /// @inheritdoc ISecuredExchange
    function cancelOffer(uint256 nonce) external {
        address maker = _msgSender();
        _spendNonce(maker, nonce);
        emit OfferCancelled(maker, nonce);
    }

    /// @inheritdoc ISecuredExchange
    function checkOffer(Offer calldata offer, bytes calldata signature, address taker)
        external
        view
        returns (OfferRefusal, ISecuredAssetTypes.Refusal)
    {
        ISecuredAssetTypes.Refusal none = ISecuredAssetTypes.Refusal.None;
        OfferRefusal legs = _legsRefusal(offer);
        if (legs != OfferRefusal.None) return (legs, none);
        if (offer.expiry < block.timestamp) return (OfferRefusal.Expired, none);
        // In the order `take` checks, so both give the same first reason.
        if ((offer.taker != address(0) && offer.taker != taker) || taker == offer.maker) {
            return (OfferRefusal.TakerNotAllowed, none);
        }
        if (_nonceUsed[offer.maker][offer.nonce]) return (OfferRefusal.NonceUsed, none);
        if (!SignatureChecker.isValidSignatureNow(offer.maker, _offerHash(offer), signature)) {
            return (OfferRefusal.NotSigned, none);
        }
        (bool deliverable, ISecuredAssetTypes.Refusal refusal) =
            _deliverable(offer.giveToken, offer.giveId, offer.giveAmount, offer.maker, taker);
        if (!deliverable) return (_legRefusal(refusal, OfferRefusal.GiveLegRefused), refusal);
        (deliverable, refusal) = _deliverable(offer.wantToken, offer.wantId, offer.wantAmount, taker, offer.maker);
        if (!deliverable) return (_legRefusal(refusal, OfferRefusal.WantLegRefused), refusal);
        return (OfferRefusal.None, none);
    }

    /// @inheritdoc ISecuredExchange
    function offerHash(Offer calldata offer) external view returns (bytes32) {
        return _offerHash(offer);
    }

    /// @inheritdoc ISecuredExchange
    function isNonceUsed(address maker, uint256 nonce) external view returns (bool) {
        return _nonceUsed[maker][nonce];
    }

    /*//////////////////////////////////////////////////////////////
                             PAYMENT TOKENS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISecuredExchange
    function listPaymentToken(address token, bytes3 currency) external {
        _requireRole(REGULATOR_ROLE);
        if (currency == bytes3(0)) revert Exchange_InvalidCurrency(currency);
        if (
            token == address(_asset) || token == address(this) || token == address(_registry)
                || token == trustedForwarder() || token.code.length == 0
        ) revert Exchange_NotAToken(token);
        if (_paymentTokens[token].listed) revert Exchange_PaymentTokenAlreadyListed(token);
        try IERC20Metadata(token).decimals() returns (uint8 decimals) {
            _paymentTokens[token] = PaymentToken(currency, decimals, true);
            emit PaymentTokenListed(token, currency, decimals, _msgSender());
        } catch {
            revert Exchange_NotAToken(token);
        }
    }

    /// @inheritdoc ISecuredExchange
    function delistPaymentToken(address token) external {
        _requireRole(REGULATOR_ROLE);
        if (!_paymentTokens[token].listed) revert Exchange_PaymentTokenNotListed(token);
        _paymentTokens[token].listed = false;
        emit PaymentTokenDelisted(token, _msgSender());
    }

    /// @inheritdoc ISecuredExchange
    function paymentToken(address token) external view returns (PaymentToken memory) {
        return _paymentTokens[token];
    }

    /*//////////////////////////////////////////////////////////////
                    DELIVERY AGAINST OFF-CHAIN PAYMENT
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISecuredExchange
    function openEscrow(
        uint256 issuanceId,
        uint256 amount,
        address buyer,
        address agent,
        uint256 price,
        bytes3 currency,
        uint64 deadline
    ) external nonReentrant returns (uint256 escrowId) {
        address seller = _msgSender();
        // The agent confirms a payment between the parties: it is neither of them.
        if (amount == 0 || price == 0 || buyer == seller || buyer == address(0) || agent == seller || agent == buyer) {
            revert Exchange_InvalidEscrow();
        }
        if (currency == bytes3(0)) revert Exchange_InvalidCurrency(currency);
        // Escrowed units are out of reach of orders and recovery: never for long.
        if (deadline <= block.timestamp || deadline > block.timestamp + MAX_ESCROW_PERIOD) {
            revert Exchange_InvalidDeadline(deadline);
        }
        if (!_registry.hasRole(SETTLEMENT_AGENT_ROLE, agent)) {
            revert Exchange_MissingRole(agent, SETTLEMENT_AGENT_ROLE);
        }
        escrowId = ++_escrowCount;
        _escrows[escrowId] =
            Escrow(issuanceId, seller, deadline, EscrowState.Open, buyer, agent, currency, amount, price);
        emit EscrowOpened(escrowId, issuanceId, seller, buyer, agent, amount, price, currency, deadline);
        // The asset refuses what a transfer from the seller to the buyer could not do now.
        _asset.escrowUnits(seller, buyer, issuanceId, amount);
    }

    /// @inheritdoc ISecuredExchange
    function confirmPayment(uint256 escrowId, bytes32 paymentRef) external nonReentrant {
        Escrow storage e = _openEscrow(escrowId);
        address sender = _msgSender();
        if (sender != e.agent) revert Exchange_NotEscrowAgent(escrowId, sender);
        // An agent whose role the regulator withdrew confirms nothing; the escrow will lapse.
        _requireRole(SETTLEMENT_AGENT_ROLE);
        if (e.deadline < block.timestamp) revert Exchange_EscrowExpired(escrowId, e.deadline);
        if (paymentRef == bytes32(0)) revert Exchange_EmptyPaymentRef();
        if (_paymentRefUsed[sender][paymentRef]) revert Exchange_PaymentRefUsed(sender, paymentRef);
        _paymentRefUsed[sender][paymentRef] = true;
        e.state = EscrowState.Settled;
        // The asset moves the units under every rule of a transfer, to the buyer's wallet now.
        address deliveredTo = _asset.releaseEscrowedUnits(e.seller, e.issuanceId, e.amount, e.buyer);
        emit EscrowSettled(escrowId, deliveredTo, paymentRef, sender);
    }

    /// @inheritdoc ISecuredExchange
    function lapse(uint256 escrowId) external nonReentrant {
        Escrow storage e = _openEscrow(escrowId);
        // An agent whose role was withdrawn can confirm nothing: no reason to wait for the deadline.
        if (e.deadline >= block.timestamp && _registry.hasRole(SETTLEMENT_AGENT_ROLE, e.agent)) {
            revert Exchange_EscrowNotExpired(escrowId, e.deadline);
        }
        e.state = EscrowState.Lapsed;
        emit EscrowLapsed(escrowId, _msgSender());
        _release(e);
    }

    /// @inheritdoc ISecuredExchange
    function cancelEscrow(uint256 escrowId, bytes32 orderHash) external nonReentrant {
        Escrow storage e = _openEscrow(escrowId);
        _requireRole(REGULATOR_ROLE);
        e.state = EscrowState.Cancelled;
        emit EscrowCancelled(escrowId, orderHash, _msgSender());
        _release(e);
    }

    /// @inheritdoc ISecuredExchange
    function escrow(uint256 escrowId) external view returns (Escrow memory) {
        return _escrows[escrowId];
    }

    /// @inheritdoc ISecuredExchange
    function escrowCount() external view returns (uint256) {
        return _escrowCount;
    }

    /// @inheritdoc ISecuredExchange
    function wiring() external view returns (address, IPlatformRegistry, address) {
        return (address(_asset), _registry, trustedForwarder());
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev The escrow's units are the seller's again.
    function _release(Escrow storage e) private {
        // No buyer: the units are only released, delivered to nobody (the zero address returned).
        // slither-disable-next-line unused-return
        _asset.releaseEscrowedUnits(e.seller, e.issuanceId, e.amount, address(0));
    }

    /// @dev Moves one leg: units through the asset's balance path, or the payment token.
    function _deliver(address token, uint256 id, uint256 amount, address from, address to) private {
        if (token == address(_asset)) {
            _asset.exchangeTransfer(from, to, id, amount);
            return;
        }
        // The token's own refusal would name neither the offer's payer nor the token to whoever
        // relayed the take: the platform says it first.
        IERC20 payment = IERC20(token);
        if (payment.balanceOf(from) < amount || payment.allowance(from, address(this)) < amount) {
            revert Exchange_PaymentNotAvailable(from, token, amount);
        }
        // `from` is the maker whose signature or the taker whose own call was checked in `take`,
        // paying what it agreed to, under the allowance it gave this contract.
        // slither-disable-next-line arbitrary-send-erc20
        payment.safeTransferFrom(from, to, amount);
    }

    /// @dev Whether one leg could move now; for units, the asset's refusal.
    function _deliverable(address token, uint256 id, uint256 amount, address from, address to)
        private
        view
        returns (bool, ISecuredAssetTypes.Refusal refusal)
    {
        if (token == address(_asset)) {
            refusal = _asset.checkTransfer(from, to, id, amount);
            return (refusal == ISecuredAssetTypes.Refusal.None, refusal);
        }
        IERC20 payment = IERC20(token);
        return (payment.balanceOf(from) >= amount && payment.allowance(from, address(this)) >= amount, refusal);
    }

    /// @dev A leg in units refused by the asset, or a payment the payer cannot make (no refusal).
    function _legRefusal(ISecuredAssetTypes.Refusal refusal, OfferRefusal unitsRefused)
        private
        pure
        returns (OfferRefusal)
    {
        return refusal == ISecuredAssetTypes.Refusal.None ? OfferRefusal.PaymentNotAvailable : unitsRefused;
    }

    function _requireValidLegs(Offer calldata offer) private view {
        OfferRefusal refusal = _legsRefusal(offer);
        if (refusal == OfferRefusal.InvalidLegs) revert Exchange_InvalidLegs();
        if (refusal == OfferRefusal.PaymentTokenNotListed) {
            revert Exchange_PaymentTokenNotListed(offer.giveToken == address(_asset)
                    ? offer.wantToken
                    : offer.giveToken);
        }
    }

    /// @dev At least one side in units; the other units of another issuance or a listed payment
    /// token; nothing for nothing.
    function _legsRefusal(Offer calldata offer) private view returns (OfferRefusal) {
        address asset = address(_asset);
        bool giveUnits = offer.giveToken == asset;
        bool wantUnits = offer.wantToken == asset;
        if (offer.giveAmount == 0 || offer.wantAmount == 0 || !(giveUnits || wantUnits)) {
            return OfferRefusal.InvalidLegs;
        }
        if (giveUnits && wantUnits) {
            return offer.giveId == offer.wantId ? OfferRefusal.InvalidLegs : OfferRefusal.None;
        }
        (address token, uint256 id) = giveUnits ? (offer.wantToken, offer.wantId) : (offer.giveToken, offer.giveId);
        if (id != 0) return OfferRefusal.InvalidLegs;
        return _paymentTokens[token].listed ? OfferRefusal.None : OfferRefusal.PaymentTokenNotListed;
    }

    function _spendNonce(address maker, uint256 nonce) private {
        if (_nonceUsed[maker][nonce]) revert Exchange_NonceUsed(maker, nonce);
        _nonceUsed[maker][nonce] = true;
    }

    function _offerHash(Offer calldata offer) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(OFFER_TYPEHASH, offer)));
    }

    function _openEscrow(uint256 escrowId) private view returns (Escrow storage e) {
        e = _escrows[escrowId];
        if (e.state != EscrowState.Open) revert Exchange_EscrowNotOpen(escrowId);
    }

    function _requireRole(bytes32 role) private view {
        address sender = _msgSender();
        if (!_registry.hasRole(role, sender)) revert Exchange_MissingRole(sender, role);
    }
}
