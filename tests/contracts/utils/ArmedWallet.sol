// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC1155Holder} from "@openzeppelin/contracts/token/ERC1155/utils/ERC1155Holder.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @notice A participant's smart wallet that, when units arrive by either ERC-1155 acceptance
/// hook, makes the calls it was armed with, once, and records how each ended: how a beneficiary,
/// an order's recipient, a replacement or a taker could act while the movement that delivers its
/// units is still running, when a relaxed route or a lock might still be in force. The tests then
/// assert what the platform let those calls do. For the tests only: anyone may arm it or make it
/// act, the test contract being its owner.
contract ArmedWallet is ERC1155Holder {
    /// @dev A call to make inside the next receipt. With `bubble`, its revert is not recorded but
    /// reverts the hook, and so the movement that delivered the units.
    struct Call {
        address target;
        bytes data;
        bool bubble;
    }

    /// @dev How an armed call ended: what it returned, or the data it reverted with.
    struct Outcome {
        bool succeeded;
        bytes result;
    }

    Call[] private _armed;
    Outcome[] private _outcomes;

    /// @dev Adds a call to make, as this wallet, when units next arrive; its revert is recorded.
    function arm(address target, bytes calldata data) external {
        _armed.push(Call(target, data, false));
    }

    /// @dev Adds a call whose revert, instead of being recorded, aborts the receipt: a wallet that
    /// refuses units unless it can act with them.
    function armBubbling(address target, bytes calldata data) external {
        _armed.push(Call(target, data, true));
    }

    /// @dev The wallet acts as itself, outside any receipt: its errors are the caller's.
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        return Address.functionCall(target, data);
    }

    /// @dev Whether a receipt has made any armed call yet.
    function attempted() external view returns (bool) {
        return _outcomes.length != 0;
    }

    /// @dev How the `index`th armed call ended, in the order they were made: whether it succeeded,
    /// and what it returned or the data it reverted with.
    function outcome(uint256 index) external view returns (bool succeeded, bytes memory result) {
        Outcome storage o = _outcomes[index];
        return (o.succeeded, o.result);
    }

    function onERC1155Received(address, address, uint256, uint256, bytes memory) public override returns (bytes4) {
        _act();
        return this.onERC1155Received.selector;
    }

    function onERC1155BatchReceived(address, address, uint256[] memory, uint256[] memory, bytes memory)
        public
        override
        returns (bytes4)
    {
        _act();
        return this.onERC1155BatchReceived.selector;
    }

    /// @dev Disarms before calling, so units that a call itself delivers here find nothing to do.
    function _act() private {
        Call[] memory calls = _armed;
        delete _armed;
        for (uint256 i; i < calls.length; ++i) {
            // slither-disable-next-line low-level-calls (the test wallet makes whatever call it was armed with)
            (bool ok, bytes memory result) = calls[i].target.call(calls[i].data);
            if (calls[i].bubble) Address.verifyCallResult(ok, result);
            _outcomes.push(Outcome(ok, result));
        }
    }
}
