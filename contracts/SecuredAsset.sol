// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {ERC1155Supply} from "@openzeppelin/contracts/token/ERC1155/extensions/ERC1155Supply.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";

import {Compliance} from "./asset/Compliance.sol";
import {ICollateralAttestations} from "./interfaces/ICollateralAttestations.sol";
import {IPlatformRegistry} from "./interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "./interfaces/ISecuredAsset.sol";

/// @title SecuredAsset
/// @notice Secured digital assets, one ERC-1155 id per issuance. See {ISecuredAsset}.
/// @dev Holders act gaslessly through the trusted ERC-2771 forwarder: their signed request is
/// relayed and `_msgSender()` is the holder, so events record the holder as the one who acted.
contract SecuredAsset is ERC1155Supply, ERC2771Context, Compliance {
    // The registry's role identifiers: the registry holds the roles, this contract asks it.
    bytes32 private constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 private constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 private constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");

    struct Holding {
        uint128 encumbered;
        uint128 frozen;
    }

    mapping(uint256 id => Issuance) private _issuances;
    mapping(uint256 id => mapping(address holder => Holding)) private _holdings;
    mapping(uint256 encumbranceId => Encumbrance) private _encumbrances;
    uint256 private _issuanceCount;
    uint256 private _encumbranceCount;

    /// @dev Set only for the length of an enforcement or a regulator order.
    Route private transient _route;

    constructor(
        IPlatformRegistry registry_,
        ICollateralAttestations collateral_,
        address trustedForwarder,
        string memory metadataUri
    ) ERC1155(metadataUri) ERC2771Context(trustedForwarder) Compliance(registry_, collateral_) {}

    /*//////////////////////////////////////////////////////////////
                               ISSUANCES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISecuredAsset
    function createIssuance(IssuanceParams calldata p) external returns (uint256 id) {
        address operator = _msgSender();
        _requireActiveOperator(operator);
        if (!_registry.isIssuerActive(p.issuer)) revert SecuredAsset_IssuerNotActive(p.issuer);
        if (!_registry.isAssetTypeListed(p.assetType)) revert SecuredAsset_AssetTypeNotListed(p.assetType);
        if (p.decisionHash == bytes32(0) || bytes(p.decisionUri).length == 0) revert SecuredAsset_EmptyDecision();
        if (p.evidenceHash == bytes32(0)) revert SecuredAsset_EmptyEvidence();
        if (bytes(p.unitDescription).length == 0) revert SecuredAsset_EmptyUnitDescription();
        // Holdings keep encumbered and frozen units in 128 bits each.
        if (p.maxSupply == 0 || p.maxSupply > type(uint128).max) revert SecuredAsset_InvalidMaxSupply(p.maxSupply);

        id = ++_issuanceCount;
        Issuance storage iss = _issuances[id];
        iss.operator = operator;
        iss.assetType = p.assetType;
        iss.issuer = p.issuer;
        iss.maxSupply = p.maxSupply;
        iss.decisionHash = p.decisionHash;
        iss.evidenceHash = p.evidenceHash;
        iss.decisionUri = p.decisionUri;
        iss.unitDescription = p.unitDescription;
        // No unit yet: nothing to cover, under the accreditations as they stand.
        iss.coveredUntil = type(uint40).max;
        iss.coverageRevision = _registry.accreditationRevision();
        emit IssuanceCreated(
            id,
            p.issuer,
            operator,
            p.assetType,
            p.maxSupply,
            p.decisionHash,
            p.decisionUri,
            p.evidenceHash,
            p.unitDescription
        );
    }

    /// @inheritdoc ISecuredAsset
    function mint(uint256 id, address to, uint256 amount) external {
        _requireIssuanceOperator(id);
        if (amount == 0) revert SecuredAsset_ZeroAmount();
        _mint(to, id, amount, "");
    }

    /// @inheritdoc ISecuredAsset
    function pause(uint256 id) external {
        (Issuance storage iss, bool byRegulator) = _requireOperatorOrRegulator(id);
        // The regulator may take over an operator's pause, so that only it can lift it.
        if (iss.pausedByRegulator || (iss.paused && !byRegulator)) revert SecuredAsset_IssuancePaused(id);
        iss.paused = true;
        iss.pausedByRegulator = byRegulator;
        emit IssuancePaused(id, _msgSender(), byRegulator);
    }

    /// @inheritdoc ISecuredAsset
    function unpause(uint256 id) external {
        (Issuance storage iss, bool byRegulator) = _requireOperatorOrRegulator(id);
        if (!iss.paused) revert SecuredAsset_IssuanceNotPaused(id);
        if (iss.pausedByRegulator && !byRegulator) revert SecuredAsset_PausedByRegulator(id);
        iss.paused = false;
        iss.pausedByRegulator = false;
        emit IssuanceUnpaused(id, _msgSender());
    }

    /// @inheritdoc ISecuredAsset
    function close(uint256 id, bytes32 fulfilmentHash) external {
        Issuance storage iss = _existing(id);
        address sender = _msgSender();
        if (sender == iss.operator) _requireActiveOperator(sender);
        else if (sender != iss.issuer) revert SecuredAsset_NotIssuanceOperatorOrIssuer(id, sender);
        if (iss.closed) revert SecuredAsset_IssuanceClosed(id);
        if (fulfilmentHash == bytes32(0)) revert SecuredAsset_EmptyFulfilment();
        uint256 supply = totalSupply(id);
        if (supply != 0) revert SecuredAsset_SupplyOutstanding(id, supply);
        iss.closed = true;
        iss.fulfilmentHash = fulfilmentHash;
        emit IssuanceClosed(id, fulfilmentHash, sender);
    }

    /// @inheritdoc ISecuredAsset
    function succeedIssuances(uint256[] calldata ids, address successor, bytes32 orderHash) external {
        address regulator = _msgSender();
        _requireRole(REGULATOR_ROLE, regulator);
        _requireActiveOperator(successor);
        if (ids.length == 0) revert SecuredAsset_EmptyBatch();
        for (uint256 i; i < ids.length; ++i) {
            Issuance storage iss = _existing(ids[i]);
            address predecessor = iss.operator;
            if (predecessor == successor) revert SecuredAsset_AlreadyIssuanceOperator(ids[i], successor);
            iss.operator = successor;
            emit IssuanceSucceeded(ids[i], predecessor, successor, orderHash, regulator);
        }
    }

    /// @inheritdoc ISecuredAsset
    function updateDecisionUri(uint256 id, string calldata decisionUri) external {
        Issuance storage iss = _existing(id);
        address sender = _msgSender();
        if (sender != iss.issuer) revert SecuredAsset_NotIssuanceIssuer(id, sender);
        // A suspended or removed issuer's key may be the reason it was: it points nowhere new.
        if (!_registry.isIssuerActive(sender)) revert SecuredAsset_IssuerNotActive(sender);
        if (iss.closed) revert SecuredAsset_IssuanceClosed(id);
        if (bytes(decisionUri).length == 0) revert SecuredAsset_EmptyDecision();
        iss.decisionUri = decisionUri;
        emit DecisionUriUpdated(id, decisionUri, sender);
    }

    /// @inheritdoc ISecuredAsset
    function syncCoverage(uint256 id) external returns (Coverage memory) {
        return _syncCoverage(id, _existing(id), _registry.accreditationRevision());
    }

    /*//////////////////////////////////////////////////////////////
                        ENCUMBRANCE, FREEZE, ORDERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISecuredAsset
    function encumber(uint256 id, uint256 amount, address beneficiary, bytes32 referenceHash, uint64 expiry)
        external
        returns (uint256 encumbranceId)
    {
        address holder = _msgSender();
        if (beneficiary == holder || beneficiary == address(0)) revert SecuredAsset_InvalidBeneficiary(beneficiary);
        if (expiry != 0 && expiry <= block.timestamp) revert SecuredAsset_InvalidExpiry(expiry);
        if (amount == 0) revert SecuredAsset_ZeroAmount();
        // An encumbrance is a turnover act (Rules item 4): the same rules as a transfer to the
        // beneficiary, who must be able to receive the units if the encumbrance is enforced.
        _requireCirculation(id, holder, beneficiary);
        uint256 available = availableUnits(id, holder);
        if (amount > available) revert SecuredAsset_UnitsUnavailable(id, holder, amount, available);

        // Cannot overflow: encumbered + frozen <= balance <= maxSupply <= type(uint128).max.
        _holdings[id][holder].encumbered += uint128(amount);
        encumbranceId = ++_encumbranceCount;
        _encumbrances[encumbranceId] = Encumbrance(id, holder, expiry, true, beneficiary, amount, referenceHash);
        emit Encumbered(encumbranceId, id, holder, beneficiary, amount, expiry, referenceHash);
    }

    /// @inheritdoc ISecuredAsset
    function release(uint256 encumbranceId) external {
        Encumbrance storage e = _activeEncumbrance(encumbranceId);
        address sender = _msgSender();
        bool lapsed = e.expiry != 0 && e.expiry <= block.timestamp;
        // A beneficiary that lost its wallet acts from its new one; its lost key no longer can.
        if (sender != _currentWallet(e.beneficiary) && !(sender == e.holder && lapsed)) {
            revert SecuredAsset_NotBeneficiary(encumbranceId, sender);
        }
        _unlock(e);
        emit EncumbranceReleased(encumbranceId, sender);
    }

    /// @inheritdoc ISecuredAsset
    function enforce(uint256 encumbranceId, bytes32 referenceHash) external {
        Encumbrance storage e = _activeEncumbrance(encumbranceId);
        _requireIssuanceOperator(e.issuanceId);
        if (e.expiry != 0 && e.expiry <= block.timestamp) {
            revert SecuredAsset_EncumbranceExpired(encumbranceId, e.expiry);
        }
        _unlock(e);
        emit EncumbranceEnforced(encumbranceId, referenceHash, _msgSender());
        _route = Route.Enforcement;
        _safeTransferFrom(e.holder, _currentWallet(e.beneficiary), e.issuanceId, e.amount, "");
        _route = Route.Standard;
    }

    /// @inheritdoc ISecuredAsset
    function freezeUnits(uint256 id, address holder, uint256 amount, bytes32 reasonHash) external {
        _requireRole(COMPLIANCE_ROLE, _msgSender());
        _existing(id);
        if (amount == 0) revert SecuredAsset_ZeroAmount();
        uint256 available = availableUnits(id, holder);
        if (amount > available) revert SecuredAsset_UnitsUnavailable(id, holder, amount, available);
        // Cannot overflow: see encumber.
        _holdings[id][holder].frozen += uint128(amount);
        emit UnitsFrozen(id, holder, amount, reasonHash, _msgSender());
    }

    /// @inheritdoc ISecuredAsset
    function unfreezeUnits(uint256 id, address holder, uint256 amount, bytes32 reasonHash) external {
        _requireRole(COMPLIANCE_ROLE, _msgSender());
        Holding storage h = _holdings[id][holder];
        if (amount == 0) revert SecuredAsset_ZeroAmount();
        if (amount > h.frozen) revert SecuredAsset_UnfreezeExceedsFrozen(id, holder, amount, h.frozen);
        h.frozen -= uint128(amount);
        emit UnitsUnfrozen(id, holder, amount, reasonHash, _msgSender());
    }

    /// @inheritdoc ISecuredAsset
    function forcedTransfer(uint256 id, address from, address to, uint256 amount, bytes32 orderHash) external {
        _requireRole(REGULATOR_ROLE, _msgSender());
        _existing(id);
        if (amount == 0) revert SecuredAsset_ZeroAmount();
        // A move to the same wallet would only unfreeze units, outside the compliance officer's
        // unfreezeUnits and its event.
        if (from == to) revert SecuredAsset_ForcedTransferToSelf(id, from);
        Holding storage h = _holdings[id][from];
        uint256 balance = balanceOf(from, id);
        uint256 movable = balance > h.encumbered ? balance - h.encumbered : 0;
        if (amount > movable) revert SecuredAsset_UnitsUnavailable(id, from, amount, movable);
        // The order may take frozen units; what stays frozen must still fit in what stays behind.
        uint256 frozenRoom = movable - amount;
        uint256 unfrozen = h.frozen > frozenRoom ? h.frozen - frozenRoom : 0;
        h.frozen -= uint128(unfrozen);
        emit ForcedTransfer(id, from, to, amount, unfrozen, orderHash, _msgSender());
        _route = Route.Forced;
        _safeTransferFrom(from, to, id, amount, "");
        _route = Route.Standard;
    }

    /// @inheritdoc ISecuredAsset
    function recoverHoldings(address lost, uint256[] calldata ids, uint256[] calldata encumbranceIds) external {
        address replacement = _currentWallet(lost);
        if (replacement == lost) revert SecuredAsset_WalletNotRecovered(lost);
        for (uint256 i; i < encumbranceIds.length; ++i) {
            Encumbrance storage e = _activeEncumbrance(encumbranceIds[i]);
            if (e.holder != lost) revert SecuredAsset_NotHoldersEncumbrance(encumbranceIds[i], lost);
            e.holder = replacement;
            uint128 amount = uint128(e.amount);
            _holdings[e.issuanceId][lost].encumbered -= amount;
            _holdings[e.issuanceId][replacement].encumbered += amount;
            emit EncumbranceRecovered(encumbranceIds[i], lost, replacement);
        }
        uint256[] memory amounts = new uint256[](ids.length);
        uint256[] memory frozen = new uint256[](ids.length);
        for (uint256 i; i < ids.length; ++i) {
            _existing(ids[i]); // no record of a movement in an issuance that does not exist
            Holding storage h = _holdings[ids[i]][lost];
            if (h.encumbered != 0) revert SecuredAsset_EncumbrancesLeftBehind(ids[i], lost, h.encumbered);
            amounts[i] = balanceOf(lost, ids[i]);
            frozen[i] = h.frozen;
            _holdings[ids[i]][replacement].frozen += h.frozen;
            h.frozen = 0;
        }
        emit HoldingsRecovered(lost, replacement, ids, amounts, frozen, _msgSender());
        _route = Route.Recovery;
        _safeBatchTransferFrom(lost, replacement, ids, amounts, "");
        _route = Route.Standard;
        // A pledge moves with the units it binds: never ahead of them, or the new wallet would owe
        // units it does not hold.
        for (uint256 i; i < encumbranceIds.length; ++i) {
            uint256 id = _encumbrances[encumbranceIds[i]].issuanceId;
            if (balanceOf(lost, id) != 0) revert SecuredAsset_EncumbranceWithoutUnits(encumbranceIds[i], id);
        }
    }

    /// @inheritdoc ISecuredAsset
    function redeem(uint256 id, address holder, uint256 amount, bytes32 fulfilmentRef) external {
        address sender = _msgSender();
        if (holder != sender && !isApprovedForAll(holder, sender)) revert ERC1155MissingApprovalForAll(sender, holder);
        if (amount == 0) revert SecuredAsset_ZeroAmount();
        emit Redeemed(id, holder, amount, fulfilmentRef, sender);
        _burn(holder, id, amount);
    }

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
            if (route == Route.Standard && from != address(0) && spender != from) {
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
        } else if (route != Route.Forced) {
            // The recorded count holds until its own end, unless an accreditation was withdrawn
            // since: then it is counted again, once, by whichever movement comes first.
            uint256 coveredUntil =
                iss.coverageRevision == c.revision ? iss.coveredUntil : _syncCoverage(id, iss, c.revision).coveredUntil;
            if (_coverageRefusal(iss, coveredUntil, to) != Refusal.None) {
                _revertWith(Refusal.Undercollateralised, id, iss, from, to, 0);
            }
        }
        if (from != address(0)) {
            Holding storage h = _holdings[id][from];
            uint256 balanceAfter = balanceOf(from, id);
            if (balanceAfter < uint256(h.encumbered) + h.frozen) {
                revert SecuredAsset_UnitsRestricted(id, from, balanceAfter, h.encumbered, h.frozen);
            }
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISecuredAsset
    function checkTransfer(address from, address to, uint256 id, uint256 amount) external view returns (Refusal) {
        Issuance storage iss = _issuances[id];
        Circulation memory c = _circulation(iss, from, to);
        Refusal refusal = _statusRefusal(Route.Standard, iss, c, from, to);
        if (refusal == Refusal.None) refusal = _coverageRefusal(iss, _coveredUntil(id, iss, c.revision), to);
        if (refusal != Refusal.None) return refusal;
        uint256 balance = balanceOf(from, id);
        if (balance < amount) return Refusal.InsufficientBalance;
        Holding storage h = _holdings[id][from];
        if (balance - amount < uint256(h.encumbered) + h.frozen) return Refusal.UnitsRestricted;
        return Refusal.None;
    }

    /// @inheritdoc ISecuredAsset
    function checkMint(uint256 id, address to, uint256 amount) external view returns (Refusal) {
        Issuance storage iss = _issuances[id];
        Refusal refusal = _statusRefusal(Route.Standard, iss, _circulation(iss, address(0), to), address(0), to);
        if (refusal != Refusal.None) return refusal;
        uint256 supply = totalSupply(id);
        // A request beyond any possible supply is refused like any other excess, not by a panic.
        if (amount > type(uint256).max - supply) return Refusal.MaxSupplyExceeded;
        refusal = _mintRefusal(iss, supply + amount);
        if (refusal != Refusal.None) return refusal;
        if (_collateral.coveredUnits(address(this), id, iss.issuer) < supply + amount) {
            return Refusal.CollateralInsufficient;
        }
        return Refusal.None;
    }

    /// @inheritdoc ISecuredAsset
    function coverage(uint256 id) external view returns (Coverage memory) {
        return _countCoverage(id, _existing(id));
    }

    /// @inheritdoc ISecuredAsset
    function issuance(uint256 id) external view returns (Issuance memory) {
        return _issuances[id];
    }

    /// @inheritdoc ISecuredAsset
    function issuerOf(uint256 id) external view returns (address) {
        return _existing(id).issuer;
    }

    /// @inheritdoc ISecuredAsset
    function issuanceCount() external view returns (uint256) {
        return _issuanceCount;
    }

    /// @inheritdoc ISecuredAsset
    function encumbrance(uint256 encumbranceId) external view returns (Encumbrance memory) {
        return _encumbrances[encumbranceId];
    }

    /// @inheritdoc ISecuredAsset
    function encumbranceCount() external view returns (uint256) {
        return _encumbranceCount;
    }

    /// @inheritdoc ISecuredAsset
    function encumberedUnits(uint256 id, address holder) external view returns (uint256) {
        return _holdings[id][holder].encumbered;
    }

    /// @inheritdoc ISecuredAsset
    function frozenUnits(uint256 id, address holder) external view returns (uint256) {
        return _holdings[id][holder].frozen;
    }

    /// @inheritdoc ISecuredAsset
    function availableUnits(uint256 id, address holder) public view returns (uint256) {
        Holding storage h = _holdings[id][holder];
        uint256 restricted = uint256(h.encumbered) + h.frozen;
        uint256 balance = balanceOf(holder, id);
        return balance > restricted ? balance - restricted : 0;
    }

    /// @inheritdoc ISecuredAsset
    function registry() external view returns (IPlatformRegistry) {
        return _registry;
    }

    /// @inheritdoc ISecuredAsset
    function collateral() external view returns (ICollateralAttestations) {
        return _collateral;
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev The rules of a standard movement from `from` to `to`, for acts that move nothing yet.
    function _requireCirculation(uint256 id, address from, address to) private view {
        Issuance storage iss = _issuances[id];
        Circulation memory c = _circulation(iss, from, to);
        Refusal refusal = _statusRefusal(Route.Standard, iss, c, from, to);
        if (refusal == Refusal.None) refusal = _coverageRefusal(iss, _coveredUntil(id, iss, c.revision), to);
        if (refusal != Refusal.None) _revertWith(refusal, id, iss, from, to, 0);
    }

    /// @dev The issuance's live collateral against its supply, as the collateral contract counts it.
    function _countCoverage(uint256 id, Issuance storage iss) private view returns (Coverage memory cov) {
        cov.supply = totalSupply(id);
        uint64 coveredUntil;
        (cov.covered, coveredUntil) = _collateral.coverage(address(this), id, iss.issuer, cov.supply);
        // Kept in 40 bits (anything past the year 36812 is as good as forever), and reported as kept.
        cov.coveredUntil = coveredUntil > type(uint40).max ? type(uint40).max : coveredUntil;
        cov.undercollateralised = cov.coveredUntil <= block.timestamp;
    }

    /// @dev Counts the collateral and records until when it covers the supply.
    function _syncCoverage(uint256 id, Issuance storage iss, uint32 revision) private returns (Coverage memory cov) {
        cov = _countCoverage(id, iss);
        iss.coveredUntil = uint40(cov.coveredUntil);
        iss.coverageRevision = revision;
        emit CoverageSynced(id, cov.covered, cov.supply, cov.coveredUntil);
    }

    /// @dev Until when the collateral covers the supply: the recorded count, or a live count if
    /// an accreditation was withdrawn since it was recorded.
    function _coveredUntil(uint256 id, Issuance storage iss, uint32 revision) private view returns (uint256) {
        if (iss.coverageRevision == revision) return iss.coveredUntil;
        return _countCoverage(id, iss).coveredUntil;
    }

    function _supplyOf(uint256 id) internal view override returns (uint256) {
        return totalSupply(id);
    }

    function _unlock(Encumbrance storage e) private {
        e.active = false;
        // Cannot underflow: the encumbered total includes this encumbrance's amount.
        _holdings[e.issuanceId][e.holder].encumbered -= uint128(e.amount);
    }

    function _activeEncumbrance(uint256 encumbranceId) private view returns (Encumbrance storage e) {
        e = _encumbrances[encumbranceId];
        if (!e.active) revert SecuredAsset_EncumbranceNotActive(encumbranceId);
    }

    /// @dev Where the person behind `wallet` is now: the end of its recovery chain, or itself.
    function _currentWallet(address wallet) private view returns (address current) {
        current = wallet;
        for (address next = _registry.recoveredTo(current); next != address(0); next = _registry.recoveredTo(next)) {
            current = next;
        }
    }

    function _existing(uint256 id) private view returns (Issuance storage iss) {
        iss = _issuances[id];
        if (iss.operator == address(0)) revert SecuredAsset_IssuanceUnknown(id);
    }

    function _requireRole(bytes32 role, address account) private view {
        if (!_registry.hasRole(role, account)) revert SecuredAsset_MissingRole(account, role);
    }

    /// @dev The operator that posted the issuance, still holding the operator role and a permit in
    /// force: revoking either takes the key off the platform.
    function _requireIssuanceOperator(uint256 id) private view {
        address sender = _msgSender();
        if (_existing(id).operator != sender) revert SecuredAsset_NotIssuanceOperator(id, sender);
        _requireActiveOperator(sender);
    }

    function _requireActiveOperator(address operator) private view {
        _requireRole(OPERATOR_ROLE, operator);
        if (!_registry.isPermitActive(operator)) {
            revert SecuredAsset_PermitNotActive(operator, _registry.permitState(operator));
        }
    }

    /// @dev The regulator, or the issuance's operator acting within its mandate.
    function _requireOperatorOrRegulator(uint256 id) private view returns (Issuance storage iss, bool byRegulator) {
        iss = _existing(id);
        address sender = _msgSender();
        byRegulator = _registry.hasRole(REGULATOR_ROLE, sender);
        if (byRegulator) return (iss, true);
        if (sender != iss.operator) revert SecuredAsset_NotIssuanceOperator(id, sender);
        _requireActiveOperator(sender);
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
