// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {ERC1155Supply} from "@openzeppelin/contracts/token/ERC1155/extensions/ERC1155Supply.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {NoncesKeyed} from "@openzeppelin/contracts/utils/NoncesKeyed.sol";

import {ICollateralAttestations} from "../interfaces/ICollateralAttestations.sol";
import {IERC7943MultiToken} from "../interfaces/IERC7943MultiToken.sol";
import {IPlatformRegistry} from "../interfaces/IPlatformRegistry.sol";
import {Compliance} from "./Compliance.sol";

/// @notice The asset's storage and its one balance path, shared by the asset contract and its
/// extension: the extension's code runs on the asset's storage (delegatecall), so both inherit
/// exactly this and declare no state of their own. A new state variable goes at the end, here.
abstract contract AssetState is ERC1155Supply, ERC2771Context, EIP712, NoncesKeyed, Compliance {
    // The registry's role identifiers: the registry holds the roles, this contract asks it.
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 internal constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 internal constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    bytes32 internal constant SUPERVISOR_ROLE = keccak256("SUPERVISOR_ROLE");

    /// @dev The most units an issuance may have (its max supply), and so any lock of a holding:
    /// 80 bits (10^24 units) keep the three locks of a holding in the one slot every movement reads.
    uint256 internal constant MAX_UNITS = type(uint80).max;

    /// @dev Units of a holding that cannot move: pledged (encumbered), frozen by compliance (which
    /// may exceed the balance: ERC-7943 withholds units received later) and held for a buyer by the
    /// exchange (escrowed). One slot.
    struct Holding {
        uint80 encumbered;
        uint80 frozen;
        uint80 escrowed;
    }

    mapping(uint256 id => Issuance) internal _issuances;
    mapping(uint256 id => mapping(address holder => Holding)) internal _holdings;
    mapping(uint256 encumbranceId => Encumbrance) internal _encumbrances;
    // Each contract writes some of these and only reads the others, which the other contract
    // writes on the same storage: slither, looking at one contract at a time, cannot see that.
    // slither-disable-next-line uninitialized-state,constable-states
    uint256 internal _issuanceCount;
    // slither-disable-next-line constable-states
    uint256 internal _encumbranceCount;
    mapping(uint256 requestId => RedemptionRequest) internal _redemptions;
    // slither-disable-next-line constable-states
    uint256 internal _redemptionCount;
    /// @dev A regulator-grade pause a supervisor made (and so a supervisor may lift); read only by
    /// pause and unpause, so it stays out of the issuance's first slot.
    mapping(uint256 id => bool) internal _pausedBySupervisor;

    /// @dev Set only for the length of an enforcement, a regulator order, a recovery, a redemption
    /// or an exchange's leg.
    Route internal transient _route;

    constructor(
        IPlatformRegistry registry_,
        ICollateralAttestations collateral_,
        address trustedForwarder,
        string memory metadataUri
    )
        ERC1155(metadataUri)
        ERC2771Context(trustedForwarder)
        EIP712("SDAP SecuredAsset", "1")
        Compliance(registry_, collateral_)
    {}

    /*//////////////////////////////////////////////////////////////
                          THE ONE BALANCE PATH
    //////////////////////////////////////////////////////////////*/

    /// @dev Every balance change lands here. The checks run after the balances moved, so they see
    /// the running state: a batch that repeats an id is judged on its total, not per item.
    function _update(address from, address to, uint256[] memory ids, uint256[] memory values) internal override {
        // An empty batch moves nothing yet would log a movement no rule has looked at.
        if (ids.length == 0) revert SecuredAsset_EmptyBatch();
        super._update(from, to, ids, values);
        Route route = _route;
        // The relaxed route covers this one move only, not a transfer the recipient's
        // onERC1155Received hook starts before the routed call returns.
        if (route != Route.Standard) _route = Route.Standard;
        // The same person's position moving to its new wallet: no dealing, so no rule of dealing.
        if (route == Route.Recovery) return;
        if (route == Route.Redemption && from == address(this)) {
            // Out of custody, one request at a time: burnt on confirmation (the supply fell, so
            // the collateral is counted again) or returned to the holder on refusal.
            if (to == address(0)) _syncCoverage(ids[0], _issuances[ids[0]], _registry.accreditationRevision());
            return;
        }
        // slither-disable-next-line uninitialized-local (filled by the first item's registry call)
        Circulation memory c;
        for (uint256 i; i < ids.length; ++i) {
            _checkMovement(route, c, i == 0, from, to, ids[i]);
        }
    }

    /// @dev One item of a movement, on the state after the balances moved.
    function _checkMovement(Route route, Circulation memory c, bool first, address from, address to, uint256 id)
        private
    {
        Issuance storage iss = _issuances[id];
        if (first) {
            // The parties are the same for every item: one registry call covers them and the
            // first operator's permit; later items ask again only for another operator's permit.
            // Fields are written one by one: `c` is the caller's struct, shared across items.
            c.operator = iss.operator;
            (c.permitActive, c.fromStatus, c.toStatus, c.revision) = _registry.circulationStatus(c.operator, from, to);
            address spender = _msgSender();
            if ((route == Route.Standard || route == Route.Redemption) && from != address(0) && spender != from) {
                c.spender = spender;
                c.spenderStatus = _registry.participantStatus(spender);
            }
        } else if (iss.operator != c.operator) {
            c.operator = iss.operator;
            c.permitActive = _registry.isPermitActive(c.operator);
        }
        Refusal refusal = _statusRefusal(route, iss, c, from, to);
        // slither-disable-next-line uninitialized-local (only mints read it)
        uint256 supply;
        if (refusal == Refusal.None && from == address(0)) {
            supply = totalSupply(id);
            refusal = _mintRefusal(iss, supply);
        }
        if (refusal == Refusal.SpenderNotEligible) {
            revert SecuredAsset_ParticipantNotEligible(c.spender, c.spenderStatus);
        }
        if (refusal != Refusal.None) _revertWith(refusal, id, iss, from, to, supply);
        if (from == address(0) || to == address(0)) {
            // A mint or a redemption changes the supply: the collateral is counted against it now.
            Coverage memory counted = _syncCoverage(id, iss, c.revision);
            if (from == address(0) && counted.covered < supply) {
                revert SecuredAsset_CollateralInsufficient(id, counted.covered, supply);
            }
        } else if (
            route == Route.Standard || route == Route.Enforcement || route == Route.Exchange
                || route == Route.Settlement
        ) {
            // The recorded count holds until its own end, unless an accreditation was withdrawn
            // since: then it is counted again, once, by whichever movement comes first. Orders
            // and redemption requests (units going back to the issuer) move whatever the count.
            uint256 coveredUntil =
                iss.coverageRevision == c.revision ? iss.coveredUntil : _syncCoverage(id, iss, c.revision).coveredUntil;
            if (_coverageRefusal(iss, coveredUntil, to) != Refusal.None) {
                _revertWith(Refusal.Undercollateralised, id, iss, from, to, 0);
            }
        }
        if (from != address(0)) {
            Holding storage h = _holdings[id][from];
            uint256 balanceAfter = balanceOf(from, id);
            // Pledges and escrows are others' claims: no route takes them but their own. A freeze
            // binds the holder's own dealing; an enforcement, an order or a settlement outranks it.
            uint256 held = uint256(h.encumbered) + h.escrowed;
            if (route != Route.Enforcement && route != Route.Forced && route != Route.Settlement) held += h.frozen;
            if (balanceAfter < held) {
                revert SecuredAsset_UnitsRestricted(id, from, balanceAfter, h.encumbered, h.frozen, h.escrowed);
            }
        }
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev Units `holder` may move now. Units in the asset's custody (redemptions pending) are
    /// never available to anything but their request's confirmation or refusal.
    function _availableUnits(uint256 id, address holder) internal view returns (uint256) {
        if (holder == address(this)) return 0;
        uint256 restricted = _restrictedUnits(_holdings[id][holder]);
        uint256 balance = balanceOf(holder, id);
        return balance > restricted ? balance - restricted : 0;
    }

    /// @dev Units of a holding that may not leave it: pledged, frozen and escrowed.
    function _restrictedUnits(Holding storage h) internal view returns (uint256) {
        return uint256(h.encumbered) + h.frozen + h.escrowed;
    }

    /// @dev Why a standard transfer would be refused now (`None`: it would pass): the rules of the
    /// balance path, then the balance, then the units pledged, frozen or escrowed.
    function _transferRefusal(address from, address to, uint256 id, uint256 amount) internal view returns (Refusal) {
        Issuance storage iss = _issuances[id];
        Circulation memory c = _circulation(iss, from, to);
        Refusal refusal = _statusRefusal(Route.Standard, iss, c, from, to);
        if (refusal == Refusal.None) refusal = _coverageRefusal(iss, _coveredUntil(id, iss, c.revision), to);
        if (refusal != Refusal.None) return refusal;
        uint256 balance = balanceOf(from, id);
        if (balance < amount) return Refusal.InsufficientBalance;
        if (balance - amount < _restrictedUnits(_holdings[id][from])) return Refusal.UnitsRestricted;
        return Refusal.None;
    }

    /// @dev ERC-7943 (uRWA) is advertised beside ERC-1155: see the extension, which implements it.
    function supportsInterface(bytes4 interfaceId) public view virtual override returns (bool) {
        return interfaceId == type(IERC7943MultiToken).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @dev The rules of a standard movement from `from` to `to`, for acts that move nothing yet.
    function _requireCirculation(uint256 id, address from, address to) internal view {
        Issuance storage iss = _issuances[id];
        Circulation memory c = _circulation(iss, from, to);
        Refusal refusal = _statusRefusal(Route.Standard, iss, c, from, to);
        if (refusal == Refusal.None) refusal = _coverageRefusal(iss, _coveredUntil(id, iss, c.revision), to);
        if (refusal != Refusal.None) _revertWith(refusal, id, iss, from, to, 0);
    }

    /// @dev The issuance's live collateral against its supply, as the collateral contract counts it.
    function _countCoverage(uint256 id, Issuance storage iss) internal view returns (Coverage memory cov) {
        cov.supply = totalSupply(id);
        uint64 coveredUntil;
        (cov.covered, coveredUntil) = _collateral.coverage(address(this), id, iss.issuer, cov.supply);
        // Kept in 40 bits (anything past the year 36812 is as good as forever), and reported as kept.
        cov.coveredUntil = coveredUntil > type(uint40).max ? type(uint40).max : coveredUntil;
        cov.undercollateralised = cov.coveredUntil <= block.timestamp;
    }

    /// @dev Counts the collateral and records until when it covers the supply.
    function _syncCoverage(uint256 id, Issuance storage iss, uint32 revision) internal returns (Coverage memory cov) {
        cov = _countCoverage(id, iss);
        iss.coveredUntil = uint40(cov.coveredUntil);
        iss.coverageRevision = revision;
        emit CoverageSynced(id, cov.covered, cov.supply, cov.coveredUntil);
    }

    /// @dev Until when the collateral covers the supply: the recorded count, or a live count if
    /// an accreditation was withdrawn since it was recorded.
    function _coveredUntil(uint256 id, Issuance storage iss, uint32 revision) internal view returns (uint256) {
        if (iss.coverageRevision == revision) return iss.coveredUntil;
        return _countCoverage(id, iss).coveredUntil;
    }

    function _supplyOf(uint256 id) internal view override returns (uint256) {
        return totalSupply(id);
    }

    function _unlock(Encumbrance storage e) internal {
        e.active = false;
        // Cannot underflow: the encumbered total includes this encumbrance's amount.
        _holdings[e.issuanceId][e.holder].encumbered -= uint80(e.amount);
    }

    function _activeEncumbrance(uint256 encumbranceId) internal view returns (Encumbrance storage e) {
        e = _encumbrances[encumbranceId];
        if (!e.active) revert SecuredAsset_EncumbranceNotActive(encumbranceId);
    }

    /// @dev Where the person behind `wallet` is now: the end of its recovery chain, or itself.
    function _currentWallet(address wallet) internal view returns (address current) {
        current = wallet;
        for (address next = _registry.recoveredTo(current); next != address(0); next = _registry.recoveredTo(next)) {
            current = next;
        }
    }

    function _existing(uint256 id) internal view returns (Issuance storage iss) {
        iss = _issuances[id];
        if (iss.operator == address(0)) revert SecuredAsset_IssuanceUnknown(id);
    }

    function _requireRole(bytes32 role, address account) internal view {
        if (!_registry.hasRole(role, account)) revert SecuredAsset_MissingRole(account, role);
    }

    /// @dev The operator that posted the issuance, still holding the operator role and a permit in
    /// force: revoking either takes the key off the platform.
    function _requireIssuanceOperator(uint256 id) internal view {
        address sender = _msgSender();
        if (_existing(id).operator != sender) revert SecuredAsset_NotIssuanceOperator(id, sender);
        _requireActiveOperator(sender);
    }

    function _requireActiveOperator(address operator) internal view {
        _requireRole(OPERATOR_ROLE, operator);
        if (!_registry.isPermitActive(operator)) {
            revert SecuredAsset_PermitNotActive(operator, _registry.permitState(operator));
        }
    }

    /*//////////////////////////////////////////////////////////////
                        ERC-2771 CONTEXT PLUMBING
    //////////////////////////////////////////////////////////////*/

    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
