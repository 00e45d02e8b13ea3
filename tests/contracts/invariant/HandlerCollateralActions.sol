// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {vm} from "../utils/Vm.sol";
import {HandlerInputs} from "./HandlerInputs.sol";

/// @notice The handlers of collateral: attach (a reused or new reference), renew (naming the
/// current pledge, sometimes a stale one, another issuance's or none), revoke, invalidate nonces;
/// the verifiers' accreditation withdrawn and granted again; and anyone's coverage sync (see
/// {Handler}).
abstract contract HandlerCollateralActions is HandlerInputs {
    /*//////////////////////////////////////////////////////////////
                            ATTACH AND RENEW
    //////////////////////////////////////////////////////////////*/

    /// @notice Attaches a verifier's attestation naming nothing; sometimes signed by a
    /// non-verifier, for the wrong owner, already expired, for zero units or submitted by someone
    /// without a role. A reused reference whose pledge is still live must be refused.
    function attach(uint256 idSeed, uint256 refSeed, uint256 unitsSeed, uint256 flawSeed) external step {
        uint256 id = _issuanceId(idSeed, Want.Uncovered);
        address owner = flawSeed % 11 == 1 ? _actor(flawSeed) : _issuances[id].issuer;
        ICollateralAttestations.Attestation memory a = _attestation(id, owner, _collateralRef(refSeed), unitsSeed);
        if (flawSeed % 11 == 2) a.units = 0;
        if (flawSeed % 11 == 3) a.validUntil = uint64(block.timestamp);
        _submit(a, flawSeed);
    }

    /// @notice Renews a pledge: names the current one of its collateral, or (flaws) an older one,
    /// nothing, or moves it to another issuance. A renewal stops the old one counting at once.
    function renew(uint256 indexSeed, uint256 unitsSeed, uint256 flawSeed) external step {
        uint256 n = _attestations.length;
        if (n == 0) return;
        // Mostly the current pledge of some collateral, found from the seed.
        uint256 index = indexSeed % n;
        for (uint256 i; i < n && flawSeed % 8 != 1; ++i) {
            uint256 j = (indexSeed + i) % n;
            AttestationModel storage c = _attestations[j];
            if (_pledges[_pledgeKey(c.owner, c.collateralRef)] == j + 1) {
                index = j;
                break;
            }
        }
        AttestationModel storage old = _attestations[index];
        uint256 id = flawSeed % 8 == 2 ? _issuanceId(flawSeed >> 3) : old.issuanceId;
        ICollateralAttestations.Attestation memory a = _attestation(id, old.owner, old.collateralRef, unitsSeed);
        a.supersedes = flawSeed % 8 == 3 ? bytes32(0) : old.attestationId;
        _submit(a, flawSeed >> 3);
    }

    /// @notice Acts one time in four: a revocation stops minting and circulation until new
    /// collateral covers the supply.
    function revokeAttestation(uint256 indexSeed, uint256 callerSeed) external step {
        if (_attestations.length == 0 || !_sometimes(indexSeed, 4)) return;
        AttestationModel storage m = _attestations[indexSeed % _attestations.length];
        address signer = _verifiers[m.verifier];
        address caller = _caller(callerSeed, callerSeed % 2 == 0 ? signer : _regulator);
        vm.prank(caller);
        try collateral.revoke(m.attestationId, keccak256("collateral gone")) {
            if (caller != signer && caller != _regulator) _flag(Violation.Unauthorised, "revoke attestation");
            if (m.revoked) _flag(Violation.RuleBroken, "revoke attestation twice");
            m.revoked = true;
        } catch {}
    }

    function invalidateNonce(uint256 callerSeed) external step {
        uint256 v = (callerSeed >> 8) % 2;
        address caller = _caller(callerSeed, _verifiers[v]);
        vm.prank(caller);
        try collateral.invalidateNonce(++_nonce) {
            if (caller != _verifiers[v] || _accreditation[v] == 0) _flag(Violation.Unauthorised, "invalidateNonce");
        } catch {}
    }

    /*//////////////////////////////////////////////////////////////
                             ACCREDITATION
    //////////////////////////////////////////////////////////////*/

    /// @notice Acts one time in two: the regulator withdraws a verifier's accreditation (or the
    /// verifier renounces it); every attestation it signed stops counting at once.
    function withdrawAccreditation(uint256 verifierSeed, uint256 callerSeed) external step {
        if (!_sometimes(verifierSeed, 2)) return;
        uint256 v = verifierSeed % 2;
        if (_accreditation[v] == 0) return;
        address verifier = _verifiers[v];
        bytes32 role = registry.VERIFIER_ROLE();
        bool renounce = callerSeed % 4 == 3;
        address caller = renounce ? verifier : _caller(callerSeed, _regulator);
        vm.prank(caller);
        if (renounce) {
            try registry.renounceRole(role, verifier) {
                _accreditation[v] = 0;
            } catch {}
        } else {
            try registry.revokeRole(role, verifier) {
                _requireRegulator(caller, "withdraw accreditation");
                _accreditation[v] = 0;
            } catch {}
        }
    }

    /// @notice Accredits a verifier again: a new epoch, under which its old attestations stay withdrawn.
    function accredit(uint256 verifierSeed, uint256 callerSeed) external step {
        uint256 v = verifierSeed % 2;
        if (_accreditation[v] != 0) v = 1 - v;
        address caller = _caller(callerSeed, _regulator);
        bytes32 role = registry.VERIFIER_ROLE();
        vm.prank(caller);
        try registry.grantRole(role, _verifiers[v]) {
            _requireRegulator(caller, "accredit");
            if (_accreditation[v] == 0) _accreditation[v] = ++_grants[v];
        } catch {}
    }

    /// @notice Anyone counts an issuance's coverage: what it reports is what the model counts.
    function syncCoverage(uint256 idSeed, uint256 callerSeed) external step {
        uint256 id = _issuanceId(idSeed);
        vm.prank(_actor(callerSeed));
        try asset.syncCoverage(id) returns (ISecuredAssetTypes.Coverage memory c) {
            IssuanceModel storage iss = _issuances[id];
            if (
                iss.operator == address(0) || c.covered != _coverage(id) || c.supply != iss.supply
                    || c.coveredUntil != _coveredUntil(id) || c.undercollateralised != _undercollateralised(id)
            ) _flag(Violation.RuleBroken, _say("syncCoverage disagrees with the model", id));
        } catch {}
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function _attestation(uint256 id, address owner, bytes32 collateralRef, uint256 unitsSeed)
        internal
        returns (ICollateralAttestations.Attestation memory)
    {
        return ICollateralAttestations.Attestation({
            asset: address(asset),
            issuanceId: id,
            owner: owner,
            collateralRef: collateralRef,
            value: unitsSeed % 1e12,
            units: bound(unitsSeed, 1, 20_000),
            validUntil: uint64(block.timestamp + bound(unitsSeed >> 64, 1 hours, 120 days)),
            nonce: ++_nonce,
            supersedes: bytes32(0)
        });
    }

    /// @dev Signs `a` (by one of the verifiers or, flaw 4, a non-verifier) and submits it (by an
    /// operator, a verifier or, flaw 5, anyone); on success checks it against the model and
    /// records it.
    function _submit(ICollateralAttestations.Attestation memory a, uint256 flawSeed) internal {
        uint256 v = (flawSeed >> 4) % 2;
        uint256 key = flawSeed % 11 == 4 ? _keys[_actor(flawSeed)] : _verifierKeys[v];
        bytes memory signature = _sign(key, collateral.attestationDigest(a));
        address caller = flawSeed % 11 == 5
            ? _actor(flawSeed / 11)
            : (flawSeed >> 5) % 2 == 0 ? _operators[(flawSeed >> 6) % 2] : _verifiers[(flawSeed >> 6) % 2];
        vm.prank(caller);
        try collateral.attach(a, signature) returns (bytes32 attestationId) {
            _attached(a, attestationId, caller, key == _verifierKeys[v] ? v : type(uint256).max);
        } catch {}
    }

    function _attached(
        ICollateralAttestations.Attestation memory a,
        bytes32 attestationId,
        address caller,
        uint256 verifier
    ) internal {
        IssuanceModel storage iss = _issuances[a.issuanceId];
        if (caller == _verifiers[0] || caller == _verifiers[1]) {
            if (_accreditation[caller == _verifiers[0] ? 0 : 1] == 0) {
                _flag(Violation.Unauthorised, "attach submitter");
            }
        } else {
            _requireActiveOperator(caller, "attach");
        }
        if (verifier > 1 || _accreditation[verifier] == 0) {
            _flag(Violation.Unauthorised, "attach signed by a non-verifier or a withdrawn one");
        }
        if (iss.operator == address(0) || a.owner != iss.issuer || a.units == 0 || a.validUntil <= block.timestamp) {
            _flag(Violation.RuleBroken, "attach");
        }
        bytes32 key = _pledgeKey(a.owner, a.collateralRef);
        uint256 current = _pledges[key];
        if (a.supersedes == bytes32(0)) {
            if (current != 0 && _live(current - 1)) _flag(Violation.PledgedTwice, "pledged while its pledge is live");
        } else if (current == 0 || _attestations[current - 1].attestationId != a.supersedes) {
            _flag(Violation.PledgedTwice, "renewed naming another than the current pledge");
        } else {
            AttestationModel storage old = _attestations[current - 1];
            if (old.issuanceId != a.issuanceId) _flag(Violation.PledgedTwice, "renewal moved to another issuance");
            old.superseded = true;
        }
        _pledges[key] = _attestations.length + 1;
        iss.attestations.push(_attestations.length);
        _attestations.push(
            AttestationModel(
                attestationId,
                a.issuanceId,
                a.owner,
                a.collateralRef,
                a.units,
                a.validUntil,
                verifier > 1 ? 0 : verifier,
                verifier > 1 ? 0 : _accreditation[verifier],
                false,
                false
            )
        );
    }
}
