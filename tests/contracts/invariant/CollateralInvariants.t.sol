// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {vm} from "../utils/Vm.sol";
import {HandlerBase} from "./HandlerBase.sol";
import {InvariantBase} from "./InvariantBase.t.sol";

/// @notice Collateral is pledged once and coverage is a state of the issuance (Law art. 5.2,
/// 6.8), through random pledges of reused and new references, renewals (also stale, moved or
/// unnamed), revocations, accreditations withdrawn and granted again, syncs and time.
contract CollateralInvariantsTest is InvariantBase {
    /// @dev For every collateral (owner, reference) at most one live attestation counts, and it
    /// is the collateral's current pledge; the chain's statuses are the model's; so each
    /// issuance's covered units are the sum of its live pledges, on the chain as in the model, and
    /// its coverage ends when the model's reference computation says.
    function invariant_EachCollateralBacksAtMostOneLiveAttestation() public {
        vm.warp(handler.currentTime());
        uint256 n = handler.attestationCount();
        HandlerBase.AttestationModel[] memory all = new HandlerBase.AttestationModel[](n);
        bool[] memory live = new bool[](n);
        for (uint256 i; i < n; ++i) {
            all[i] = handler.attestationModel(i);
            live[i] =
                collateral.attestationStatus(all[i].attestationId) == ICollateralAttestations.AttestationStatus.Live;
            if (live[i] != handler.isLive(i)) fail("attestation status != model", all[i].issuanceId, all[i].owner);
            assertEq(
                collateral.pledgeOf(all[i].owner, all[i].collateralRef),
                handler.pledgeOf(all[i].owner, all[i].collateralRef),
                "pledgeOf != model"
            );
            for (uint256 j; j < i && live[i]; ++j) {
                if (live[j] && all[j].owner == all[i].owner && all[j].collateralRef == all[i].collateralRef) {
                    fail("one collateral backs two live attestations", all[i].issuanceId, all[i].owner);
                }
            }
        }
        for (uint256 id = 1; id <= handler.issuanceCount(); ++id) {
            uint256 livePledges;
            for (uint256 i; i < n; ++i) {
                if (live[i] && all[i].issuanceId == id) livePledges += all[i].units;
            }
            address issuer_ = asset.issuerOf(id);
            assertEq(collateral.coveredUnits(address(asset), id, issuer_), livePledges, "coveredUnits != live pledges");
            (uint256 covered, uint64 coveredUntil) = handler.coverage(id);
            assertEq(covered, livePledges, "model's coverage != live pledges");
            ISecuredAssetTypes.Coverage memory c = asset.coverage(id);
            assertEq(c.covered, livePledges, "coverage(id).covered");
            assertEq(c.coveredUntil, coveredUntil, "coverage(id).coveredUntil != reference");
            assertEq(c.undercollateralised, covered < c.supply, "coverage(id).undercollateralised");
        }
        assertNoViolation(HandlerBase.Violation.PledgedTwice);
    }

    /// @dev While an issuance is under-collateralised, no unit moves or is encumbered except back to
    /// the issuer, by redemption or by regulator order: every successful movement is recorded with
    /// the model's coverage at that moment and its route.
    function invariant_NothingMovesWhileUndercollateralised() public view {
        assertEq(
            handler.movementsWhileUndercollateralised(HandlerBase.Passage.Other),
            0,
            "moved while under-collateralised on a closed route"
        );
        assertNoViolation(HandlerBase.Violation.MovedWhileUndercollateralised);
    }
}
