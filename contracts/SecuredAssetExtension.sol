// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

import {AssetState} from "./asset/AssetState.sol";
import {ICollateralAttestations} from "./interfaces/ICollateralAttestations.sol";
import {IERC7943MultiToken} from "./interfaces/IERC7943MultiToken.sol";
import {IPlatformRegistry} from "./interfaces/IPlatformRegistry.sol";
import {ISecuredAssetExtension} from "./interfaces/ISecuredAssetExtension.sol";
import {SecuredAssetViews} from "./SecuredAssetViews.sol";

/// @title SecuredAssetExtension
/// @notice The asset's less frequent acts (issuance with the issuer's consent, forced transfer,
/// recovery, redemption, ERC-7943), whose code
/// the asset runs on its own storage: call them at the asset's address, never here. Deployed with
/// the same registry, collateral contract and forwarder as the asset it serves.
contract SecuredAssetExtension is AssetState, ISecuredAssetExtension {
    /// @dev EIP-712: the issuer's consent to an issuance's terms and the operator that runs it.
    bytes32 private constant CONSENT_TYPEHASH = keccak256(
        "IssuanceConsent(address issuer,address operator,uint32 assetType,bytes32 decisionHash,string decisionUri,"
        "bytes32 evidenceHash,string unitDescription,uint256 maxSupply,uint256 nonce,uint64 deadline)"
    );

    /// @dev This contract's own address: called here directly, not through the asset, its acts
    /// would write to storage nobody reads.
    address private immutable _self = address(this);

    /// @dev Deployed by this contract's constructor with the same wiring: the asset's views
    /// ({ISecuredAssetViews}), handed every call this contract does not answer.
    address private immutable _views;

    modifier throughAsset() {
        if (address(this) == _self) revert SecuredAsset_NotThroughAsset();
        _;
    }

    constructor(
        IPlatformRegistry registry_,
        ICollateralAttestations collateral_,
        address trustedForwarder,
        string memory metadataUri
    ) AssetState(registry_, collateral_, trustedForwarder, metadataUri) {
        _views = address(new SecuredAssetViews(registry_, collateral_, trustedForwarder, metadataUri));
    }

    /// @dev The asset's views run on its storage too: the asset hands this contract every call it
    /// does not answer, and this contract hands on what it does not answer either. Nothing takes ether.
    fallback(bytes calldata input) external returns (bytes memory) {
        return Address.functionDelegateCall(_views, input);
    }

    /*//////////////////////////////////////////////////////////////
                               ISSUANCES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISecuredAssetExtension
    function createIssuance(IssuanceParams calldata p, IssuerConsent calldata consent)
        external
        throughAsset
        returns (uint256 id)
    {
        address operator = _msgSender();
        _requireActiveOperator(operator);
        if (!_registry.isIssuerActive(p.issuer)) revert SecuredAsset_IssuerNotActive(p.issuer);
        if (!_registry.isAssetTypeListed(p.assetType)) revert SecuredAsset_AssetTypeNotListed(p.assetType);
        if (p.decisionHash == bytes32(0) || bytes(p.decisionUri).length == 0) revert SecuredAsset_EmptyDecision();
        if (p.evidenceHash == bytes32(0)) revert SecuredAsset_EmptyEvidence();
        if (bytes(p.unitDescription).length == 0) revert SecuredAsset_EmptyUnitDescription();
        // A holding keeps its balance and locked units in 64 bits each.
        if (p.maxSupply == 0 || p.maxSupply > MAX_UNITS) revert SecuredAsset_InvalidMaxSupply(p.maxSupply);
        bytes32 termsDigest = _useConsent(p, operator, consent);

        id = ++_issuanceCount;
        Issuance storage iss = _issuances[id];
        iss.operator = operator;
        iss.assetType = p.assetType;
        iss.issuer = p.issuer;
        iss.maxSupply = uint64(p.maxSupply);
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
        emit IssuerConsented(id, p.issuer, consent.nonce, consent.deadline, termsDigest);
    }

    /// @inheritdoc ISecuredAssetExtension
    function withdrawConsent(uint256 nonce) external throughAsset {
        address issuer = _msgSender();
        _spendNonce(issuer, nonce);
        emit IssuerConsentWithdrawn(issuer, nonce);
    }

    /*//////////////////////////////////////////////////////////////
                                 ORDERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISecuredAssetExtension
    function forcedTransfer(uint256 id, address from, address to, uint256 amount, bytes32 orderHash)
        external
        throughAsset
    {
        _orderTransfer(id, from, to, amount, orderHash);
    }

    /// @notice ERC-7943's forced transfer: the same regulator order as the five-argument
    /// `forcedTransfer`, with no order reference on-chain (in the governed setup the timelock's
    /// operation records the order). Refused to the wallet it takes from.
    function forcedTransfer(address from, address to, uint256 tokenId, uint256 amount)
        external
        throughAsset
        returns (bool)
    {
        _orderTransfer(tokenId, from, to, amount, bytes32(0));
        return true;
    }

    /// @inheritdoc ISecuredAssetExtension
    function recoverHoldings(address lost, uint256[] calldata ids, uint256[] calldata encumbranceIds)
        external
        throughAsset
    {
        // The asset's custody (units pending redemption) is no one's wallet, whatever a registry
        // entry for its address says: its units leave only by confirmation or refusal.
        address replacement = lost == address(this) ? lost : _currentWallet(lost);
        if (replacement == lost) revert SecuredAsset_WalletNotRecovered(lost);
        for (uint256 i; i < encumbranceIds.length; ++i) {
            Encumbrance storage e = _activeEncumbrance(encumbranceIds[i]);
            if (e.holder != lost) revert SecuredAsset_NotHoldersEncumbrance(encumbranceIds[i], lost);
            e.holder = replacement;
            uint64 amount = e.amount;
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
            if (h.escrowed != 0) revert SecuredAsset_UnitsEscrowed(ids[i], lost, h.escrowed);
            amounts[i] = balanceOf(lost, ids[i]);
            frozen[i] = h.frozen;
            if (h.frozen != 0) {
                // Two freezes beyond the holdings (ERC-7943) may add up past 64 bits: kept at the cap.
                Holding storage r = _holdings[ids[i]][replacement];
                uint256 total = uint256(r.frozen) + h.frozen;
                r.frozen = uint64(total > MAX_UNITS ? MAX_UNITS : total);
                h.frozen = 0;
                emit IERC7943MultiToken.Frozen(lost, ids[i], 0);
                emit IERC7943MultiToken.Frozen(replacement, ids[i], r.frozen);
            }
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

    /*//////////////////////////////////////////////////////////////
                               REDEMPTION
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISecuredAssetExtension
    function requestRedemption(uint256 id, address holder, uint256 amount, bytes32 fulfilmentRef)
        external
        throughAsset
        returns (uint256 requestId)
    {
        address sender = _msgSender();
        if (holder != sender && !isApprovedForAll(holder, sender)) revert ERC1155MissingApprovalForAll(sender, holder);
        if (amount == 0) revert SecuredAsset_ZeroAmount();
        requestId = ++_redemptionCount;
        _redemptions[requestId] = RedemptionRequest(id, holder, RedemptionState.Requested, amount, fulfilmentRef);
        emit RedemptionRequested(requestId, id, holder, amount, fulfilmentRef, sender);
        _moveForRedemption(holder, address(this), id, amount);
    }

    /// @inheritdoc ISecuredAssetExtension
    function confirmRedemption(uint256 requestId, bytes32 deliveryRef) external throughAsset {
        RedemptionRequest storage r = _pendingRedemption(requestId);
        address sender = _msgSender();
        if (sender != _issuances[r.issuanceId].issuer) revert SecuredAsset_NotRedemptionParty(requestId, sender);
        // A confirmation burns the holder's units: a suspended or removed issuer's key may be why it
        // was, so it burns nothing (the regulator may refuse the request, giving the units back).
        if (!_registry.isIssuerActive(sender)) revert SecuredAsset_IssuerNotActive(sender);
        r.state = RedemptionState.Confirmed;
        emit RedemptionConfirmed(requestId, r.issuanceId, deliveryRef, sender);
        _moveForRedemption(address(this), address(0), r.issuanceId, r.amount);
    }

    /// @inheritdoc ISecuredAssetExtension
    function refuseRedemption(uint256 requestId, bytes32 reasonHash) external throughAsset {
        RedemptionRequest storage r = _pendingRedemption(requestId);
        address sender = _msgSender();
        if (sender != _issuances[r.issuanceId].issuer && !_registry.hasRole(REGULATOR_ROLE, sender)) {
            revert SecuredAsset_NotRedemptionParty(requestId, sender);
        }
        r.state = RedemptionState.Refused;
        // A holder that lost its wallet since asking gets its units back in the new one.
        address returnedTo = _currentWallet(r.holder);
        emit RedemptionRefused(requestId, r.issuanceId, returnedTo, reasonHash, sender);
        _moveForRedemption(address(this), returnedTo, r.issuanceId, r.amount);
    }

    /*//////////////////////////////////////////////////////////////
                ERC-7943 (uRWA): ITS WRITES (THE VIEWS ARE THE ASSET'S)
    //////////////////////////////////////////////////////////////*/

    /// @notice A compliance officer sets the frozen amount (overwriting it), with no reason on
    /// record: `freezeUnits` and `unfreezeUnits` are the same act with the reason the officer
    /// records. Unlike them, it may freeze more than the holder has, which withholds units the
    /// holder receives later; units in the asset's custody are never frozen.
    function setFrozenTokens(address account, uint256 tokenId, uint256 amount) external throughAsset returns (bool) {
        _requireRole(COMPLIANCE_ROLE, _msgSender());
        _existing(tokenId);
        if (account == address(this)) revert SecuredAsset_UnitsUnavailable(tokenId, account, amount, 0);
        if (amount > MAX_UNITS) revert SecuredAsset_InvalidFrozenAmount(amount);
        _holdings[tokenId][account].frozen = uint64(amount);
        emit IERC7943MultiToken.Frozen(account, tokenId, amount);
        return true;
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ISecuredAssetExtension
    function redemptionRequest(uint256 requestId) external view returns (RedemptionRequest memory) {
        return _redemptions[requestId];
    }

    /// @inheritdoc ISecuredAssetExtension
    function redemptionCount() external view returns (uint256) {
        return _redemptionCount;
    }

    /// @inheritdoc ISecuredAssetExtension
    function checkRedemption(uint256 id, address holder, uint256 amount) external view returns (Refusal) {
        Issuance storage iss = _issuances[id];
        Refusal refusal =
            _statusRefusal(Route.Redemption, iss, _circulation(iss, holder, address(this)), holder, address(this));
        if (refusal != Refusal.None) return refusal;
        uint256 balance = balanceOf(holder, id);
        if (balance < amount) return Refusal.InsufficientBalance;
        if (amount > _availableUnits(id, holder)) return Refusal.UnitsRestricted;
        return Refusal.None;
    }

    /// @inheritdoc ISecuredAssetExtension
    function wiring() external view returns (IPlatformRegistry, ICollateralAttestations, address) {
        return (_registry, _collateral, trustedForwarder());
    }

    /// @inheritdoc ISecuredAssetExtension
    function consentDigest(IssuanceParams calldata params, address operator, uint256 nonce, uint64 deadline)
        external
        view
        returns (bytes32)
    {
        return _consentDigest(params, operator, nonce, deadline);
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev Checks the issuer's consent and spends its nonce; returns the digest it signed.
    function _useConsent(IssuanceParams calldata p, address operator, IssuerConsent calldata consent)
        private
        returns (bytes32 digest)
    {
        if (consent.deadline < block.timestamp) revert SecuredAsset_ConsentExpired(consent.deadline);
        _spendNonce(p.issuer, consent.nonce);
        digest = _consentDigest(p, operator, consent.nonce, consent.deadline);
        // OpenZeppelin's checker refuses high-s (malleable) signatures and asks a contract wallet
        // issuer (ERC-1271) whether it accepts the signature.
        if (!SignatureChecker.isValidSignatureNow(p.issuer, digest, consent.signature)) {
            revert SecuredAsset_ConsentNotSigned(p.issuer);
        }
    }

    /// @dev Spends `nonce` of `issuer`: it must be the next unused one for its key.
    function _spendNonce(address issuer, uint256 nonce) private {
        uint192 key = uint192(nonce >> 64);
        uint256 expected = nonces(issuer, key);
        if (nonce != expected) revert SecuredAsset_ConsentNonceInvalid(issuer, nonce, expected);
        _useNonce(issuer, key);
    }

    function _consentDigest(IssuanceParams calldata p, address operator, uint256 nonce, uint64 deadline)
        private
        view
        returns (bytes32)
    {
        bytes32 terms = keccak256(
            abi.encode(
                CONSENT_TYPEHASH,
                p.issuer,
                operator,
                p.assetType,
                p.decisionHash,
                keccak256(bytes(p.decisionUri)),
                p.evidenceHash,
                keccak256(bytes(p.unitDescription)),
                p.maxSupply,
                nonce,
                deadline
            )
        );
        return _hashTypedDataV4(terms);
    }

    /// @dev A transfer by regulator order. It takes neither pledged nor escrowed units (they are
    /// someone else's claim) nor the custody's; it may take frozen units, unfreezing them first.
    function _orderTransfer(uint256 id, address from, address to, uint256 amount, bytes32 orderHash) private {
        _requireRole(REGULATOR_ROLE, _msgSender());
        _existing(id);
        if (amount == 0) revert SecuredAsset_ZeroAmount();
        // A move to the same wallet would only unfreeze units, outside the compliance officer's
        // unfreezeUnits and its event.
        if (from == to) revert SecuredAsset_ForcedTransferToSelf(id, from);
        Holding storage h = _holdings[id][from];
        // Units in custody (redemptions pending) are the requests', not the order's.
        uint256 balance = from == address(this) ? 0 : balanceOf(from, id);
        uint256 claimed = uint256(h.encumbered) + h.escrowed;
        uint256 movable = balance > claimed ? balance - claimed : 0;
        if (amount > movable) revert SecuredAsset_UnitsUnavailable(id, from, amount, movable);
        // The order takes free units first, then frozen ones; a freeze beyond the holding (ERC-7943)
        // keeps withholding what it did not cover.
        uint256 frozenHeld = h.frozen < movable ? h.frozen : movable;
        uint256 free = movable - frozenHeld;
        uint256 unfrozen = amount > free ? amount - free : 0;
        address by = _msgSender();
        emit TransferOrdered(id, from, to, amount, unfrozen, orderHash, by);
        if (unfrozen != 0) {
            h.frozen -= uint64(unfrozen);
            emit IERC7943MultiToken.Frozen(from, id, h.frozen);
        }
        _route = Route.Forced;
        _safeTransferFrom(from, to, id, amount, "");
        _route = Route.Standard;
        emit IERC7943MultiToken.ForcedTransfer(from, to, id, amount);
    }

    function _pendingRedemption(uint256 requestId) private view returns (RedemptionRequest storage r) {
        r = _redemptions[requestId];
        if (r.state != RedemptionState.Requested) revert SecuredAsset_RedemptionNotRequested(requestId);
    }

    /// @dev Moves units into or out of the asset's custody for a redemption request. Not through
    /// the safe transfer: the custody is this contract, which takes units only this way.
    function _moveForRedemption(address from, address to, uint256 id, uint256 amount) private {
        uint256[] memory ids = new uint256[](1);
        uint256[] memory amounts = new uint256[](1);
        ids[0] = id;
        amounts[0] = amount;
        _route = Route.Redemption;
        _update(from, to, ids, amounts);
        _route = Route.Standard;
    }
}
