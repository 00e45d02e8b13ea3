// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "./IPlatformRegistry.sol";

/// @title The secured digital asset's types, events and errors
/// @notice Shared by the asset ({ISecuredAssetCore}) and its extension ({ISecuredAssetExtension}),
/// which run on the same storage: together they are {ISecuredAsset}.
interface ISecuredAssetTypes {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice An issuance ("release"). The first slot holds all a transfer needs to read, the
    /// second and third all a mint adds. `coveredUntil`: until when the live collateral, as last
    /// counted, covers the supply (the issuance is under-collateralised from then on); it was
    /// counted under the registry's accreditation revision `coverageRevision`. `lastingCover`: the
    /// units of the attestations that run at least until `coveredUntil`, so a mint that keeps the
    /// supply within it leaves `coveredUntil` as it is and needs no new count. `supply`: units in
    /// circulation (and in custody for redemption). `pausedByRegulator`: only the regulator lifts it.
    struct Issuance {
        address operator;
        uint40 coveredUntil;
        bool paused;
        bool pausedByRegulator;
        bool closed;
        uint32 coverageRevision;
        address issuer;
        uint32 assetType;
        uint64 supply;
        uint64 maxSupply;
        uint64 lastingCover;
        bytes32 decisionHash;
        bytes32 evidenceHash;
        bytes32 fulfilmentHash;
        string decisionUri;
        string unitDescription;
    }

    /// @notice What an operator posts to create an issuance (Law art. 5.1, 7).
    struct IssuanceParams {
        address issuer;
        uint32 assetType;
        bytes32 decisionHash;
        string decisionUri;
        bytes32 evidenceHash;
        string unitDescription;
        uint256 maxSupply;
    }

    /// @notice Units of a holder locked in favour of a beneficiary (pledge or lien, Rules item 4).
    /// Three slots: issuance ids stay below 2^32 and amounts within an issuance's 64-bit cap.
    struct Encumbrance {
        uint32 issuanceId;
        address holder;
        uint64 expiry;
        bool active;
        address beneficiary;
        uint64 amount;
        bytes32 referenceHash;
    }

    /// @notice Why a movement would be refused; `None` means it would pass. `SpenderNotEligible`:
    /// an approved operator moving a holder's units must itself be eligible (Law art. 6.3; Rules
    /// item 4.1). `SenderNoticeNotAcknowledged`: dealing needs the notice in force acknowledged, as
    /// receiving does (art. 6.4). `Undercollateralised`: live collateral no longer covers the
    /// supply (art. 5.2, 6.8).
    enum Refusal {
        None,
        IssuanceUnknown,
        IssuanceClosed,
        IssuancePaused,
        PermitNotActive,
        IssuerNotActive,
        AssetTypeNotListed,
        SenderNotRegistered,
        SenderFrozen,
        SenderIdentityExpired,
        RecipientNotRegistered,
        RecipientFrozen,
        RecipientIdentityExpired,
        RecipientNoticeNotAcknowledged,
        InsufficientBalance,
        UnitsRestricted,
        MaxSupplyExceeded,
        CollateralInsufficient,
        SpenderNotEligible,
        SenderNoticeNotAcknowledged,
        Undercollateralised
    }

    /// @notice An issuance's collateral now: `covered` units by live attestations against `supply`;
    /// they keep covering it until `coveredUntil` (2^40 - 1, the year 36812, stands for "for good",
    /// as for a supply of zero). While `undercollateralised`, nothing is minted
    /// and units move only back to the issuer, by redemption or by regulator order.
    struct Coverage {
        uint256 covered;
        uint256 supply;
        uint64 coveredUntil;
        bool undercollateralised;
    }

    /// @notice The issuer's consent to an issuance's terms (Law art. 6.5: the issuer initiates the
    /// issue): its EIP-712 signature over {IssuanceParams} and the operator that will run the
    /// issuance, bound to this chain and this contract. `nonce` is one of the issuer's keyed
    /// nonces (`nonces(issuer, key)`: the key in the upper 192 bits, so consents for different
    /// operators need not wait for each other); `deadline` is the last second it may be used.
    /// `signature`: 65 bytes from a key, or what the issuer's ERC-1271 contract wallet accepts.
    struct IssuerConsent {
        uint256 nonce;
        uint64 deadline;
        bytes signature;
    }

    /// @notice Where a redemption request stands. Requested units sit in the asset's own custody
    /// (its balance) until the issuer confirms delivery (they are burnt) or refuses (they go back).
    enum RedemptionState {
        None,
        Requested,
        Confirmed,
        Refused
    }

