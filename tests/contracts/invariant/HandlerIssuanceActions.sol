// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {vm} from "../utils/Vm.sol";
import {HandlerInputs} from "./HandlerInputs.sol";

/// @notice The handlers of the asset's issuances: create, mint, pause, unpause, close and hand over
/// to a successor (see {Handler}). An operator acts only within its mandate; the regulator's pause
/// only it lifts; only the regulator names a successor, and only one within its mandate.
abstract contract HandlerIssuanceActions is HandlerInputs {
    /*//////////////////////////////////////////////////////////////
                           ASSET: ISSUANCES
    //////////////////////////////////////////////////////////////*/

    /// @notice Creates an issuance for one of the registered issuers and listed types, with the
    /// issuer's consent; sometimes an unregistered issuer, an unknown type, an empty field or an
    /// invalid max supply, and sometimes a consent that does not bind the issuer to these terms
    /// and this operator (see {_consent}): the refusal the model predicts must be the one given.
    function createIssuance(uint256 operatorSeed, uint256 paramSeed, uint256 supplySeed) external step {
        if (issuanceCount >= MAX_ISSUANCES) return;
        address caller = _caller(operatorSeed, _operators[(operatorSeed / 5) % 2]);
        uint256 flaw = paramSeed % 32;
        // Half the time a cap below the collateral usually attached, so that the cap binds first.
        uint256 maxSupply = bound(supplySeed, 1, supplySeed % 2 == 0 ? 100 : 50_000);
        if (flaw == 6) maxSupply = 0;
        if (flaw == 7) maxSupply = uint256(type(uint64).max) + 1;
        ISecuredAssetTypes.IssuanceParams memory p = ISecuredAssetTypes.IssuanceParams({
            issuer: flaw == 1 ? _actor(paramSeed) : _issuers[(paramSeed / 32) % 2],
            assetType: flaw == 2 ? 99 : _types[(paramSeed / 64) % 2],
            decisionHash: keccak256(abi.encode("decision", paramSeed)),
            decisionUri: flaw == 3 ? "" : "https://issuer.example/decision.pdf",
            evidenceHash: flaw == 4 ? bytes32(0) : keccak256("evidence"),
            unitDescription: flaw == 5 ? "" : "1 tonne of wheat",
            maxSupply: maxSupply
        });
        uint256 consentFlaw = (supplySeed >> 32) % 16;
        (ISecuredAssetTypes.IssuerConsent memory consent, bytes memory consentRefusal) =
            _consent(p, caller, consentFlaw, operatorSeed);
        bool termsValid = _activeOperator(caller) && _issuerStatus[p.issuer] == IPlatformRegistry.IssuerStatus.Active
            && _listed[p.assetType] && (flaw == 0 || flaw > 7);
        vm.prank(caller);
        try asset.createIssuance(p, consent) returns (uint256 id) {
            _requireActiveOperator(caller, "createIssuance");
            if (
                _issuerStatus[p.issuer] != IPlatformRegistry.IssuerStatus.Active || !_listed[p.assetType]
                    || (flaw >= 3 && flaw <= 7) || id != issuanceCount + 1
            ) _flag(Violation.RuleBroken, "createIssuance");
            if (consentRefusal.length != 0) {
                _flag(Violation.RuleBroken, "createIssuance without the issuer's consent to these terms");
            }
            ++_consentNonce[p.issuer];
            issuanceCount = id;
            IssuanceModel storage m = _issuances[id];
            (m.operator, m.issuer, m.assetType, m.maxSupply) = (caller, p.issuer, p.assetType, p.maxSupply);
        } catch (bytes memory reason) {
            // Past the checks of the operator and the terms, only the consent can refuse, and
            // with the reason the model names (none: it must pass).
            if (termsValid) {
                if (keccak256(reason) != keccak256(consentRefusal)) {
                    _flag(Violation.WronglyRefused, "createIssuance refused otherwise than its consent says");
                } else {
                    ++consentsRefused;
                }
            }
        }
    }

    /// @notice The issuer withdraws its next consent nonce (of key 0), sometimes one ahead of it.
    function withdrawConsent(uint256 issuerSeed, uint256 nonceSeed) external step {
        address issuer = _issuers[issuerSeed % 2];
        uint256 nonce = _consentNonce[issuer] + (nonceSeed % 4 == 3 ? 1 : 0);
        vm.prank(issuer);
        try asset.withdrawConsent(nonce) {
            if (nonce != _consentNonce[issuer]) _flag(Violation.RuleBroken, "withdrawConsent of a nonce not next");
            ++_consentNonce[issuer];
        } catch {
            if (nonce == _consentNonce[issuer]) _flag(Violation.WronglyRefused, "withdrawConsent of the next nonce");
        }
    }

    /// @dev The consent to `p` run by `caller`, under the model's next nonce of the issuer, valid
    /// for an hour; `flaw` 10 to 15 spoil it (else it is good): expired, a nonce ahead, a nonce
    /// used, another key's signature, signed for the other operator, or over another max supply.
    /// Returns the refusal the flaw calls for once every other check has passed (empty: none).
    function _consent(ISecuredAssetTypes.IssuanceParams memory p, address caller, uint256 flaw, uint256 seed)
        internal
        view
        returns (ISecuredAssetTypes.IssuerConsent memory consent, bytes memory refusal)
    {
        uint256 expected = _consentNonce[p.issuer];
        consent.nonce = expected;
        consent.deadline = uint64(block.timestamp + 1 hours);
        uint256 key = _keys[p.issuer];
        address signedFor = caller;
        uint256 signedMaxSupply = p.maxSupply;
        bytes memory notSigned =
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ConsentNotSigned.selector, p.issuer);
        if (flaw == 10) {
            consent.deadline = uint64(block.timestamp - 1);
            refusal = abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ConsentExpired.selector, consent.deadline);
        } else if (flaw == 11 || flaw == 12) {
            consent.nonce = flaw == 12 && expected > 0 ? expected - 1 : expected + 1;
            refusal = abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_ConsentNonceInvalid.selector, p.issuer, consent.nonce, expected
            );
        } else if (flaw == 13) {
            key = _keys[_actor(seed)] == key ? key + 1 : _keys[_actor(seed)];
            refusal = notSigned;
        } else if (flaw == 14) {
            signedFor = caller == _operators[0] ? _operators[1] : _operators[0];
            refusal = notSigned;
        } else if (flaw == 15) {
            signedMaxSupply = p.maxSupply + 1;
            refusal = notSigned;
        }
        // A replacement wallet named as the issuer has no key here: any key signs for another.
        if (key == 0) key = uint256(keccak256("no key"));
        ISecuredAssetTypes.IssuanceParams memory signed = ISecuredAssetTypes.IssuanceParams({
            issuer: p.issuer,
            assetType: p.assetType,
            decisionHash: p.decisionHash,
            decisionUri: p.decisionUri,
            evidenceHash: p.evidenceHash,
            unitDescription: p.unitDescription,
            maxSupply: signedMaxSupply
        });
        consent.signature = _sign(key, asset.consentDigest(signed, signedFor, consent.nonce, consent.deadline));
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
            _requireActiveOperator(caller, "mint");
            _moved(Route.Standard, caller, id, address(0), to, amount);
        } catch {}
    }

    /// @notice Acts one time in four. The regulator (or a supervisor, with its authority) may
    /// also take over an operator's pause.
    function pause(uint256 idSeed, uint256 callerSeed) external step {
        if (!_sometimes(idSeed, 4)) return;
        uint256 id = _issuanceId(idSeed);
        address caller = _issuanceAdmin(id, callerSeed);
        IssuanceModel storage iss = _issuances[id];
        bool byRegulator = _pausesAsRegulator(caller);
        vm.prank(caller);
        try asset.pause(id) {
            _requireOperatorOrRegulator(id, caller, "pause");
            if (iss.pausedByRegulator || (iss.paused && !byRegulator)) {
                _flag(Violation.RuleBroken, "pause twice");
            }
            iss.paused = true;
            iss.pausedByRegulator = byRegulator;
            iss.pausedBySupervisor = caller == _supervisor;
        } catch {}
    }

    /// @notice The operator tries to lift the regulator's pause as often as anyone else, and a
    /// supervisor the regulator's own pause: only a supervisor's pause a supervisor lifts.
    function unpause(uint256 idSeed, uint256 callerSeed) external step {
        uint256 id = _issuanceId(idSeed, Want.Paused);
        address caller = _issuanceAdmin(id, callerSeed);
        IssuanceModel storage iss = _issuances[id];
        vm.prank(caller);
        try asset.unpause(id) {
            _requireOperatorOrRegulator(id, caller, "unpause");
            if (!iss.paused) _flag(Violation.RuleBroken, "unpause when not paused");
            bool regulatorsOwn = iss.pausedByRegulator && !iss.pausedBySupervisor;
            if (iss.pausedByRegulator && (!_pausesAsRegulator(caller) || (caller == _supervisor && regulatorsOwn))) {
                _flag(Violation.RegulatorPauseLifted, _say("the regulator's pause lifted by another", id));
            }
            iss.paused = false;
            iss.pausedByRegulator = false;
            iss.pausedBySupervisor = false;
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
            } else if (caller == iss.operator) {
                _requireActiveOperator(caller, "close"); // the issuer needs no role
            }
            if (iss.closed || iss.supply != 0) _flag(Violation.RuleBroken, "close with supply or twice");
            iss.closed = true;
        } catch {}
    }

    /// @notice The regulator hands one or two issuances (sometimes the same one twice, or the
    /// unknown next id) to a successor: mostly the operator not running the first, sometimes the
    /// one running it, the newcomer (role, never a permit) or a role-less actor. The model says
    /// whether it must pass; a refusal it does not explain is flagged too.
    function succeedIssuances(uint256 idSeed, uint256 successorSeed, uint256 callerSeed, uint256 shape) external step {
        uint256[] memory ids = new uint256[](1 + shape % 2);
        ids[0] = _issuanceId(idSeed);
        if (ids.length == 2) {
            ids[1] = (shape >> 1) % 4 == 0 ? ids[0] : _issuanceId(uint256(keccak256(abi.encode(idSeed))));
        }
        address successor = _successor(ids[0], successorSeed);
        address caller = _caller(callerSeed, _regulator);
        bool allowed = _successionAllowed(ids, successor);
        vm.prank(caller);
        try asset.succeedIssuances(ids, successor, keccak256("succession order")) {
            _requireRegulator(caller, "succeedIssuances");
            if (!allowed) _flag(Violation.RuleBroken, _say("succession the rules refuse", ids[0]));
            for (uint256 i; i < ids.length; ++i) {
                _issuances[ids[i]].operator = successor;
            }
            ++successions;
        } catch {
            if (caller == _regulator && allowed) {
                _flag(Violation.WronglyRefused, _say("succession refused though the model allows it", ids[0]));
            }
        }
    }

    /// @dev Five times in eight the operator not running `id`, then the one running it, the
    /// newcomer, or an actor.
    function _successor(uint256 id, uint256 seed) internal view returns (address) {
        uint256 k = seed % 8;
        if (k < 5) return _issuances[id].operator == _operators[0] ? _operators[1] : _operators[0];
        if (k == 5) return _issuances[id].operator == address(0) ? _operators[0] : _issuances[id].operator;
        if (k == 6) return _newcomer;
        return _actor(seed / 8);
    }

    /// @dev The successor holds OPERATOR_ROLE and a permit in force, and every id, in turn, is
    /// known and not already the successor's (an id named twice is, the second time).
    function _successionAllowed(uint256[] memory ids, address successor) internal view returns (bool) {
        if (!_operatorRole[successor] || !_permitActive(successor)) return false;
        for (uint256 i; i < ids.length; ++i) {
            if (_issuances[ids[i]].operator == address(0) || _issuances[ids[i]].operator == successor) return false;
            if (i > 0 && ids[i] == ids[i - 1]) return false;
        }
        return true;
    }
}
