// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {ICollateralAttestations} from "./interfaces/ICollateralAttestations.sol";
import {IPlatformRegistry} from "./interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "./interfaces/ISecuredAsset.sol";

/// @title CollateralAttestations
/// @notice See {ICollateralAttestations}.
contract CollateralAttestations is ICollateralAttestations, EIP712 {
    bytes32 public constant ATTESTATION_TYPEHASH = keccak256(
        "Attestation(address asset,uint256 issuanceId,address owner,bytes32 collateralRef,uint256 value,uint256 units,uint64 validUntil,uint256 nonce,bytes32 supersedes)"
    );

    /// @notice Bounds the work of every mint, which sums the live attestations of its issuance.
    uint256 public constant MAX_ATTESTATIONS_PER_ISSUANCE = 32;

    IPlatformRegistry private immutable _registry;

    mapping(bytes32 attestationId => AttestationRecord) private _attestations;
    // slither-disable-next-line uninitialized-state (filled by push in _record)
    mapping(address asset => mapping(uint256 issuanceId => bytes32[] attestationIds)) private _byIssuance;
    mapping(address verifier => mapping(uint256 nonce => bool used)) private _usedNonces;
    /// @dev The attestation each collateral (owner and reference) was last pledged to.
    mapping(bytes32 pledgeKey => bytes32 attestationId) private _pledges;

    constructor(IPlatformRegistry registry_) EIP712("SDAP Collateral Attestations", "1") {
        _registry = registry_;
    }

    /// @inheritdoc ICollateralAttestations
    function attach(Attestation calldata a, bytes calldata signature) external returns (bytes32 attestationId) {
        // An operator submits only while its permit is in force (Law art. 6.1-6.2).
        if (
            _registry.accreditationOf(msg.sender) == 0
                && !(_registry.hasRole(_registry.OPERATOR_ROLE(), msg.sender) && _registry.isPermitActive(msg.sender))
        ) revert Collateral_NotAuthorised(msg.sender);
        attestationId = attestationDigest(a);
        // ECDSA.tryRecover refuses malleable (high-s) forms, so one payload has one valid signature.
        // Its third value only details the failure that `err` already reports.
        // slither-disable-next-line unused-return
        (address verifier, ECDSA.RecoverError err,) = ECDSA.tryRecover(attestationId, signature);
        if (err != ECDSA.RecoverError.NoError) revert Collateral_InvalidSignature(verifier);
        uint32 accreditation = _registry.accreditationOf(verifier);
        if (accreditation == 0) revert Collateral_SignerNotVerifier(verifier);
        if (_usedNonces[verifier][a.nonce]) revert Collateral_NonceUsed(verifier, a.nonce);
        if (a.validUntil <= block.timestamp) revert Collateral_AttestationExpired(a.validUntil);
        if (a.units == 0) revert Collateral_ZeroUnits();
        // Far above any issuance's cap (2^64 - 1), and what keeps the sum in coveredUnits from overflowing.
        if (a.units > type(uint128).max) revert Collateral_UnitsTooLarge(a.units, type(uint128).max);
        // Two verifiers co-signing one payload produce one id: the collateral counts once, and a
        // revoked attestation cannot be brought back by attaching it again.
        if (_attestations[attestationId].verifier != address(0)) revert Collateral_AlreadyAttached(attestationId);
        // Law art. 6.5: the initiator of an issuance owns the collateral.
        address issuerOfIssuance = ISecuredAsset(a.asset).issuerOf(a.issuanceId);
        if (a.owner != issuerOfIssuance) revert Collateral_OwnerNotIssuer(a.issuanceId, a.owner, issuerOfIssuance);

        _usedNonces[verifier][a.nonce] = true;
        _pledge(a, attestationId);
        _record(a, attestationId, verifier, accreditation);
        // The asset records the new count itself; nothing here needs it.
        // slither-disable-next-line unused-return
        ISecuredAsset(a.asset).syncCoverage(a.issuanceId);
    }

    /// @inheritdoc ICollateralAttestations
    function revoke(bytes32 attestationId, bytes32 reasonHash) external {
        AttestationRecord storage record = _attestations[attestationId];
        if (record.verifier == address(0)) revert Collateral_AttestationUnknown(attestationId);
        if (msg.sender != record.verifier && !_registry.hasRole(_registry.REGULATOR_ROLE(), msg.sender)) {
            revert Collateral_NotAuthorised(msg.sender);
        }
        if (record.revoked) revert Collateral_AttestationAlreadyRevoked(attestationId);
        record.revoked = true;
        emit AttestationRevoked(attestationId, reasonHash, msg.sender);
        // The issuance may be under-collateralised from now on: the asset records it at once.
        // slither-disable-next-line unused-return
        ISecuredAsset(record.asset).syncCoverage(record.issuanceId);
    }

    /// @inheritdoc ICollateralAttestations
    function invalidateNonce(uint256 nonce) external {
        if (!_registry.hasRole(_registry.VERIFIER_ROLE(), msg.sender)) revert Collateral_SignerNotVerifier(msg.sender);
        if (_usedNonces[msg.sender][nonce]) revert Collateral_NonceUsed(msg.sender, nonce);
        _usedNonces[msg.sender][nonce] = true;
        emit VerifierNonceInvalidated(msg.sender, nonce);
    }

    /// @inheritdoc ICollateralAttestations
    function coveredUnits(address asset, uint256 issuanceId, address owner) external view returns (uint256 units) {
        (units,,) = coverage(asset, issuanceId, owner, 0);
    }

    /// @inheritdoc ICollateralAttestations
    function coverage(address asset, uint256 issuanceId, address owner, uint256 supply)
        public
        view
        returns (uint256 covered, uint64 coveredUntil, uint256 lasting)
    {
        bytes32[] storage ids = _byIssuance[asset][issuanceId];
        uint256 count = ids.length;
        uint256[] memory units = new uint256[](count);
        uint64[] memory ends = new uint64[](count);
        for (uint256 i; i < count; ++i) {
            AttestationRecord storage record = _attestations[ids[i]];
            if (record.owner == owner && _isLive(record)) {
                units[i] = record.units;
                ends[i] = record.validUntil;
                covered += record.units;
            }
        }
        if (supply == 0) return (covered, type(uint64).max, 0);
        if (covered < supply) return (covered, 0, 0);
        // Coverage only falls as attestations expire: it lasts until the latest expiry such that
        // the attestations running at least that long still cover the supply. At most
        // MAX_ATTESTATIONS_PER_ISSUANCE squared steps, in memory.
        for (uint256 i; i < count; ++i) {
            uint64 end = ends[i];
            if (end <= coveredUntil) continue;
            uint256 running = 0;
            for (uint256 j; j < count; ++j) {
                if (ends[j] >= end) running += units[j];
            }
            if (running >= supply) (coveredUntil, lasting) = (end, running);
        }
    }

    /// @inheritdoc ICollateralAttestations
    function attestationStatus(bytes32 attestationId) external view returns (AttestationStatus) {
        AttestationRecord storage record = _attestations[attestationId];
        if (record.verifier == address(0)) return AttestationStatus.Unknown;
        return _status(record);
    }

    /// @inheritdoc ICollateralAttestations
    function pledgeOf(address owner, bytes32 collateralRef) external view returns (bytes32) {
        return _pledges[_pledgeKey(owner, collateralRef)];
    }

    /// @inheritdoc ICollateralAttestations
    function attestation(bytes32 attestationId) external view returns (AttestationRecord memory) {
        return _attestations[attestationId];
    }

    /// @inheritdoc ICollateralAttestations
    function attestationsOf(address asset, uint256 issuanceId) external view returns (bytes32[] memory) {
        return _byIssuance[asset][issuanceId];
    }

    /// @inheritdoc ICollateralAttestations
    function attestationDigest(Attestation calldata a) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    ATTESTATION_TYPEHASH,
                    a.asset,
                    a.issuanceId,
                    a.owner,
                    a.collateralRef,
                    a.value,
                    a.units,
                    a.validUntil,
                    a.nonce,
                    a.supersedes
                )
            )
        );
    }

    /// @inheritdoc ICollateralAttestations
    function isNonceUsed(address verifier, uint256 nonce) external view returns (bool) {
        return _usedNonces[verifier][nonce];
    }

    /// @inheritdoc ICollateralAttestations
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @dev One collateral backs one live attestation (Law art. 6.8: verified collateral bounds the
    /// units; counting it twice would back units with nothing). A renewal names the live one, which
    /// stops counting here, before the new one is recorded.
    function _pledge(Attestation calldata a, bytes32 attestationId) private {
        bytes32 key = _pledgeKey(a.owner, a.collateralRef);
        bytes32 current = _pledges[key];
        if (a.supersedes != bytes32(0)) {
            if (a.supersedes != current) revert Collateral_NotCurrentPledge(a.supersedes, current);
            AttestationRecord storage old = _attestations[current];
            if (old.asset != a.asset || old.issuanceId != a.issuanceId) {
                revert Collateral_SupersedesOtherIssuance(current, old.asset, old.issuanceId);
            }
            old.supersededBy = attestationId;
            emit AttestationSuperseded(current, attestationId);
        } else if (current != bytes32(0) && _isLive(_attestations[current])) {
            revert Collateral_AlreadyPledged(a.owner, a.collateralRef, current);
        }
        _pledges[key] = attestationId;
    }

    function _record(Attestation calldata a, bytes32 attestationId, address verifier, uint32 accreditation) private {
        bytes32[] storage ids = _prune(a.asset, a.issuanceId);
        if (ids.length >= MAX_ATTESTATIONS_PER_ISSUANCE) {
            revert Collateral_TooManyAttestations(a.asset, a.issuanceId, MAX_ATTESTATIONS_PER_ISSUANCE);
        }
        ids.push(attestationId);
        _attestations[attestationId] = AttestationRecord({
            verifier: verifier,
            revoked: false,
            validUntil: a.validUntil,
            accreditation: accreditation,
            supersededBy: bytes32(0),
            owner: a.owner,
            asset: a.asset,
            issuanceId: a.issuanceId,
            collateralRef: a.collateralRef,
            value: a.value,
            units: a.units
        });
        emit AttestationAttached(attestationId, a.asset, a.issuanceId, verifier, a, msg.sender);
    }

    function _isLive(AttestationRecord storage record) private view returns (bool) {
        return _status(record) == AttestationStatus.Live;
    }

    function _status(AttestationRecord storage record) private view returns (AttestationStatus) {
        if (record.revoked) return AttestationStatus.Revoked;
        if (record.supersededBy != bytes32(0)) return AttestationStatus.Superseded;
        if (record.validUntil <= block.timestamp) return AttestationStatus.Expired;
        // Withdrawing the accreditation stops every attestation of the verifier at once; a later
        // accreditation is a new epoch and does not bring these back.
        if (_registry.accreditationOf(record.verifier) != record.accreditation) {
            return AttestationStatus.VerifierWithdrawn;
        }
        return AttestationStatus.Live;
    }

    function _pledgeKey(address owner, bytes32 collateralRef) private pure returns (bytes32) {
        return keccak256(abi.encode(owner, collateralRef));
    }

    /// @dev Drops expired and revoked attestations from an issuance's list (they stay readable by
    /// id), so the list holds live ones only and the bound on it is a bound on live collateral.
    function _prune(address asset, uint256 issuanceId) private returns (bytes32[] storage ids) {
        ids = _byIssuance[asset][issuanceId];
        uint256 i;
        while (i < ids.length) {
            bytes32 id = ids[i];
            if (_isLive(_attestations[id])) {
                ++i;
            } else {
                ids[i] = ids[ids.length - 1];
                ids.pop();
                emit AttestationPruned(id, asset, issuanceId);
            }
        }
    }
}