    /// @notice A holder's request to redeem units to the issuer (Rules item 2.3: the issuer
    /// provides the goods or services the units certify). `fulfilmentRef`: the holder's reference
    /// (delivery address, order number) as a hash.
    struct RedemptionRequest {
        uint256 issuanceId;
        address holder;
        RedemptionState state;
        uint256 amount;
        bytes32 fulfilmentRef;
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    event IssuanceCreated(
        uint256 indexed id,
        address indexed issuer,
        address indexed operator,
        uint32 assetType,
        uint256 maxSupply,
        bytes32 decisionHash,
        string decisionUri,
        bytes32 evidenceHash,
        string unitDescription
    );
    /// @notice `byRegulator`: a pause only the regulator may lift.
    event IssuancePaused(uint256 indexed id, address indexed by, bool byRegulator);
    event IssuanceUnpaused(uint256 indexed id, address indexed by);
    /// @notice The issuer's obligations to all holders are fulfilled (Law art. 7.1): nothing more
    /// may be minted and the decision need no longer stay published.
    event IssuanceClosed(uint256 indexed id, bytes32 fulfilmentHash, address indexed by);

    /// @notice The issuance's collateral was counted: `covered` units against `supply`, covering
    /// it until `coveredUntil` (0: under-collateralised now).
    event CoverageSynced(uint256 indexed id, uint256 covered, uint256 supply, uint64 coveredUntil);

    event Encumbered(
        uint256 indexed encumbranceId,
        uint256 indexed id,
        address indexed holder,
        address beneficiary,
        uint256 amount,
        uint64 expiry,
        bytes32 referenceHash
    );
    event EncumbranceReleased(uint256 indexed encumbranceId, address indexed by);
    /// @notice Emitted before the transfer of the locked units to the beneficiary.
    event EncumbranceEnforced(uint256 indexed encumbranceId, bytes32 referenceHash, address indexed by);

    event UnitsFrozen(uint256 indexed id, address indexed holder, uint256 amount, bytes32 reasonHash, address by);
    event UnitsUnfrozen(uint256 indexed id, address indexed holder, uint256 amount, bytes32 reasonHash, address by);

