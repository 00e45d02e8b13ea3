// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "./IPlatformRegistry.sol";
import {ISecuredAssetTypes} from "./ISecuredAssetTypes.sol";

/// @title The platform's exchange: swaps between holders and delivery against payment
/// @notice Law art. 1.1-1.2 make the platform one "for storage and exchange"; Rules item 4 counts
/// the exchange of secured digital assets for other assets and for electronic money as turnover.
/// Every leg in units moves through the asset's one balance path: both parties' eligibility,
/// freeze, encumbrance, escrow, pause, the permits of both issuances' operators and coverage
/// apply to it exactly as to a transfer. Either every leg of an exchange moves or none does.
interface ISecuredExchange {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice A maker's signed offer (EIP-712, domain "SDAP Exchange" v1): it gives `giveAmount`
    /// of `giveToken` (`giveId` of it when that is the asset, 0 for a payment token) and wants
    /// `wantAmount` of `wantToken` in return. At least one side is units of the asset; the other
    /// is units of another issuance (a swap) or a payment token the regulator listed (delivery
    /// against payment). `taker` zero: anyone eligible may take it. The offer is filled whole,
    /// once: `nonce` (any number the maker has not used) is spent by the fill or by cancellation.
    /// `expiry`: the last second it may be taken.
    struct Offer {
        address maker;
        address taker;
        address giveToken;
        uint256 giveId;
        uint256 giveAmount;
        address wantToken;
        uint256 wantId;
        uint256 wantAmount;
        uint256 nonce;
        uint64 expiry;
    }

    /// @notice An electronic-money token the regulator accepts as payment: its ISO 4217 currency
    /// (e.g. "KZT") and decimals, read from the token when listed, so amounts convert to tenge.
    struct PaymentToken {
        bytes3 currency;
        uint8 decimals;
        bool listed;
    }

    enum EscrowState {
        None,
        Open,
        Settled,
        Lapsed,
        Cancelled
    }

    /// @notice Units of `seller` held for `buyer` against a payment made off-chain: `price` in the
    /// smallest unit of `currency` (tiyn for "KZT"). The named settlement `agent` (holding
    /// SETTLEMENT_AGENT_ROLE, neither party) confirms the payment until `deadline` (at most
    /// MAX_ESCROW_PERIOD ahead); after it, or once the agent has lost its role, the escrow may
    /// lapse and the units are the seller's again. The regulator may cancel it by order.
    struct Escrow {
        uint256 issuanceId;
        address seller;
        uint64 deadline;
        EscrowState state;
        address buyer;
        address agent;
        bytes3 currency;
        uint256 amount;
        uint256 price;
    }

