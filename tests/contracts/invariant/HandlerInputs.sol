// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

import {vm} from "../utils/Vm.sol";
import {HandlerModel} from "./HandlerModel.sol";

/// @notice How the handlers turn the fuzzer's seeds into inputs: the caller (the rightful role or,
/// sometimes, someone without it), the actor or issuance wanted, amounts within or just beyond a
/// limit, the encumbrance, notice version and identity expiry, and signatures.
abstract contract HandlerInputs is HandlerModel {
    /*//////////////////////////////////////////////////////////////
                        HELPERS: PICKS AND SEEDS
    //////////////////////////////////////////////////////////////*/

    /// @dev Usually `rightful`; one time in five a role-less actor, to prove the check holds.
    function _caller(uint256 seed, address rightful) internal view returns (address) {
        return seed % 5 == 4 ? _actor(seed / 5) : rightful;
    }

    /// @dev The issuance's operator or the regulator, sometimes the supervisor or someone else.
    function _issuanceAdmin(uint256 id, uint256 seed) internal view returns (address) {
        address op = _issuances[id].operator;
        if ((seed / 2) % 5 == 3) return _supervisor;
        return _caller(seed / 2, seed % 2 == 0 && op != address(0) ? op : _regulator);
    }

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[seed % _actors.length];
    }

    /// @dev Three times in four a wallet `holder` approved, if any, otherwise anyone.
    function _spender(address holder, uint256 seed) internal view returns (address) {
        uint256 n = _actors.length;
        if (seed % 4 != 3) {
            for (uint256 i; i < n; ++i) {
                address a = _actors[(seed / 2 + i) % n];
                if (a != holder && _approved[holder][a]) return a;
            }
        }
        return _actor(seed / 2);
    }

    /// @dev A known issuance, or one time in sixteen the next, unknown id.
    function _issuanceId(uint256 seed) internal view returns (uint256) {
        if (seed % 16 == 15) return issuanceCount + 1;
        return 1 + (seed >> 4) % issuanceCount;
    }

    /// @dev As {_issuanceId}; unless `(seed >> 12) % 4 == 3`, the first issuance from there that
    /// is as wanted (see {Want}), if any.
    function _issuanceId(uint256 seed, Want want) internal view returns (uint256 id) {
        id = _issuanceId(seed);
        if ((seed >> 12) % 4 == 3) return id;
        for (uint256 i; i < issuanceCount; ++i) {
            uint256 candidate = 1 + (id - 1 + i) % issuanceCount;
            if (_isIssuance(candidate, want)) return candidate;
        }
    }

    /// @dev The first actor from `_actors[seed % n]` on that is as wanted, if any; but when
    /// `(seed / n) % 4 == 3`, `_actors[seed % n]` whatever its state. So three seeds in four look
    /// for a useful actor and the rest take anyone.
    function _pick(uint256 seed, Want want) internal view returns (address) {
        uint256 n = _actors.length;
        if ((seed / n) % 4 != 3) {
            for (uint256 i; i < n; ++i) {
                address a = _actors[(seed % n + i) % n];
                if (_is(a, want)) return a;
            }
        }
        return _actors[seed % n];
    }

    /// @dev As {_pick}, looking for a wallet that may deal and has units of `id` available.
    function _sender(uint256 id, uint256 seed) internal view returns (address) {
        uint256 n = _actors.length;
        if ((seed / n) % 4 != 3) {
            for (uint256 i; i < n; ++i) {
                address a = _actors[(seed % n + i) % n];
                if (_eligible(a) && _available(id, a) > 0) return a;
            }
        }
        return _actors[seed % n];
    }

    function _isIssuance(uint256 id, Want want) internal view returns (bool) {
        IssuanceModel storage iss = _issuances[id];
        if (want == Want.Paused) return iss.paused;
        if (want == Want.Uncovered) return !iss.closed && iss.operator != address(0) && _coverage(id) <= iss.supply;
        if (want == Want.PermitLapsed) return !_stopped(id) && !_permitActive(iss.operator) && _heldByEligible(id);
        if (_halted(id)) return false;
        if (want == Want.Mintable) return _min(iss.maxSupply, _coverage(id)) > iss.supply;
        if (want == Want.Circulating && _undercollateralised(id)) return false;
        return _heldByEligible(id); // Held
    }

    /// @dev Some eligible actor has units of `id` available.
    function _heldByEligible(uint256 id) internal view returns (bool) {
        for (uint256 i; i < _actors.length; ++i) {
            if (_eligible(_actors[i]) && _available(id, _actors[i]) > 0) return true;
        }
        return false;
    }

    function _is(address wallet, Want want) internal view returns (bool) {
        Person storage p = _people[wallet];
        if (want == Want.CanReceive) return _eligible(wallet);
        if (want == Want.Frozen) return p.frozen;
        if (want == Want.IdentityLapsed) return p.registered && p.identityExpiry <= block.timestamp;
        return p.registered && p.acknowledged != _notice; // NotAcknowledged
    }

    /// @dev `_operators[seed % 2]`, or when bit 1 of the seed is set and that one's permit is not
    /// `status`, the other.
    function _operator(uint256 seed, IPlatformRegistry.PermitStatus status) internal view returns (address op) {
        op = _operators[seed % 2];
        if ((seed >> 1) % 2 == 1 && _permits[op].status != status) op = _operators[1 - seed % 2];
    }

    /// @dev An operator without its role or an active permit: one of the two if either is (from
    /// `_operators[seed % 2]`), otherwise the newcomer, which holds the role and never had a permit.
    function _unpermittedOperator(uint256 seed) internal view returns (address op) {
        op = _operators[seed % 2];
        if (_activeOperator(op)) op = _operators[1 - seed % 2];
        if (_activeOperator(op)) op = _newcomer;
    }

    /// @dev Who updates `wallet`'s identification: its own operator, sometimes the regulator, the
    /// other operator or anyone.
    function _identityUpdater(address wallet, uint256 seed) internal view returns (address) {
        uint256 k = seed % 8;
        if (k == 5) return _regulator;
        if (k == 6) return _people[wallet].operator == _operators[0] ? _operators[1] : _operators[0];
        if (k == 7) return _actor(seed / 8);
        address op = _people[wallet].operator;
        return op == address(0) ? _operators[seed % 2] : op;
    }

    /// @dev A collateral reference: one time in four a new one, otherwise one of a small pool.
    function _collateralRef(uint256 seed) internal returns (bytes32) {
        if (seed % 4 == 0) return keccak256(abi.encode("new collateral", ++_newRefs));
        return keccak256(abi.encode("collateral", (seed / 4) % REF_POOL));
    }

    /// @dev True one time in `n`. The calls that halt or restrict circulation act only this often,
    /// so the restorations keep up and campaigns spend most calls on circulation.
    function _sometimes(uint256 seed, uint256 n) internal pure returns (bool) {
        return uint256(keccak256(abi.encode(seed, "sometimes"))) % n == 0;
    }

    /// @dev Within `limit` seven times in eight, otherwise a little beyond it.
    function _amount(uint256 seed, uint256 limit) internal pure returns (uint256) {
        return _amount(seed, limit, 8);
    }

    /// @dev Within `limit`, except one time in `beyond`: then a little beyond it.
    function _amount(uint256 seed, uint256 limit, uint256 beyond) internal pure returns (uint256) {
        if (limit == 0 || seed % beyond == 0) return bound(seed >> 3, limit + 1, limit + 3);
        return bound(seed >> 3, 1, limit);
    }

    /// @dev Mostly an active encumbrance (searching from the seed), sometimes any.
    function _encumbranceIndex(uint256 seed) internal view returns (uint256 index) {
        uint256 length = _encumbrances.length;
        index = seed % length;
        if (seed % 4 == 0) return index;
        for (uint256 i; i < length; ++i) {
            uint256 j = (index + i) % length;
            if (_encumbrances[j].active) return j;
        }
    }

    /// @dev The notice in force, sometimes the one before it (stale).
    function _noticeVersion(uint256 seed) internal view returns (uint32) {
        return seed % 4 == 0 && _notice > 0 ? _notice - 1 : _notice;
    }

    /// @dev Days to a year ahead, sometimes now (invalid).
    function _identityExpiry(uint256 seed) internal view returns (uint64) {
        return uint64(seed % 10 == 0 ? block.timestamp : block.timestamp + bound(seed, 1 days, 365 days));
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }
}
