// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {vm} from "../utils/Vm.sol";
import {HandlerInputs} from "./HandlerInputs.sol";

/// @notice An operator outside its mandate (its role taken, its permit never granted, suspended,
/// revoked or expired) tries every operator action with arguments that would otherwise pass (the
/// newcomer, never permitted, has no issuance of its own: it tries the others').
/// Nothing it calls may succeed (Law art. 6.1-6.2); each success is counted and flagged.
abstract contract HandlerMandateActions is HandlerInputs {
    /// @notice While both operators are within their mandate, the newcomer tries.
    function actWithoutPermit(uint256 operatorSeed, uint256 actionSeed, uint256 argSeed) external step {
        address op = _unpermittedOperator(operatorSeed);
        ++unpermittedAttempts;
        uint256 action = actionSeed % 10;
        if (action < 6) _onIssuance(op, action, argSeed);
        else _onRegistry(op, action, argSeed);
    }

    /// @dev Create, mint, pause, unpause, close or enforce on one of `op`'s issuances.
    /// The issuer's consent to a creation is good: only the mandate is missing.
    function _onIssuance(address op, uint256 action, uint256 seed) internal {
        uint256 id = _issuanceOf(op, seed);
        if (action == 0) {
            ISecuredAssetTypes.IssuanceParams memory p = _params(seed);
            uint64 deadline = uint64(block.timestamp + 1 hours);
            uint256 nonce = _consentNonce[p.issuer];
            bytes memory signature = _sign(_keys[p.issuer], asset.consentDigest(p, op, nonce, deadline));
            vm.prank(op);
            try asset.createIssuance(p, ISecuredAssetTypes.IssuerConsent(nonce, deadline, signature)) {
                _succeeded("createIssuance");
            } catch {}
            return;
        }
        vm.prank(op);
        if (action == 1) {
            try asset.mint(id, _pick(seed, Want.CanReceive), 1) {
                _succeeded("mint");
            } catch {}
        } else if (action == 2) {
            try asset.pause(id) {
                _succeeded("pause");
            } catch {}
        } else if (action == 3) {
            try asset.unpause(id) {
                _succeeded("unpause");
            } catch {}
        } else if (action == 4) {
            try asset.close(id, keccak256("fulfilled")) {
                _succeeded("close");
            } catch {}
        } else {
            uint256 encumbranceId = _encumbrances.length == 0 ? 0 : _encumbrances[_encumbranceIndex(seed)].encumbranceId;
            try asset.enforce(encumbranceId, keccak256("default")) {
                _succeeded("enforce");
            } catch {}
        }
    }

    /// @dev Register a wallet, re-identify its own participant, relay an acknowledgement, attach
    /// collateral a verifier signed.
    function _onRegistry(address op, uint256 action, uint256 seed) internal {
        address wallet = _actor(seed);
        if (action == 6) {
            vm.prank(op);
            try registry.registerParticipant(wallet, keccak256("kyc"), uint64(block.timestamp + 30 days)) {
                _succeeded("registerParticipant");
            } catch {}
        } else if (action == 7) {
            address own = _participantOf(op, seed);
            vm.prank(op);
            try registry.updateParticipantIdentity(own, keccak256("kyc"), uint64(block.timestamp + 1 hours)) {
                _succeeded("updateParticipantIdentity");
            } catch {}
        } else if (action == 8) {
            uint256 deadline = block.timestamp + 1 hours;
            bytes32 digest = registry.acknowledgementDigest(wallet, _notice, registry.nonces(wallet), deadline);
            bytes memory signature = _sign(_keys[wallet], digest);
            vm.prank(op);
            try registry.acknowledgeRiskNoticeBySig(wallet, _notice, deadline, signature) {
                _succeeded("acknowledgeRiskNoticeBySig");
            } catch {}
        } else {
            ICollateralAttestations.Attestation memory a = _pledge(_issuanceOf(op, seed), seed);
            uint256 key = _verifierKeys[_accreditation[0] != 0 ? 0 : 1];
            bytes memory signature = _sign(key, collateral.attestationDigest(a));
            vm.prank(op);
            try collateral.attach(a, signature) {
                _succeeded("attach");
            } catch {}
        }
    }

    function _succeeded(string memory what) internal {
        ++unpermittedSuccesses;
        _flag(Violation.ActedWithoutPermit, string.concat(what, " by an operator outside its mandate"));
    }

    /// @dev One of `op`'s issuances, searching from the seed; any issuance if it has none.
    function _issuanceOf(address op, uint256 seed) internal view returns (uint256) {
        for (uint256 i; i < issuanceCount; ++i) {
            uint256 id = 1 + (seed + i) % issuanceCount;
            if (_issuances[id].operator == op) return id;
        }
        return 1 + seed % issuanceCount;
    }

    /// @dev An actor `op` identified, searching from the seed; any actor if none.
    function _participantOf(address op, uint256 seed) internal view returns (address) {
        for (uint256 i; i < _actors.length; ++i) {
            address a = _actor(seed + i);
            if (_people[a].operator == op) return a;
        }
        return _actor(seed);
    }

    function _params(uint256 seed) internal view returns (ISecuredAssetTypes.IssuanceParams memory) {
        return ISecuredAssetTypes.IssuanceParams({
            issuer: _issuers[seed % 2],
            assetType: _types[(seed / 2) % 2],
            decisionHash: keccak256("decision"),
            decisionUri: "https://issuer.example/decision.pdf",
            evidenceHash: keccak256("evidence"),
            unitDescription: "1 tonne of wheat",
            maxSupply: 1000
        });
    }

    /// @dev A new collateral of `id`'s issuer, signed by an accredited verifier.
    function _pledge(uint256 id, uint256 seed) internal returns (ICollateralAttestations.Attestation memory) {
        return ICollateralAttestations.Attestation({
            asset: address(asset),
            issuanceId: id,
            owner: _issuances[id].issuer,
            collateralRef: keccak256(abi.encode("new collateral", ++_newRefs)),
            value: 1,
            units: bound(seed, 1, 1000),
            validUntil: uint64(block.timestamp + 30 days),
            nonce: ++_nonce,
            supersedes: bytes32(0)
        });
    }
}