    /// @notice Why an offer cannot be taken now (`None`: it can). `GiveLegRefused` and
    /// `WantLegRefused` come with the asset's own refusal for that leg.
    enum OfferRefusal {
        None,
        InvalidLegs,
        PaymentTokenNotListed,
        Expired,
        NonceUsed,
        TakerNotAllowed,
        NotSigned,
        GiveLegRefused,
        WantLegRefused,
        PaymentNotAvailable
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice An offer was filled: both legs moved in this transaction (the units' TransferSingle
    /// events and, for a payment leg, the token's Transfer follow this event).
    event OfferTaken(bytes32 indexed offerHash, address indexed maker, address indexed taker, Offer offer);
    /// @notice The maker spent `nonce` without a fill: no offer it signed with it can be taken.
    event OfferCancelled(address indexed maker, uint256 indexed nonce);
    event PaymentTokenListed(address indexed token, bytes3 currency, uint8 decimals, address indexed by);
    event PaymentTokenDelisted(address indexed token, address indexed by);
    /// @notice `amount` units of `seller` are held for `buyer` until `deadline`.
    event EscrowOpened(
        uint256 indexed escrowId,
        uint256 indexed issuanceId,
        address indexed seller,
        address buyer,
        address agent,
        uint256 amount,
        uint256 price,
        bytes3 currency,
        uint64 deadline
    );
    /// @notice The agent confirmed the payment (`paymentRef`: its reference, hashed); the units
    /// moved to `deliveredTo`, the buyer's wallet now (its replacement if it was recovered).
    event EscrowSettled(uint256 indexed escrowId, address indexed deliveredTo, bytes32 paymentRef, address indexed by);
    /// @notice No payment was confirmed by the deadline (or the agent lost its role): the units are
    /// the seller's again.
    event EscrowLapsed(uint256 indexed escrowId, address indexed by);
    /// @notice The regulator ended the escrow by order (`orderHash`): the units are the seller's again.
    event EscrowCancelled(uint256 indexed escrowId, bytes32 orderHash, address indexed by);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    error Exchange_InvalidLegs();
    error Exchange_PaymentTokenNotListed(address token);
    error Exchange_OfferExpired(uint64 expiry);
    error Exchange_NonceUsed(address maker, uint256 nonce);
    error Exchange_TakerNotAllowed(address taker);
    /// @notice The signature is not the maker's over this offer on this chain and contract (a
    /// high-s or malformed signature is not one either).
    error Exchange_OfferNotSigned(address maker);
    error Exchange_MissingRole(address account, bytes32 role);
    error Exchange_InvalidCurrency(bytes3 currency);
    error Exchange_PaymentTokenAlreadyListed(address token);
    error Exchange_InvalidEscrow();
    error Exchange_InvalidDeadline(uint64 deadline);
    error Exchange_EscrowNotOpen(uint256 escrowId);
    error Exchange_NotEscrowAgent(uint256 escrowId, address account);
    error Exchange_EscrowExpired(uint256 escrowId, uint64 deadline);
    error Exchange_EscrowNotExpired(uint256 escrowId, uint64 deadline);
    /// @notice A confirmation names the agent's payment reference (hashed), never none.
    error Exchange_EmptyPaymentRef();
    /// @notice One payment settles one escrow: the agent already confirmed one with this reference.
    error Exchange_PaymentRefUsed(address agent, bytes32 paymentRef);
    /// @notice The payer of an offer's payment leg holds less than `amount` of `token`, or allowed
    /// this contract less.
    error Exchange_PaymentNotAvailable(address payer, address token, uint256 amount);
    /// @notice Not an ERC-20 with decimals (or one of the platform's own contracts).
    error Exchange_NotAToken(address token);

    /*//////////////////////////////////////////////////////////////
                                 OFFERS
    //////////////////////////////////////////////////////////////*/

    /// @notice The caller (directly or through the holders' forwarder) takes `offer`, signed by
    /// its maker: both legs move or neither. Payment legs need the payer's ERC-20 allowance to
    /// this contract.
    function take(Offer calldata offer, bytes calldata signature) external returns (bytes32 offerHash);

    /// @notice The caller spends `nonce`: its offers signed with it can no longer be taken.
    function cancelOffer(uint256 nonce) external;

    /// @notice Why `taker` could not take `offer` now (`None`, `ISecuredAssetTypes.Refusal.None`:
    /// it could), with the asset's refusal when a leg in units is the reason.
    function checkOffer(Offer calldata offer, bytes calldata signature, address taker)
        external
        view
        returns (OfferRefusal, ISecuredAssetTypes.Refusal);

    /// @notice The EIP-712 digest the maker signs for `offer`.
    function offerHash(Offer calldata offer) external view returns (bytes32);

    function isNonceUsed(address maker, uint256 nonce) external view returns (bool);

    /*//////////////////////////////////////////////////////////////
                             PAYMENT TOKENS
    //////////////////////////////////////////////////////////////*/

    /// @notice The regulator accepts `token` (an electronic-money ERC-20 in `currency`) as payment.
    function listPaymentToken(address token, bytes3 currency) external;

    /// @notice The regulator stops accepting `token`; offers paying in it can no longer be taken.
    function delistPaymentToken(address token) external;

    function paymentToken(address token) external view returns (PaymentToken memory);

    /*//////////////////////////////////////////////////////////////
                    DELIVERY AGAINST OFF-CHAIN PAYMENT
    //////////////////////////////////////////////////////////////*/

    /// @notice The caller (the seller) holds `amount` units of `issuanceId` for `buyer`, at `price`
    /// in `currency`, until `deadline`; `agent` (a settlement agent) confirms the payment. The
    /// units stay in the seller's balance but cannot move by any other route meanwhile.
    function openEscrow(
        uint256 issuanceId,
        uint256 amount,
        address buyer,
        address agent,
        uint256 price,
        bytes3 currency,
        uint64 deadline
    ) external returns (uint256 escrowId);

    /// @notice The escrow's agent, still a settlement agent, confirms the payment (`paymentRef`,
    /// its reference hashed: one payment, one escrow) before the deadline: the units move to the
    /// buyer under every rule of a transfer, a freeze made since the escrow opened aside.
    function confirmPayment(uint256 escrowId, bytes32 paymentRef) external;

    /// @notice Anyone, once the deadline has passed without confirmation or the agent no longer
    /// holds its role: the units are the seller's again.
    function lapse(uint256 escrowId) external;

    /// @notice The regulator ends an open escrow by order: the units are the seller's again (and
    /// so within reach of the regulator's other orders).
    function cancelEscrow(uint256 escrowId, bytes32 orderHash) external;

    /// @notice The longest an escrow may hold units: 90 days.
    function MAX_ESCROW_PERIOD() external view returns (uint64);

    function escrow(uint256 escrowId) external view returns (Escrow memory);

    function escrowCount() external view returns (uint256);

    /*//////////////////////////////////////////////////////////////
                                 WIRING
    //////////////////////////////////////////////////////////////*/

    /// @notice The asset whose units this exchange moves (the asset deployed it), its registry and
    /// the holders' forwarder it trusts.
    function wiring() external view returns (address asset, IPlatformRegistry registry, address forwarder);
}
