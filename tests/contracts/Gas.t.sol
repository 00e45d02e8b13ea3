// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Base} from "./Base.t.sol";
import {PlainERC1155} from "./utils/PlainERC1155.sol";
import {vm} from "./utils/Vm.sol";

/// @notice Gas of the main operations of the compliant asset next to a plain OpenZeppelin ERC-1155
/// doing the same thing, measured in one run and written to `snapshots/secured.json` and
/// `snapshots/plain.json` (execution gas) by `forge test --match-contract GasTest`; the README's
/// gas table comes from there. In every case the recipient already holds units of the id, as in
/// steady circulation. The targets compare whole transactions, as published figures do: execution
/// gas plus the 21,000 base and the calldata cost.
contract GasTest is Base {
    PlainERC1155 internal plain;
    uint256[] internal batchIds;
    uint256[] internal batchAmounts;

    function setUp() public override {
        super.setUp();
        plain = new PlainERC1155();
        plain.mint(alice, 1, MINTED);
        plain.mint(bob, 1, MINTED);
        for (uint256 i; i < 10; ++i) {
            uint256 id = createIssuance();
            attest(id, COVERED);
            vm.startPrank(operator);
            asset.mint(id, alice, MINTED);
            asset.mint(id, bob, MINTED);
            vm.stopPrank();
            plain.mint(alice, id + 100, MINTED);
            plain.mint(bob, id + 100, MINTED);
            batchIds.push(id);
            batchAmounts.push(1);
        }
    }

    /// @dev The intrinsic gas of a call transaction: 21,000 plus 4 per zero and 16 per other byte.
    function transactionOverhead(bytes memory callData) internal pure returns (uint256 gas) {
        gas = 21_000;
        for (uint256 i; i < callData.length; ++i) {
            gas += callData[i] == 0 ? 4 : 16;
        }
    }

    function test_Gas_CreateIssuance() public {
        vm.prank(operator);
        asset.createIssuance(issuanceParams());
        vm.snapshotGasLastCall("secured", "createIssuance");
    }

    function test_Gas_Mint() public {
        vm.prank(operator);
        asset.mint(issuanceId, bob, 10);
        vm.snapshotGasLastCall("secured", "mint");
        plain.mint(bob, 1, 10);
        vm.snapshotGasLastCall("plain", "mint");
    }

    function test_Gas_Transfer() public {
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 10, "");
        uint256 secured = vm.snapshotGasLastCall("secured", "transfer")
            + transactionOverhead(abi.encodeCall(asset.safeTransferFrom, (alice, bob, issuanceId, 10, "")));
        vm.prank(alice);
        plain.safeTransferFrom(alice, bob, 1, 10, "");
        uint256 baseline = vm.snapshotGasLastCall("plain", "transfer")
            + transactionOverhead(abi.encodeCall(plain.safeTransferFrom, (alice, bob, 1, 10, "")));
        // Targets: at most twice the plain transfer, under half of ERC-3643's published 155,742.
        assertLe(secured, 2 * baseline, "compliant transfer over 2x plain");
        assertLe(secured, 155_742 / 2, "compliant transfer over half of ERC-3643");
    }

    function test_Gas_BatchTransfer10() public {
        vm.prank(alice);
        asset.safeBatchTransferFrom(alice, bob, batchIds, batchAmounts, "");
        vm.snapshotGasLastCall("secured", "batchTransfer10");
        uint256[] memory plainIds = new uint256[](10);
        for (uint256 i; i < 10; ++i) {
            plainIds[i] = batchIds[i] + 100;
        }
        vm.prank(alice);
        plain.safeBatchTransferFrom(alice, bob, plainIds, batchAmounts, "");
        vm.snapshotGasLastCall("plain", "batchTransfer10");
    }

    function test_Gas_Encumber() public {
        vm.prank(alice);
        asset.encumber(issuanceId, 10, bob, keccak256("pledge"), 0);
        vm.snapshotGasLastCall("secured", "encumber");
    }
}
