// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

import {vm} from "../utils/Vm.sol";
import {HandlerBase} from "./HandlerBase.sol";

/// @notice The model of the rules, written apart from the contracts: who is eligible, which
/// operator is within its mandate, which attestations are live and what they cover, and the
/// checks every successful movement goes through. Views for the invariants read it too.
abstract contract HandlerModel is HandlerBase {
    /*//////////////////////////////////////////////////////////////
                          VIEWS OF THE MODEL
    //////////////////////////////////////////////////////////////*/

    /// @notice The model's eligibility, at the handler's clock.
    function isEligible(address wallet) external view returns (bool) {
        return _eligible(wallet);
    }

    function permitActive(address op) external view returns (bool) {
        return _permitActive(op);
    }

    function isLive(uint256 index) external view returns (bool) {
        return _live(index);
    }

    /// @notice Live covered units of `id` and until when they cover its supply, by the model.
    function coverage(uint256 id) external view returns (uint256 covered, uint64 coveredUntil) {
        return (_coverage(id), _coveredUntil(id));
    }

    /*//////////////////////////////////////////////////////////////
                              MOVEMENTS
    //////////////////////////////////////////////////////////////*/

    /// @dev A successful movement of `amount` of `id` from `from` to `to` (zero for mint or burn)
    /// that `initiator` sent: checks it against the model, then applies it. On the redemption
    /// route `to` is the asset's custody, no participant: the supply stays until confirmation.
    function _moved(Route route, address initiator, uint256 id, address from, address to, uint256 amount) internal {
        IssuanceModel storage iss = _issuances[id];
        bool redemption = route == Route.Redemption;
        if (route != Route.Forced && (redemption ? _redemptionStopped(id) : _halted(id))) {
            _flag(Violation.HaltedMovement, _say("moved while halted", id));
        }
        if (redemption && !_permitActive(iss.operator)) ++redemptionsWithoutPermit;
        if ((route == Route.Standard || route == Route.Settlement || redemption) && from != address(0)) {
            if (!_eligible(from)) _flag(Violation.IneligibleSender, _say("dealt by an ineligible holder", id));
            if (initiator != from && !_eligible(initiator)) {
                _flag(Violation.IneligibleInitiator, _say("moved by an ineligible approved operator", id));
            }
        }
        if (!redemption && to != address(0) && !_eligible(to)) {
            _flag(Violation.IneligibleRecipient, _say("received while ineligible", id));
        }
        if (from != address(0) && _undercollateralised(id)) _passedUncovered(route, id, to);

        if (from == address(0)) {
            iss.supply += amount;
            _minted(id, iss);
        } else {
            uint256 balance = ghostBalance[id][from];
            if (amount > balance) _flag(Violation.RuleBroken, _say("moved more than the balance", id));
            ghostBalance[id][from] = balance - _min(amount, balance);
        }
        if (redemption) {
            ghostCustody[id] += amount;
        } else if (to == address(0)) {
            iss.supply -= _min(amount, iss.supply);
        } else {
            ghostBalance[id][to] += amount;
        }
        // Units pledged or escrowed (others' claims) stay behind, and frozen ones on a holder's own
        // dealing; an enforcement, an order or a settlement outranks a freeze.
        if (from != address(0)) {
            uint256 held = ghostEncumbered[id][from] + ghostEscrowed[id][from];
            if (route == Route.Standard || redemption) held += ghostFrozen[id][from];
            if (ghostBalance[id][from] < held) _flag(Violation.RuleBroken, _say("moved restricted units", id));
        }
        ++successfulMovements;
    }

    /// @dev Law art. 5.2, 6.8: while live collateral does not cover the supply, units go back to
    /// the issuer, are redeemed, or move by regulator order, and nowhere else.
    function _passedUncovered(Route route, uint256 id, address to) internal {
        Passage passage = route == Route.Forced
            ? Passage.RegulatorOrder
            : route == Route.Redemption
                ? Passage.Redemption
                : to == _issuances[id].issuer ? Passage.ToIssuer : Passage.Other;
        ++movementsWhileUndercollateralised[passage];
        if (passage == Passage.Other) {
            _flag(Violation.MovedWhileUndercollateralised, _say("moved while under-collateralised", id));
        }
    }

    /// @dev After a successful mint: the register, the type list, the cap and the collateral.
    function _minted(uint256 id, IssuanceModel storage iss) internal {
        ++successfulMints;
        uint256 covered = collateral.coveredUnits(address(asset), id, iss.issuer);
        if (covered < iss.supply || _coverage(id) < iss.supply) {
            _flag(Violation.MintBeyondCoverage, _say("minted beyond live collateral", id));
        }
        iss.coverageAtLastMint = covered;
        if (_issuerStatus[iss.issuer] != IPlatformRegistry.IssuerStatus.Active || !_listed[iss.assetType]) {
            _flag(Violation.MintOutsideRegister, _say("minted for an inactive issuer or delisted type", id));
        }
        if (iss.supply > iss.maxSupply) _flag(Violation.RuleBroken, _say("minted beyond max supply", id));
    }

    /*//////////////////////////////////////////////////////////////
                         PARTICIPANTS, OPERATORS
    //////////////////////////////////////////////////////////////*/

    function _acknowledged(address wallet, uint32 version, string memory what) internal {
        if (!_people[wallet].registered || version == 0 || version != _notice) _flag(Violation.RuleBroken, what);
        _people[wallet].acknowledged = version;
    }

    /// @dev Registered, identified, not frozen and acknowledged the notice in force: may receive,
    /// and may deal (Law art. 6.4: the risks are told before dealing too).
    function _eligible(address wallet) internal view returns (bool) {
        Person storage p = _people[wallet];
        return p.registered && !p.frozen && p.identityExpiry > block.timestamp && p.acknowledged != 0
            && p.acknowledged == _notice;
    }

    /// @dev Where the person behind `wallet` is now: the end of its recovery chain, or itself. A
    /// beneficiary that lost its wallet releases and receives its pledges there.
    function _currentWallet(address wallet) internal view returns (address current) {
        current = wallet;
        while (_recoveredTo[current] != address(0)) {
            current = _recoveredTo[current];
        }
    }

    function _permitActive(address op) internal view returns (bool) {
        PermitModel storage p = _permits[op];
        return p.status == IPlatformRegistry.PermitStatus.Granted && p.validFrom <= block.timestamp
            && block.timestamp < p.validUntil;
    }

    /// @dev An operator within its mandate: OPERATOR_ROLE and a permit in force (Law art. 6.1-6.2).
    function _activeOperator(address op) internal view returns (bool) {
        return _isOperator(op) && _operatorRole[op] && _permitActive(op);
    }

    /// @dev Nothing may circulate: unknown, closed, paused, or its operator's permit not in force.
    function _halted(uint256 id) internal view returns (bool) {
        return _stopped(id) || !_permitActive(_issuances[id].operator);
    }

    /// @dev No redemption may be requested: unknown, closed, or paused, unless the pause is an
    /// operator's whose permit is no longer in force (it can no longer lift it, and holders must
    /// still be able to ask).
    function _redemptionStopped(uint256 id) internal view returns (bool) {
        IssuanceModel storage iss = _issuances[id];
        if (iss.operator == address(0) || iss.closed) return true;
        return iss.paused && (iss.pausedByRegulator || _permitActive(iss.operator));
    }

    /// @dev Nothing may move at all, a redemption request included: unknown, closed or paused. A
    /// redemption request outlives the operator's permit, since the law ends the operator's
    /// dealing, not the issuer's obligation; nothing else does.
    function _stopped(uint256 id) internal view returns (bool) {
        IssuanceModel storage iss = _issuances[id];
        return iss.operator == address(0) || iss.closed || iss.paused;
    }

    /*//////////////////////////////////////////////////////////////
                               COLLATERAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Not revoked, not superseded, unexpired, and its verifier still in the accreditation
    /// it was attached under.
    function _live(uint256 index) internal view returns (bool) {
        AttestationModel storage a = _attestations[index];
        return
            !a.revoked && !a.superseded && a.validUntil > block.timestamp
                && a.accreditation == _accreditation[a.verifier];
    }

    /// @dev Live verified collateral of `id`, summed from the model's own attestations.
    function _coverage(uint256 id) internal view returns (uint256 units) {
        uint256[] storage indices = _issuances[id].attestations;
        for (uint256 i; i < indices.length; ++i) {
            if (_live(indices[i])) units += _attestations[indices[i]].units;
        }
    }

    /// @dev Until when the live attestations of `id` cover its supply: the latest expiry at which
    /// those still running cover it (0: not now; "for good", as the asset keeps it, for no supply).
    function _coveredUntil(uint256 id) internal view returns (uint64 until) {
        uint256 supply = _issuances[id].supply;
        if (supply == 0) return type(uint40).max;
        if (_coverage(id) < supply) return 0;
        uint256[] storage indices = _issuances[id].attestations;
        for (uint256 i; i < indices.length; ++i) {
            if (!_live(indices[i])) continue;
            uint64 end = _attestations[indices[i]].validUntil;
            uint256 lasting;
            for (uint256 j; j < indices.length; ++j) {
                if (_live(indices[j]) && _attestations[indices[j]].validUntil >= end) {
                    lasting += _attestations[indices[j]].units;
                }
            }
            if (lasting >= supply && end > until) until = end;
        }
    }

    function _undercollateralised(uint256 id) internal view returns (bool) {
        return _coverage(id) < _issuances[id].supply;
    }

    function _available(uint256 id, address holder) internal view returns (uint256) {
        uint256 restricted = ghostEncumbered[id][holder] + ghostFrozen[id][holder] + ghostEscrowed[id][holder];
        uint256 balance = ghostBalance[id][holder];
        return balance > restricted ? balance - restricted : 0;
    }

    /*//////////////////////////////////////////////////////////////
                            HELPERS: CHECKS
    //////////////////////////////////////////////////////////////*/

    function _flag(Violation v, string memory what) internal {
        if (violations[v] == 0) firstViolation[v] = what;
        ++violations[v];
    }

    function _say(string memory what, uint256 id) internal pure returns (string memory) {
        return string.concat(what, " (issuance ", vm.toString(id), ")");
    }

    function _requireRegulator(address caller, string memory what) internal {
        if (caller != _regulator) _flag(Violation.Unauthorised, what);
    }

    /// @dev One of the operators, within its mandate.
    function _requireActiveOperator(address caller, string memory what) internal {
        if (!_isOperator(caller)) _flag(Violation.Unauthorised, what);
        else if (!_activeOperator(caller)) _flag(Violation.ActedWithoutPermit, what);
    }

    /// @dev The regulator (or a supervisor, for a pause), or the issuance's operator within its mandate.
    function _requireOperatorOrRegulator(uint256 id, address caller, string memory what) internal {
        if (_pausesAsRegulator(caller)) return;
        address op = _issuances[id].operator;
        if (op == address(0) || caller != op) _flag(Violation.Unauthorised, what);
        else _requireActiveOperator(caller, what);
    }

    /// @dev The regulator, or a supervisor standing for it at once (a pause, nothing more).
    function _pausesAsRegulator(address caller) internal view returns (bool) {
        return caller == _regulator || caller == _supervisor;
    }

    function _isOperator(address account) internal view returns (bool) {
        return account == _operators[0] || account == _operators[1];
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }
}
