// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ICollateralAttestations} from "./ICollateralAttestations.sol";
import {IPlatformRegistry} from "./IPlatformRegistry.sol";

/// @title Secured digital assets (ERC-1155), one token id per issuance
/// @notice Every balance change, whatever its route (mint, transfer, batch, approved operator,
/// relayed, enforcement, forced transfer, redemption), passes the same on-chain checks: the
/// operator's permit (Law art. 6.1-6.2), the participants' identification, freeze and risk-notice
/// acknowledgement (art. 6.3-6.4), pause, encumbrance and partial freeze (Rules item 4), and for
/// mints the recognised type, the issuer register and verified collateral (art. 4.1.8, 6.8).
interface ISecuredAsset {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice An issuance ("release"). The first slot holds all a transfer needs to read.
    /// `coveredUntil`: until when the live collateral, as last counted, covers the supply (the
    /// issuance is under-collateralised from then on); it was counted under the registry's
    /// accreditation revision `coverageRevision`. `pausedByRegulator`: only the regulator lifts it.
    struct Issuance {
        address operator;
        uint40 coveredUntil;
        bool paused;
        bool pausedByRegulator;
        bool closed;
        uint32 coverageRevision;
        address issuer;
        uint32 assetType;
        uint256 maxSupply;
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
    struct Encumbrance {
        uint256 issuanceId;
        address holder;
        uint64 expiry;
        bool active;
        address beneficiary;
        uint256 amount;
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

    /// @notice A transfer by regulator order; emitted before the transfer it orders. `unfrozen` is
    /// how many partially frozen units of `from` the order released to make the move possible.
    event ForcedTransfer(
        uint256 indexed id,
        address indexed from,
        address indexed to,
        uint256 amount,
        uint256 unfrozen,
        bytes32 orderHash,
        address by
    );
    /// @notice Units redeemed to the issuer; emitted before they are burnt.
    event Redeemed(uint256 indexed id, address indexed holder, uint256 amount, bytes32 fulfilmentRef, address by);
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
        uint256 id, address holder, uint256 balanceAfter, uint256 encumbered, uint256 frozen
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

    /*//////////////////////////////////////////////////////////////
                               ISSUANCES
    //////////////////////////////////////////////////////////////*/

    /// @notice Creates an issuance. The caller must be an operator with an active permit, the
    /// issuer active in the state register and the type listed; the decision to issue (hash and
    /// public URI) and the rights evidence are recorded before any unit exists (Law art. 5.1).
    function createIssuance(IssuanceParams calldata params) external returns (uint256 id);

    /// @notice Mints `amount` units to `to`. Only the issuance's operator, while its permit is
    /// active, the issuance open, the type listed and the issuer active; `to` must be eligible and
    /// verified collateral must cover the supply after the mint.
    function mint(uint256 id, address to, uint256 amount) external;

    /// @notice Stops every movement of an issuance's units: its operator (with OPERATOR_ROLE and an
    /// active permit) or the regulator. The regulator may also take over an operator's pause.
    function pause(uint256 id) external;

    /// @notice Lifts a pause: a regulator's pause only the regulator, an operator's pause either.
    function unpause(uint256 id) external;

    /// @notice Records that the issuer's obligations are fulfilled; needs a supply of zero and a
    /// fulfilment hash (the record of what was delivered). The issuer, or the issuance's operator
    /// with OPERATOR_ROLE and an active permit.
    function close(uint256 id, bytes32 fulfilmentHash) external;

    /// @notice The regulator hands issuances to `successor`, an operator with OPERATOR_ROLE and an
    /// active permit (Law art. 6.1-6.2: when a permit is suspended or revoked, the issuances it
    /// carried are not orphaned). Every id must exist and not be run by `successor` already.
    function succeedIssuances(uint256[] calldata ids, address successor, bytes32 orderHash) external;

    /// @notice The issuer, while active in the register, points the decision to where it is
    /// published now (a new website); the anchored `decisionHash` does not change, so the copy
    /// there must be the same decision.
    function updateDecisionUri(uint256 id, string calldata decisionUri) external;

