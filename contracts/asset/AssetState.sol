// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {NoncesKeyed} from "@openzeppelin/contracts/utils/NoncesKeyed.sol";

import {CirculationWord} from "../interfaces/CirculationWord.sol";
import {ICollateralAttestations} from "../interfaces/ICollateralAttestations.sol";
import {IERC7943MultiToken} from "../interfaces/IERC7943MultiToken.sol";
import {IPlatformRegistry} from "../interfaces/IPlatformRegistry.sol";
import {Compliance} from "./Compliance.sol";

/// @notice The asset's storage and its one balance path, shared by the asset contract and its
/// extension: the extension's code runs on the asset's storage (delegatecall), so both inherit
/// exactly this and declare no state of their own. A new state variable goes at the end, here.
abstract contract AssetState is ERC1155, ERC2771Context, EIP712, NoncesKeyed, Compliance {
    // The registry's role identifiers: the registry holds the roles, this contract asks it.
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 internal constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 internal constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    bytes32 internal constant SUPERVISOR_ROLE = keccak256("SUPERVISOR_ROLE");

    /// @dev The most units an issuance may have (its max supply), and so any balance or lock of a
    /// holding: 64 bits (1.8 * 10^19 units) keep a holding's balance and its three locks in the one
    /// slot a movement reads and writes anyway.
    uint256 internal constant MAX_UNITS = type(uint64).max;

    /// @dev A holding: its balance and the units of it that cannot move: pledged (encumbered),
    /// frozen by compliance (which may exceed the balance: ERC-7943 withholds units received later)
    /// and held for a buyer by the exchange (escrowed). One slot: the asset keeps ERC-1155 balances
    /// itself (OpenZeppelin's own mapping stays empty), so checking the locks costs no extra read.
    struct Holding {
        uint64 balance;
        uint64 encumbered;
        uint64 frozen;
        uint64 escrowed;
    }

    mapping(uint256 id => Issuance) internal _issuances;
    mapping(uint256 id => mapping(address holder => Holding)) internal _holdings;
    mapping(uint256 encumbranceId => Encumbrance) internal _encumbrances;
    mapping(uint256 requestId => RedemptionRequest) internal _redemptions;
    // The three counters share one slot: once the first issuance exists it is never zero again, so
    // counting an encumbrance or a redemption request rewrites a slot instead of filling an empty
    // one (5,000 gas, not 22,100). Each contract writes some of these and only reads the others,
    // which the other contract writes on the same storage: slither, looking at one contract at a
    // time, cannot see that.
    // slither-disable-next-line uninitialized-state,constable-states
    uint64 internal _issuanceCount;
    // slither-disable-next-line constable-states
    uint64 internal _encumbranceCount;
    // slither-disable-next-line constable-states
    uint64 internal _redemptionCount;
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

    /// @dev Every balance change lands here: the balances move (as OpenZeppelin's `_update` would,
    /// on the asset's own holdings), then each item is checked on the state after it moved, so a
    /// batch that repeats an id is judged on its running total.
    function _update(address from, address to, uint256[] memory ids, uint256[] memory values) internal override {
        if (ids.length != values.length) revert ERC1155InvalidArrayLength(ids.length, values.length);
        // An empty batch moves nothing yet would log a movement no rule has looked at.
        if (ids.length == 0) revert SecuredAsset_EmptyBatch();
        Route route = _takeRoute();
        address operator = _msgSender();
        // Logged first, as ERC-1155 logs a movement before anything it sets off (a coverage count
        // after a burn is read against the supply the movement left); a refusal undoes the log.
        if (ids.length == 1) emit TransferSingle(operator, from, to, ids[0], values[0]);
        else emit TransferBatch(operator, from, to, ids, values);
        Circulation memory c = _circulationOf(route, operator, from);
        for (uint256 i; i < ids.length; ++i) {
            _moveItem(route, c, i == 0, from, to, ids[i], values[i]);
        }
    }

    /// @dev The route of the movement starting now. The relaxed route covers this one move only,
    /// not a transfer the recipient's onERC1155Received hook starts before the routed call returns.
    function _takeRoute() internal returns (Route route) {
        route = _route;
        if (route != Route.Standard) _route = Route.Standard;
    }

    /// @dev A movement's circulation, before the registry is asked: who deals besides the holder.
    /// Whoever moves a holder's units deals in them too (Rules item 4.1): an approved operator on a
    /// standard transfer or a redemption request.
    function _circulationOf(Route route, address operator, address from) internal pure returns (Circulation memory c) {
        if (_isOneOf(route, ROUTES_WITH_SPENDER) && from != address(0) && operator != from) {
            c.spender = operator;
        }
    }

    /// @dev One item of any movement: its balances move, then its rules are checked on the state
    /// after it moved. Recovery is the same person's position moving to its new wallet: no dealing,
    /// so no rule of dealing.
    function _moveItem(
        Route route,
        Circulation memory c,
        bool first,
        address from,
        address to,
        uint256 id,
        uint256 value
    ) internal {
        Issuance storage iss = _issuances[id];
        // slither-disable-next-line uninitialized-local (a mint takes from no holding)
        bool restricted;
        if (from == address(0)) _addSupply(id, iss, value);
        else restricted = _debit(route, id, from, value);
        if (to != address(0)) _credit(id, to, value);
        // A burn lowers the supply by what it took from a balance: cannot underflow.
        else iss.supply -= uint64(value);
        if (route == Route.Recovery) return;
        _checkMovement(route, c, first, from, to, id, iss);
        // The parties' refusal is the first reason given; then the units that may not leave.
        if (restricted) _revertRestricted(id, from);
    }

    /// @dev A mint's units join the supply; beyond 64 bits they could not be kept (the cap is
    /// checked, with the other mint rules, once they moved).
    function _addSupply(uint256 id, Issuance storage iss, uint256 value) private {
        uint256 supply = uint256(iss.supply) + value;
        if (supply > MAX_UNITS) revert SecuredAsset_MaxSupplyExceeded(id, iss.maxSupply, supply);
        iss.supply = uint64(supply);
    }

    /// @dev ERC-1155's own balance check, on the asset's holding, and whether what is left is below
    /// the units that may not leave it, read from the same slot. Pledges and escrows are others'
    /// claims: no route takes them but their own. A freeze binds the holder's own dealing; an
    /// enforcement, an order or a settlement outranks it.
    /// The holding is handled as the one word it is ({Holding}: balance in bits 0-63, encumbered
    /// 64-127, frozen 128-191, escrowed 192-255): every movement reads and writes it, and the
    /// compiler's field-by-field code costs a few hundred gas more (docs/performance.md).
    function _debit(Route route, uint256 id, address from, uint256 value) private returns (bool restricted) {
        Holding storage h = _holdings[id][from];
        uint256 word;
        assembly ("memory-safe") {
            word := sload(h.slot)
        }
        uint256 balance = uint64(word);
        if (balance < value) revert ERC1155InsufficientBalance(from, balance, value, id);
        unchecked {
            // The balance is the word's lowest bits and at least `value`: no lock is touched.
            word -= value;
            balance -= value;
            // Cannot overflow: each lock is below 2^64.
            uint256 locked = uint256(uint64(word >> 64)) + uint64(word >> 192);
            if (!_isOneOf(route, ROUTES_FREEZE_OUTRANKED)) locked += uint64(word >> 128);
            restricted = balance < locked;
        }
        assembly ("memory-safe") {
            sstore(h.slot, word)
        }
    }

    /// @dev Units into a holding: added to its word's lowest bits, the balance. Cannot carry into
    /// the locks: a balance never exceeds the supply, kept within MAX_UNITS (a mint's is checked
    /// first, a transfer's units left another balance first).
    function _credit(uint256 id, address to, uint256 value) private {
        Holding storage h = _holdings[id][to];
        assembly ("memory-safe") {
            sstore(h.slot, add(sload(h.slot), value))
        }
    }

    /// @dev Only on the failure path: the holding as it stands after the debit.
    function _revertRestricted(uint256 id, address from) private view {
        Holding storage h = _holdings[id][from];
        revert SecuredAsset_UnitsRestricted(id, from, h.balance, h.encumbered, h.frozen, h.escrowed);
    }

    /// @dev One item's rules of dealing, on the state after it moved.
    function _checkMovement(
        Route route,
        Circulation memory c,
        bool first,
        address from,
        address to,
        uint256 id,
        Issuance storage iss
    ) private {
        if (route == Route.Redemption && from == address(this)) {
            // Out of custody, one request at a time: burnt on confirmation (the supply fell, so
            // the collateral is counted again) or returned to the holder on refusal.
            if (to == address(0)) _syncCoverage(id, iss, _registry.accreditationRevision());
            return;
        }
        // slither-disable-next-line uninitialized-local (None unless a rule refuses)
        Refusal refusal;
        // Whether the recorded count of the collateral holds now, under the registry's revision.
        bool counted;
        {
            // The first slot of the issuance, read once.
            (address issuanceOperator, uint40 coveredUntil, bool paused, bool closed, uint32 coverageRevision) =
                (iss.operator, iss.coveredUntil, iss.paused, iss.closed, iss.coverageRevision);
            if (first || issuanceOperator != c.operator) {
                _askRegistry(c, first, issuanceOperator, from, to);
            }
            if (!_isClear(c, paused, closed)) refusal = _statusRefusal(route, iss, c, from, to);
            counted =
                coverageRevision == CirculationWord.accreditationRevision(c.word) && coveredUntil > block.timestamp;
        }
        if (refusal == Refusal.SpenderNotEligible) {
            revert SecuredAsset_ParticipantNotEligible(c.spender, c.spenderStatus);
        }
        if (from == address(0)) {
            _checkMint(refusal, id, iss, to, CirculationWord.accreditationRevision(c.word));
            return;
        }
        if (refusal != Refusal.None) _revertWith(refusal, id, iss, from, to, 0);
        // Orders and redemption requests (units going back to the issuer) move whatever the count;
        // while the recorded count holds, every movement may go.
        if ((!counted || to == address(0)) && !_isOneOf(route, ROUTES_COVERAGE_FREE)) {
            _checkCoverage(id, iss, to, CirculationWord.accreditationRevision(c.word));
        }
    }

    /// @dev Asks the registry about the parties and the permit of the item's operator. The
    /// parties are the same for every item: one call covers them (and an approved spender) and the
    /// first operator's permit; later items ask again only for another operator. Fields are written
    /// one by one: `c` is the caller's struct, shared across items.
    function _askRegistry(Circulation memory c, bool first, address issuanceOperator, address from, address to)
        private
        view
    {
        c.operator = issuanceOperator;
        c.word = _circulationWord(issuanceOperator, from, to);
        if (first && c.spender != address(0)) c.spenderStatus = _registry.participantStatus(c.spender);
    }

    /// @dev A mint's own rules after the status rules, and its collateral: a mint within the cover
    /// lasting as long as the recorded count keeps that count true; any other is counted now,
    /// against the new supply.
    function _checkMint(Refusal refusal, uint256 id, Issuance storage iss, address to, uint32 revision) private {
        uint256 supply = iss.supply;
        if (refusal == Refusal.None) refusal = _mintRefusal(iss, supply);
        if (refusal != Refusal.None) _revertWith(refusal, id, iss, address(0), to, supply);
        (uint40 coveredUntil, uint32 coverageRevision) = (iss.coveredUntil, iss.coverageRevision);
        if (coverageRevision != revision || coveredUntil <= block.timestamp || supply > iss.lastingCover) {
            Coverage memory counted = _syncCoverage(id, iss, revision);
            if (counted.covered < supply) revert SecuredAsset_CollateralInsufficient(id, counted.covered, supply);
        }
    }

    /// @dev Law art. 5.2, 6.8 on a movement to someone: the recorded count holds until its own end,
    /// unless an accreditation was withdrawn since; then it is counted again, once, by whichever
    /// movement comes first. A burn (not reached by the asset's own acts, which burn from custody)
    /// is counted too. Orders and redemption requests (units going back to the issuer) move
    /// whatever the count: their callers do not ask.
    function _checkCoverage(uint256 id, Issuance storage iss, address to, uint32 revision) private {
        (uint40 coveredUntil, uint32 coverageRevision) = (iss.coveredUntil, iss.coverageRevision);
        if (to == address(0)) {
            _syncCoverage(id, iss, revision);
            return;
        }
        if (coverageRevision != revision) coveredUntil = uint40(_syncCoverage(id, iss, revision).coveredUntil);
        if (_coverageRefusal(iss, coveredUntil, to) != Refusal.None) {
            _revertWith(Refusal.Undercollateralised, id, iss, address(0), to, 0);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev Units `holder` may move now. Units in the asset's custody (redemptions pending) are
    /// never available to anything but their request's confirmation or refusal.
    function _availableUnits(uint256 id, address holder) internal view returns (uint256) {
        if (holder == address(this)) return 0;
        Holding memory h = _holdings[id][holder];
        uint256 restricted = _restrictedUnits(h);
        return h.balance > restricted ? h.balance - restricted : 0;
    }

    /// @dev Units of a holding that may not leave it: pledged, frozen and escrowed.
    function _restrictedUnits(Holding memory h) internal pure returns (uint256) {
        return uint256(h.encumbered) + h.frozen + h.escrowed;
    }

    /// @dev Why a standard transfer would be refused now (`None`: it would pass): the rules of the
    /// balance path, then the balance, then the units pledged, frozen or escrowed.
    function _transferRefusal(address from, address to, uint256 id, uint256 amount) internal view returns (Refusal) {
        Issuance storage iss = _issuances[id];
        Circulation memory c = _circulation(iss, from, to);
        Refusal refusal = _statusRefusal(Route.Standard, iss, c, from, to);
        if (refusal == Refusal.None) {
            refusal = _coverageRefusal(iss, _coveredUntil(id, iss, CirculationWord.accreditationRevision(c.word)), to);
        }
        if (refusal != Refusal.None) return refusal;
        Holding memory h = _holdings[id][from];
        if (h.balance < amount) return Refusal.InsufficientBalance;
        if (h.balance - amount < _restrictedUnits(h)) return Refusal.UnitsRestricted;
        return Refusal.None;
    }

    /// @notice ERC-1155's balance, kept in the holding beside its locks.
    function balanceOf(address account, uint256 id) public view override returns (uint256) {
        return _holdings[id][account].balance;
    }

    /// @notice Units of issuance `id` in circulation and in custody for redemption.
    function totalSupply(uint256 id) public view returns (uint256) {
        return _issuances[id].supply;
    }

    /// @notice Whether issuance `id` has units (ERC-1155 supply tracking's `exists`).
    function exists(uint256 id) external view returns (bool) {
        return _issuances[id].supply != 0;
    }

    /// @dev ERC-7943 (uRWA) is advertised beside ERC-1155: see the extension, which implements it.
    function supportsInterface(bytes4 interfaceId) public view virtual override returns (bool) {
        return interfaceId == type(IERC7943MultiToken).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @dev The rules of a standard movement from `from` to `to`, for acts that move nothing yet.
    function _requireCirculation(uint256 id, address from, address to) internal view {
        Issuance storage iss = _issuances[id];
        Circulation memory c = _circulation(iss, from, to);
        Refusal refusal = _refusalOf(Route.Standard, iss, c, from, to);
        if (refusal == Refusal.None) {
            refusal = _coverageRefusal(iss, _coveredUntil(id, iss, CirculationWord.accreditationRevision(c.word)), to);
        }
        if (refusal != Refusal.None) _revertWith(refusal, id, iss, from, to, 0);
    }

    /// @dev The issuance's live collateral against its supply, as the collateral contract counts it.
    function _countCoverage(uint256 id, Issuance storage iss) internal view returns (Coverage memory cov) {
        (cov,) = _countCoverageLasting(id, iss);
    }

    /// @dev The count and the units of the attestations lasting until its `coveredUntil`.
    function _countCoverageLasting(uint256 id, Issuance storage iss)
        private
        view
        returns (Coverage memory cov, uint256 lasting)
    {
        cov.supply = iss.supply;
        uint64 coveredUntil;
        (cov.covered, coveredUntil, lasting) = _collateral.coverage(address(this), id, iss.issuer, cov.supply);
        // Kept in 40 bits (anything past the year 36812 is as good as forever), and reported as kept.
        cov.coveredUntil = coveredUntil > type(uint40).max ? type(uint40).max : coveredUntil;
        cov.undercollateralised = cov.coveredUntil <= block.timestamp;
    }

    /// @dev Counts the collateral and records until when it covers the supply, and how many units
    /// the attestations lasting that long cover (beyond 64 bits, as many as any supply can be).
    function _syncCoverage(uint256 id, Issuance storage iss, uint32 revision) internal returns (Coverage memory cov) {
        uint256 lasting;
        (cov, lasting) = _countCoverageLasting(id, iss);
        iss.coveredUntil = uint40(cov.coveredUntil);
        iss.coverageRevision = revision;
        iss.lastingCover = uint64(lasting > MAX_UNITS ? MAX_UNITS : lasting);
        emit CoverageSynced(id, cov.covered, cov.supply, cov.coveredUntil);
    }

    /// @dev Until when the collateral covers the supply: the recorded count, or a live count if
    /// an accreditation was withdrawn since it was recorded.
    function _coveredUntil(uint256 id, Issuance storage iss, uint32 revision) internal view returns (uint256) {
        if (iss.coverageRevision == revision) return iss.coveredUntil;
        return _countCoverage(id, iss).coveredUntil;
    }

    function _supplyOf(uint256 id) internal view override returns (uint256) {
        return _issuances[id].supply;
    }

    function _unlock(Encumbrance storage e) internal {
        e.active = false;
        // Cannot underflow: the encumbered total includes this encumbrance's amount.
        _holdings[e.issuanceId][e.holder].encumbered -= e.amount;
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

    /// @dev ERC-2771's sender (the holder whose request the trusted forwarder relays, from the
    /// last 20 bytes of the call data), as ERC2771Context answers it, in fewer steps: every
    /// movement asks it.
    function _msgSender() internal view override(Context, ERC2771Context) returns (address sender) {
        sender = msg.sender;
        if (msg.data.length >= 20 && sender == trustedForwarder()) {
            sender = address(bytes20(msg.data[msg.data.length - 20:]));
        }
    }

    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }
}
