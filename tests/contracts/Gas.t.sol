// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ISecuredExchange} from "../../contracts/interfaces/ISecuredExchange.sol";

import {Base} from "./Base.t.sol";
import {PlainERC1155} from "./utils/PlainERC1155.sol";
import {TestEMoney} from "./utils/TestEMoney.sol";
import {vm} from "./utils/Vm.sol";

/// @notice Gas of the main operations of the compliant asset next to a plain OpenZeppelin ERC-1155
/// doing the same thing, measured in one run and written to `snapshots/secured.json` and
/// `snapshots/plain.json` by `forge test --match-contract GasTest` (`scripts/gas_table.py` turns
/// them into the README's table). Each operation is recorded twice: `<op>` is the execution gas
/// forge measures, `<op>.tx` the whole transaction (plus the 21,000 base and the calldata cost),
/// the basis of published figures such as ERC-3643's. Recipients already hold units of the id,
/// as in steady circulation. Both tokens are measured cold, as a sender pays: the plain token's
/// parties are other accounts than the asset's, so nothing the asset's call touched is warm for it
/// (each test runs as its own transaction, so nothing is warm from `setUp` either). An exchange moves two legs: a swap (units for units), a sale for the
/// e-money token and a settlement against off-chain payment are reported next to two plain
/// transfers (`twoTransfers.tx`, twice the plain transfer), what the same exchange costs with no
/// exchange contract, each party sending its leg.
contract GasTest is Base {
    PlainERC1155 internal plain;
    // The plain token's own holders: accounts the compliant call never touches.
    address internal plainAlice = makeAddr("plain alice");
    address internal plainBob = makeAddr("plain bob");
    ISecuredExchange internal exchange;
    TestEMoney internal money;
    address internal agent;
    uint256[] internal batchIds;
    uint256[] internal plainBatchIds;
    uint256[] internal batchAmounts;

    // The limits a regression must not cross (issue 16; whole transactions, both tokens cold): a
    // transfer and a 10-item batch at most 1.35x the plain token's, a mint at most 2x, an
    // encumbrance at most 120,000 gas.
    uint256 internal constant TRANSFER_LIMIT_PERCENT = 135;
    uint256 internal constant BATCH_LIMIT_PERCENT = 135;
    uint256 internal constant MINT_LIMIT_PERCENT = 200;
    uint256 internal constant ENCUMBER_LIMIT = 120_000;

    function setUp() public override {
        super.setUp();
        plain = new PlainERC1155();
        plain.mint(plainAlice, 1, MINTED);
        plain.mint(plainBob, 1, MINTED);
        for (uint256 i; i < 10; ++i) {
            uint256 id = createIssuance();
            attest(id, COVERED);
            vm.startPrank(operator);
            asset.mint(id, alice, MINTED);
            asset.mint(id, bob, MINTED);
            vm.stopPrank();
            plain.mint(plainAlice, id + 100, MINTED);
            plain.mint(plainBob, id + 100, MINTED);
            batchIds.push(id);
            plainBatchIds.push(id + 100);
            batchAmounts.push(1);
        }
        // The exchange: the e-money token listed, alice and bob holding some, a settlement agent.
        exchange = ISecuredExchange(asset.exchange());
        money = new TestEMoney();
        money.mint(alice, 1_000_000_00);
        money.mint(bob, 1_000_000_00);
        agent = makeAddr("settlement agent");
        bytes32 agentRole = registry.SETTLEMENT_AGENT_ROLE();
        vm.startPrank(regulator);
        exchange.listPaymentToken(address(money), "KZT");
        registry.grantRole(agentRole, agent);
        vm.stopPrank();
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

    /// @dev A mint to a holder of the id, collateral already counted for it (as in steady issuance).
    function test_Gas_Mint() public {
        vm.prank(operator);
        asset.mint(issuanceId, bob, 10);
        uint256 secured = record("secured", "mint", abi.encodeCall(asset.mint, (issuanceId, bob, 10)));
        plain.mint(plainBob, 1, 10);
        uint256 baseline = record("plain", "mint", abi.encodeCall(plain.mint, (plainBob, 1, 10)));
        assertLe(secured * 100, baseline * MINT_LIMIT_PERCENT, "compliant mint over 2x plain");
    }

    function test_Gas_Transfer() public {
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 10, "");
        uint256 secured =
            record("secured", "transfer", abi.encodeCall(asset.safeTransferFrom, (alice, bob, issuanceId, 10, "")));
        vm.prank(plainAlice);
        plain.safeTransferFrom(plainAlice, plainBob, 1, 10, "");
        uint256 baseline =
            record("plain", "transfer", abi.encodeCall(plain.safeTransferFrom, (plainAlice, plainBob, 1, 10, "")));
        assertLe(secured * 100, baseline * TRANSFER_LIMIT_PERCENT, "compliant transfer over its limit");
        // An exchange's baseline: each party sends its leg, two plain transfers.
        vm.snapshotValue("plain", "twoTransfers.tx", 2 * baseline);
    }

    function test_Gas_BatchTransfer10() public {
        vm.prank(alice);
        asset.safeBatchTransferFrom(alice, bob, batchIds, batchAmounts, "");
        uint256 secured = record(
            "secured",
            "batchTransfer10",
            abi.encodeCall(asset.safeBatchTransferFrom, (alice, bob, batchIds, batchAmounts, ""))
        );
        vm.prank(plainAlice);
        plain.safeBatchTransferFrom(plainAlice, plainBob, plainBatchIds, batchAmounts, "");
        uint256 baseline = record(
            "plain",
            "batchTransfer10",
            abi.encodeCall(plain.safeBatchTransferFrom, (plainAlice, plainBob, plainBatchIds, batchAmounts, ""))
        );
        assertLe(secured * 100, baseline * BATCH_LIMIT_PERCENT, "compliant batch over its limit");
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
        uint256 secured = record(
            "secured", "encumber", abi.encodeCall(asset.encumber, (issuanceId, 10, bob, keccak256("pledge"), 0))
        );
        assertLe(secured, ENCUMBER_LIMIT, "encumbrance over its limit");
    }

    /// @dev alice's offer of 10 units of `issuanceId` for `wantAmount` of `wantToken` (id `wantId`).
    function offer(address wantToken, uint256 wantId, uint256 wantAmount)
        internal
        view
        returns (ISecuredExchange.Offer memory)
    {
        return ISecuredExchange.Offer({
            maker: alice,
            taker: address(0),
            giveToken: address(asset),
            giveId: issuanceId,
            giveAmount: 10,
            wantToken: wantToken,
            wantId: wantId,
            wantAmount: wantAmount,
            nonce: uint256(keccak256("a random 128-bit nonce")) >> 128,
            expiry: uint64(block.timestamp + 1 days)
        });
    }

    /// @dev A swap (DvD): bob takes alice's offer of units of one issuance for units of another;
    /// the maker's signature, its nonce and both legs' rules are part of the cost.
    function test_Gas_Swap() public {
        ISecuredExchange.Offer memory o = offer(address(asset), batchIds[0], 5);
        bytes memory signature = sign(aliceKey, exchange.offerHash(o));
        vm.prank(bob);
        exchange.take(o, signature);
        record("secured", "swap", abi.encodeCall(exchange.take, (o, signature)));
    }

    /// @dev Delivery against an on-chain payment: bob takes alice's sale for the e-money token
    /// (his allowance given beforehand, as a wallet does once).
    function test_Gas_SaleForEMoney() public {
        ISecuredExchange.Offer memory o = offer(address(money), 0, 3_000_00);
        bytes memory signature = sign(aliceKey, exchange.offerHash(o));
        vm.prank(bob);
        money.approve(address(exchange), type(uint256).max);
        vm.prank(bob);
        exchange.take(o, signature);
        record("secured", "saleForEMoney", abi.encodeCall(exchange.take, (o, signature)));
    }

    /// @dev Delivery against an off-chain payment: the seller's escrow, then the agent's
    /// confirmation, which moves the units (the settlement).
    function test_Gas_EscrowAndConfirmPayment() public {
        uint64 deadline = uint64(block.timestamp + 1 days);
        vm.prank(alice);
        uint256 escrowId = exchange.openEscrow(issuanceId, 10, bob, agent, 3_000_00, "KZT", deadline);
        record(
            "secured",
            "openEscrow",
            abi.encodeCall(exchange.openEscrow, (issuanceId, 10, bob, agent, 3_000_00, "KZT", deadline))
        );
        vm.prank(agent);
        exchange.confirmPayment(escrowId, keccak256("payment 1"));
        record("secured", "confirmPayment", abi.encodeCall(exchange.confirmPayment, (escrowId, keccak256("payment 1"))));
    }
}
