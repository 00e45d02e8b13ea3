// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AssetState} from "./asset/AssetState.sol";
import {ICollateralAttestations} from "./interfaces/ICollateralAttestations.sol";
import {IPlatformRegistry} from "./interfaces/IPlatformRegistry.sol";
import {ISecuredAssetViews} from "./interfaces/ISecuredAssetViews.sol";

/// @title SecuredAssetViews
/// @notice The asset's answers before acting ({ISecuredAssetViews}, with ERC-7943's views), whose
/// code runs on the asset's storage: call them at the asset's address. Deployed by the asset's
/// extension, which hands it every call the extension does not answer itself, so that the asset
/// and the extension stay under the 24 KB limit (EIP-170) with the movement rules written once.
contract SecuredAssetViews is AssetState, ISecuredAssetViews {
    /// @dev This module's own address, answered even when its code runs on the asset's storage.
    address private immutable _self = address(this);

    constructor(
        IPlatformRegistry registry_,
        ICollateralAttestations collateral_,
        address trustedForwarder,
        string memory metadataUri
    ) AssetState(registry_, collateral_, trustedForwarder, metadataUri) {}

    /// @inheritdoc ISecuredAssetViews
    function views() external view returns (address) {
        return _self;
    }

    /// @notice ERC-7943: registered in the registry, identification valid, not frozen, the notice in force
    /// acknowledged: a wallet that may deal at all (the custody and the zero address may not).
    function canSend(address account) public view returns (bool) {
        return _registry.participantStatus(account) == IPlatformRegistry.ParticipantStatus.Eligible;
    }

    /// @notice ERC-7943: the same test as {canSend}: the law asks the same of both sides of a dealing.
    function canReceive(address account) public view returns (bool) {
        return canSend(account);
    }

    /// @notice ERC-7943: the frozen amount (it may exceed the balance).
    function getFrozenTokens(address account, uint256 tokenId) external view returns (uint256) {
        return _holdings[tokenId][account].frozen;
    }

    /// @notice ERC-7943: `checkTransfer` answering yes or no: false for every refusal but a short balance
    /// (ERC-1155's own check) of a holding with nothing locked; units pledged or escrowed count as
    /// frozen ones do, since they cannot move either. Both parties must pass {canSend} and
    /// {canReceive}: a mint or a burn is no transfer.
    function canTransfer(address from, address to, uint256 tokenId, uint256 amount) external view returns (bool) {
        if (!canSend(from) || !canReceive(to)) return false;
        Refusal refusal = _transferRefusal(from, to, tokenId, amount);
        // Beyond the balance, only a holding with nothing locked passes: the amount would exceed
        // the unlocked units too, which the standard (and its reference implementation) refuses.
        return refusal == Refusal.None
            || (refusal == Refusal.InsufficientBalance && _restrictedUnits(_holdings[tokenId][from]) == 0);
    }

    /// @inheritdoc ISecuredAssetViews
    function checkTransfer(address from, address to, uint256 id, uint256 amount) external view returns (Refusal) {
        return _transferRefusal(from, to, id, amount);
    }

    /// @inheritdoc ISecuredAssetViews
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

    /// @inheritdoc ISecuredAssetViews
    function coverage(uint256 id) external view returns (Coverage memory) {
        return _countCoverage(id, _existing(id));
    }
}
