// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @title The regulator-run registry of the platform
/// @notice One source of truth for who may do what: the roles (regulator, platform operator,
/// collateral verifier, compliance officer), the operators' permits (Law art. 6.1-6.2), the state
/// register of issuers (art. 4.1.10), the list of recognised asset types (art. 4.1.8), the
/// identified participants (art. 6.3) and the risk notices they acknowledged (art. 6.4).
interface IPlatformRegistry is IAccessControl {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice What the regulator last did to an operator's permit. Whether it is in force also
    /// depends on its validity window: see {permitState}.
    enum PermitStatus {
        None,
        Granted,
        Suspended,
        Revoked
    }

    /// @notice Whether a permit is in force now, and if not, why.
    enum PermitState {
        None,
        Active,
        NotYetValid,
        Expired,
        Suspended,
        Revoked
    }

    enum IssuerStatus {
        None,
        Active,
        Suspended,
        Removed
    }

    /// @notice The categories of rights a secured digital asset may certify (Law art. 1.1, 5.1).
    /// Money and securities are named so that an attempt to list them fails with a clear error.
    enum AssetCategory {
        None,
        Goods,
        Services,
        IntellectualProperty,
        Money,
        Securities
    }

    /// @notice Whether a wallet may take part in circulation now, and if not, why (first reason wins).
    enum ParticipantStatus {
        Eligible,
        NotRegistered,
        Frozen,
        IdentityExpired,
        NoticeNotAcknowledged
    }

    struct Permit {
        PermitStatus status;
        uint64 validFrom;
        uint64 validUntil;
        bytes32 documentHash;
    }

    struct Issuer {
        IssuerStatus status;
        string legalName;
        string businessId;
        string jurisdiction;
        bytes32 detailsHash;
    }

    /// @notice The registered details of an operator, the holder of a permit.
    struct OperatorDetails {
        string legalName;
        string businessId;
        string jurisdiction;
        bytes32 detailsHash;
    }

    struct AssetType {
        AssetCategory category;
        bool listed;
        string name;
    }

    /// @notice `operator` identified the participant: only it (while permitted) or the regulator
    /// updates the identification.
    struct Participant {
        bool registered;
        bool frozen;
        uint64 identityExpiry;
        uint32 acknowledgedNotice;
        bytes32 identityRef;
        address operator;
    }

    struct RiskNotice {
        bytes32 contentHash;
        uint64 publishedAt;
        string uri;
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    event PermitGranted(
        address indexed operator, uint64 validFrom, uint64 validUntil, bytes32 documentHash, address indexed by
    );
    event PermitRenewed(address indexed operator, uint64 validUntil, bytes32 documentHash, address indexed by);
    event PermitSuspended(address indexed operator, bytes32 reasonHash, address indexed by);
    event PermitReinstated(address indexed operator, bytes32 reasonHash, address indexed by);
    event PermitRevoked(address indexed operator, bytes32 reasonHash, address indexed by);

    /// @notice The regulator recorded (or corrected) the details of an operator.
    event OperatorDetailsRecorded(
        address indexed operator,
        string legalName,
        string businessId,
        string jurisdiction,
        bytes32 detailsHash,
        address indexed by
    );

    event IssuerRegistered(
        address indexed issuer,
        string legalName,
        string businessId,
        string jurisdiction,
        bytes32 detailsHash,
        address indexed by
    );
    event IssuerUpdated(
        address indexed issuer,
        string legalName,
        string businessId,
        string jurisdiction,
        bytes32 detailsHash,
        address indexed by
    );
    event IssuerStatusChanged(address indexed issuer, IssuerStatus status, bytes32 reasonHash, address indexed by);

    event AssetTypeListed(uint32 indexed typeId, AssetCategory category, string name, address indexed by);
    event AssetTypeDelisted(uint32 indexed typeId, address indexed by);
    event AssetTypeRelisted(uint32 indexed typeId, address indexed by);

