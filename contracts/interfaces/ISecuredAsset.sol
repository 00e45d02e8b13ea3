// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC1155MetadataURI} from "@openzeppelin/contracts/token/ERC1155/extensions/IERC1155MetadataURI.sol";

import {IERC7943MultiToken} from "./IERC7943MultiToken.sol";
import {ISecuredAssetCore} from "./ISecuredAssetCore.sol";
import {ISecuredAssetExtension} from "./ISecuredAssetExtension.sol";
import {ISecuredAssetViews} from "./ISecuredAssetViews.sol";

/// @title Secured digital assets (ERC-1155), one token id per issuance
/// @notice Every balance change, whatever its route (mint, transfer, batch, approved operator,
/// relayed, enforcement, forced transfer, recovery, redemption), passes the same on-chain checks: the
/// operator's permit (Law art. 6.1-6.2), the participants' identification, freeze and risk-notice
/// acknowledgement (art. 6.3-6.4), pause, encumbrance and partial freeze (Rules item 4), and for
/// mints the recognised type, the issuer register, the issuer's consent and verified collateral
/// (art. 4.1.8, 6.5, 6.8).
/// @dev The whole interface at the asset's address: the asset's own functions ({ISecuredAssetCore}),
/// those it runs through its extension ({ISecuredAssetExtension}) and OpenZeppelin's ERC-1155 (the
/// balances kept by the asset itself, beside each holding's locks) and EIP-712 nonces, and ERC-7943 (uRWA) for permissioned multi-tokens.
interface ISecuredAsset is
    IERC1155MetadataURI,
    IERC7943MultiToken,
    ISecuredAssetCore,
    ISecuredAssetExtension,
    ISecuredAssetViews
{
    /// @notice Units of issuance `id` in circulation and in custody for redemption.
    function totalSupply(uint256 id) external view returns (uint256);

    /// @notice Whether issuance `id` has units: ERC-1155 supply tracking's `exists`.
    function exists(uint256 id) external view returns (bool);

    /// @notice The next unused consent nonce of `issuer` for `key` (the key in its upper 192 bits).
    function nonces(address issuer, uint192 key) external view returns (uint256);
}
