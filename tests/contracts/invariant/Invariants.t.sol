// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";
import {Handler} from "./Handler.sol";
import {HandlerBase} from "./HandlerBase.sol";

/// @notice The platform's rules, checked after every call of random sequences of every state-
/// changing function (Sablier v2-core `tests/invariant/` pattern). Each `invariant_` runs its own
/// campaign of `[invariant] runs x depth` calls, all through {Handler}: it is the only target, so
/// the fuzzer never calls the registry, the collateral or the asset directly.
/// @dev forge-std's StdInvariant is not available, so the target functions forge looks for
/// (`targetContracts`, `targetSelectors`) are declared here.
contract InvariantsTest is Base {
    /// @dev The ABI forge expects from `targetSelectors()`.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    Handler internal handler;
    address[] internal actors;

    /// @dev The second issuance's cap, below its collateral, so that the cap binds first.
    uint256 internal constant CAPPED_MAX_SUPPLY = 2000;

    // Beyond Base: a second operator, issuer and type with an issuance of their own (capped by its
    // max supply where Base's is capped by collateral), and holders in the remaining states.
    address internal operator2;
    address internal issuer2;
    uint32 internal servicesType;
    address internal erin; // frozen by compliance, holds units
    uint256 internal erinKey;
    address internal frank; // identity expired, holds units
    uint256 internal frankKey;

    function setUp() public virtual override {
        super.setUp();
        operator2 = makeAddr("operator2");
        issuer2 = makeAddr("issuer2");
        (erin, erinKey) = makeKey("erin");
        (frank, frankKey) = makeKey("frank");

        bytes32 operatorRole = registry.OPERATOR_ROLE();
        vm.startPrank(regulator);
        registry.grantRole(operatorRole, operator2);
        registry.grantPermit(operator2, uint64(START), uint64(START + 365 days), keccak256("permit-002"));
        registry.registerIssuer(issuer2, "Kostanay Mills JSC", "210987654321", "KZ", keccak256("issuer2-details"));
        servicesType = registry.listAssetType("Grain storage service", IPlatformRegistry.AssetCategory.Services);
        vm.stopPrank();

        onboard(erin);
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

        handler = new Handler(
            HandlerBase.Setup({
                registry: registry,
                collateral: collateral,
                asset: asset,
                regulator: regulator,
                compliance: compliance,
                verifier: verifier,
                verifierKey: verifierKey,
                operators: [operator, operator2],
                issuers: [issuer, issuer2],
                assetTypes: [goodsType, servicesType],
                actors: actors,
                actorKeys: keys
            })
        );
        vm.label(address(handler), "Handler");
    }

    /// @dev Issuance 2: operator2's, for issuer2, capped at CAPPED_MAX_SUPPLY with collateral for
    /// more, some units minted to alice and bob.
    function createCappedIssuance() internal {
        ISecuredAsset.IssuanceParams memory p = issuanceParams();
        (p.issuer, p.assetType, p.maxSupply) = (issuer2, servicesType, CAPPED_MAX_SUPPLY);
        vm.prank(operator2);
        uint256 id = asset.createIssuance(p);
        ICollateralAttestations.Attestation memory a = attestation(id, 5 * MINTED);
        a.owner = issuer2;
        bytes memory signature = signAttestation(a, verifierKey);
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
        bytes4[22] memory once = [
            handler.warp.selector,
            handler.grantPermit.selector,
            handler.renewPermit.selector,
            handler.suspendPermit.selector,
            handler.reinstatePermit.selector,
            handler.revokePermit.selector,
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
            handler.pause.selector,
            handler.unpause.selector,
            handler.close.selector,
            handler.freezeUnits.selector,
            handler.unfreezeUnits.selector
        ];
        bytes4[6] memory twice = [
            handler.createIssuance.selector,
            handler.attach.selector,
            handler.acknowledgeRiskNotice.selector,
            handler.acknowledgeRiskNoticeBySig.selector,
            handler.setApprovalForAll.selector,
            handler.release.selector
        ];
        bytes4[8] memory thrice = [
            handler.mint.selector,
            handler.transfer.selector,
            handler.operatorTransfer.selector,
            handler.batchTransfer.selector,
            handler.redeem.selector,
            handler.encumber.selector,
            handler.enforce.selector,
            handler.forcedTransfer.selector
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
                               INVARIANTS
    //////////////////////////////////////////////////////////////*/

    /// @dev Units exist only in the actors' wallets, as many as the model counts for each of them;
    /// the next, unknown id has none.
    function invariant_SumOfBalancesEqualsSupply() public view {
        for (uint256 id = 1; id <= handler.issuanceCount() + 1; ++id) {
            uint256[] memory balances = balancesOf(id);
            (uint256[] memory modelBalances,,) = handler.holdings(id);
            uint256 sum;
            for (uint256 i; i < balances.length; ++i) {
                if (balances[i] != modelBalances[i]) fail("balance != model", id, actors[i]);
                sum += balances[i];
            }
            assertEq(sum, asset.totalSupply(id), "sum of balances != totalSupply");
            assertEq(sum, handler.issuanceModel(id).supply, "sum of balances != model supply");
        }
    }

    /// @dev R6: supply stays within the collateral that was live at the last mint (a later expiry
    /// or revocation may lower coverage below supply; it only stops further minting), and no mint
    /// ever left supply above the live collateral.
    function invariant_SupplyNeverExceedsCoveredCollateral() public view {
        for (uint256 id = 1; id <= handler.issuanceCount(); ++id) {
            assertLe(
                asset.totalSupply(id), handler.issuanceModel(id).coverageAtLastMint, "supply > coverage at last mint"
            );
        }
        assertNoViolation(HandlerBase.Violation.MintBeyondCoverage);
    }

    function invariant_SupplyNeverExceedsMaxSupply() public view {
        for (uint256 id = 1; id <= handler.issuanceCount(); ++id) {
            uint256 maxSupply = asset.issuance(id).maxSupply;
            assertEq(maxSupply, handler.issuanceModel(id).maxSupply, "max supply changed");
            assertLe(asset.totalSupply(id), maxSupply, "supply > max supply");
        }
    }

    /// @dev Rules item 4: locked and frozen units are always backed by the holder's balance, and
    /// the chain's figures are the model's.
    function invariant_EncumberedAndFrozenNeverExceedBalance() public view {
        for (uint256 id = 1; id <= handler.issuanceCount(); ++id) {
            uint256[] memory balances = balancesOf(id);
            (, uint256[] memory modelEncumbered, uint256[] memory modelFrozen) = handler.holdings(id);
            for (uint256 i; i < balances.length; ++i) {
                uint256 encumbered = asset.encumberedUnits(id, actors[i]);
                uint256 frozen = asset.frozenUnits(id, actors[i]);
                if (encumbered + frozen > balances[i]) fail("encumbered + frozen > balance", id, actors[i]);
                if (encumbered != modelEncumbered[i]) fail("encumbered != model", id, actors[i]);
                if (frozen != modelFrozen[i]) fail("frozen != model", id, actors[i]);
            }
        }
    }

    /// @dev R8, R10: every receipt went to a wallet registered, identified, not frozen and having
    /// acknowledged the notice then in force (the handler checks each one); so, on the chain's own
    /// record, whoever holds units is registered and has acknowledged a notice.
    function invariant_NoUnregisteredOrUnacknowledgedHolder() public view {
        assertNoViolation(HandlerBase.Violation.IneligibleRecipient);
        uint256 count = handler.issuanceCount();
        for (uint256 i; i < actors.length; ++i) {
            IPlatformRegistry.Participant memory p = registry.participant(actors[i]);
            if (p.registered && p.acknowledgedNotice != 0) continue;
            for (uint256 id = 1; id <= count; ++id) {
                if (asset.balanceOf(actors[i], id) != 0) fail("unregistered or unacknowledged holder", id, actors[i]);
            }
        }
    }

    /// @dev R2: no mint, transfer, batch, approved-operator transfer, encumbrance, enforcement or
    /// redemption succeeds while the issuance is paused or closed or its operator's permit is not in
    /// force. Regulator orders (forcedTransfer) are exempt by design.
    function invariant_NothingMovesWhilePausedOrPermitInactive() public view {
        assertNoViolation(HandlerBase.Violation.HaltedMovement);
    }

    /// @dev R10: on the standard route (transfers, batches, redemptions, encumbrances) the sending
    /// wallet is registered, identified and not frozen.
    function invariant_OnlyIdentifiedParticipantsSend() public view {
        assertNoViolation(HandlerBase.Violation.IneligibleSender);
    }

    /// @dev R10, R12: an approved operator moving a holder's units is itself an identified, unfrozen
    /// participant, so every movement is attributable to a registered key.
    function invariant_OnlyIdentifiedOperatorsMoveOthersUnits() public view {
        assertNoViolation(HandlerBase.Violation.IneligibleInitiator);
    }

    /// @dev R2, R4, R12: every role and right check held, no mint went to a suspended issuer or a
    /// delisted type, and no other call succeeded that the model says must fail.
    function invariant_NoCallSucceedsAgainstTheRules() public view {
        assertNoViolation(HandlerBase.Violation.Unauthorised);
        assertNoViolation(HandlerBase.Violation.MintOutsideRegister);
        assertNoViolation(HandlerBase.Violation.RuleBroken);
    }

    /// @dev The registry and the asset report the state the model reached by the same calls.
    function invariant_StateMatchesModel() public {
        vm.warp(handler.currentTime());
        address[2] memory ops = handler.operators();
        for (uint256 i; i < 2; ++i) {
            assertEq(registry.isPermitActive(ops[i]), handler.permitActive(ops[i]), "permit state != model");
        }
        address[2] memory issuers = handler.issuers();
        for (uint256 i; i < 2; ++i) {
            assertTrue(registry.issuer(issuers[i]).status == handler.issuerStatus(issuers[i]), "issuer status != model");
        }
        uint32[2] memory types = handler.assetTypes();
        for (uint256 i; i < 2; ++i) {
            assertEq(registry.isAssetTypeListed(types[i]), handler.isListed(types[i]), "type listing != model");
        }
        assertEq(uint256(registry.noticeInForce()), uint256(handler.noticeInForce()), "notice != model");
        for (uint256 i; i < actors.length; ++i) {
            bool eligible = registry.participantStatus(actors[i]) == IPlatformRegistry.ParticipantStatus.Eligible;
            if (eligible != handler.canReceive(actors[i])) fail("eligibility != model", 0, actors[i]);
        }
        assertEq(asset.issuanceCount(), handler.issuanceCount(), "issuance count != model");
        for (uint256 id = 1; id <= handler.issuanceCount(); ++id) {
            ISecuredAsset.Issuance memory iss = asset.issuance(id);
            HandlerBase.IssuanceModel memory m = handler.issuanceModel(id);
            assertEq(iss.paused, m.paused, "paused != model");
            assertEq(iss.closed, m.closed, "closed != model");
            assertEq(iss.operator, m.operator, "operator != model");
        }
    }

    /*//////////////////////////////////////////////////////////////
                     THE HANDLER CAN REACH SUCCESS
    //////////////////////////////////////////////////////////////*/

    /// @dev A fixed walk through the handler: each kind of call it makes can succeed from the
    /// fixture, so the campaigns above explore real state changes, not only reverts.
    function test_HandlerReachesEveryKindOfSuccess() public {
        // Seeds: actor index = seed % 6 (0 alice, 1 bob, 2 carol, 3 dave, 4 erin, 5 frank); a
        // caller seed that is not 4 mod 5 picks the rightful role; id seed 16 * k is issuance
        // 1 + k % (number of issuances), so 0 is issuance 1.
        handler.mint(0, 0, 8 * 5 + 1, 1);
        assertEq(handler.successfulMints(), 1, "mint");
        handler.transfer(0, 0, 1, 8 * 10 + 1);
        handler.batchTransfer(1, 0, 0, 1, 1); // bob -> alice, two items of issuance 1 (repeated id)
        handler.setApprovalForAll(0, 1, true);
        handler.operatorTransfer(0, 0, 1, 1, 8 * 3 + 1); // bob moves alice's units to himself
        handler.redeem(0, 1, 1, 8 * 2 + 1);
        assertEq(handler.successfulMovements(), 6, "transfers and redemption");

        handler.encumber(0, 0, 1, 8 * 50 + 1, 1); // alice pledges to bob, expiring
        handler.encumber(0, 1, 0, 8 * 50 + 1, 0); // bob pledges to alice, no expiry
        assertEq(asset.encumbranceCount(), 2, "encumber");
        handler.enforce(1, 1); // the active one after index 0 is bob's pledge: enforced
        handler.release(0, 0); // alice's pledge released by its beneficiary, bob
        assertEq(asset.encumberedUnits(issuanceId, alice) + asset.encumberedUnits(issuanceId, bob), 0, "release");

        handler.freezeUnits(0, 0, 8 * 8 + 1, 1);
        assertEq(asset.frozenUnits(issuanceId, alice), 8, "freezeUnits");
        handler.unfreezeUnits(0, 0, 8 * 2 + 1, 1);
        handler.forcedTransfer(0, 4, 0, 8 * 100 + 1, 1); // regulator takes frozen erin's units
        assertEq(asset.balanceOf(erin, issuanceId), MINTED / 2 - 100, "forcedTransfer");

        handler.pause(acting(4, 32, 0), 1);
        assertTrue(asset.issuance(issuanceId).paused, "pause");
        handler.unpause(0, 1);
        handler.createIssuance(1, 0, 501);
        assertEq(asset.issuanceCount(), 3, "createIssuance");
        handler.attach(32, 100, 1, 0); // id seed 32 -> issuance 3
        handler.mint(32, 0, 8 * 10 + 1, 1);
        assertEq(asset.totalSupply(3), 10, "mint against new collateral");
        handler.revokeAttestation(acting(4, 1, 0), 1);
        handler.invalidateNonce(1);

        handler.publishRiskNotice(acting(4, 5, 0));
        assertEq(uint256(registry.noticeInForce()), 2, "publishRiskNotice");
        handler.acknowledgeRiskNotice(0, 1);
        handler.acknowledgeRiskNoticeBySig(1, 1, 1, 1);
        assertTrue(handler.canReceive(alice) && handler.canReceive(bob), "acknowledge");
        handler.registerParticipant(3, 5, 1);
        handler.updateParticipantIdentity(5, 5, 1);
        handler.freezeParticipant(acting(4, 6, 0), 1);
        handler.unfreezeParticipant(4, 1);
        assertTrue(registry.participant(dave).registered && registry.participant(alice).frozen, "participants");
        assertFalse(registry.participant(erin).frozen, "unfreezeParticipant");

        handler.suspendPermit(acting(4, 2, 1), 1);
        assertFalse(registry.isPermitActive(operator2), "suspendPermit");
        handler.reinstatePermit(1, 1);
        handler.renewPermit(1, 400, 1);
        handler.revokePermit(acting(8, 2, 1), 1);
        assertFalse(registry.isPermitActive(operator2), "revokePermit");
        handler.grantPermit(1, 1, 101, 1);
        assertTrue(registry.isPermitActive(operator2), "permit cycle");
        handler.setIssuerStatus(1, acting(2, 20, 10), 1);
        assertFalse(registry.isIssuerActive(issuer2), "suspend issuer");
        handler.setIssuerStatus(1, 0, 1);
        handler.updateIssuer(0, 1);
        handler.delistAssetType(acting(2, 2, 1), 1);
        assertFalse(registry.isAssetTypeListed(servicesType), "delistAssetType");
        handler.relistAssetType(1, 1);
        assertTrue(registry.isAssetTypeListed(servicesType) && registry.isIssuerActive(issuer2), "relist, reactivate");
        handler.warp(1);
        handler.close(33, 1); // issuance 3 still has supply: refused
        assertFalse(asset.issuance(3).closed, "close needs zero supply");

        for (uint256 v; v <= uint256(type(HandlerBase.Violation).max); ++v) {
            assertNoViolation(HandlerBase.Violation(v));
        }
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

    /// @dev The actors' balances of `id`, in one call.
    function balancesOf(uint256 id) internal view returns (uint256[] memory) {
        uint256[] memory ids = new uint256[](actors.length);
        for (uint256 i; i < ids.length; ++i) {
            ids[i] = id;
        }
        return asset.balanceOfBatch(actors, ids);
    }

    function fail(string memory what, uint256 id, address account) internal pure {
        revert(string.concat(what, ": issuance ", vm.toString(id), ", account ", vm.toString(account)));
    }
}