    event ParticipantRegistered(address indexed wallet, bytes32 identityRef, uint64 identityExpiry, address indexed by);
    /// @notice `custodian` (the asset contract, whose own balance is units pending redemption) can
    /// never be a participant's wallet: never registered, never a replacement.
    event CustodianDeclared(address indexed custodian);
    /// @notice A participant who lost its wallet goes on under `replacement` (same person, same
    /// operator, freeze and acknowledgement; identification as given). `lost` is deregistered for good.
    event WalletRecovered(
        address indexed lost,
        address indexed replacement,
        bytes32 identityRef,
        uint64 identityExpiry,
        bytes32 reasonHash,
        address indexed by
    );
    event ParticipantIdentityUpdated(
        address indexed wallet, bytes32 identityRef, uint64 identityExpiry, address indexed by
    );
    event ParticipantFrozen(address indexed wallet, bytes32 reasonHash, address indexed by);
    event ParticipantUnfrozen(address indexed wallet, bytes32 reasonHash, address indexed by);

    /// @notice The regulator withdrew `verifier`'s accreditation (VERIFIER_ROLE): none of the
    /// attestations it signed counts any more, even if it is accredited again later.
    /// `revision` is the registry's new accreditation revision, which tells every issuance to
    /// recount its collateral before its units move again.
    event AccreditationWithdrawn(address indexed verifier, uint32 revision, address indexed by);

    event RiskNoticePublished(uint32 indexed version, bytes32 contentHash, string uri, address indexed by);
    /// @param relayer The account that sent the transaction: the participant itself, or the
    /// operator relaying the participant's signature.
    event RiskNoticeAcknowledged(
        address indexed participant, uint32 indexed version, bytes32 contentHash, address relayer
    );

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    error Registry_ZeroAddress();
    /// @notice `account` is the only regulator left: it cannot renounce nor be revoked.
    error Registry_LastRegulator(address account);
    error Registry_InvalidValidity(uint64 validFrom, uint64 validUntil);
    error Registry_PermitAlreadyGranted(address operator, PermitStatus status);
    error Registry_PermitNotGranted(address operator, PermitStatus status);
    error Registry_PermitNotSuspended(address operator, PermitStatus status);
    error Registry_IssuerAlreadyRegistered(address issuer);
    error Registry_IssuerNotRegistered(address issuer);
    error Registry_InvalidIssuerDetails();
    error Registry_InvalidOperatorDetails();
    error Registry_InvalidIssuerStatus(address issuer, IssuerStatus status);
    error Registry_CategoryNotAllowed(AssetCategory category);
    error Registry_EmptyName();
    error Registry_AssetTypeUnknown(uint32 typeId);
    error Registry_AssetTypeAlreadyInState(uint32 typeId, bool listed);
    error Registry_ParticipantAlreadyRegistered(address wallet);
    error Registry_WalletLost(address wallet, address replacement);
    error Registry_InvalidReplacement(address lost, address replacement);
    /// @notice `wallet` declared itself a custodian of units (the asset contract): it is no participant.
    error Registry_CustodianNotParticipant(address wallet);
    error Registry_RecoveryNeedsFreeze(address lost);
    error Registry_ParticipantNotRegistered(address wallet);
    error Registry_IdentityExpiryInPast(uint64 identityExpiry);
    error Registry_ParticipantAlreadyInState(address wallet, bool frozen);
    /// @notice `account` holds OPERATOR_ROLE but its permit is not in force: it may not act.
    error Registry_PermitNotActive(address account, PermitState state);
    /// @notice Only the operator that identified `wallet` (or the regulator) updates its identification.
    error Registry_NotParticipantOperator(address wallet, address operator, address account);
    error Registry_EmptyNotice();
    error Registry_NoNoticeInForce();
    error Registry_NoticeNotInForce(uint32 version, uint32 inForce);
    error Registry_SignatureExpired(uint256 deadline);
    error Registry_InvalidSignature(address participant, address signer);

    /*//////////////////////////////////////////////////////////////
                                 ROLES
    //////////////////////////////////////////////////////////////*/

    /// @notice The designated authority: grants permits and roles, keeps the registers.
    function REGULATOR_ROLE() external view returns (bytes32);
    /// @notice Platform operators: onboard participants, relay acknowledgements, post issuances.
    /// Every operator action also needs the operator's permit in force.
    function OPERATOR_ROLE() external view returns (bytes32);
    /// @notice Accredited collateral verifiers (appraisers, custodians, notaries; Law art. 6.8).
    function VERIFIER_ROLE() external view returns (bytes32);
    /// @notice Compliance officers: freeze and unfreeze accounts and units (Law art. 6.3).
    function COMPLIANCE_ROLE() external view returns (bytes32);
    /// @notice The regulator's immediate arm: pauses and unpauses issuances with the regulator's
    /// authority, at once, where the regulator itself may act only after a delay (governed setup).
    function SUPERVISOR_ROLE() external view returns (bytes32);
    /// @notice Settlement agents (the bank that sees a payment made off-chain): confirm the payment
    /// for an escrow of units that names them, so the units move to the buyer.
    function SETTLEMENT_AGENT_ROLE() external view returns (bytes32);
    /// @notice How many accounts hold REGULATOR_ROLE: never zero (the last one stays).
    function regulatorCount() external view returns (uint256);

