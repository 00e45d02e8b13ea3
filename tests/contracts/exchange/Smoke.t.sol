// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ISecuredExchange} from "../../../contracts/interfaces/ISecuredExchange.sol";
import {IERC7943MultiToken} from "../../../contracts/interfaces/IERC7943MultiToken.sol";

import {ExchangeBase} from "./ExchangeBase.t.sol";
import {vm} from "../utils/Vm.sol";

contract ExchangeSmokeTest is ExchangeBase {
    function test_SwapMovesBothLegs() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory sig = signOffer(offer, aliceKey);
        vm.prank(bob);
        exchange.take(offer, sig);
        assertEq(asset.balanceOf(alice, issuanceId), MINTED - 100);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 100);
        assertEq(asset.balanceOf(alice, otherId), MINTED + 40);
        assertEq(asset.balanceOf(bob, otherId), MINTED - 40);
    }

    function test_SaleForEMoney() public {
        ISecuredExchange.Offer memory offer = saleOffer(100, 50_000_00, 1);
        bytes memory sig = signOffer(offer, aliceKey);
        vm.startPrank(bob);
        money.approve(address(exchange), 50_000_00);
        exchange.take(offer, sig);
        vm.stopPrank();
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 100);
        assertEq(money.balanceOf(alice), 1_050_000_00);
    }

    function test_EscrowSettlesAndLapses() public {
        vm.prank(alice);
        uint256 escrowId =
            exchange.openEscrow(issuanceId, 300, bob, agent, 90_000_00, "KZT", uint64(block.timestamp + 1 days));
        assertEq(asset.escrowedUnits(issuanceId, alice), 300);
        assertEq(asset.availableUnits(issuanceId, alice), MINTED - 300);
        vm.prank(alice);
        vm.expectRevert();
        asset.safeTransferFrom(alice, bob, issuanceId, MINTED, "");
        vm.prank(agent);
        exchange.confirmPayment(escrowId, keccak256("payment 1"));
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 300);
        assertEq(asset.escrowedUnits(issuanceId, alice), 0);

        vm.prank(alice);
        uint256 second = exchange.openEscrow(issuanceId, 200, bob, agent, 1, "KZT", uint64(block.timestamp + 1 days));
        vm.warp(block.timestamp + 1 days + 1);
        exchange.lapse(second);
        assertEq(asset.escrowedUnits(issuanceId, alice), 0);
        assertEq(uint256(exchange.escrow(second).state), uint256(ISecuredExchange.EscrowState.Lapsed));
    }

    function test_AdvertisesERC7943() public view {
        assertEq(bytes32(type(IERC7943MultiToken).interfaceId), bytes32(bytes4(0x41c4fbad)));
        assertTrue(asset.supportsInterface(0x41c4fbad));
        assertTrue(asset.canTransfer(alice, bob, issuanceId, 10));
        assertFalse(asset.canTransfer(alice, dave, issuanceId, 10));
        assertEq(uint256(asset.checkTransfer(alice, bob, issuanceId, 10)), uint256(ISecuredAssetTypes.Refusal.None));
    }
}
