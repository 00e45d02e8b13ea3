// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {vm} from "../utils/Vm.sol";
import {HandlerInputs} from "./HandlerInputs.sol";

/// @notice The handlers that move or restrict units: approvals, transfers, batches and returns to
/// the issuer; encumbrance, release and enforcement; freezing units and forced transfers (see
/// {Handler}; redemption: {HandlerRedemptionActions}).
abstract contract HandlerUnitActions is HandlerInputs {
    /*//////////////////////////////////////////////////////////////
                           ASSET: TRANSFERS
    //////////////////////////////////////////////////////////////*/

    function setApprovalForAll(uint256 holderSeed, uint256 spenderSeed, bool approved) external step {
        address holder = _actor(holderSeed);
        address spender = _actor(spenderSeed);
        vm.prank(holder);
        try asset.setApprovalForAll(spender, approved) {
            _approved[holder][spender] = approved;
        } catch {}
    }

    /// @notice The holder sends its own units; half the time of an issuance whatever its coverage,
    /// so that under-collateralised ones are tried too.
    function transfer(uint256 idSeed, uint256 fromSeed, uint256 toSeed, uint256 amountSeed) external step {
        uint256 id = _issuanceId(idSeed, (idSeed >> 14) % 2 == 0 ? Want.Held : Want.Circulating);
        address from = _sender(id, fromSeed);
        _transfer(from, from, _pick(toSeed, Want.CanReceive), id, _amount(amountSeed, _available(id, from)));
    }

    /// @notice Another wallet moves the holder's units, approved or not.
    function operatorTransfer(uint256 idSeed, uint256 fromSeed, uint256 spenderSeed, uint256 toSeed, uint256 amountSeed)
        external
        step
    {
        uint256 id = _issuanceId(idSeed, Want.Circulating);
        address from = _sender(id, fromSeed);
        address to = _pick(toSeed, Want.CanReceive);
        _transfer(_spender(from, spenderSeed), from, to, id, _amount(amountSeed, _available(id, from)));
    }

    /// @notice A batch of one to four items, half the time repeating ids, sometimes sent by an
    /// approved (or unapproved) operator.
    function batchTransfer(uint256 fromSeed, uint256 toSeed, uint256 idSeed, uint256 amountSeed, uint256 shape)
        external
        step
    {
        uint256 length = 1 + shape % 4;
        bool repeat = (shape >> 2) % 2 == 0;
        uint256[] memory ids = new uint256[](length);
        uint256[] memory amounts = new uint256[](length);
        for (uint256 i; i < length; ++i) {
            uint256 seed = i == 0 ? idSeed : uint256(keccak256(abi.encode(idSeed, i)));
            ids[i] = repeat && i % 2 == 1 ? ids[i - 1] : _issuanceId(seed, Want.Circulating);
        }
        address from = _sender(ids[0], fromSeed);
        address to = _pick(toSeed, Want.CanReceive);
        address spender = (shape >> 3) % 3 == 2 ? _spender(from, shape >> 5) : from;
        for (uint256 i; i < length; ++i) {
            uint256 available = _available(ids[i], from);
            amounts[i] = _amount(uint256(keccak256(abi.encode(amountSeed, i))), repeat ? available / 2 : available);
        }
        vm.prank(spender);
        try asset.safeBatchTransferFrom(from, to, ids, amounts, "") {
            if (spender != from && !_approved[from][spender]) {
                _flag(Violation.Unauthorised, "batch by unapproved operator");
            }
            for (uint256 i; i < length; ++i) {
                _moved(Route.Standard, spender, ids[i], from, to, amounts[i]);
            }
        } catch {}
    }

    function _transfer(address spender, address from, address to, uint256 id, uint256 amount) internal {
        vm.prank(spender);
        try asset.safeTransferFrom(from, to, id, amount, "") {
            if (spender != from && !_approved[from][spender]) {
                _flag(Violation.Unauthorised, "transfer by unapproved operator");
            }
            _moved(Route.Standard, spender, id, from, to, amount);
        } catch {}
    }

    /// @notice A holder sends units back to the issuance's issuer: open even while the issuance is
    /// under-collateralised. The issuer acknowledges the notice in force first if it is behind.
    function returnToIssuer(uint256 idSeed, uint256 fromSeed, uint256 amountSeed) external step {
        uint256 id = _issuanceId(idSeed, Want.Held);
        address issuer = _issuances[id].issuer;
        if (issuer == address(0)) return;
        if (_people[issuer].registered && _people[issuer].acknowledged != _notice) {
            vm.prank(issuer);
            try registry.acknowledgeRiskNotice(_notice) {
                _acknowledged(issuer, _notice, "acknowledgeRiskNotice by the issuer");
            } catch {}
        }
        address from = _sender(id, fromSeed);
        _transfer(from, from, issuer, id, _amount(amountSeed, _available(id, from)));
    }

    /*//////////////////////////////////////////////////////////////
                  ASSET: ENCUMBRANCE, FREEZE, ORDERS
    //////////////////////////////////////////////////////////////*/

    function encumber(
        uint256 idSeed,
        uint256 holderSeed,
        uint256 beneficiarySeed,
        uint256 amountSeed,
        uint256 expirySeed
    ) external step {
        uint256 id = _issuanceId(idSeed, Want.Circulating);
        address holder = _sender(id, holderSeed);
        address beneficiary = _pick(beneficiarySeed, Want.CanReceive);
        uint256 amount = _amount(amountSeed, _available(id, holder));
        uint64 expiry = expirySeed % 3 == 0 ? 0 : uint64(block.timestamp + bound(expirySeed, 1 hours, 30 days));
        vm.prank(holder);
        try asset.encumber(id, amount, beneficiary, keccak256("pledge"), expiry) returns (uint256 encumbranceId) {
            // An encumbrance is a turnover act (Rules item 4): the transfer rules apply to it.
            if (_halted(id)) _flag(Violation.HaltedMovement, _say("encumber while halted", id));
            if (!_eligible(holder)) _flag(Violation.IneligibleSender, _say("encumber by ineligible holder", id));
            // The beneficiary is never the issuer here: nothing may be encumbered while uncovered.
            if (_undercollateralised(id)) {
                _flag(Violation.MovedWhileUndercollateralised, _say("encumbered while under-collateralised", id));
            }
            if (!_eligible(beneficiary) || beneficiary == holder || amount > _available(id, holder)) {
                _flag(Violation.RuleBroken, _say("encumber", id));
            }
            ghostEncumbered[id][holder] += amount;
            _encumbrances.push(EncumbranceModel(encumbranceId, id, holder, beneficiary, amount, expiry, true));
        } catch {}
    }

    /// @notice The beneficiary (from its new wallet if it lost its own), the holder (allowed once
    /// lapsed) or a stranger (sometimes the beneficiary's lost key) releases.
    function release(uint256 indexSeed, uint256 callerSeed) external step {
        if (_encumbrances.length == 0) return;
        EncumbranceModel storage e = _encumbrances[_encumbranceIndex(indexSeed)];
        uint256 who = callerSeed % 3;
        address beneficiary = _currentWallet(e.beneficiary);
        address caller = who == 0 ? beneficiary : who == 1 ? e.holder : _actor(callerSeed / 3);
        bool lapsed = e.expiry != 0 && e.expiry <= block.timestamp;
        vm.prank(caller);
        try asset.release(e.encumbranceId) {
            if (caller != beneficiary && !(caller == e.holder && lapsed)) _flag(Violation.Unauthorised, "release");
            if (!e.active) _flag(Violation.RuleBroken, "release of an inactive encumbrance");
            e.active = false;
            ghostEncumbered[e.issuanceId][e.holder] -= _min(e.amount, ghostEncumbered[e.issuanceId][e.holder]);
        } catch {}
    }

    /// @notice The issuance's operator moves the locked units to the beneficiary, at its new
    /// wallet if it lost its own.
    function enforce(uint256 indexSeed, uint256 callerSeed) external step {
        if (_encumbrances.length == 0) return;
        EncumbranceModel storage e = _encumbrances[_encumbranceIndex(indexSeed)];
        address op = _issuances[e.issuanceId].operator;
        address caller = _caller(callerSeed, op);
        bool lapsed = e.expiry != 0 && e.expiry <= block.timestamp;
        vm.prank(caller);
        try asset.enforce(e.encumbranceId, keccak256("court order")) {
            if (caller != op) _flag(Violation.Unauthorised, "enforce");
            else _requireActiveOperator(caller, "enforce");
            if (!e.active || lapsed) _flag(Violation.RuleBroken, "enforce of an inactive or lapsed encumbrance");
            e.active = false;
            ghostEncumbered[e.issuanceId][e.holder] -= _min(e.amount, ghostEncumbered[e.issuanceId][e.holder]);
            _moved(Route.Enforcement, caller, e.issuanceId, e.holder, _currentWallet(e.beneficiary), e.amount);
        } catch {}
    }

    function freezeUnits(uint256 idSeed, uint256 holderSeed, uint256 amountSeed, uint256 callerSeed) external step {
        uint256 id = _issuanceId(idSeed);
        address holder = _actor(holderSeed);
        uint256 available = _available(id, holder);
        uint256 amount = _amount(amountSeed, available);
        address caller = _caller(callerSeed, _compliance);
        vm.prank(caller);
        try asset.freezeUnits(id, holder, amount, keccak256("aml hold")) {
            if (caller != _compliance) _flag(Violation.Unauthorised, "freezeUnits");
            if (amount > available || _issuances[id].operator == address(0)) {
                _flag(Violation.RuleBroken, "freezeUnits");
            }
            ghostFrozen[id][holder] += amount;
        } catch {}
    }

    function unfreezeUnits(uint256 idSeed, uint256 holderSeed, uint256 amountSeed, uint256 callerSeed) external step {
        uint256 id = _issuanceId(idSeed);
        address holder = _actor(holderSeed);
        uint256 frozen = ghostFrozen[id][holder];
        uint256 amount = _amount(amountSeed, frozen);
        address caller = _caller(callerSeed, _compliance);
        vm.prank(caller);
        try asset.unfreezeUnits(id, holder, amount, keccak256("hold lifted")) {
            if (caller != _compliance) _flag(Violation.Unauthorised, "unfreezeUnits");
            if (amount > frozen) _flag(Violation.RuleBroken, "unfreezeUnits beyond frozen");
            ghostFrozen[id][holder] = frozen - _min(amount, frozen);
        } catch {}
    }

    /// @notice A regulator order: may take frozen units, never encumbered or escrowed ones, and
    /// ignores pause and permit by design. Half the time ERC-7943's four-argument form (no order
    /// reference), the same order.
    function forcedTransfer(uint256 idSeed, uint256 fromSeed, uint256 toSeed, uint256 amountSeed, uint256 callerSeed)
        external
        step
    {
        uint256 id = _issuanceId(idSeed);
        address from = _actor(fromSeed);
        address to = _pick(toSeed, Want.CanReceive);
        uint256 balance = ghostBalance[id][from];
        uint256 claimed = ghostEncumbered[id][from] + ghostEscrowed[id][from];
        uint256 movable = balance > claimed ? balance - claimed : 0;
        uint256 amount = _amount(amountSeed, movable);
        address caller = _caller(callerSeed, _regulator);
        vm.prank(caller);
        if ((callerSeed >> 8) % 2 == 0) {
            try asset.forcedTransfer(id, from, to, amount, keccak256("order")) {
                _ordered(caller, id, from, to, amount, movable);
            } catch {}
        } else {
            try asset.forcedTransfer(from, to, id, amount) returns (bool result) {
                if (!result) _flag(Violation.RuleBroken, "ERC-7943 forcedTransfer returned false");
                _ordered(caller, id, from, to, amount, movable);
            } catch {}
        }
    }

    /// @dev After a successful order: free units go first, then frozen ones, unfrozen as the
    /// order takes them; a freeze beyond what the order could take keeps the rest.
    function _ordered(address caller, uint256 id, address from, address to, uint256 amount, uint256 movable) internal {
        _requireRegulator(caller, "forcedTransfer");
        if (from == to) {
            _flag(Violation.RuleBroken, _say("forcedTransfer to the same wallet", id));
        } else if (amount > movable) {
            _flag(Violation.RuleBroken, _say("forcedTransfer of encumbered or escrowed units", id));
        } else {
            uint256 frozen = ghostFrozen[id][from];
            uint256 free = movable - _min(frozen, movable);
            if (amount > free) ghostFrozen[id][from] = frozen - (amount - free);
        }
        _moved(Route.Forced, caller, id, from, to, amount);
    }
}
