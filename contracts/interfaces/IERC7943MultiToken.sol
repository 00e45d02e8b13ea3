// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @title ERC-7943 (uRWA) for ERC-1155 tokens: compliance checks, freezing and forced transfers
/// @notice The interface as the final standard defines it (ERC-165 id 0x41c4fbad). How the asset
/// meets each requirement, and where the law asks more, is said at its implementation in
/// {SecuredAssetExtension}.
interface IERC7943MultiToken is IERC165 {
    /// @notice Tokens were taken from `from` and transferred to `to`.
    event ForcedTransfer(address indexed from, address indexed to, uint256 indexed tokenId, uint256 amount);

    /// @notice The frozen amount of `tokenId` for `account` is now `amount`.
    event Frozen(address indexed account, uint256 indexed tokenId, uint256 amount);

    error ERC7943CannotSend(address account);
    error ERC7943CannotReceive(address account);
    error ERC7943CannotTransfer(address from, address to, uint256 tokenId, uint256 amount);
    error ERC7943InsufficientUnfrozenBalance(address account, uint256 tokenId, uint256 amount, uint256 unfrozen);

    /// @notice Takes `amount` of `tokenId` from `from` and transfers it to `to`; restricted.
    function forcedTransfer(address from, address to, uint256 tokenId, uint256 amount) external returns (bool result);

    /// @notice Sets (overwrites) the frozen amount of `tokenId` for `account`; restricted. It may
    /// exceed the balance: units received later stay frozen up to it.
    function setFrozenTokens(address account, uint256 tokenId, uint256 amount) external returns (bool result);

    /// @notice Whether `account` may send, whatever the counterparty, token or amount. Never reverts.
    function canSend(address account) external view returns (bool allowed);

    /// @notice Whether `account` may receive, whatever the counterparty, token or amount. Never reverts.
    function canReceive(address account) external view returns (bool allowed);

    /// @notice The frozen amount of `tokenId` for `account` (it may exceed the balance).
    function getFrozenTokens(address account, uint256 tokenId) external view returns (uint256 amount);

    /// @notice Whether the transfer is allowed by every permissioned rule, frozen units included;
    /// false never only because the balance is short (the base standard's check). Never reverts.
    function canTransfer(address from, address to, uint256 tokenId, uint256 amount)
        external
        view
        returns (bool allowed);
}
