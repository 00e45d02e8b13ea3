// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC1155Holder} from "@openzeppelin/contracts/token/ERC1155/utils/ERC1155Holder.sol";

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredExchange} from "../../../contracts/interfaces/ISecuredExchange.sol";

import {Base} from "../Base.t.sol";
import {ContractWallet} from "../utils/ContractWallet.sol";
import {TestEMoney} from "../utils/TestEMoney.sol";
import {vm} from "../utils/Vm.sol";

/// @notice A contract wallet (ERC-1271, its owner's key signs for it) that can hold units (it
/// accepts ERC-1155 receipts) and act on-chain through its owner: a smart-account participant.
contract HoldingContractWallet is ContractWallet, ERC1155Holder {
    constructor(address owner_) ContractWallet(owner_) {}

    function execute(address target, bytes calldata data) external returns (bytes memory) {
        require(msg.sender == owner, "not the owner");
        (bool ok, bytes memory result) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(result, 32), mload(result))
            }
        }
        return result;
    }
}

/// @notice The shared fixture plus the exchange: a second issuance (`otherId`) minted to alice and
/// bob, a listed e-money token in tenge with balances for alice and bob, and a settlement agent.
abstract contract ExchangeBase is Base {
    /// @dev secp256k1's group order: `n - s` is the other (high) s of a signature.
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    uint256 internal constant MONEY = 1_000_000_00;
    bytes32 internal constant OFFER_TYPEHASH = keccak256(
        "Offer(address maker,address taker,address giveToken,uint256 giveId,uint256 giveAmount,address wantToken,"
        "uint256 wantId,uint256 wantAmount,uint256 nonce,uint64 expiry)"
    );

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
        money.mint(alice, MONEY);
        money.mint(bob, MONEY);
        agent = makeAddr("settlement agent");
        agentRole = registry.SETTLEMENT_AGENT_ROLE();
        vm.startPrank(regulator);
        exchange.listPaymentToken(address(money), "KZT");
        registry.grantRole(agentRole, agent);
        vm.stopPrank();
    }

    /*//////////////////////////////////////////////////////////////
                                 OFFERS
    //////////////////////////////////////////////////////////////*/

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

    /// @dev alice buys `units` of `issuanceId` for `price` tiyn of the e-money token.
    function buyOffer(uint256 units, uint256 price, uint256 nonce)
        internal
        view
        returns (ISecuredExchange.Offer memory offer)
    {
        offer = swapOffer(price, units, nonce);
        (offer.giveToken, offer.giveId) = (address(money), 0);
        offer.wantId = issuanceId;
    }

    function signOffer(ISecuredExchange.Offer memory offer, uint256 key) internal view returns (bytes memory) {
        return sign(key, exchange.offerHash(offer));
    }

    /// @dev The EIP-712 digest of `offer` computed here from the documented domain and type, for
    /// `chainId` and `verifyingContract`: what a wallet's eth_signTypedData_v4 signs.
    function typedDigest(ISecuredExchange.Offer memory offer, uint256 chainId, address verifyingContract)
        internal
        pure
        returns (bytes32)
    {
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("SDAP Exchange"),
                keccak256("1"),
                chainId,
                verifyingContract
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                OFFER_TYPEHASH,
                offer.maker,
                offer.taker,
                offer.giveToken,
                offer.giveId,
                offer.giveAmount,
                offer.wantToken,
                offer.wantId,
                offer.wantAmount,
                offer.nonce,
                offer.expiry
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    /// @dev The same signature with the other s (n - s) and the other v: valid for plain ecrecover,
    /// refused by OpenZeppelin's checker.
    function malleable(bytes memory signature) internal pure returns (bytes memory) {
        (bytes32 r, bytes32 s, uint8 v) = split(signature);
        return abi.encodePacked(r, bytes32(SECP256K1_N - uint256(s)), v == 27 ? uint8(28) : uint8(27));
    }

    function split(bytes memory signature) internal pure returns (bytes32 r, bytes32 s, uint8 v) {
        assembly {
            r := mload(add(signature, 32))
            s := mload(add(signature, 64))
            v := byte(0, mload(add(signature, 96)))
        }
    }

    /// @dev `taker` takes `offer` signed by alice.
    function takeAs(address taker, ISecuredExchange.Offer memory offer) internal returns (bytes32) {
        bytes memory signature = signOffer(offer, aliceKey);
        vm.prank(taker);
        return exchange.take(offer, signature);
    }

    /*//////////////////////////////////////////////////////////////
                                ESCROWS
    //////////////////////////////////////////////////////////////*/

    /// @dev alice holds `amount` units of `issuanceId` for bob at 300 tenge each, confirmed by the
    /// agent within a day.
    function openEscrow(uint256 amount) internal returns (uint256 escrowId) {
        vm.prank(alice);
        escrowId = exchange.openEscrow(issuanceId, amount, bob, agent, amount * 300_00, "KZT", deadline());
    }

    function deadline() internal pure returns (uint64) {
        return uint64(START + 1 days);
    }

    /*//////////////////////////////////////////////////////////////
                              OTHER FIXTURES
    //////////////////////////////////////////////////////////////*/

    /// @dev An issuance run by another permitted operator (same issuer, collateral for COVERED
    /// units), MINTED minted to alice and bob.
    function foreignIssuance() internal returns (address operator2, uint256 id) {
        operator2 = permittedOperator("operator2", uint64(START));
        id = createIssuanceAs(operator2, issuanceParams(), issuerKey);
        attest(id, COVERED);
        vm.startPrank(operator2);
        asset.mint(id, alice, MINTED);
        asset.mint(id, bob, MINTED);
        vm.stopPrank();
    }

    /// @dev A registered contract-wallet participant owned by `ownerKey`'s address, having
    /// acknowledged the notice, holding MINTED units of `issuanceId`.
    function contractWalletParticipant(address owner_) internal returns (HoldingContractWallet wallet) {
        wallet = new HoldingContractWallet(owner_);
        register(address(wallet));
        uint32 version = registry.noticeInForce();
        vm.prank(owner_);
        wallet.execute(address(registry), abi.encodeCall(IPlatformRegistry.acknowledgeRiskNotice, (version)));
        vm.prank(operator);
        asset.mint(issuanceId, address(wallet), MINTED);
    }

    function freezeAccount(address wallet) internal {
        vm.prank(compliance);
        registry.freezeParticipant(wallet, keccak256("aml"));
    }

    function notEligible(address account, IPlatformRegistry.ParticipantStatus status)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ParticipantNotEligible.selector, account, status);
    }

    function assertRefusal(
        ISecuredExchange.OfferRefusal expected,
        ISecuredAssetTypes.Refusal expectedLeg,
        ISecuredExchange.Offer memory offer,
        bytes memory signature,
        address taker
    ) internal view {
        (ISecuredExchange.OfferRefusal got, ISecuredAssetTypes.Refusal leg) =
            exchange.checkOffer(offer, signature, taker);
        assertEq(uint256(got), uint256(expected), "offer refusal");
        assertEq(uint256(leg), uint256(expectedLeg), "leg refusal");
    }
}
