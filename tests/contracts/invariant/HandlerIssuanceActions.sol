// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {vm} from "../utils/Vm.sol";
import {HandlerInputs} from "./HandlerInputs.sol";

/// @notice The handlers of the collateral attestations and of the asset's issuances: attach,
/// revoke and invalidate nonces; create, mint, pause, unpause and close (see {Handler}).
abstract contract HandlerIssuanceActions is HandlerInputs {
    /*//////////////////////////////////////////////////////////////
                               COLLATERAL
    //////////////////////////////////////////////////////////////*/

    /// @notice Attaches a verifier's attestation; sometimes signed by a non-verifier, for the
    /// wrong owner, already expired, for zero units or submitted by someone without a role.
    function attach(uint256 idSeed, uint256 unitsSeed, uint256 validitySeed, uint256 flawSeed) external step {
        uint256 id = _issuanceId(idSeed, Want.Uncovered);
        IssuanceModel storage iss = _issuances[id];
        ICollateralAttestations.Attestation memory a = ICollateralAttestations.Attestation({
            asset: address(asset),
            issuanceId: id,
            owner: flawSeed % 11 == 1 ? _actor(flawSeed) : iss.issuer,
            collateralRef: keccak256(abi.encode("collateral", unitsSeed)),
            value: unitsSeed % 1e12,
            units: flawSeed % 11 == 2 ? 0 : bound(unitsSeed, 1, 20_000),
            validUntil: uint64(
                flawSeed % 11 == 3 ? block.timestamp : block.timestamp + bound(validitySeed, 1 hours, 120 days)
            ),
            nonce: ++_nonce,
            supersedes: bytes32(0)
        });
        uint256 key = flawSeed % 11 == 4 ? _keys[_actor(flawSeed)] : _verifierKey;
        bytes memory signature = _sign(key, collateral.attestationDigest(a));
        address caller = flawSeed % 11 == 5 ? _actor(flawSeed / 11) : flawSeed % 2 == 0 ? _operators[0] : _verifier;
        vm.prank(caller);
        try collateral.attach(a, signature) returns (bytes32 attestationId) {
            if (caller != _verifier && !_isOperator(caller)) _flag(Violation.Unauthorised, "attach submitter");
            if (key != _verifierKey) _flag(Violation.Unauthorised, "attach signed by a non-verifier");
            if (iss.operator == address(0) || a.owner != iss.issuer || a.units == 0 || a.validUntil <= block.timestamp)
            {
                _flag(Violation.RuleBroken, "attach");
            }
            iss.attestations.push(_attestations.length);
            _attestations.push(AttestationModel(attestationId, a.units, a.validUntil, false));
        } catch {}
    }

    /// @notice Acts one time in four: a revocation stops minting until new collateral is attached.
    function revokeAttestation(uint256 indexSeed, uint256 callerSeed) external step {
        if (_attestations.length == 0 || !_sometimes(indexSeed, 4)) return;
        AttestationModel storage m = _attestations[indexSeed % _attestations.length];
        address caller = _caller(callerSeed, callerSeed % 2 == 0 ? _verifier : _regulator);
        vm.prank(caller);
        try collateral.revoke(m.attestationId, keccak256("collateral gone")) {
            if (caller != _verifier && caller != _regulator) _flag(Violation.Unauthorised, "revoke attestation");
            if (m.revoked) _flag(Violation.RuleBroken, "revoke attestation twice");
            m.revoked = true;
        } catch {}
    }

    function invalidateNonce(uint256 callerSeed) external step {
        address caller = _caller(callerSeed, _verifier);
        vm.prank(caller);
        try collateral.invalidateNonce(++_nonce) {
            if (caller != _verifier) _flag(Violation.Unauthorised, "invalidateNonce");
        } catch {}
    }

    /*//////////////////////////////////////////////////////////////
                           ASSET: ISSUANCES
    //////////////////////////////////////////////////////////////*/

    /// @notice Creates an issuance for one of the registered issuers and listed types; sometimes
    /// an unregistered issuer, an unknown type, an empty field or an invalid max supply.
    function createIssuance(uint256 operatorSeed, uint256 paramSeed, uint256 supplySeed) external step {
        if (issuanceCount >= MAX_ISSUANCES) return;
        address caller = _caller(operatorSeed, _operators[(operatorSeed / 5) % 2]);
        uint256 flaw = paramSeed % 32;
        // Half the time a cap below the collateral usually attached, so that the cap binds first.
        uint256 maxSupply = bound(supplySeed, 1, supplySeed % 2 == 0 ? 100 : 50_000);
        if (flaw == 6) maxSupply = 0;
        if (flaw == 7) maxSupply = uint256(type(uint128).max) + 1;
        ISecuredAsset.IssuanceParams memory p = ISecuredAsset.IssuanceParams({
            issuer: flaw == 1 ? _actor(paramSeed) : _issuers[(paramSeed / 32) % 2],
            assetType: flaw == 2 ? 99 : _types[(paramSeed / 64) % 2],
            decisionHash: keccak256(abi.encode("decision", paramSeed)),
            decisionUri: flaw == 3 ? "" : "https://issuer.example/decision.pdf",
            evidenceHash: flaw == 4 ? bytes32(0) : keccak256("evidence"),
            unitDescription: flaw == 5 ? "" : "1 tonne of wheat",
            maxSupply: maxSupply
        });
        vm.prank(caller);
        try asset.createIssuance(p) returns (uint256 id) {
            _requireOperatorRole(caller, "createIssuance");
            if (
                !_permitActive(caller) || _issuerStatus[p.issuer] != IPlatformRegistry.IssuerStatus.Active
                    || !_listed[p.assetType] || (flaw >= 3 && flaw <= 7) || id != issuanceCount + 1
            ) _flag(Violation.RuleBroken, "createIssuance");
            issuanceCount = id;
            IssuanceModel storage m = _issuances[id];
            (m.operator, m.issuer, m.assetType, m.maxSupply) = (caller, p.issuer, p.assetType, p.maxSupply);
        } catch {}
    }

    function mint(uint256 idSeed, uint256 toSeed, uint256 amountSeed, uint256 callerSeed) external step {
        uint256 id = _issuanceId(idSeed, Want.Mintable);
        IssuanceModel storage iss = _issuances[id];
        address to = _pick(toSeed, Want.CanReceive);
        uint256 cap = _min(iss.maxSupply, _coverage(id));
        // One mint in four tries to pass the cap or the collateral.
        uint256 amount = _amount(amountSeed, cap > iss.supply ? cap - iss.supply : 0, 4);
        address caller = _caller(callerSeed, iss.operator == address(0) ? _operators[0] : iss.operator);
        vm.prank(caller);
        try asset.mint(id, to, amount) {
            if (caller != iss.operator) _flag(Violation.Unauthorised, "mint by another than the issuance's operator");
            _moved(Route.Standard, caller, id, address(0), to, amount);
        } catch {}
    }

    /// @notice Acts one time in four.
    function pause(uint256 idSeed, uint256 callerSeed) external step {
        if (!_sometimes(idSeed, 4)) return;
        uint256 id = _issuanceId(idSeed);
        address caller = _issuanceAdmin(id, callerSeed);
        vm.prank(caller);
        try asset.pause(id) {
            _requireOperatorOrRegulator(id, caller, "pause");
            if (_issuances[id].paused) _flag(Violation.RuleBroken, "pause twice");
            _issuances[id].paused = true;
        } catch {}
    }

    function unpause(uint256 idSeed, uint256 callerSeed) external step {
        uint256 id = _issuanceId(idSeed, Want.Paused);
        address caller = _issuanceAdmin(id, callerSeed);
        vm.prank(caller);
        try asset.unpause(id) {
            _requireOperatorOrRegulator(id, caller, "unpause");
            if (!_issuances[id].paused) _flag(Violation.RuleBroken, "unpause when not paused");
            _issuances[id].paused = false;
        } catch {}
    }

    /// @notice The operator or the issuer records that obligations are fulfilled; needs no supply.
    function close(uint256 idSeed, uint256 callerSeed) external step {
        uint256 id = _issuanceId(idSeed);
        IssuanceModel storage iss = _issuances[id];
        address rightful = callerSeed % 2 == 0 ? iss.operator : iss.issuer;
        address caller = _caller(callerSeed / 2, rightful == address(0) ? _operators[0] : rightful);
        vm.prank(caller);
        try asset.close(id, keccak256("obligations fulfilled")) {
            if (iss.operator == address(0) || (caller != iss.operator && caller != iss.issuer)) {
                _flag(Violation.Unauthorised, "close");
            }
            if (iss.closed || iss.supply != 0) _flag(Violation.RuleBroken, "close with supply or twice");
            iss.closed = true;
        } catch {}
    }
}