    /// @notice The accreditation epoch of `verifier`: 0 while it does not hold VERIFIER_ROLE, and a
    /// new number each time the role is granted. An attestation counts only while its verifier's
    /// epoch is the one it was attached under, so withdrawing an accreditation stops all of the
    /// verifier's attestations at once and granting it again does not bring them back.
    function accreditationOf(address verifier) external view returns (uint32);

    /// @notice How many accreditations have been withdrawn: an issuance whose collateral was last
    /// counted under an older revision counts it again before its units move.
    function accreditationRevision() external view returns (uint32);

    /*//////////////////////////////////////////////////////////////
                                PERMITS
    //////////////////////////////////////////////////////////////*/

    /// @notice Grants `operator` a permit for issuance and circulation, in force from `validFrom`
    /// until (not including) `validUntil`. A revoked permit may be granted anew.
    function grantPermit(address operator, uint64 validFrom, uint64 validUntil, bytes32 documentHash) external;

    /// @notice Moves the end of a granted or suspended permit's validity to `validUntil`.
    function renewPermit(address operator, uint64 validUntil, bytes32 documentHash) external;

    /// @notice Suspends a granted permit: every issuance of `operator` stops at once.
    function suspendPermit(address operator, bytes32 reasonHash) external;

    /// @notice Lifts a suspension.
    function reinstatePermit(address operator, bytes32 reasonHash) external;

    /// @notice Revokes a granted or suspended permit for good.
    function revokePermit(address operator, bytes32 reasonHash) external;

    function permit(address operator) external view returns (Permit memory);

    function permitState(address operator) external view returns (PermitState);

    function isPermitActive(address operator) external view returns (bool);

    /// @notice Records the legal details of an operator (the regulator), before or after its permit.
    function recordOperatorDetails(
        address operator,
        string calldata legalName,
        string calldata businessId,
        string calldata jurisdiction,
        bytes32 detailsHash
    ) external;

    /// @notice The operator's registered details; empty if none were recorded.
    function operatorDetails(address operator) external view returns (OperatorDetails memory);

    /// @notice How many operators the register lists: every address ever granted a permit or given
    /// details, in the order it first was.
    function operatorCount() external view returns (uint256);

    /// @notice Up to `limit` operators of the register from position `start` (0-based).
    function operators(uint256 start, uint256 limit) external view returns (address[] memory);

    /*//////////////////////////////////////////////////////////////
                            ISSUER REGISTER
    //////////////////////////////////////////////////////////////*/

    /// @notice Enters an issuer into the state register (Law art. 4.1.10), active at once.
    function registerIssuer(
        address issuer,
        string calldata legalName,
        string calldata businessId,
        string calldata jurisdiction,
        bytes32 detailsHash
    ) external;

    function updateIssuer(
        address issuer,
        string calldata legalName,
        string calldata businessId,
        string calldata jurisdiction,
        bytes32 detailsHash
    ) external;

    /// @notice Suspends, reactivates or removes a registered issuer.
    function setIssuerStatus(address issuer, IssuerStatus status, bytes32 reasonHash) external;

    function issuer(address issuer) external view returns (Issuer memory);

    function isIssuerActive(address issuer) external view returns (bool);

    /// @notice How many issuers the state register lists, whatever their status.
    function issuerCount() external view returns (uint256);

    /// @notice Up to `limit` issuers of the register from position `start`, in order of registration.
    function issuers(uint256 start, uint256 limit) external view returns (address[] memory);