    /// @notice A transfer by regulator order; emitted before the transfer it orders (ERC-7943's
    /// ForcedTransfer follows the transfer). `unfrozen` is how many frozen units of `from` the
    /// order released to make the move possible (ERC-7943's Frozen gives the amount left frozen).
    event TransferOrdered(
        uint256 indexed id,
        address indexed from,
        address indexed to,
        uint256 amount,
        uint256 unfrozen,
        bytes32 orderHash,
        address by
    );
    /// @notice A holder asked the issuer to redeem units; emitted before they move into the asset's
    /// custody (TransferSingle from the holder to this contract).
    event RedemptionRequested(
        uint256 indexed requestId,
        uint256 indexed id,
        address indexed holder,
        uint256 amount,
        bytes32 fulfilmentRef,
        address by
    );
    /// @notice The issuer confirmed delivery; emitted before the units in custody are burnt.
    event RedemptionConfirmed(uint256 indexed requestId, uint256 indexed id, bytes32 deliveryRef, address by);
    /// @notice The issuer (or the regulator, by order) refused a request; emitted before the units
    /// go back from custody to `returnedTo`, the holder's wallet now (its replacement if recovered).
    event RedemptionRefused(
        uint256 indexed requestId, uint256 indexed id, address indexed returnedTo, bytes32 reasonHash, address by
    );
    /// @notice The issuer's consent was used to create issuance `id`. `termsDigest` is the EIP-712
    /// digest it signed, which anyone can recompute from IssuanceCreated and this event.
    event IssuerConsented(
        uint256 indexed id, address indexed issuer, uint256 nonce, uint64 deadline, bytes32 termsDigest
    );
    /// @notice The issuer withdrew a consent it had signed and not yet seen used: `nonce` is spent.
    event IssuerConsentWithdrawn(address indexed issuer, uint256 nonce);
    /// @notice The regulator handed an issuance to another operator (Law art. 6.1-6.2): from now on
    /// the successor runs it as its own.
    event IssuanceSucceeded(
        uint256 indexed id, address indexed predecessor, address indexed successor, bytes32 orderHash, address by
    );
    /// @notice A recovered wallet's holdings of some issuances moved to its replacement, with their
    /// frozen units; emitted right before the transfer that moves them (TransferBatch, or
    /// TransferSingle when one issuance moves: OpenZeppelin's ERC-1155 emits that for one id).
    event HoldingsRecovered(
        address indexed lost,
        address indexed replacement,
        uint256[] ids,
        uint256[] amounts,
        uint256[] frozen,
        address by
    );
    /// @notice An encumbrance of a recovered wallet now binds its replacement (same beneficiary).
    event EncumbranceRecovered(uint256 indexed encumbranceId, address indexed lost, address indexed replacement);
    /// @notice The issuer moved its published decision; the copy there must still hash to `decisionHash`.
    event DecisionUriUpdated(uint256 indexed id, string decisionUri, address indexed by);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    error SecuredAsset_MissingRole(address account, bytes32 role);
    error SecuredAsset_NotIssuanceOperator(uint256 id, address account);
    error SecuredAsset_NotIssuanceOperatorOrIssuer(uint256 id, address account);
    error SecuredAsset_IssuanceUnknown(uint256 id);
    error SecuredAsset_IssuanceClosed(uint256 id);
    error SecuredAsset_IssuancePaused(uint256 id);
    error SecuredAsset_IssuanceNotPaused(uint256 id);
    error SecuredAsset_PermitNotActive(address operator, IPlatformRegistry.PermitState state);
    error SecuredAsset_IssuerNotActive(address issuer);
    error SecuredAsset_AssetTypeNotListed(uint32 assetType);
    error SecuredAsset_EmptyDecision();
    error SecuredAsset_EmptyEvidence();
    error SecuredAsset_EmptyUnitDescription();
    error SecuredAsset_InvalidMaxSupply(uint256 maxSupply);
    error SecuredAsset_ParticipantNotEligible(address account, IPlatformRegistry.ParticipantStatus status);
    error SecuredAsset_UnitsRestricted(
        uint256 id, address holder, uint256 balanceAfter, uint256 encumbered, uint256 frozen, uint256 escrowed
    );
    error SecuredAsset_MaxSupplyExceeded(uint256 id, uint256 maxSupply, uint256 supplyAfter);
    error SecuredAsset_CollateralInsufficient(uint256 id, uint256 covered, uint256 supplyAfter);
    error SecuredAsset_ZeroAmount();
    error SecuredAsset_EmptyBatch();
    error SecuredAsset_SupplyOutstanding(uint256 id, uint256 supply);
    error SecuredAsset_InvalidBeneficiary(address beneficiary);
    error SecuredAsset_InvalidExpiry(uint64 expiry);
    error SecuredAsset_UnitsUnavailable(uint256 id, address holder, uint256 requested, uint256 available);
    error SecuredAsset_EncumbranceNotActive(uint256 encumbranceId);
    error SecuredAsset_EncumbranceExpired(uint256 encumbranceId, uint64 expiry);
    error SecuredAsset_NotBeneficiary(uint256 encumbranceId, address account);
    error SecuredAsset_UnfreezeExceedsFrozen(uint256 id, address holder, uint256 requested, uint256 frozen);
    error SecuredAsset_ForcedTransferToSelf(uint256 id, address holder);
    /// @notice The regulator paused the issuance: only the regulator lifts the pause.
    error SecuredAsset_PausedByRegulator(uint256 id);
    /// @notice Live collateral covers `covered` units, less than the `supply` in circulation: units
    /// move only back to the issuer, by redemption or by regulator order, until it covers again.
    error SecuredAsset_Undercollateralised(uint256 id, uint256 covered, uint256 supply);
    error SecuredAsset_AlreadyIssuanceOperator(uint256 id, address operator);
    error SecuredAsset_NotIssuanceIssuer(uint256 id, address account);
    error SecuredAsset_EmptyFulfilment();
    error SecuredAsset_WalletNotRecovered(address wallet);
    error SecuredAsset_NotHoldersEncumbrance(uint256 encumbranceId, address holder);
    error SecuredAsset_EncumbrancesLeftBehind(uint256 id, address lost, uint256 encumbered);
    error SecuredAsset_EncumbranceWithoutUnits(uint256 encumbranceId, uint256 id);
    /// @notice The consent's `deadline` has passed.
    error SecuredAsset_ConsentExpired(uint64 deadline);
    /// @notice The signature is not the issuer's over these terms, this operator, nonce and deadline
    /// on this chain and contract (a high-s or malformed signature is not one either).
    error SecuredAsset_ConsentNotSigned(address issuer);
    /// @notice `nonce` is not the issuer's next unused nonce for its key (used, withdrawn or ahead).
    error SecuredAsset_ConsentNonceInvalid(address issuer, uint256 nonce, uint256 expected);
    error SecuredAsset_RedemptionNotRequested(uint256 requestId);
    /// @notice Only the issuance's issuer confirms delivery; the issuer or the regulator refuses.
    error SecuredAsset_NotRedemptionParty(uint256 requestId, address account);
    /// @notice The extension runs only on the asset's storage, reached through the asset.
    error SecuredAsset_NotThroughAsset();
    /// @notice `extension` answers to another registry, collateral contract or forwarder than the asset.
    error SecuredAsset_ExtensionMismatch(address extension);
    /// @notice Only the exchange the asset deployed moves or holds units for an exchange.
    error SecuredAsset_NotExchange(address account);
    /// @notice Units held for a buyer stay in the wallet that offered them until the escrow is
    /// settled or lapses: a recovery waits for that.
    error SecuredAsset_UnitsEscrowed(uint256 id, address holder, uint256 escrowed);
    /// @notice A frozen amount is kept in 64 bits, as every balance and lock of a holding and every max supply.
    error SecuredAsset_InvalidFrozenAmount(uint256 amount);
}
