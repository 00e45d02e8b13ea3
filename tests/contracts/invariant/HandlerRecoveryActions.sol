// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {vm} from "../utils/Vm.sol";
import {HandlerInputs} from "./HandlerInputs.sol";

/// @notice The handlers of wallet recovery (see {Handler}): the regulator or the identifying
/// operator moves a registered holder to a fresh wallet, then anyone moves the lost wallet's
/// holdings after it. The model predicts each refusal exactly (error and arguments); a refusal it
/// does not predict is flagged as wrongly refused, a success it does not allow as a broken rule.
abstract contract HandlerRecoveryActions is HandlerInputs {
    /// @dev Replacement wallets made so far (each from its own key, so it can sign too).
    uint256 internal _replacementsMade;

    /*//////////////////////////////////////////////////////////////
                         REGISTRY: THE PERSON
    //////////////////////////////////////////////////////////////*/

    /// @notice The regulator or the identifying operator (sometimes the other operator, the
    /// newcomer or a stranger) recovers a registered actor (sometimes anyone) to a fresh wallet
    /// (sometimes a registered actor, the zero address, itself or a lost wallet). Half the times
    /// the identifying operator asks, compliance has frozen the lost wallet first (the operator
    /// alone may not), so its recoveries succeed too and the replacement arrives frozen.
    function recoverParticipant(uint256 lostSeed, uint256 replacementSeed, uint256 callerSeed, uint256 expirySeed)
        external
        step
    {
        if (_lostWallets.length >= MAX_LOST_WALLETS) return;
        address lost = _registeredActor(lostSeed);
        (address replacement, uint256 key) = _replacement(lost, replacementSeed);
        address caller = _recoverer(lost, callerSeed);
        uint64 expiry = _identityExpiry(expirySeed);
        if (caller == _people[lost].operator && (callerSeed / 8) % 2 == 0) _frozenByCompliance(lost);
        (Violation kind, bytes memory refusal) = _recoveryRefusal(lost, replacement, caller, expiry);
        vm.prank(caller);
        try registry.recoverParticipant(lost, replacement, keccak256("kyc again"), expiry, keccak256("order")) {
            if (refusal.length != 0) _flag(kind, "recoverParticipant the rules refuse");
            Person memory p = _people[lost];
            p.identityExpiry = expiry;
            _people[replacement] = p;
            delete _people[lost];
            _recoveredTo[lost] = replacement;
            _identifiedBy[replacement] = p.operator;
            _lostWallets.push(lost);
            for (uint256 id = 1; id <= issuanceCount; ++id) {
                _balanceWhenLost[id][lost] = ghostBalance[id][lost];
            }
            if (!_isHolder[replacement]) {
                // The person deals on from here: the fuzzer picks the new wallet like any actor.
                _isHolder[replacement] = true;
                _holders.push(replacement);
                _actors.push(replacement);
                _keys[replacement] = key;
            }
            ++walletRecoveries;
        } catch (bytes memory reason) {
            if (keccak256(reason) != keccak256(refusal)) {
                _flag(Violation.WronglyRefused, "recoverParticipant refused otherwise than the model predicts");
            }
        }
    }

    /// @dev Compliance freezes `lost`'s account (the second hand an operator's recovery needs),
    /// unless the model knows it frozen or unregistered already.
    function _frozenByCompliance(address lost) internal {
        Person storage p = _people[lost];
        if (!p.registered || p.frozen) return;
        vm.prank(_compliance);
        registry.freezeParticipant(lost, keccak256("wallet reported lost"));
        p.frozen = true;
    }

    /// @dev Seven times in eight the first registered actor from the seed on, half of those times
    /// the first that holds an active encumbrance (if any), so pledges are recovered too; else
    /// any actor.
    function _registeredActor(uint256 seed) internal view returns (address) {
        uint256 n = _actors.length;
        if (seed % 8 < 4) {
            uint256 total = _encumbrances.length;
            for (uint256 j; j < total; ++j) {
                EncumbranceModel storage e = _encumbrances[(seed / 8 + j) % total];
                if (e.active && _people[e.holder].registered) return e.holder;
            }
        }
        if (seed % 8 != 7) {
            for (uint256 i; i < n; ++i) {
                address a = _actors[(seed / 8 + i) % n];
                if (_people[a].registered) return a;
            }
        }
        return _actor(seed / 8);
    }

    /// @dev Five times in eight a wallet never seen; else an actor (valid only if never registered
    /// nor lost), the zero address, `lost` itself or a wallet already lost.
    function _replacement(address lost, uint256 seed) internal returns (address wallet, uint256 key) {
        uint256 k = seed % 8;
        if (k < 5) {
            key = uint256(keccak256(abi.encode("replacement wallet", ++_replacementsMade)));
            return (vm.addr(key), key);
        }
        if (k == 5) return (_actor(seed / 8), _keys[_actor(seed / 8)]);
        if (k == 6) return ((seed / 8) % 2 == 0 ? address(0) : lost, 0);
        return (_lostWallets.length == 0 ? lost : _lostWallets[(seed / 8) % _lostWallets.length], 0);
    }

    /// @dev Three times in eight the regulator, three its identifying operator (compliance
    /// freezing the lost wallet first when `seed / 8` is even), then the other operator, the
    /// newcomer or a stranger.
    function _recoverer(address lost, uint256 seed) internal view returns (address) {
        uint256 k = seed % 8;
        address op = _people[lost].operator == address(0) ? _operators[0] : _people[lost].operator;
        if (k < 3) return _regulator;
        if (k < 6) return op;
        if (k == 6) return op == _operators[0] ? _operators[1] : _operators[0];
        return (seed / 8) % 2 == 0 ? _newcomer : _actor(seed / 16);
    }

    /// @dev The registry's refusal of this recovery, in the order it checks (empty if allowed),
    /// and the kind of violation its success would be.
    function _recoveryRefusal(address lost, address replacement, address caller, uint64 expiry)
        internal
        view
        returns (Violation, bytes memory)
    {
        Person storage p = _people[lost];
        if (!p.registered) {
            return (
                Violation.RuleBroken,
                abi.encodeWithSelector(IPlatformRegistry.Registry_ParticipantNotRegistered.selector, lost)
            );
        }
        if (caller != _regulator) {
            if (caller != p.operator) {
                return (
                    Violation.Unauthorised,
                    abi.encodeWithSelector(
                        IPlatformRegistry.Registry_NotParticipantOperator.selector, lost, p.operator, caller
                    )
                );
            }
            if (!_operatorRole[caller]) {
                return (
                    Violation.ActedWithoutPermit,
                    abi.encodeWithSelector(
                        IAccessControl.AccessControlUnauthorizedAccount.selector, caller, registry.OPERATOR_ROLE()
                    )
                );
            }
            if (!_permitActive(caller)) {
                return (
                    Violation.ActedWithoutPermit,
                    abi.encodeWithSelector(
                        IPlatformRegistry.Registry_PermitNotActive.selector, caller, _permitState(caller)
                    )
                );
            }
            // Two hands: an operator alone takes no position.
            if (!p.frozen) {
                return (
                    Violation.Unauthorised,
                    abi.encodeWithSelector(IPlatformRegistry.Registry_RecoveryNeedsFreeze.selector, lost)
                );
            }
        }
        if (
            replacement == address(0) || replacement == lost || _people[replacement].operator != address(0)
                || _recoveredTo[replacement] != address(0)
        ) {
            return (
                Violation.RuleBroken,
                abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidReplacement.selector, lost, replacement)
            );
        }
        if (expiry <= block.timestamp) {
            return (
                Violation.RuleBroken,
                abi.encodeWithSelector(IPlatformRegistry.Registry_IdentityExpiryInPast.selector, expiry)
            );
        }
        return (Violation.RuleBroken, "");
    }

    function _permitState(address op) internal view returns (IPlatformRegistry.PermitState) {
        PermitModel storage p = _permits[op];
        if (p.status == IPlatformRegistry.PermitStatus.None) return IPlatformRegistry.PermitState.None;
        if (p.status == IPlatformRegistry.PermitStatus.Revoked) return IPlatformRegistry.PermitState.Revoked;
        if (p.status == IPlatformRegistry.PermitStatus.Suspended) return IPlatformRegistry.PermitState.Suspended;
        if (block.timestamp < p.validFrom) return IPlatformRegistry.PermitState.NotYetValid;
        if (block.timestamp >= p.validUntil) return IPlatformRegistry.PermitState.Expired;
        return IPlatformRegistry.PermitState.Active;
    }

    /*//////////////////////////////////////////////////////////////
                          ASSET: THE HOLDINGS
    //////////////////////////////////////////////////////////////*/

    /// @notice Anyone moves a lost wallet's holdings (sometimes a wallet not lost) after it: the
    /// ids the model knows it holds (sometimes only the first, or one more it holds none of) with
    /// their active encumbrances (sometimes one left out, or another holder's, an inactive one or
    /// one of an issuance not named too).
    function recoverHoldings(uint256 lostSeed, uint256 idsSeed, uint256 callerSeed, uint256 shape) external step {
        address lost = _lostWallet(lostSeed);
        uint256[] memory ids = _heldIds(lost, idsSeed, shape % 4);
        uint256[] memory named = _namedEncumbrances(lost, ids, (shape >> 2) % 8, shape >> 5);
        address caller = callerSeed % 4 == 3 ? _regulator : _actor(callerSeed / 4);
        bytes memory refusal = _holdingsRefusal(lost, ids, named);
        vm.prank(caller);
        try asset.recoverHoldings(lost, ids, _encumbranceIds(named)) {
            if (refusal.length != 0) _flag(Violation.RuleBroken, _say("recoverHoldings the rules refuse", ids[0]));
            address replacement = _currentWallet(lost);
            for (uint256 i; i < named.length; ++i) {
                EncumbranceModel storage e = _encumbrances[named[i]];
                ghostEncumbered[e.issuanceId][lost] -= e.amount;
                ghostEncumbered[e.issuanceId][replacement] += e.amount;
                e.holder = replacement; // the beneficiary, amount and expiry stay
            }
            bool moved;
            for (uint256 i; i < ids.length; ++i) {
                uint256 id = ids[i];
                moved = moved || ghostBalance[id][lost] != 0;
                ghostBalance[id][replacement] += ghostBalance[id][lost];
                ghostFrozen[id][replacement] += ghostFrozen[id][lost];
                // A freeze beyond the balance follows the units, still beyond them.
                if (overFrozen[id][lost]) overFrozen[id][replacement] = true;
                (ghostBalance[id][lost], ghostFrozen[id][lost]) = (0, 0);
                _holdingsRecovered[id][lost] = true;
            }
            if (moved) ++holdingsRecoveries;
        } catch (bytes memory reason) {
            if (keccak256(reason) != keccak256(refusal)) {
                _flag(
                    Violation.WronglyRefused, _say("recoverHoldings refused otherwise than the model predicts", ids[0])
                );
            }
        }
    }

    /// @dev Seven times in eight a lost wallet (the first from the seed on that still holds
    /// units, if any); else any actor.
    function _lostWallet(uint256 seed) internal view returns (address) {
        uint256 n = _lostWallets.length;
        if (n == 0 || seed % 8 == 7) return _actor(seed / 8);
        for (uint256 i; i < n; ++i) {
            address a = _lostWallets[(seed / 8 + i) % n];
            for (uint256 id = 1; id <= issuanceCount; ++id) {
                if (ghostBalance[id][a] != 0) return a;
            }
        }
        return _lostWallets[(seed / 8) % n];
    }

    /// @dev The ids `lost` holds by the model; `form` 2: only the first of them; 3: and one it
    /// holds none of (the unknown next id half the time). Never empty: an id of the seed if it
    /// holds none.
    function _heldIds(address lost, uint256 seed, uint256 form) internal view returns (uint256[] memory ids) {
        uint256 held;
        for (uint256 id = 1; id <= issuanceCount; ++id) {
            if (ghostBalance[id][lost] != 0) ++held;
        }
        if (form == 2 && held > 1) held = 1;
        ids = new uint256[](held == 0 ? 1 : held + (form == 3 ? 1 : 0));
        uint256 n;
        for (uint256 id = 1; id <= issuanceCount && n < held; ++id) {
            if (ghostBalance[id][lost] != 0) ids[n++] = id;
        }
        if (n == ids.length) return ids;
        // One it holds none of, not already listed.
        ids[n] = issuanceCount + 1;
        if (seed % 2 == 0) {
            for (uint256 i; i < issuanceCount; ++i) {
                uint256 id = 1 + (seed / 2 + i) % issuanceCount;
                if (ghostBalance[id][lost] == 0) {
                    ids[n] = id;
                    break;
                }
            }
        }
    }

    /// @dev Indices into `_encumbrances`: every active one `lost` holds in `ids`; `flaw` 1: the
    /// first left out; 2: another holder's active one named too; 3: an inactive one named too;
    /// 4: one of `lost`'s in an issuance not in `ids` named too (its units would stay behind).
    function _namedEncumbrances(address lost, uint256[] memory ids, uint256 flaw, uint256 seed)
        internal
        view
        returns (uint256[] memory named)
    {
        uint256 total = _encumbrances.length;
        named = new uint256[](total + 1);
        uint256 n;
        bool skipped;
        for (uint256 j; j < total; ++j) {
            EncumbranceModel storage e = _encumbrances[j];
            if (!e.active || e.holder != lost) continue;
            if (!_contains(ids, e.issuanceId)) {
                if (flaw == 4 && !skipped) {
                    skipped = true;
                    named[n++] = j;
                }
                continue;
            }
            if (flaw == 1 && !skipped) {
                skipped = true;
                continue;
            }
            named[n++] = j;
        }
        if ((flaw == 2 || flaw == 3) && total != 0) {
            for (uint256 i; i < total; ++i) {
                uint256 j = (seed + i) % total;
                EncumbranceModel storage e = _encumbrances[j];
                if (flaw == 2 ? e.active && e.holder != lost : !e.active) {
                    named[n++] = j;
                    break;
                }
            }
        }
        assembly ("memory-safe") {
            mstore(named, n)
        }
    }

    /// @dev The asset's refusal of this recovery, in the order it checks (empty if allowed).
    function _holdingsRefusal(address lost, uint256[] memory ids, uint256[] memory named)
        internal
        view
        returns (bytes memory)
    {
        if (_recoveredTo[lost] == address(0)) {
            return abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_WalletNotRecovered.selector, lost);
        }
        for (uint256 i; i < named.length; ++i) {
            EncumbranceModel storage e = _encumbrances[named[i]];
            if (!e.active) {
                return
                    abi.encodeWithSelector(
                        ISecuredAssetTypes.SecuredAsset_EncumbranceNotActive.selector, e.encumbranceId
                    );
            }
            if (e.holder != lost) {
                return abi.encodeWithSelector(
                    ISecuredAssetTypes.SecuredAsset_NotHoldersEncumbrance.selector, e.encumbranceId, lost
                );
            }
        }
        for (uint256 i; i < ids.length; ++i) {
            if (ids[i] == 0 || ids[i] > issuanceCount) {
                return abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, ids[i]);
            }
            uint256 left = ghostEncumbered[ids[i]][lost];
            for (uint256 k; k < named.length; ++k) {
                if (_encumbrances[named[k]].issuanceId == ids[i]) left -= _encumbrances[named[k]].amount;
            }
            if (left != 0) {
                return abi.encodeWithSelector(
                    ISecuredAssetTypes.SecuredAsset_EncumbrancesLeftBehind.selector, ids[i], lost, left
                );
            }
            // Units held for a buyer stay with the wallet that offered them until the escrow ends.
            if (ghostEscrowed[ids[i]][lost] != 0) {
                return abi.encodeWithSelector(
                    ISecuredAssetTypes.SecuredAsset_UnitsEscrowed.selector, ids[i], lost, ghostEscrowed[ids[i]][lost]
                );
            }
        }
        // A pledge moves only with the units it binds.
        for (uint256 i; i < named.length; ++i) {
            EncumbranceModel storage e = _encumbrances[named[i]];
            if (!_contains(ids, e.issuanceId) && ghostBalance[e.issuanceId][lost] != 0) {
                return abi.encodeWithSelector(
                    ISecuredAssetTypes.SecuredAsset_EncumbranceWithoutUnits.selector, e.encumbranceId, e.issuanceId
                );
            }
        }
        return "";
    }

    function _encumbranceIds(uint256[] memory indices) internal view returns (uint256[] memory ids) {
        ids = new uint256[](indices.length);
        for (uint256 i; i < indices.length; ++i) {
            ids[i] = _encumbrances[indices[i]].encumbranceId;
        }
    }

    function _contains(uint256[] memory list, uint256 value) internal pure returns (bool) {
        for (uint256 i; i < list.length; ++i) {
            if (list[i] == value) return true;
        }
        return false;
    }
}
