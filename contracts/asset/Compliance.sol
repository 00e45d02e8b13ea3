// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {CirculationWord} from "../interfaces/CirculationWord.sol";
import {ICollateralAttestations} from "../interfaces/ICollateralAttestations.sol";
import {IPlatformRegistry} from "../interfaces/IPlatformRegistry.sol";
import {ISecuredAssetTypes} from "../interfaces/ISecuredAssetTypes.sol";

/// @notice The rules every movement of units must pass, written once: the asset's `_update`
/// reverts with them and its `checkTransfer`/`checkMint` views report them.
abstract contract Compliance is ISecuredAssetTypes {
    /// @dev How units are moving. Enforcement and regulator orders relax the sender's side of the
    /// rules (the pledge or the order outranks the holder's freeze); nothing relaxes a recipient's.
    /// Recovery is the same person's position moving to its new wallet: no dealing, no rule of
    /// dealing. Redemption moves units into the asset's own custody (the holder's rules apply, the
    /// custody is no participant) and out of it (burnt or returned: no dealing either). Exchange is
    /// a leg of a settled exchange: every rule of a standard movement, moved by the asset's
    /// exchange, which checked the holder's own signature or call instead of an approval.
    /// Settlement delivers escrowed units to their buyer: the rules of an exchange's leg, but like
    /// an enforced pledge it outranks a freeze made after the units were committed.
    enum Route {
        Standard,
        Enforcement,
        Forced,
        Recovery,
        Redemption,
        Exchange,
        Settlement
    }

    /// @dev Sets of routes, one bit per route (bit n for the n-th member of {Route}), so a rule
    /// that holds on several routes costs one test on every movement, not one per route.
    uint256 internal constant ROUTES_FREEZE_OUTRANKED = (1 << 1) | (1 << 2) | (1 << 6); // Enforcement, Forced, Settlement
    uint256 internal constant ROUTES_WITH_SPENDER = (1 << 0) | (1 << 4); // Standard, Redemption
    uint256 internal constant ROUTES_COVERAGE_FREE = (1 << 2) | (1 << 4); // Forced, Redemption

    /// @dev Whether `route` is one of `routes` (a set of the constants above).
    function _isOneOf(Route route, uint256 routes) internal pure returns (bool) {
        return (1 << uint256(route)) & routes != 0;
    }

    /// @dev What the registry said about one movement: the permit of `operator`, the parties and
    /// the accreditation revision (collateral counted under an older one is counted again), in its
    /// one word ({CirculationWord}).
    struct Circulation {
        address operator;
        uint256 word;
        // An approved operator moving someone else's units; zero when the holder acts itself.
        address spender;
        IPlatformRegistry.ParticipantStatus spenderStatus;
    }

    IPlatformRegistry internal immutable _registry;
    ICollateralAttestations internal immutable _collateral;

    constructor(IPlatformRegistry registry_, ICollateralAttestations collateral_) {
        _registry = registry_;
        _collateral = collateral_;
    }

    /// @dev The common case of the rules that do not depend on amounts, answered at once: both
    /// parties (and an approved spender) eligible, the permit in force (an issuance that does not
    /// exist has no operator, whose permit never is), the issuance open and running.
    function _isClear(Circulation memory c, bool paused, bool closed) internal pure returns (bool) {
        return CirculationWord.isClear(c.word) && !paused && !closed
            && (c.spender == address(0) || c.spenderStatus == IPlatformRegistry.ParticipantStatus.Eligible);
    }

    /// @dev The refusal that does not depend on amounts, the common case answered at once.
    function _refusalOf(Route route, Issuance storage iss, Circulation memory c, address from, address to)
        internal
        view
        returns (Refusal)
    {
        (bool paused, bool closed) = (iss.paused, iss.closed);
        return _isClear(c, paused, closed) ? Refusal.None : _statusRefusal(route, iss, c, from, to);
    }

    /// @dev The refusal that does not depend on amounts, from data the caller already fetched.
    function _statusRefusal(Route route, Issuance storage iss, Circulation memory c, address from, address to)
        internal
        view
        returns (Refusal)
    {
        IPlatformRegistry.ParticipantStatus fromStatus = CirculationWord.fromStatus(c.word);
        IPlatformRegistry.ParticipantStatus toStatus = CirculationWord.toStatus(c.word);
        bool permitActive = CirculationWord.permitActive(c.word);
        if (iss.operator == address(0)) return Refusal.IssuanceUnknown;
        if (route != Route.Forced) {
            if (iss.closed) return Refusal.IssuanceClosed;
            // An operator's pause does not outlive its mandate for redemption requests: once its
            // permit is not in force it can no longer lift it, and holders must still be able to ask.
            if (iss.paused && !(route == Route.Redemption && !iss.pausedByRegulator && !permitActive)) {
                return Refusal.IssuancePaused;
            }
            // Redemption outlives the operator's permit: holders are never locked in
            // (Law art. 6.1-6.2 end the operator's dealing, not the issuer's obligation).
            if (!permitActive && to != address(0) && route != Route.Redemption) return Refusal.PermitNotActive;
        }
        if (
            from != address(0)
                && (route == Route.Standard
                    || route == Route.Redemption
                    || route == Route.Exchange
                    || route == Route.Settlement)
        ) {
            if (fromStatus == IPlatformRegistry.ParticipantStatus.NotRegistered) {
                return Refusal.SenderNotRegistered;
            }
            if (fromStatus == IPlatformRegistry.ParticipantStatus.Frozen) return Refusal.SenderFrozen;
            if (fromStatus == IPlatformRegistry.ParticipantStatus.IdentityExpired) {
                return Refusal.SenderIdentityExpired;
            }
            // Law art. 6.4: the risks of dealing are told before dealing, not only before buying.
            if (fromStatus == IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged) {
                return Refusal.SenderNoticeNotAcknowledged;
            }
            // Whoever moves a holder's units deals in them too (Rules item 4.1).
            if (c.spender != address(0) && c.spenderStatus != IPlatformRegistry.ParticipantStatus.Eligible) {
                return Refusal.SpenderNotEligible;
            }
        }
        if (to != address(0) && route != Route.Redemption) {
            if (toStatus == IPlatformRegistry.ParticipantStatus.NotRegistered) return Refusal.RecipientNotRegistered;
            if (toStatus == IPlatformRegistry.ParticipantStatus.Frozen) return Refusal.RecipientFrozen;
            if (toStatus == IPlatformRegistry.ParticipantStatus.IdentityExpired) {
                return Refusal.RecipientIdentityExpired;
            }
            if (toStatus == IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged) {
                return Refusal.RecipientNoticeNotAcknowledged;
            }
        }
        return Refusal.None;
    }

    /// @dev Asks the registry about the permit of the issuance's operator and both parties.
    function _circulation(Issuance storage iss, address from, address to) internal view returns (Circulation memory c) {
        c.operator = iss.operator;
        c.word = _circulationWord(c.operator, from, to);
    }

    /// @dev `_registry.circulationStatus(operator, from, to)`, the call every movement makes,
    /// encoded by hand in scratch memory: the compiler's encoder and decoder cost a few hundred gas
    /// more on each movement (docs/performance.md). A failed or short answer stops the movement
    /// with whatever the registry said: nothing moves on an unknown answer.
    function _circulationWord(address operator, address from, address to) internal view returns (uint256 word) {
        bytes4 selector = IPlatformRegistry.circulationStatus.selector;
        IPlatformRegistry registry_ = _registry;
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            mstore(ptr, selector)
            mstore(add(ptr, 0x04), operator)
            mstore(add(ptr, 0x24), from)
            mstore(add(ptr, 0x44), to)
            let ok := staticcall(gas(), registry_, ptr, 0x64, 0x00, 0x20)
            if iszero(and(ok, eq(returndatasize(), 0x20))) {
                returndatacopy(ptr, 0x00, returndatasize())
                revert(ptr, returndatasize())
            }
            word := mload(0x00)
        }
    }

    /// @dev What a mint needs beyond the status rules: register, type list and cap. Collateral is
    /// counted by the caller, which records the count.
    function _mintRefusal(Issuance storage iss, uint256 supplyAfter) internal view returns (Refusal) {
        if (!_registry.isIssuerActive(iss.issuer)) return Refusal.IssuerNotActive;
        if (!_registry.isAssetTypeListed(iss.assetType)) return Refusal.AssetTypeNotListed;
        if (supplyAfter > iss.maxSupply) return Refusal.MaxSupplyExceeded;
        return Refusal.None;
    }

    /// @dev Law art. 5.2, 6.8: while live collateral does not cover the supply, units go nowhere
    /// but back to the issuer (redemption, a burn, is not a movement to anyone). `coveredUntil` is
    /// the recorded count, or a live one when an accreditation was withdrawn since it was recorded.
    function _coverageRefusal(Issuance storage iss, uint256 coveredUntil, address to) internal view returns (Refusal) {
        if (to != address(0) && coveredUntil <= block.timestamp && to != iss.issuer) {
            return Refusal.Undercollateralised;
        }
        return Refusal.None;
    }

    function _supplyOf(uint256 id) internal view virtual returns (uint256);

    /// @dev Turns a refusal into its custom error, reading the values it carries. Only ever runs
    /// on the failure path, so its extra reads cost nothing on success.
    function _revertWith(
        Refusal refusal,
        uint256 id,
        Issuance storage iss,
        address from,
        address to,
        uint256 supplyAfter
    ) internal view {
        if (refusal == Refusal.IssuanceUnknown) revert SecuredAsset_IssuanceUnknown(id);
        if (refusal == Refusal.IssuanceClosed) revert SecuredAsset_IssuanceClosed(id);
        if (refusal == Refusal.IssuancePaused) revert SecuredAsset_IssuancePaused(id);
        if (refusal == Refusal.PermitNotActive) {
            revert SecuredAsset_PermitNotActive(iss.operator, _registry.permitState(iss.operator));
        }
        if (refusal == Refusal.IssuerNotActive) revert SecuredAsset_IssuerNotActive(iss.issuer);
        if (refusal == Refusal.AssetTypeNotListed) revert SecuredAsset_AssetTypeNotListed(iss.assetType);
        if (
            (refusal >= Refusal.SenderNotRegistered && refusal <= Refusal.SenderIdentityExpired)
                || refusal == Refusal.SenderNoticeNotAcknowledged
        ) {
            revert SecuredAsset_ParticipantNotEligible(from, _registry.participantStatus(from));
        }
        if (refusal >= Refusal.RecipientNotRegistered && refusal <= Refusal.RecipientNoticeNotAcknowledged) {
            revert SecuredAsset_ParticipantNotEligible(to, _registry.participantStatus(to));
        }
        if (refusal == Refusal.MaxSupplyExceeded) {
            revert SecuredAsset_MaxSupplyExceeded(id, iss.maxSupply, supplyAfter);
        }
        if (refusal == Refusal.CollateralInsufficient) {
            revert SecuredAsset_CollateralInsufficient(
                id, _collateral.coveredUnits(address(this), id, iss.issuer), supplyAfter
            );
        }
        if (refusal == Refusal.Undercollateralised) {
            revert SecuredAsset_Undercollateralised(
                id, _collateral.coveredUnits(address(this), id, iss.issuer), _supplyOf(id)
            );
        }
    }
}
