// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title Collateral attestations
/// @notice Accredited verifiers (Law art. 6.8) attest, by EIP-712 signature, that collateral exists,
/// whose it is and how many units of an issuance it covers. The asset contract mints only while
/// live attestations for the issuer cover the supply after the mint, and its units circulate only
/// while they cover the supply (Law art. 5.2).
///
/// An attestation is live while it is unexpired, unrevoked, not superseded and its verifier still
/// holds the accreditation it was attached under. A given collateral (its owner and
/// `collateralRef`) backs at most one live attestation on the whole platform: a second one is
/// refused unless it names the live one in `supersedes` (a renewal), which then stops counting in
/// the same transaction.
interface ICollateralAttestations {
    /// @notice What a verifier signs. `asset` and `issuanceId` bind it to one issuance; the EIP-712
    /// domain (chain id, this contract) and the single-use `nonce` stop any replay.
    struct Attestation {
        address asset;
        uint256 issuanceId;
        address owner;
        bytes32 collateralRef;
        uint256 value;
        uint256 units;
        uint64 validUntil;
        uint256 nonce;
        bytes32 supersedes;
    }

    /// @notice `accreditation` is the verifier's accreditation epoch when it was attached (see
    /// {IPlatformRegistry-accreditationOf}); `supersededBy` the renewal that replaced it, if any.
    struct AttestationRecord {
        address verifier;
        bool revoked;
        uint64 validUntil;
        uint32 accreditation;
        bytes32 supersededBy;
        address owner;
        address asset;
        uint256 issuanceId;
        bytes32 collateralRef;
        uint256 value;
        uint256 units;
    }

    /// @notice Whether an attestation counts now, and if not, why (first reason wins).
    enum AttestationStatus {
        Unknown,
        Live,
        Revoked,
        Superseded,
        Expired,
        VerifierWithdrawn
    }

    /// @param attestationId The EIP-712 digest of the attestation, unique per signature payload.
    event AttestationAttached(
        bytes32 indexed attestationId,
        address indexed asset,
        uint256 indexed issuanceId,
        address verifier,
        Attestation attestation,
        address by
    );
    event AttestationRevoked(bytes32 indexed attestationId, bytes32 reasonHash, address indexed by);
    event AttestationPruned(bytes32 indexed attestationId, address indexed asset, uint256 indexed issuanceId);
    event VerifierNonceInvalidated(address indexed verifier, uint256 nonce);
    /// @notice A renewal replaced `attestationId` by `supersededBy`; the old one no longer counts.
    event AttestationSuperseded(bytes32 indexed attestationId, bytes32 indexed supersededBy);

    error Collateral_NotAuthorised(address account);
    error Collateral_InvalidSignature(address signer);
    error Collateral_SignerNotVerifier(address signer);
    error Collateral_NonceUsed(address verifier, uint256 nonce);
    error Collateral_AttestationExpired(uint64 validUntil);
    error Collateral_ZeroUnits();
    error Collateral_UnitsTooLarge(uint256 units, uint256 limit);
    error Collateral_AlreadyAttached(bytes32 attestationId);
    error Collateral_OwnerNotIssuer(uint256 issuanceId, address owner, address issuer);
    error Collateral_AttestationUnknown(bytes32 attestationId);
    error Collateral_AttestationAlreadyRevoked(bytes32 attestationId);
    error Collateral_TooManyAttestations(address asset, uint256 issuanceId, uint256 limit);
    /// @notice The collateral already backs live attestation `liveAttestationId`: renew it by
    /// naming it in `supersedes`, or revoke it first.
    error Collateral_AlreadyPledged(address owner, bytes32 collateralRef, bytes32 liveAttestationId);
    /// @notice `supersedes` is not the attestation the collateral currently backs (`current`).
    error Collateral_NotCurrentPledge(bytes32 supersedes, bytes32 current);
    /// @notice A renewal stays with the issuance the collateral backs; moving it elsewhere is a
    /// revocation and a new pledge.
    error Collateral_SupersedesOtherIssuance(bytes32 supersedes, address asset, uint256 issuanceId);

    /// @notice Records a verifier's signed attestation and has the asset recount the issuance's
    /// coverage. Only accredited verifiers and operators with an active permit may submit (Rules
    /// item 4.1: only persons with access enter data); the signature is the authority.
    function attach(Attestation calldata attestation, bytes calldata signature) external returns (bytes32 attestationId);

    /// @notice Revokes an attestation (only its verifier or the regulator may) and has the asset
    /// recount the issuance's coverage.
    function revoke(bytes32 attestationId, bytes32 reasonHash) external;

    /// @notice A verifier withdraws a signature it has not yet seen attached.
    function invalidateNonce(uint256 nonce) external;

    /// @notice Units of issuance `issuanceId` of `asset` covered now by live attestations whose
    /// collateral belongs to `owner`.
    function coveredUnits(address asset, uint256 issuanceId, address owner) external view returns (uint256);

    /// @notice The units live attestations cover now and until when they keep covering `supply`
    /// as they expire (0: they do not cover it now; `type(uint64).max` for a supply of zero), and
    /// `lasting`, the units of those running at least until then (0 when `coveredUntil` is 0 or
    /// for good): any supply up to it is covered until the same time.
    function coverage(address asset, uint256 issuanceId, address owner, uint256 supply)
        external
        view
        returns (uint256 covered, uint64 coveredUntil, uint256 lasting);

    function attestationStatus(bytes32 attestationId) external view returns (AttestationStatus);

    /// @notice The last attestation that `owner`'s `collateralRef` was pledged to (zero if never):
    /// live or not, see {attestationStatus}.
    function pledgeOf(address owner, bytes32 collateralRef) external view returns (bytes32);

    function attestation(bytes32 attestationId) external view returns (AttestationRecord memory);

    /// @notice The attestations recorded for an issuance and not yet pruned (ones that stopped
    /// counting are pruned when a new one is attached): see {attestationStatus} for each.
    function attestationsOf(address asset, uint256 issuanceId) external view returns (bytes32[] memory);

    function attestationDigest(Attestation calldata attestation) external view returns (bytes32);

    function isNonceUsed(address verifier, uint256 nonce) external view returns (bool);

    function registry() external view returns (address);
}
