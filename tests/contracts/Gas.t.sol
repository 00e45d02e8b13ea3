// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../contracts/interfaces/ISecuredAssetTypes.sol";

import {Base} from "./Base.t.sol";
import {PlainERC1155} from "./utils/PlainERC1155.sol";
import {vm} from "./utils/Vm.sol";

/// @notice Gas of the main operations of the compliant asset next to a plain OpenZeppelin ERC-1155
/// doing the same thing, measured in one run and written to `snapshots/secured.json` and
/// `snapshots/plain.json` by `forge test --match-contract GasTest` (`scripts/gas_table.py` turns
/// them into the README's table). Each operation is recorded twice: `<op>` is the execution gas
/// forge measures, `<op>.tx` the whole transaction (plus the 21,000 base and the calldata cost),
/// the basis of published figures such as ERC-3643's. Recipients already hold units of the id,
/// as in steady circulation.
contract GasTest is Base {
    PlainERC1155 internal plain;
    uint256[] internal batchIds;
    uint256[] internal plainBatchIds;
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
            plainBatchIds.push(id + 100);
            batchAmounts.push(1);
        }
    }

    /// @dev Records the last call's execution gas and its whole-transaction gas; returns the latter.
    function record(string memory group, string memory name, bytes memory callData) internal returns (uint256 total) {
        total = vm.snapshotGasLastCall(group, name) + transactionOverhead(callData);
        vm.snapshotValue(group, string.concat(name, ".tx"), total);
    }

    /// @dev The intrinsic gas of a call transaction: 21,000 plus 4 per zero and 16 per other byte.
    function transactionOverhead(bytes memory callData) internal pure returns (uint256 gas) {
        gas = 21_000;
        for (uint256 i; i < callData.length; ++i) {
            gas += callData[i] == 0 ? 4 : 16;
        }
    }

    /// @dev With the issuer's consent, whose signature check and nonce are part of the cost.
    function test_Gas_CreateIssuance() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        ISecuredAssetTypes.IssuerConsent memory consent = issuerConsent(p, operator, issuerKey);
        vm.prank(operator);
        asset.createIssuance(p, consent);
        record("secured", "createIssuance", abi.encodeCall(asset.createIssuance, (p, consent)));
    }

    function test_Gas_Mint() public {
        vm.prank(operator);
        asset.mint(issuanceId, bob, 10);
        record("secured", "mint", abi.encodeCall(asset.mint, (issuanceId, bob, 10)));
        plain.mint(bob, 1, 10);
        record("plain", "mint", abi.encodeCall(plain.mint, (bob, 1, 10)));
    }

    function test_Gas_Transfer() public {
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 10, "");
        uint256 secured =
            record("secured", "transfer", abi.encodeCall(asset.safeTransferFrom, (alice, bob, issuanceId, 10, "")));
        vm.prank(alice);
        plain.safeTransferFrom(alice, bob, 1, 10, "");
        uint256 baseline = record("plain", "transfer", abi.encodeCall(plain.safeTransferFrom, (alice, bob, 1, 10, "")));
        // Targets: at most twice the plain transfer, under half of ERC-3643's published 155,742.
        assertLe(secured, 2 * baseline, "compliant transfer over 2x plain");
        assertLe(secured, 155_742 / 2, "compliant transfer over half of ERC-3643");
    }

    function test_Gas_BatchTransfer10() public {
        vm.prank(alice);
        asset.safeBatchTransferFrom(alice, bob, batchIds, batchAmounts, "");
        record(
            "secured",
            "batchTransfer10",
            abi.encodeCall(asset.safeBatchTransferFrom, (alice, bob, batchIds, batchAmounts, ""))
        );
        vm.prank(alice);
        plain.safeBatchTransferFrom(alice, bob, plainBatchIds, batchAmounts, "");
        record(
            "plain",
            "batchTransfer10",
            abi.encodeCall(plain.safeBatchTransferFrom, (alice, bob, plainBatchIds, batchAmounts, ""))
        );
    }

    /// @dev Both sides of a redemption, each a call through the asset to its extension.
    function test_Gas_Redemption() public {
        vm.prank(alice);
        uint256 requestId = asset.requestRedemption(issuanceId, alice, 10, keccak256("delivery"));
        record(
            "secured",
            "requestRedemption",
            abi.encodeCall(asset.requestRedemption, (issuanceId, alice, 10, keccak256("delivery")))
        );
        vm.prank(issuer);
        asset.confirmRedemption(requestId, keccak256("delivered"));
        record(
            "secured", "confirmRedemption", abi.encodeCall(asset.confirmRedemption, (requestId, keccak256("delivered")))
        );
    }

    function test_Gas_Encumber() public {
        vm.prank(alice);
        asset.encumber(issuanceId, 10, bob, keccak256("pledge"), 0);
        record("secured", "encumber", abi.encodeCall(asset.encumber, (issuanceId, 10, bob, keccak256("pledge"), 0)));
    }
}
