// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Random chains of pledges, renewals, stale renewals, double pledges, revocations,
/// mints, redemptions and the passing of time over a few collateral references of one issuance.
/// After every step: each reference has at most one live attestation, its current pledge;
/// `coveredUnits` is the sum of those; `coverage(id)` matches a reference computation written
/// here; and a transfer passes if and only if the issuance is covered.
contract PledgeChainFuzzTest is Base {
    uint256 internal constant REFS = 3;
    uint256 internal constant MAX_STEPS = 24;

    /// @dev The model of one reference: its current pledge as the test attached it.
    struct Pledge {
        bytes32 current;
        bytes32 previous; // the pledge `current` superseded, if any: a stale name to renew with
        uint256 units;
        uint64 validUntil;
        bool revoked;
    }

    uint256 internal id;
    Pledge[REFS] internal pledges;
    bytes32[] internal history;
    mapping(bytes32 attestationId => uint256) internal refIndex;

    function setUp() public override {
        super.setUp();
        // Long enough for any chain: the operator's permit and the holders' identification.
        vm.startPrank(regulator);
        registry.renewPermit(operator, uint64(START + 3650 days), keccak256("permit-001 renewal"));
        registry.updateParticipantIdentity(alice, keccak256("kyc alice"), uint64(START + 3650 days));
        registry.updateParticipantIdentity(bob, keccak256("kyc bob"), uint64(START + 3650 days));
        vm.stopPrank();
        id = createIssuance();
    }

    function testFuzz_PledgeChains(uint256[MAX_STEPS] calldata steps, uint256 length) public {
        length = bound(length, 1, MAX_STEPS);
        for (uint256 i; i < length; ++i) {
            uint256 seed = steps[i];
            uint256 r = (seed >> 4) % REFS;
            uint256 op = seed % 7;
            if (op <= 1) pledge(r, seed >> 8, op == 1);
            else if (op == 2) revoke(r);
            else if (op == 3) vm.warp(block.timestamp + bound(seed >> 8, 1 minutes, 20 days));
            else if (op == 4) mint(bound(seed >> 8, 1, 2000));
            else if (op == 5) redeem(seed >> 8);
            else renewStale(r, seed >> 8);
            check();
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 STEPS
    //////////////////////////////////////////////////////////////*/

    function ref(uint256 r) internal pure returns (bytes32) {
        return keccak256(abi.encode("receipt", r));
    }

    function live(Pledge storage p) internal view returns (bool) {
        return p.current != bytes32(0) && !p.revoked && p.validUntil > block.timestamp;
    }

    /// @dev A renewal naming the current pledge, or when `bare`, a pledge naming nothing: refused
    /// while the current one is live.
    function pledge(uint256 r, uint256 seed, bool bare) internal {
        Pledge storage p = pledges[r];
        ICollateralAttestations.Attestation memory a = attestation(id, bound(seed, 1, 3000));
        a.collateralRef = ref(r);
        a.validUntil = uint64(block.timestamp + bound(seed >> 32, 1 hours, 90 days));
        if (!bare) a.supersedes = p.current;
        bytes memory signature = signAttestation(a, verifierKey);
        if (bare && live(p)) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ICollateralAttestations.Collateral_AlreadyPledged.selector, issuer, a.collateralRef, p.current
                )
            );
            vm.prank(verifier);
            collateral.attach(a, signature);
            return;
        }
        vm.prank(verifier);
        bytes32 attestationId = collateral.attach(a, signature);
        history.push(attestationId);
        refIndex[attestationId] = r;
        p.previous = p.current;
        p.current = attestationId;
        p.units = a.units;
        p.validUntil = a.validUntil;
        p.revoked = false;
    }

    /// @dev A renewal naming the pledge the current one superseded: never accepted.
    function renewStale(uint256 r, uint256 seed) internal {
        Pledge storage p = pledges[r];
        if (p.previous == bytes32(0)) return;
        ICollateralAttestations.Attestation memory a = attestation(id, bound(seed, 1, 3000));
        (a.collateralRef, a.supersedes) = (ref(r), p.previous);
        bytes memory signature = signAttestation(a, verifierKey);
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralAttestations.Collateral_NotCurrentPledge.selector, p.previous, p.current)
        );
        vm.prank(verifier);
        collateral.attach(a, signature);
    }

    function revoke(uint256 r) internal {
        Pledge storage p = pledges[r];
        if (p.current == bytes32(0) || p.revoked) return;
        vm.prank(verifier);
        collateral.revoke(p.current, keccak256("sold"));
        p.revoked = true;
    }

    function mint(uint256 amount) internal {
        uint256 supply = asset.totalSupply(id) + amount;
        uint256 covered = liveUnits();
        if (covered < supply) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    ISecuredAssetTypes.SecuredAsset_CollateralInsufficient.selector, id, covered, supply
                )
            );
        }
        vm.prank(operator);
        asset.mint(id, alice, amount);
    }

    /// @dev Redemption is open whatever the coverage.
    function redeem(uint256 seed) internal {
        uint256 balance = asset.balanceOf(alice, id);
        if (balance == 0) return;
        redeem(id, alice, bound(seed, 1, balance), keccak256("delivered"));
    }

    /*//////////////////////////////////////////////////////////////
                                 CHECKS
    //////////////////////////////////////////////////////////////*/

    function liveUnits() internal view returns (uint256 units) {
        for (uint256 r; r < REFS; ++r) {
            if (live(pledges[r])) units += pledges[r].units;
        }
    }

    /// @dev Until when the live pledges cover `supply`: the latest expiry at which those still
    /// running then cover it; 0 when they do not cover it now; forever for no supply.
    /// @dev The units of live pledges running at least until `until` (none for 0 or for good).
    function referenceLasting(uint64 until) internal view returns (uint256 lasting) {
        if (until == 0 || until == type(uint64).max) return 0;
        for (uint256 k; k < REFS; ++k) {
            if (live(pledges[k]) && pledges[k].validUntil >= until) lasting += pledges[k].units;
        }
    }

    function referenceCoveredUntil(uint256 supply) internal view returns (uint64 until) {
        if (supply == 0) return type(uint64).max;
        if (liveUnits() < supply) return 0;
        for (uint256 r; r < REFS; ++r) {
            if (!live(pledges[r])) continue;
            uint64 end = pledges[r].validUntil;
            uint256 lasting;
            for (uint256 k; k < REFS; ++k) {
                if (live(pledges[k]) && pledges[k].validUntil >= end) lasting += pledges[k].units;
            }
            if (lasting >= supply && end > until) until = end;
        }
    }

    function check() internal {
        for (uint256 r; r < REFS; ++r) {
            assertEq(collateral.pledgeOf(issuer, ref(r)), pledges[r].current, "pledgeOf");
        }
        // At most one live attestation per reference, and it is the current pledge.
        for (uint256 i; i < history.length; ++i) {
            if (collateral.attestationStatus(history[i]) == ICollateralAttestations.AttestationStatus.Live) {
                Pledge storage p = pledges[refIndex[history[i]]];
                assertEq(history[i], p.current, "a live attestation that is not its collateral's pledge");
                assertTrue(live(p), "live on the chain, not in the model");
            }
        }
        uint256 covered = liveUnits();
        assertEq(collateral.coveredUnits(address(asset), id, issuer), covered, "coveredUnits");

        uint256 supply = asset.totalSupply(id);
        uint64 until = referenceCoveredUntil(supply);
        (uint256 counted, uint64 countedUntil, uint256 lasting) =
            collateral.coverage(address(asset), id, issuer, supply);
        assertEq(counted, covered, "collateral's coverage.covered");
        assertEq(countedUntil, until, "collateral's coverage.coveredUntil");
        assertEq(lasting, referenceLasting(until), "collateral's coverage.lasting");
        ISecuredAssetTypes.Coverage memory c = asset.coverage(id);
        assertEq(c.covered, covered, "coverage.covered");
        assertEq(c.supply, supply, "coverage.supply");
        // The asset keeps the end in 40 bits: 2^40 - 1 stands for "for good".
        assertEq(c.coveredUntil, until > type(uint40).max ? type(uint40).max : until, "coverage.coveredUntil");
        bool under = until <= block.timestamp;
        assertEq(c.undercollateralised, under, "coverage.undercollateralised");
        if (asset.balanceOf(alice, id) > 0) checkTransfer(under, covered, supply);
    }

    /// @dev A unit moves from alice to bob if and only if the issuance is covered.
    function checkTransfer(bool under, uint256 covered, uint256 supply) internal {
        ISecuredAssetTypes.Refusal expected =
            under ? ISecuredAssetTypes.Refusal.Undercollateralised : ISecuredAssetTypes.Refusal.None;
        assertEq(uint256(asset.checkTransfer(alice, bob, id, 1)), uint256(expected), "checkTransfer");
        vm.prank(alice);
        (bool moved, bytes memory reason) =
            address(asset).call(abi.encodeCall(asset.safeTransferFrom, (alice, bob, id, 1, "")));
        assertEq(moved, !under, "a transfer passes if and only if covered");
        if (!moved) {
            assertEq(
                keccak256(reason),
                keccak256(
                    abi.encodeWithSelector(
                        ISecuredAssetTypes.SecuredAsset_Undercollateralised.selector, id, covered, supply
                    )
                ),
                "refused as under-collateralised"
            );
        }
    }
}
