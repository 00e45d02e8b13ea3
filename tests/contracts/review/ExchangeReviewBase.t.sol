// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ExchangeBase} from "../exchange/ExchangeBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice The review's fixture for issue 15: the exchange's own (the platform, a second issuance
/// `otherId` minted to alice and bob, a listed e-money token in tenge and a settlement agent) plus
/// the escrow the review's tests start from.
abstract contract ExchangeReviewBase is ExchangeBase {
    /// @dev alice escrows `amount` units of `issuanceId` for bob with the agent, for `period` seconds.
    function aliceEscrows(uint256 amount, uint256 period) internal returns (uint256 escrowId) {
        vm.prank(alice);
        escrowId =
            exchange.openEscrow(issuanceId, amount, bob, agent, 90_000_00, "KZT", uint64(block.timestamp + period));
    }
}
