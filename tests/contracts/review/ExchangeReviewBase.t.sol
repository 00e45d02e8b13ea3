// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredExchange} from "../../../contracts/interfaces/ISecuredExchange.sol";

import {Base} from "../Base.t.sol";
import {TestEMoney} from "../utils/TestEMoney.sol";
import {vm} from "../utils/Vm.sol";

/// @notice The review's own fixture for issue 15 (kept apart from tests/contracts/exchange, which
/// other helpers edit): the shared platform plus the asset's exchange, a second issuance
/// (`otherId`) minted to alice and bob, a listed e-money token in tenge and a settlement agent.
abstract contract ExchangeReviewBase is Base {
    ISecuredExchange internal exchange;
    TestEMoney internal money;
    uint256 internal otherId;
    address internal agent;
    bytes32 internal agentRole;

    function setUp() public virtual override {
        super.setUp();
        exchange = ISecuredExchange(asset.exchange());
        otherId = createIssuance();
        attest(otherId, COVERED);
        vm.startPrank(operator);
        asset.mint(otherId, alice, MINTED);
        asset.mint(otherId, bob, MINTED);
        vm.stopPrank();

        money = new TestEMoney();
        money.mint(alice, 1_000_000_00);
        money.mint(bob, 1_000_000_00);
        agent = makeAddr("settlement agent");
        agentRole = registry.SETTLEMENT_AGENT_ROLE();
        vm.startPrank(regulator);
        exchange.listPaymentToken(address(money), "KZT");
        registry.grantRole(agentRole, agent);
        vm.stopPrank();
    }

    /// @dev alice gives `give` units of `issuanceId` for `want` units of `otherId`, to anyone, for a day.
    function swapOffer(uint256 give, uint256 want, uint256 nonce)
        internal
        view
        returns (ISecuredExchange.Offer memory)
    {
        return ISecuredExchange.Offer({
            maker: alice,
            taker: address(0),
            giveToken: address(asset),
            giveId: issuanceId,
            giveAmount: give,
            wantToken: address(asset),
            wantId: otherId,
            wantAmount: want,
            nonce: nonce,
            expiry: uint64(block.timestamp + 1 days)
        });
    }

    /// @dev alice sells `units` of `issuanceId` for `price` tiyn of the e-money token.
    function saleOffer(uint256 units, uint256 price, uint256 nonce)
        internal
        view
        returns (ISecuredExchange.Offer memory offer)
    {
        offer = swapOffer(units, price, nonce);
        offer.wantToken = address(money);
        offer.wantId = 0;
    }

    function signOffer(ISecuredExchange.Offer memory offer, uint256 key) internal view returns (bytes memory) {
        return sign(key, exchange.offerHash(offer));
    }

    /// @dev alice escrows `amount` units of `issuanceId` for bob with the agent, for `period` seconds.
    function aliceEscrows(uint256 amount, uint256 period) internal returns (uint256 escrowId) {
        vm.prank(alice);
        escrowId =
            exchange.openEscrow(issuanceId, amount, bob, agent, 90_000_00, "KZT", uint64(block.timestamp + period));
    }
}
