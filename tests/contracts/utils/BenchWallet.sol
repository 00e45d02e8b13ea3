// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {ERC1155Holder} from "@openzeppelin/contracts/token/ERC1155/utils/ERC1155Holder.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

/// @notice A registered participant that is a contract, for scripts/bench_audit.py only: it sends
/// many ordinary transfers in one transaction, so a benchmark chain reaches 100,000 events quickly.
/// Every transfer still goes through SecuredAsset's full on-chain checks.
contract BenchWallet is ERC1155Holder {
    function acknowledge(IPlatformRegistry registry, uint32 version) external {
        registry.acknowledgeRiskNotice(version);
    }

    /// @dev Sends `amount` units of `id` to each of `recipients`, one TransferSingle each.
    function spray(IERC1155 asset, uint256 id, address[] calldata recipients, uint256 amount) external {
        for (uint256 i; i < recipients.length; ++i) {
            asset.safeTransferFrom(address(this), recipients[i], id, amount, "");
        }
    }

    /// @dev One TransferBatch per recipient, moving several issuances at once.
    function sprayBatch(IERC1155 asset, uint256[] calldata ids, address[] calldata recipients, uint256 amount)
        external
    {
        uint256[] memory amounts = new uint256[](ids.length);
        for (uint256 i; i < ids.length; ++i) {
            amounts[i] = amount;
        }
        for (uint256 i; i < recipients.length; ++i) {
            asset.safeBatchTransferFrom(address(this), recipients[i], ids, amounts, "");
        }
    }
}
