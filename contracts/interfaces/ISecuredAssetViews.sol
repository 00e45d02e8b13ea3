// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "./ISecuredAssetTypes.sol";

/// @title The asset's answers before acting: would a movement pass, and the collateral now
/// @notice Called at the asset's address: the asset delegates them to its extension, which runs
/// them through its views module, on the asset's storage. ERC-7943's views are among them
/// ({IERC7943MultiToken}: canSend, canReceive, canTransfer, getFrozenTokens).
interface ISecuredAssetViews is ISecuredAssetTypes {
    /// @notice The issuance's collateral now, counted live (what {syncCoverage} would record).
    function coverage(uint256 id) external view returns (Coverage memory);

    /// @notice Whether a transfer of `amount` units of `id` from `from` to `to`, sent by `from`
    /// itself, would pass now, and if not, the first reason.
    function checkTransfer(address from, address to, uint256 id, uint256 amount) external view returns (Refusal);

    /// @notice Whether a mint of `amount` units of `id` to `to` would pass now.
    function checkMint(uint256 id, address to, uint256 amount) external view returns (Refusal);

    /// @notice The contract whose code answers these views on the asset's storage (deployed by the
    /// extension, which hands it every call it does not answer itself).
    function views() external view returns (address);
}
