// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";
import {ISecuredExchange} from "../../../contracts/interfaces/ISecuredExchange.sol";

import {Base} from "../Base.t.sol";
import {TestEMoney} from "../utils/TestEMoney.sol";
import {vm} from "../utils/Vm.sol";
import {Handler} from "./Handler.sol";
import {HandlerBase} from "./HandlerBase.sol";

/// @notice The fixture every invariant suite shares, and the target selection: the platform's
/// rules are checked after every call of random sequences of every state-changing function
/// (Sablier v2-core `tests/invariant/` pattern). Each `invariant_` runs its own campaign of
/// `[invariant] runs x depth` calls, all through {Handler}: it is the only target, so the fuzzer
/// never calls the registry, the collateral or the asset directly.
/// @dev forge-std's StdInvariant is not available, so the target functions forge looks for
/// (`targetContracts`, `targetSelectors`) are declared here.
abstract contract InvariantBase is Base {
    /// @dev The ABI forge expects from `targetSelectors()`.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    Handler internal handler;
    /// @dev The fixture's actors. Every wallet that may hold units (these, the two issuers and the
    /// replacement wallets recoveries bring) is `handler.holders()`.
    address[] internal actors;

    /// @dev The second issuance's cap, below its collateral, so that the cap binds first.
    uint256 internal constant CAPPED_MAX_SUPPLY = 2000;

    // Beyond Base: a second operator, issuer, verifier and type with an issuance of their own
    // (capped by its max supply where Base's is capped by collateral), and holders in the
    // remaining states. The issuers are participants, so units can be returned to them.
    address internal operator2;
    address internal supervisor; // SUPERVISOR_ROLE: pauses with the regulator's authority
    address internal newcomer; // OPERATOR_ROLE, never a permit
    address internal issuer2;
    uint256 internal issuer2Key;
    address internal verifier2;
    uint256 internal verifier2Key;
    uint32 internal servicesType;
    address internal erin; // frozen by compliance, holds units
    uint256 internal erinKey;
    address internal frank; // identity expired, holds units
    uint256 internal frankKey;
    TestEMoney internal money; // listed for payment; every actor and issuer holds some
    address internal agent; // SETTLEMENT_AGENT_ROLE

    function setUp() public virtual override {
        super.setUp();
        operator2 = makeAddr("operator2");
        supervisor = makeAddr("supervisor");
        newcomer = makeAddr("newcomer");
        (issuer2, issuer2Key) = makeKey("issuer2");
        (verifier2, verifier2Key) = makeKey("verifier2");
        (erin, erinKey) = makeKey("erin");
        (frank, frankKey) = makeKey("frank");

        bytes32 operatorRole = registry.OPERATOR_ROLE();
        bytes32 verifierRole = registry.VERIFIER_ROLE();
        vm.startPrank(regulator);
        registry.grantRole(operatorRole, operator2);
        registry.grantRole(operatorRole, newcomer);
        registry.grantRole(verifierRole, verifier2);
        registry.grantRole(registry.SUPERVISOR_ROLE(), supervisor);
        registry.grantPermit(operator2, uint64(START), uint64(START + 365 days), keccak256("permit-002"));
        registry.registerIssuer(issuer2, "Kostanay Mills JSC", "210987654321", "KZ", keccak256("issuer2-details"));
        servicesType = registry.listAssetType("Grain storage service", IPlatformRegistry.AssetCategory.Services);
        vm.stopPrank();

        onboard(erin);
        onboard(issuer);
        vm.prank(operator2);
        registry.registerParticipant(issuer2, keccak256("kyc issuer2"), uint64(START + 730 days));
        acknowledge(issuer2);
        vm.prank(operator);
        registry.registerParticipant(frank, keccak256("kyc frank"), uint64(block.timestamp + 1 hours));
        acknowledge(frank);
        vm.startPrank(operator);
        asset.mint(issuanceId, erin, MINTED / 2);
        asset.mint(issuanceId, frank, MINTED / 2);
        vm.stopPrank();
        createCappedIssuance();
        vm.prank(compliance);
        registry.freezeParticipant(erin, keccak256("aml"));
        vm.warp(block.timestamp + 2 hours);

        // alice, bob: eligible; carol: has not acknowledged; dave: never registered.
        address[6] memory all = [alice, bob, carol, dave, erin, frank];
        for (uint256 i; i < all.length; ++i) {
            actors.push(all[i]);
        }
        // Base made dave with makeAddr, whose key is the hash of the name.
        uint256[] memory keys = new uint256[](6);
        (keys[0], keys[1], keys[2], keys[3], keys[4], keys[5]) =
        (aliceKey, bobKey, carolKey, uint256(keccak256("dave")), erinKey, frankKey);

        // The exchange: an e-money token listed, held by everyone who may hold units; an agent.
        money = new TestEMoney();
        for (uint256 i; i < all.length; ++i) {
            money.mint(all[i], 1_000_000_00);
        }
        money.mint(issuer, 1_000_000_00);
        money.mint(issuer2, 1_000_000_00);
        agent = makeAddr("settlement agent");
        bytes32 agentRole = registry.SETTLEMENT_AGENT_ROLE();
        vm.startPrank(regulator);
        ISecuredExchange(asset.exchange()).listPaymentToken(address(money), "KZT");
        registry.grantRole(agentRole, agent);
        vm.stopPrank();

        handler = new Handler(
            HandlerBase.Setup({
                registry: registry,
                collateral: collateral,
                asset: asset,
                regulator: regulator,
                supervisor: supervisor,
                compliance: compliance,
                verifiers: [verifier, verifier2],
                verifierKeys: [verifierKey, verifier2Key],
                operators: [operator, operator2],
                newcomer: newcomer,
                issuers: [issuer, issuer2],
                issuerKeys: [issuerKey, issuer2Key],
                assetTypes: [goodsType, servicesType],
                actors: actors,
                actorKeys: keys,
                money: money,
                agent: agent
            })
        );
        vm.label(address(handler), "Handler");
    }

    /// @dev Issuance 2: operator2's, for issuer2, capped at CAPPED_MAX_SUPPLY with collateral for
    /// more (signed by verifier2), some units minted to alice and bob.
    function createCappedIssuance() internal {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        (p.issuer, p.assetType, p.maxSupply) = (issuer2, servicesType, CAPPED_MAX_SUPPLY);
        uint256 id = createIssuanceAs(operator2, p, issuer2Key);
        ICollateralAttestations.Attestation memory a = attestation(id, 5 * MINTED);
        a.owner = issuer2;
        bytes memory signature = signAttestation(a, verifier2Key);
        vm.startPrank(operator2);
        collateral.attach(a, signature);
        asset.mint(id, alice, MINTED / 2);
        asset.mint(id, bob, MINTED / 2);
        vm.stopPrank();
    }

    /*//////////////////////////////////////////////////////////////
                           TARGET SELECTION
    //////////////////////////////////////////////////////////////*/

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    /// @dev Every handler function, the ones that move units three times and those that enable
    /// them twice: forge picks among the listed selectors uniformly, so repeats weigh the campaign
    /// towards circulation and away from the administrative calls around it.
    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[34] memory once = [
            handler.warp.selector,
            handler.withdrawConsent.selector,
            handler.grantPermit.selector,
            handler.recordOperatorDetails.selector,
            handler.succeedIssuances.selector,
            handler.renewPermit.selector,
            handler.suspendPermit.selector,
            handler.reinstatePermit.selector,
            handler.revokePermit.selector,
            handler.setOperatorRole.selector,
            handler.setIssuerStatus.selector,
            handler.updateIssuer.selector,
            handler.delistAssetType.selector,
            handler.relistAssetType.selector,
            handler.registerParticipant.selector,
            handler.updateParticipantIdentity.selector,
            handler.freezeParticipant.selector,
            handler.unfreezeParticipant.selector,
            handler.publishRiskNotice.selector,
            handler.invalidateNonce.selector,
            handler.revokeAttestation.selector,
            handler.withdrawAccreditation.selector,
            handler.accredit.selector,
            handler.syncCoverage.selector,
            handler.pause.selector,
            handler.unpause.selector,
            handler.close.selector,
            handler.freezeUnits.selector,
            handler.unfreezeUnits.selector,
            handler.cancelOffer.selector,
            handler.setAgentRole.selector,
            handler.setPaymentTokenListed.selector,
            handler.setFrozenTokens.selector,
            handler.cancelEscrow.selector
        ];
        bytes4[14] memory twice = [
            handler.createIssuance.selector,
            handler.confirmRedemption.selector,
            handler.refuseRedemption.selector,
            handler.recoverParticipant.selector,
            handler.attach.selector,
            handler.renew.selector,
            handler.acknowledgeRiskNotice.selector,
            handler.acknowledgeRiskNoticeBySig.selector,
            handler.setApprovalForAll.selector,
            handler.release.selector,
            handler.returnToIssuer.selector,
            handler.actWithoutPermit.selector,
            handler.confirmPayment.selector,
            handler.lapseEscrow.selector
        ];
        bytes4[11] memory thrice = [
            handler.mint.selector,
            handler.recoverHoldings.selector,
            handler.transfer.selector,
            handler.operatorTransfer.selector,
            handler.batchTransfer.selector,
            handler.requestRedemption.selector,
            handler.encumber.selector,
            handler.enforce.selector,
            handler.forcedTransfer.selector,
            handler.takeOffer.selector,
            handler.openEscrow.selector
        ];
        bytes4[] memory selectors = new bytes4[](once.length + 2 * twice.length + 3 * thrice.length);
        uint256 n;
        for (uint256 i; i < once.length; ++i) {
            selectors[n++] = once[i];
        }
        for (uint256 copy; copy < 2; ++copy) {
            for (uint256 i; i < twice.length; ++i) {
                selectors[n++] = twice[i];
            }
        }
        for (uint256 copy; copy < 3; ++copy) {
            for (uint256 i; i < thrice.length; ++i) {
                selectors[n++] = thrice[i];
            }
        }
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector(address(handler), selectors);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev The smallest seed `s` with `s % modulus == residue` for which a handler that acts only
    /// one time in `n` (Handler._sometimes) acts.
    function acting(uint256 n, uint256 modulus, uint256 residue) internal pure returns (uint256 s) {
        for (s = residue;; s += modulus) {
            if (uint256(keccak256(abi.encode(s, "sometimes"))) % n == 0) return s;
        }
    }

    function assertNoViolation(HandlerBase.Violation v) internal view {
        if (handler.violations(v) != 0) revert(handler.firstViolation(v));
    }

    /// @dev The holders' balances of `id` (in `handler.holders()`'s order), in one call.
    function balancesOf(uint256 id) internal view returns (uint256[] memory) {
        address[] memory holders = handler.holders();
        uint256[] memory ids = new uint256[](holders.length);
        for (uint256 i; i < ids.length; ++i) {
            ids[i] = id;
        }
        return asset.balanceOfBatch(holders, ids);
    }

    function fail(string memory what, uint256 id, address account) internal pure {
        revert(string.concat(what, ": issuance ", vm.toString(id), ", account ", vm.toString(account)));
    }
}
