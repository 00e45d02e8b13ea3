// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC1155Utils} from "@openzeppelin/contracts/token/ERC1155/utils/ERC1155Utils.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {AssetState} from "./asset/AssetState.sol";
import {ICollateralAttestations} from "./interfaces/ICollateralAttestations.sol";
import {IERC7943MultiToken} from "./interfaces/IERC7943MultiToken.sol";
import {IPlatformRegistry} from "./interfaces/IPlatformRegistry.sol";
import {ISecuredAssetCore} from "./interfaces/ISecuredAssetCore.sol";
import {ISecuredAssetExtension} from "./interfaces/ISecuredAssetExtension.sol";
import {SecuredExchange} from "./SecuredExchange.sol";

/// @title SecuredAsset
/// @notice Secured digital assets, one ERC-1155 id per issuance. See {ISecuredAsset}: this contract
/// runs minting, transfers, the issuance's operation, encumbrance, freeze and the plain views; the
/// rest ({ISecuredAssetExtension}: issuance with the issuer's consent, forced transfer, recovery,
/// redemption; and {ISecuredAssetViews}, through the extension's views module) it hands to its
/// extension, whose code runs here on this contract's storage. Both inherit {AssetState}, so the
/// rules of the balance path are written once. The split keeps each contract under the 24 KB
/// limit (EIP-170) without a cross-contract call on any holder's movement.
/// @dev Holders act gaslessly through the trusted ERC-2771 forwarder: their signed request is
/// relayed and `_msgSender()` is the holder, so events record the holder as the one who acted.
contract SecuredAsset is AssetState, ISecuredAssetCore {
    /// @dev Who is pausing or lifting a pause.
    enum Authority {
        Operator,
        Supervisor,
        Regulator
    }

    /// @dev Fixed at deployment: nobody can swap the code that runs the extension's acts.
    address private immutable _extension;
    /// @dev Deployed by this contract's constructor: the only exchange it lets move or hold units
    /// without the holder's approval is the one it made, with the same registry and forwarder.
    address private immutable _exchange;

    modifier onlyExchange() {
        if (msg.sender != _exchange) revert SecuredAsset_NotExchange(msg.sender);
        _;
    }

    constructor(
        IPlatformRegistry registry_,
        ICollateralAttestations collateral_,
        address trustedForwarder,
        string memory metadataUri,
        address extension_
    ) AssetState(registry_, collateral_, trustedForwarder, metadataUri) {
        // The extension's code decides who is the regulator for orders, recovery and refusals:
        // it must answer to this asset's registry, collateral contract and forwarder.
        (IPlatformRegistry r, ICollateralAttestations c, address f) = ISecuredAssetExtension(extension_).wiring();
        if (r != registry_ || c != collateral_ || f != trustedForwarder) {
            revert SecuredAsset_ExtensionMismatch(extension_);
        }
        _extension = extension_;
        _exchange = address(new SecuredExchange(registry_, trustedForwarder));
        // This contract's own balance is units pending redemption: its address is no participant.
        registry_.declareCustodian();
    }

    /*//////////////////////////////////////////////////////////////
                               ISSUANCES
    //////////////////////////////////////////////////////////////*/

    /// @notice ERC-1155's single transfer, by the holder or an operator it approved: the movement
    /// every path makes ({_moveItem}, with every rule), without the batch machinery's arrays.
    function safeTransferFrom(address from, address to, uint256 id, uint256 value, bytes memory data) public override {
        address operator = _msgSender();
        if (from != operator && !isApprovedForAll(from, operator)) {
            revert ERC1155MissingApprovalForAll(operator, from);
        }
        if (to == address(0)) revert ERC1155InvalidReceiver(address(0));
        if (from == address(0)) revert ERC1155InvalidSender(address(0));
        emit TransferSingle(operator, from, to, id, value);
        // The public entry is always a standard movement: routes are set only around the asset's
        // own internal moves, which never pass here.
        _moveItem(Route.Standard, _circulationOf(Route.Standard, operator, from), true, from, to, id, value);
        ERC1155Utils.checkOnERC1155Received(operator, from, to, id, value, data);
    }

    /// @inheritdoc ISecuredAssetCore
    function mint(uint256 id, address to, uint256 amount) external {
        _requireIssuanceOperator(id);
        if (amount == 0) revert SecuredAsset_ZeroAmount();
        _mint(to, id, amount, "");
    }

    /// @inheritdoc ISecuredAssetCore
    function syncCoverage(uint256 id) external returns (Coverage memory) {
        return _syncCoverage(id, _existing(id), _registry.accreditationRevision());
    }

    /// @inheritdoc ISecuredAssetCore
    function pause(uint256 id) external {
        (Issuance storage iss, Authority authority) = _authorityOver(id);
        bool byRegulator = authority != Authority.Operator;
        // The regulator may take over an operator's or a supervisor's pause, so that only it lifts it.
        bool takeover = authority == Authority.Regulator && _pausedBySupervisor[id];
        if ((iss.pausedByRegulator && !takeover) || (iss.paused && !byRegulator)) {
            revert SecuredAsset_IssuancePaused(id);
        }
        iss.paused = true;
        iss.pausedByRegulator = byRegulator;
        _pausedBySupervisor[id] = authority == Authority.Supervisor;
        emit IssuancePaused(id, _msgSender(), byRegulator);
    }

    /// @inheritdoc ISecuredAssetCore
    function unpause(uint256 id) external {
        (Issuance storage iss, Authority authority) = _authorityOver(id);
        if (!iss.paused) revert SecuredAsset_IssuanceNotPaused(id);
        // The regulator's own pause is the regulator's to lift (in the governed setup, the
        // council's after the delay), never one supervisor's key; a supervisor's pause a supervisor may.
        if (
            iss.pausedByRegulator
                && (authority == Authority.Operator || (authority == Authority.Supervisor && !_pausedBySupervisor[id]))
        ) revert SecuredAsset_PausedByRegulator(id);
        iss.paused = false;
        iss.pausedByRegulator = false;
        _pausedBySupervisor[id] = false;
        emit IssuanceUnpaused(id, _msgSender());
    }

    /// @inheritdoc ISecuredAssetCore
    function close(uint256 id, bytes32 fulfilmentHash) external {
        Issuance storage iss = _existing(id);
        address sender = _msgSender();
        if (sender == iss.operator) _requireActiveOperator(sender);
        else if (sender != iss.issuer) revert SecuredAsset_NotIssuanceOperatorOrIssuer(id, sender);
        // A suspended or removed issuer's key may be why it was: it closes nothing for good.
        else if (!_registry.isIssuerActive(sender)) revert SecuredAsset_IssuerNotActive(sender);
        if (iss.closed) revert SecuredAsset_IssuanceClosed(id);
        if (fulfilmentHash == bytes32(0)) revert SecuredAsset_EmptyFulfilment();
        uint256 supply = totalSupply(id);
        if (supply != 0) revert SecuredAsset_SupplyOutstanding(id, supply);
        iss.closed = true;
        iss.fulfilmentHash = fulfilmentHash;
        emit IssuanceClosed(id, fulfilmentHash, sender);
    }

    /// @inheritdoc ISecuredAssetCore
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

    /// @inheritdoc ISecuredAssetCore
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

    /*//////////////////////////////////////////////////////////////
                          ENCUMBRANCE, FREEZE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISecuredAssetCore
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
        uint256 available = _availableUnits(id, holder);
        if (amount > available) revert SecuredAsset_UnitsUnavailable(id, holder, amount, available);

        // Cannot overflow: encumbered + escrowed <= balance <= maxSupply <= MAX_UNITS.
        _holdings[id][holder].encumbered += uint64(amount);
        encumbranceId = ++_encumbranceCount;
        // Issuance ids are counted from 1 (2^32 of them is beyond any deployment's gas); amounts are
        // within MAX_UNITS (they are available units).
        _storeEncumbrance(
            _encumbrances[encumbranceId],
            Encumbrance(SafeCast.toUint32(id), holder, expiry, true, beneficiary, uint64(amount), referenceHash)
        );
        emit Encumbered(encumbranceId, id, holder, beneficiary, amount, expiry, referenceHash);
    }

    /// @inheritdoc ISecuredAssetCore
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

    /// @inheritdoc ISecuredAssetCore
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

    /// @inheritdoc ISecuredAssetCore
    function freezeUnits(uint256 id, address holder, uint256 amount, bytes32 reasonHash) external {
        _requireRole(COMPLIANCE_ROLE, _msgSender());
        _existing(id);
        if (amount == 0) revert SecuredAsset_ZeroAmount();
        uint256 available = _availableUnits(id, holder);
        if (amount > available) revert SecuredAsset_UnitsUnavailable(id, holder, amount, available);
        // Cannot overflow: frozen <= balance (freezeUnits never freezes beyond the free units).
        uint64 frozen = _holdings[id][holder].frozen += uint64(amount);
        emit UnitsFrozen(id, holder, amount, reasonHash, _msgSender());
        emit IERC7943MultiToken.Frozen(holder, id, frozen);
    }

    /// @inheritdoc ISecuredAssetCore
    function unfreezeUnits(uint256 id, address holder, uint256 amount, bytes32 reasonHash) external {
        _requireRole(COMPLIANCE_ROLE, _msgSender());
        Holding storage h = _holdings[id][holder];
        if (amount == 0) revert SecuredAsset_ZeroAmount();
        if (amount > h.frozen) revert SecuredAsset_UnfreezeExceedsFrozen(id, holder, amount, h.frozen);
        h.frozen -= uint64(amount);
        emit UnitsUnfrozen(id, holder, amount, reasonHash, _msgSender());
        emit IERC7943MultiToken.Frozen(holder, id, h.frozen);
    }

    /*//////////////////////////////////////////////////////////////
                                EXCHANGE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISecuredAssetCore
    function exchangeTransfer(address from, address to, uint256 id, uint256 amount) external onlyExchange {
        _route = Route.Exchange;
        _safeTransferFrom(from, to, id, amount, "");
        _route = Route.Standard;
    }

    /// @inheritdoc ISecuredAssetCore
    function escrowUnits(address seller, address buyer, uint256 id, uint256 amount) external onlyExchange {
        // Held for the buyer: what a transfer from the seller to the buyer could not do now, this
        // cannot either, and the units must be free of pledges, freezes and other escrows.
        _requireCirculation(id, seller, buyer);
        uint256 available = _availableUnits(id, seller);
        if (amount > available) revert SecuredAsset_UnitsUnavailable(id, seller, amount, available);
        // Cannot overflow: see encumber.
        _holdings[id][seller].escrowed += uint64(amount);
    }

    /// @inheritdoc ISecuredAssetCore
    function releaseEscrowedUnits(address seller, uint256 id, uint256 amount, address buyer)
        external
        onlyExchange
        returns (address deliveredTo)
    {
        // Cannot underflow: the exchange releases exactly what it escrowed, once.
        _holdings[id][seller].escrowed -= uint64(amount);
        if (buyer == address(0)) return address(0);
        deliveredTo = _currentWallet(buyer);
        _route = Route.Settlement;
        _safeTransferFrom(seller, deliveredTo, id, amount, "");
        _route = Route.Standard;
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISecuredAssetCore
    function issuance(uint256 id) external view returns (Issuance memory) {
        return _issuances[id];
    }

    /// @inheritdoc ISecuredAssetCore
    function issuerOf(uint256 id) external view returns (address) {
        return _existing(id).issuer;
    }

    /// @inheritdoc ISecuredAssetCore
    function issuanceCount() external view returns (uint256) {
        return _issuanceCount;
    }

    /// @inheritdoc ISecuredAssetCore
    function encumbrance(uint256 encumbranceId) external view returns (Encumbrance memory) {
        return _encumbrances[encumbranceId];
    }

    /// @inheritdoc ISecuredAssetCore
    function encumbranceCount() external view returns (uint256) {
        return _encumbranceCount;
    }

    /// @inheritdoc ISecuredAssetCore
    function encumberedUnits(uint256 id, address holder) external view returns (uint256) {
        return _holdings[id][holder].encumbered;
    }

    /// @inheritdoc ISecuredAssetCore
    function frozenUnits(uint256 id, address holder) external view returns (uint256) {
        return _holdings[id][holder].frozen;
    }

    /// @inheritdoc ISecuredAssetCore
    function escrowedUnits(uint256 id, address holder) external view returns (uint256) {
        return _holdings[id][holder].escrowed;
    }

    /// @inheritdoc ISecuredAssetCore
    function availableUnits(uint256 id, address holder) external view returns (uint256) {
        return _availableUnits(id, holder);
    }

    /// @inheritdoc ISecuredAssetCore
    function registry() external view returns (IPlatformRegistry) {
        return _registry;
    }

    /// @inheritdoc ISecuredAssetCore
    function collateral() external view returns (ICollateralAttestations) {
        return _collateral;
    }

    /// @inheritdoc ISecuredAssetCore
    function extension() external view returns (address) {
        return _extension;
    }

    /// @inheritdoc ISecuredAssetCore
    function exchange() external view returns (address) {
        return _exchange;
    }

    /// @dev Writes a new encumbrance's three slots once each, packed as Solidity lays out
    /// {Encumbrance}: the compiler writes it member by member, reading and rewriting each slot
    /// (about 1,500 gas more on every pledge). The `encumbrance` view reads it back as the struct.
    function _storeEncumbrance(Encumbrance storage slot, Encumbrance memory e) private {
        uint256 first = uint256(e.issuanceId) | (uint256(uint160(e.holder)) << 32) | (uint256(e.expiry) << 192);
        uint256 second = (e.active ? 1 : 0) | (uint256(uint160(e.beneficiary)) << 8) | (uint256(e.amount) << 168);
        bytes32 third = e.referenceHash;
        assembly ("memory-safe") {
            sstore(slot.slot, first)
            sstore(add(slot.slot, 1), second)
            sstore(add(slot.slot, 2), third)
        }
    }

    /// @dev Who may pause: the regulator; a supervisor, who stands for it at once (in the governed
    /// setup the regulator itself acts only after the timelock's delay, too late to stop a
    /// movement); or the issuance's operator acting within its mandate.
    function _authorityOver(uint256 id) private view returns (Issuance storage iss, Authority authority) {
        iss = _existing(id);
        address sender = _msgSender();
        if (_registry.hasRole(REGULATOR_ROLE, sender)) return (iss, Authority.Regulator);
        if (_registry.hasRole(SUPERVISOR_ROLE, sender)) return (iss, Authority.Supervisor);
        if (sender != iss.operator) revert SecuredAsset_NotIssuanceOperator(id, sender);
        _requireActiveOperator(sender);
        return (iss, Authority.Operator);
    }

    /// @dev Every selector this contract does not have runs the extension's code on this storage,
    /// answering or reverting exactly as the extension does. Nothing here takes ether.
    fallback(bytes calldata input) external returns (bytes memory) {
        return Address.functionDelegateCall(_extension, input);
    }
}
