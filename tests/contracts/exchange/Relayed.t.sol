// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {Errors} from "@openzeppelin/contracts/utils/Errors.sol";

import {ISecuredExchange} from "../../../contracts/interfaces/ISecuredExchange.sol";

import {ExchangeBase} from "./ExchangeBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Holders use the exchange without gas: a relayer submits their forward request, whose
/// `to` is the exchange, through the same forwarder as the asset's; the exchange acts for the
/// holder who signed it, never for the relayer.
contract ExchangeRelayedTest is ExchangeBase {
    bytes32 internal constant FORWARD_REQUEST_TYPEHASH = keccak256(
        "ForwardRequest(address from,address to,uint256 value,uint256 gas,uint256 nonce,uint48 deadline,bytes data)"
    );
    uint256 internal constant GAS = 500_000;
    address internal relayer;

    function setUp() public override {
        super.setUp();
        relayer = makeAddr("relayer");
    }

    function request(address from, uint256 key, bytes memory data)
        internal
        view
        returns (ERC2771Forwarder.ForwardRequestData memory r)
    {
        uint48 until = uint48(block.timestamp + 1 hours);
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("SDAP Holder Forwarder"),
                keccak256("1"),
                block.chainid,
                address(forwarder)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                FORWARD_REQUEST_TYPEHASH,
                from,
                address(exchange),
                0,
                GAS,
                forwarder.nonces(from),
                until,
                keccak256(data)
            )
        );
        r = ERC2771Forwarder.ForwardRequestData({
            from: from,
            to: address(exchange),
            value: 0,
            gas: GAS,
            deadline: until,
            data: data,
            signature: sign(key, keccak256(abi.encodePacked("\x19\x01", domain, structHash)))
        });
    }

    function relay(ERC2771Forwarder.ForwardRequestData memory r) internal {
        vm.prank(relayer);
        forwarder.execute(r);
    }

    /// @dev bob signs a request to take alice's offer: bob is the taker, the relayer nothing.
    function test_RelayedTakeIsTheSigners() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory signature = signOffer(offer, aliceKey);
        ERC2771Forwarder.ForwardRequestData memory r =
            request(bob, bobKey, abi.encodeCall(ISecuredExchange.take, (offer, signature)));
        vm.expectEmit(address(exchange));
        emit ISecuredExchange.OfferTaken(exchange.offerHash(offer), alice, bob, offer);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(address(exchange), alice, bob, issuanceId, 100);
        relay(r);
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 100);
        assertEq(asset.balanceOf(bob, otherId), MINTED - 40);
    }

    /// @dev alice relays a request to take her own offer: still the maker, refused (the forwarder
    /// reports the failed call; checkOffer gives the reason for the signer).
    function test_RevertWhen_RelayedTakeIsTheMakers() public {
        ISecuredExchange.Offer memory offer = swapOffer(100, 40, 1);
        bytes memory signature = signOffer(offer, aliceKey);
        ERC2771Forwarder.ForwardRequestData memory r =
            request(alice, aliceKey, abi.encodeCall(ISecuredExchange.take, (offer, signature)));
        (ISecuredExchange.OfferRefusal refusal,) = exchange.checkOffer(offer, signature, alice);
        assertEq(uint256(refusal), uint256(ISecuredExchange.OfferRefusal.TakerNotAllowed));
        vm.expectRevert(abi.encodeWithSelector(Errors.FailedCall.selector));
        relay(r);
        assertFalse(exchange.isNonceUsed(alice, 1), "nothing spent");
        // The relayer itself is no taker of anything: it signed nothing.
        assertEq(asset.balanceOf(relayer, issuanceId), 0);
    }

    function test_RelayedCancelAndEscrowAreTheSigners() public {
        relay(request(alice, aliceKey, abi.encodeCall(ISecuredExchange.cancelOffer, (7))));
        assertTrue(exchange.isNonceUsed(alice, 7), "alice's nonce");
        assertFalse(exchange.isNonceUsed(relayer, 7), "not the relayer's");
        bytes memory open = abi.encodeCall(
            ISecuredExchange.openEscrow, (issuanceId, 50, bob, agent, 15_000_00, bytes3("KZT"), deadline())
        );
        relay(request(alice, aliceKey, open));
        assertEq(exchange.escrow(1).seller, alice, "the seller is the signer");
        assertEq(asset.escrowedUnits(issuanceId, alice), 50);
    }
}
