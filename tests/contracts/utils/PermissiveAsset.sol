// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

/// @notice A deliberately permissive stand-in for SecuredAsset, for the auditor's tests only. It
/// emits exactly SecuredAsset's events but enforces none of its rules, so a test can write the
/// histories the real contract refuses (mint without permit or collateral, transfer of encumbered
/// units, to a frozen wallet, while paused, a succession by anyone to anyone, a close without a
/// fulfilment record, a lost wallet's holdings moved elsewhere than to its replacement or in part, an
/// issuance without its issuer's consent, units into or out of redemption custody unasked...)
/// and check that the auditor finds every breach. `multicall` puts several acts in one transaction
/// (an issuance and the consent that must come with it).
/// Anyone may call anything; balances are still plain ERC-1155 balances. Never deploy it for real.
contract PermissiveAsset is ERC1155, Multicall {
    mapping(uint256 id => address issuer) private _issuers;
    uint256 private _encumbranceCount;
    uint256 private _redemptionCount;

    /// @dev What SecuredAsset.extension answers: the SDK checks it names the deployment's extension.
    address public immutable extension;
    /// @dev What SecuredAsset.exchange answers: the SDK checks it names the deployment's exchange.
    /// The permissive exchange is deployed after this contract, so anyone sets it.
    address public exchange;

    /// @dev Declares itself a custodian of units in `registry`, as SecuredAsset's constructor does:
    /// a permissive history starts as a real deployment's.
    constructor(address extension_, IPlatformRegistry registry) ERC1155("") {
        extension = extension_;
        registry.declareCustodian();
    }

    function setExchange(address exchange_) external {
        exchange = exchange_;
    }

    function createIssuance(uint256 id, address operator, ISecuredAssetTypes.IssuanceParams calldata p) external {
        _issuers[id] = p.issuer;
        emit ISecuredAssetTypes.IssuanceCreated(
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

    /// @dev What CollateralAttestations asks before it records an attestation.
    function issuerOf(uint256 id) external view returns (address) {
        return _issuers[id];
    }

    function mint(address to, uint256 id, uint256 amount) external {
        _mint(to, id, amount, "");
    }

    /// @dev Moves anyone's units, recorded with the caller as the operator (to this contract's
    /// custody too: no receiver hook).
    function move(address from, address to, uint256 id, uint256 amount) external {
        _move(from, to, id, amount);
    }

    function moveBatch(address from, address to, uint256[] calldata ids, uint256[] calldata amounts) external {
        _safeBatchTransferFrom(from, to, ids, amounts, "");
    }

    function burn(address from, uint256 id, uint256 amount) external {
        _burn(from, id, amount);
    }

    /// @dev `byRegulator` as the caller says, whoever it is.
    function pause(uint256 id, bool byRegulator) external {
        emit ISecuredAssetTypes.IssuancePaused(id, msg.sender, byRegulator);
    }

    function unpause(uint256 id) external {
        emit ISecuredAssetTypes.IssuanceUnpaused(id, msg.sender);
    }

    function close(uint256 id, bytes32 fulfilmentHash) external {
        emit ISecuredAssetTypes.IssuanceClosed(id, fulfilmentHash, msg.sender);
    }

    /// @dev Hands `id` from `predecessor` (as the caller says) to `successor`, ordered by the caller.
    function succeed(uint256 id, address predecessor, address successor, bytes32 orderHash) external {
        emit ISecuredAssetTypes.IssuanceSucceeded(id, predecessor, successor, orderHash, msg.sender);
    }

    function updateDecisionUri(uint256 id, string calldata decisionUri) external {
        emit ISecuredAssetTypes.DecisionUriUpdated(id, decisionUri, msg.sender);
    }

    /// @dev What CollateralAttestations calls on every attachment and revocation: the permissive
    /// asset counts nothing and records nothing (a test reports a count with `reportCoverage`).
    function syncCoverage(uint256) external pure returns (ISecuredAssetTypes.Coverage memory counted) {
        return counted;
    }

    /// @dev Reports any count of an issuance's collateral, true or not.
    function reportCoverage(uint256 id, uint256 covered, uint256 supply, uint64 coveredUntil) external {
        emit ISecuredAssetTypes.CoverageSynced(id, covered, supply, coveredUntil);
    }

    function encumber(address holder, uint256 id, address beneficiary, uint256 amount, uint64 expiry)
        external
        returns (uint256 encumbranceId)
    {
        encumbranceId = ++_encumbranceCount;
        emit ISecuredAssetTypes.Encumbered(encumbranceId, id, holder, beneficiary, amount, expiry, keccak256("pledge"));
    }

    function release(uint256 encumbranceId) external {
        emit ISecuredAssetTypes.EncumbranceReleased(encumbranceId, msg.sender);
    }

    function enforce(uint256 encumbranceId, address holder, address beneficiary, uint256 id, uint256 amount) external {
        emit ISecuredAssetTypes.EncumbranceEnforced(encumbranceId, keccak256("court order"), msg.sender);
        _safeTransferFrom(holder, beneficiary, id, amount, "");
    }

    function freezeUnits(uint256 id, address holder, uint256 amount) external {
        emit ISecuredAssetTypes.UnitsFrozen(id, holder, amount, keccak256("aml"), msg.sender);
    }

    function forcedTransfer(uint256 id, address from, address to, uint256 amount, uint256 unfrozen) external {
        emit ISecuredAssetTypes.TransferOrdered(id, from, to, amount, unfrozen, keccak256("order"), msg.sender);
        _safeTransferFrom(from, to, id, amount, "");
    }

    /// @dev Announces encumbrance `encumbranceId` as moved from `lost` to `replacement`, whoever holds it.
    function recoverEncumbrance(uint256 encumbranceId, address lost, address replacement) external {
        emit ISecuredAssetTypes.EncumbranceRecovered(encumbranceId, lost, replacement);
    }

    /// @dev Moves `amounts` of `lost`'s units to `replacement` as a recovery, with `frozen` as the
    /// caller says: to any wallet, any part of the balance, pledges or not.
    function recoverHoldings(
        address lost,
        address replacement,
        uint256[] calldata ids,
        uint256[] calldata amounts,
        uint256[] calldata frozen
    ) external {
        emit ISecuredAssetTypes.HoldingsRecovered(lost, replacement, ids, amounts, frozen, msg.sender);
        _safeBatchTransferFrom(lost, replacement, ids, amounts, "");
    }

    /// @dev A redemption that went through, both sides as the asset records them: the holder's
    /// request (units into this contract's custody), then the recorded issuer's confirmation
    /// (the burn), whoever calls.
    function redeem(uint256 id, address holder, uint256 amount) external returns (uint256 requestId) {
        requestId = requestRedemption(id, holder, amount);
        emit ISecuredAssetTypes.RedemptionConfirmed(requestId, id, keccak256("delivered"), _issuers[id]);
        _burn(address(this), id, amount);
    }

    /// @dev Moves `amount` of `holder`'s units into custody as a redemption request by the caller.
    function requestRedemption(uint256 id, address holder, uint256 amount) public returns (uint256 requestId) {
        requestId = announceRedemption(id, holder, amount);
        _move(holder, address(this), id, amount);
    }

    /// @dev Announces a redemption request by the caller and moves nothing: what moves after it (in
    /// a `multicall`), if anything, is the test's to say.
    function announceRedemption(uint256 id, address holder, uint256 amount) public returns (uint256 requestId) {
        requestId = ++_redemptionCount;
        emit ISecuredAssetTypes.RedemptionRequested(requestId, id, holder, amount, keccak256("fulfilment"), msg.sender);
    }

    /// @dev Burns `amount` of custody as the confirmation of `requestId`, by the caller, whoever it is.
    function confirmRedemption(uint256 requestId, uint256 id, uint256 amount) external {
        emit ISecuredAssetTypes.RedemptionConfirmed(requestId, id, keccak256("delivered"), msg.sender);
        _burn(address(this), id, amount);
    }

    /// @dev Moves `amount` of custody to `returnedTo` as the refusal of `requestId`, by the caller.
    function refuseRedemption(uint256 requestId, uint256 id, address returnedTo, uint256 amount) external {
        emit ISecuredAssetTypes.RedemptionRefused(requestId, id, returnedTo, keccak256("refused"), msg.sender);
        _move(address(this), returnedTo, id, amount);
    }

    /// @dev Spends nothing, checks nothing: announces the caller's withdrawal of consent nonce `nonce`.
    function withdrawConsent(uint256 nonce) external {
        emit ISecuredAssetTypes.IssuerConsentWithdrawn(msg.sender, nonce);
    }

    /// @dev Announces an issuer's consent to issuance `id`, true or not.
    function consent(uint256 id, address issuer, uint256 nonce, uint64 deadline, bytes32 termsDigest) external {
        emit ISecuredAssetTypes.IssuerConsented(id, issuer, nonce, deadline, termsDigest);
    }

    /// @dev A balance change without the receiver hook: this contract takes custody as the asset
    /// does, without being an ERC-1155 receiver.
    function _move(address from, address to, uint256 id, uint256 amount) private {
        uint256[] memory ids = new uint256[](1);
        uint256[] memory amounts = new uint256[](1);
        ids[0] = id;
        amounts[0] = amount;
        _update(from, to, ids, amounts);
    }
}
