// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title Collateral attestations
/// @notice Accredited verifiers (Law art. 6.8) attest, by EIP-712 signature, that collateral exists,
/// whose it is and how many units of an issuance it covers. The asset contract mints only while
/// unexpired, unrevoked attestations for the issuer cover the supply after the mint.
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
    }

    struct AttestationRecord {
        address verifier;
        bool revoked;
        uint64 validUntil;
        address owner;
        address asset;
        uint256 issuanceId;
        bytes32 collateralRef;
        uint256 value;
        uint256 units;
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

    /// @notice Records a verifier's signed attestation. Only operators and verifiers may submit
    /// (Rules item 4.1: only persons with access enter data); the signature is the authority.
    function attach(Attestation calldata attestation, bytes calldata signature) external returns (bytes32 attestationId);

    /// @notice Revokes an attestation; only its verifier or the regulator may.
    function revoke(bytes32 attestationId, bytes32 reasonHash) external;

    /// @notice A verifier withdraws a signature it has not yet seen attached.
    function invalidateNonce(uint256 nonce) external;

    /// @notice Units of issuance `issuanceId` of `asset` covered now by unexpired, unrevoked
    /// attestations whose collateral belongs to `owner`.
    function coveredUnits(address asset, uint256 issuanceId, address owner) external view returns (uint256);

    function attestation(bytes32 attestationId) external view returns (AttestationRecord memory);

    /// @notice The attestations currently counted for an issuance (expired and revoked ones are
    /// pruned when a new one is attached).
    function attestationsOf(address asset, uint256 issuanceId) external view returns (bytes32[] memory);

    function attestationDigest(Attestation calldata attestation) external view returns (bytes32);

    function isNonceUsed(address verifier, uint256 nonce) external view returns (bool);

    function registry() external view returns (address);
}