    /*//////////////////////////////////////////////////////////////
                              ASSET TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Adds a recognised asset type (Law art. 4.1.8); ids start at 1.
    function listAssetType(string calldata name, AssetCategory category) external returns (uint32 typeId);

    /// @notice Stops new issuance of a type; what exists keeps circulating.
    function delistAssetType(uint32 typeId) external;

    function relistAssetType(uint32 typeId) external;

    function assetType(uint32 typeId) external view returns (AssetType memory);

    function assetTypeCount() external view returns (uint32);

    function isAssetTypeListed(uint32 typeId) external view returns (bool);

    /*//////////////////////////////////////////////////////////////
                              PARTICIPANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Onboards an identified participant (Law art. 6.3). `identityRef` is the hash of
    /// the identification record the operator keeps off-chain; the caller is recorded as the
    /// participant's operator. Needs OPERATOR_ROLE and an active permit.
    function registerParticipant(address wallet, bytes32 identityRef, uint64 identityExpiry) external;

    /// @notice How many participants `operator` identified (registered).
    function participantCountOf(address operator) external view returns (uint256);

    /// @notice Up to `limit` of the participants `operator` identified, from position `start`, in
    /// order of registration.
    function participantsOf(address operator, uint256 start, uint256 limit) external view returns (address[] memory);

    /// @notice Re-identifies a participant: its own operator (with an active permit) or the regulator.
    function updateParticipantIdentity(address wallet, bytes32 identityRef, uint64 identityExpiry) external;

    /// @notice Freezes a whole account: it can neither send nor receive.
    function freezeParticipant(address wallet, bytes32 reasonHash) external;

    function unfreezeParticipant(address wallet, bytes32 reasonHash) external;

    function participant(address wallet) external view returns (Participant memory);

    /// @notice Moves a participant whose wallet is lost to `replacement`: the regulator (on an
    /// order, `reasonHash`) or the operator that identified it (with an active permit), which
    /// re-identifies the person (`identityRef`, `identityExpiry`); the operator only once a
    /// compliance officer has frozen the lost wallet (`Registry_RecoveryNeedsFreeze`), so that no
    /// single operator key can take a position: the replacement stays frozen until compliance lifts it. `replacement` must never have
    /// been registered. `lost` can never be registered, receive or send again; its units follow
    /// with the asset's `recoverHoldings`.
    function recoverParticipant(
        address lost,
        address replacement,
        bytes32 identityRef,
        uint64 identityExpiry,
        bytes32 reasonHash
    ) external;

    /// @notice The wallet a lost wallet was recovered to; zero if it was not.
    function recoveredTo(address wallet) external view returns (address);

    /// @notice The caller (a contract keeping units in its own custody: the asset, at construction)
    /// is never to be a participant: registering it or recovering a wallet to it is refused from
    /// now on. An account can only declare itself; one registered or lost cannot.
    function declareCustodian() external;

    function isCustodian(address account) external view returns (bool);

    function participantStatus(address wallet) external view returns (ParticipantStatus);

    /// @notice The permit state of `operator`, the status of both parties of a movement and the
    /// accreditation revision, in one call answered in one word ({CirculationWord}): what the
    /// asset contract asks on every balance change. A zero `from` (mint) or `to` (burn) reads as
    /// eligible.
    function circulationStatus(address operator, address from, address to) external view returns (uint256 word);

    /*//////////////////////////////////////////////////////////////
                              RISK NOTICES
    //////////////////////////////////////////////////////////////*/

    /// @notice The regulator publishes a new version of the platform's risk notice (Law art. 6.4); it
    /// is in force at once and every participant must acknowledge it before dealing again. One
    /// notice for the whole platform, published by the regulator, so that no operator can make
    /// another operator's participants ineligible.
    function publishRiskNotice(bytes32 contentHash, string calldata uri) external returns (uint32 version);

    /// @notice The caller acknowledges notice `version`, which must be the one in force.
    function acknowledgeRiskNotice(uint32 version) external;

    /// @notice An operator with an active permit relays `participant`'s EIP-712 acknowledgement;
    /// the participant's next nonce (`nonces(participant)`, OpenZeppelin's {Nonces}) is used.
    function acknowledgeRiskNoticeBySig(address participant, uint32 version, uint256 deadline, bytes calldata signature)
        external;

    function noticeInForce() external view returns (uint32);

    function riskNotice(uint32 version) external view returns (RiskNotice memory);

    /// @notice The EIP-712 digest a participant signs to acknowledge `version` with `nonce`.
    function acknowledgementDigest(address participant, uint32 version, uint256 nonce, uint256 deadline)
        external
        view
        returns (bytes32);
}