    /// @notice Counts the issuance's live collateral again and records until when it covers the
    /// supply. Anyone may call it: it only writes what the attestations say. The collateral
    /// contract calls it on every attachment, renewal and revocation, and a movement calls it when
    /// an accreditation was withdrawn since the last count; expiry needs no call.
    function syncCoverage(uint256 id) external returns (Coverage memory);

    /*//////////////////////////////////////////////////////////////
                        ENCUMBRANCE, FREEZE, ORDERS
    //////////////////////////////////////////////////////////////*/

    /// @notice The caller locks `amount` of its units in favour of `beneficiary`, optionally until
    /// `expiry` (0 for none). Locked units cannot move until released or enforced.
    function encumber(uint256 id, uint256 amount, address beneficiary, bytes32 referenceHash, uint64 expiry)
        external
        returns (uint256 encumbranceId);

    /// @notice The beneficiary releases an encumbrance; the holder may too once it has expired. A
    /// beneficiary whose wallet was recovered acts from its new wallet (`recoveredTo`), never from
    /// the lost one.
    function release(uint256 encumbranceId) external;

    /// @notice The issuance's operator moves the locked units to the beneficiary (to its new wallet
    /// if the beneficiary's was recovered).
    function enforce(uint256 encumbranceId, bytes32 referenceHash) external;

    /// @notice A compliance officer freezes part of a holder's units of one issuance.
    function freezeUnits(uint256 id, address holder, uint256 amount, bytes32 reasonHash) external;

    function unfreezeUnits(uint256 id, address holder, uint256 amount, bytes32 reasonHash) external;

    /// @notice Moves units by regulator order, whatever the freeze, pause or permit state, but never
    /// encumbered units, never to a wallet that is not eligible and never to the same wallet.
    function forcedTransfer(uint256 id, address from, address to, uint256 amount, bytes32 orderHash) external;

    /// @notice Moves a recovered wallet's whole position in `ids` to the wallet the registry
    /// recovered it to (`recoveredTo`, followed to the last replacement if that one was lost too):
    /// a pledge moves only with its units (`SecuredAsset_EncumbranceWithoutUnits`); every unit, frozen units staying frozen, and each of its
    /// encumbrances in those issuances (`encumbranceIds`: all of them, or the call reverts), which
    /// keep their beneficiaries. Whatever the pause, permit, freeze or coverage: the same person's
    /// position, not a dealing. Anyone may send it: where the units go was decided in the registry.
    function recoverHoldings(address lost, uint256[] calldata ids, uint256[] calldata encumbranceIds) external;

    /// @notice Burns units of `holder` redeemed to the issuer. The holder or its approved operator;
    /// allowed while the issuance is under-collateralised, and while its operator's permit is
    /// suspended, expired or revoked: holders can always get what their units certify.
    function redeem(uint256 id, address holder, uint256 amount, bytes32 fulfilmentRef) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function issuance(uint256 id) external view returns (Issuance memory);

    function issuerOf(uint256 id) external view returns (address);

    function issuanceCount() external view returns (uint256);

    function encumbrance(uint256 encumbranceId) external view returns (Encumbrance memory);

    function encumbranceCount() external view returns (uint256);

    function encumberedUnits(uint256 id, address holder) external view returns (uint256);

    function frozenUnits(uint256 id, address holder) external view returns (uint256);

    /// @notice Units `holder` may move now: its balance less encumbered and frozen units.
    function availableUnits(uint256 id, address holder) external view returns (uint256);

    /// @notice The issuance's collateral now, counted live (what {syncCoverage} would record).
    function coverage(uint256 id) external view returns (Coverage memory);

    /// @notice Whether a transfer of `amount` units of `id` from `from` to `to`, sent by `from`
    /// itself, would pass now, and if not, the first reason.
    function checkTransfer(address from, address to, uint256 id, uint256 amount) external view returns (Refusal);

    /// @notice Whether a mint of `amount` units of `id` to `to` would pass now.
    function checkMint(uint256 id, address to, uint256 amount) external view returns (Refusal);

    function registry() external view returns (IPlatformRegistry);

    function collateral() external view returns (ICollateralAttestations);
}
