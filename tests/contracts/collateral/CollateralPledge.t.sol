// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {CollateralBase} from "./CollateralBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice A collateral (its owner and `collateralRef`) backs at most one live attestation on the
/// whole platform (Law art. 6.8: verified collateral bounds the units); a renewal names the one it
/// supersedes, which stops counting in the same transaction.
contract CollateralPledgeTest is CollateralBase {
    /// @dev The fixture's collateral reference.
    bytes32 internal fixtureRef;

    function setUp() public override {
        super.setUp();
        fixtureRef = collateral.attestation(fixtureId).collateralRef;
    }

    /// @dev Another attestation of the fixture's collateral for `id`, `units` of it, naming nothing.
    function samePledge(uint256 id, uint256 units) internal returns (ICollateralAttestations.Attestation memory a) {
        a = attestation(id, units);
        a.collateralRef = fixtureRef;
    }

    function expectAlreadyPledged(bytes32 live) internal {
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralAttestations.Collateral_AlreadyPledged.selector, issuer, fixtureRef, live)
        );
    }

    function expectNotCurrent(bytes32 supersedes, bytes32 current) internal {
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralAttestations.Collateral_NotCurrentPledge.selector, supersedes, current)
        );
    }

    /*//////////////////////////////////////////////////////////////
                           PLEDGED ONCE
    //////////////////////////////////////////////////////////////*/

    function test_PledgeOf_NamesTheAttestation() public view {
        assertEq(collateral.pledgeOf(issuer, fixtureRef), fixtureId, "fixture's pledge");
        assertEq(collateral.pledgeOf(issuer, keccak256("never pledged")), bytes32(0), "never pledged");
        assertEq(collateral.pledgeOf(alice, fixtureRef), bytes32(0), "the same reference of another owner");
    }

    function test_RevertWhen_SameCollateralPledgedTwiceToSameIssuance() public {
        ICollateralAttestations.Attestation memory a = samePledge(issuanceId, 500);
        bytes memory signature = signAttestation(a, verifierKey);
        expectAlreadyPledged(fixtureId);
        attachAs(operator, a, signature);
        assertEq(covered(), COVERED, "counted once");
        assertFalse(collateral.isNonceUsed(verifier, a.nonce), "nonce not spent");
        assertEq(collateral.pledgeOf(issuer, fixtureRef), fixtureId, "pledge unchanged");
    }

    function test_RevertWhen_SameCollateralPledgedToSecondIssuance() public {
        uint256 second = createIssuance(); // the same issuer, so the same owner of the collateral
        ICollateralAttestations.Attestation memory a = samePledge(second, 500);
        bytes memory signature = signAttestation(a, verifierKey);
        expectAlreadyPledged(fixtureId);
        attachAs(operator, a, signature);
        assertEq(collateral.coveredUnits(address(asset), second, issuer), 0, "second issuance uncovered");
    }

    /// @dev Another verifier's signature over the same collateral is no second collateral.
    function test_RevertWhen_SameCollateralPledgedBySecondVerifier() public {
        ICollateralAttestations.Attestation memory a = samePledge(issuanceId, 500);
        bytes memory signature = signAttestation(a, verifier2Key);
        expectAlreadyPledged(fixtureId);
        attachAs(verifier2, a, signature);
    }

    /// @dev The reference names the owner's collateral: another owner's reference with the same
    /// bytes is another collateral.
    function test_WhenSameReferenceOfAnotherOwner() public {
        (address issuer2, uint256 id2) = issuer2Issuance();
        ICollateralAttestations.Attestation memory a = samePledge(id2, 500);
        a.owner = issuer2;
        bytes32 id = attachAs(operator, a, signAttestation(a, verifierKey));
        assertEq(collateral.pledgeOf(issuer2, fixtureRef), id, "issuer2's pledge");
        assertEq(collateral.pledgeOf(issuer, fixtureRef), fixtureId, "issuer's pledge untouched");
    }

    function test_WhenPledgeRevoked_CollateralMayBePledgedAgain() public {
        revokeAs(verifier, fixtureId);
        uint256 second = createIssuance();
        ICollateralAttestations.Attestation memory a = samePledge(second, 500);
        bytes32 id = attachAs(operator, a, signAttestation(a, verifierKey));
        assertEq(collateral.pledgeOf(issuer, fixtureRef), id, "pledged to the second issuance");
        assertEq(collateral.coveredUnits(address(asset), second, issuer), 500, "covers there");
    }

    function test_WhenPledgeExpired_CollateralMayBePledgedAgain() public {
        vm.warp(fixtureValidUntil);
        bytes32 id = attachSigned(samePledge(issuanceId, 500));
        assertEq(collateral.pledgeOf(issuer, fixtureRef), id, "pledged again");
        assertEq(covered(), 500, "only the new one counts");
    }

    function test_WhenVerifierWithdrawn_CollateralMayBePledgedAgain() public {
        vm.prank(regulator);
        registry.revokeRole(VERIFIER_ROLE, verifier);
        ICollateralAttestations.Attestation memory a = samePledge(issuanceId, 700);
        bytes32 id = attachAs(operator, a, signAttestation(a, verifier2Key));
        assertEq(collateral.pledgeOf(issuer, fixtureRef), id, "pledged again");
        assertEq(covered(), 700, "the withdrawn verifier's attestation no longer counts");
    }

    /*//////////////////////////////////////////////////////////////
                                RENEWAL
    //////////////////////////////////////////////////////////////*/

    function test_Renewal_OldStopsCountingInTheSameTransaction() public {
        vm.warp(START + 100 days);
        ICollateralAttestations.Attestation memory a = renewal(fixtureId, COVERED);
        bytes memory signature = signAttestation(a, verifierKey);
        bytes32 newId = collateral.attestationDigest(a);

        vm.expectEmit(address(collateral));
        emit ICollateralAttestations.AttestationSuperseded(fixtureId, newId);
        vm.expectEmit(address(collateral));
        emit ICollateralAttestations.AttestationPruned(fixtureId, address(asset), issuanceId);
        vm.expectEmit(address(collateral));
        emit ICollateralAttestations.AttestationAttached(newId, address(asset), issuanceId, verifier, a, operator);
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.CoverageSynced(issuanceId, COVERED, 2 * MINTED, a.validUntil);
        attachAs(operator, a, signature);

        assertEq(covered(), COVERED, "coverage unchanged: the collateral counts once");
        assertEq(collateral.attestation(fixtureId).supersededBy, newId, "supersededBy");
        assertStatus(fixtureId, ICollateralAttestations.AttestationStatus.Superseded, "old superseded");
        assertStatus(newId, ICollateralAttestations.AttestationStatus.Live, "new live");
        assertEq(collateral.pledgeOf(issuer, fixtureRef), newId, "the renewal is the pledge now");
        assertEq(asset.coverage(issuanceId).coveredUntil, a.validUntil, "covered until the renewal lapses");
        assertEq(listed().length, 1, "the superseded one is pruned");
    }

    function test_Renewal_WithFewerUnitsLowersCoverage() public {
        attachSigned(renewal(fixtureId, 3000));
        assertEq(covered(), 3000, "the renewal's units");
        assertEq(asset.coverage(issuanceId).covered, 3000, "asset agrees");
    }

    function test_Renewal_BelowSupplyMakesTheIssuanceUndercollateralised() public {
        attachSigned(renewal(fixtureId, MINTED));
        ISecuredAssetTypes.Coverage memory c = asset.coverage(issuanceId);
        assertEq(c.covered, MINTED, "covered");
        assertTrue(c.undercollateralised, "less than the supply of 2 * MINTED");
        assertEq(asset.issuance(issuanceId).coveredUntil, 0, "recorded at once");
    }

    function test_Renewal_ChainKeepsOneLivePledge() public {
        bytes32 second = attachSigned(renewal(fixtureId, 4000));
        bytes32 third = attachSigned(renewal(second, 6000));
        assertEq(covered(), 6000, "only the last counts");
        assertStatus(second, ICollateralAttestations.AttestationStatus.Superseded, "second");
        assertEq(collateral.attestation(second).supersededBy, third, "second -> third");
        assertEq(collateral.pledgeOf(issuer, fixtureRef), third, "pledge");
    }

    /// @dev A lapsed pledge may be renewed by name too; its status keeps the first reason it stopped.
    function test_Renewal_OfARevokedPledge() public {
        revokeAs(verifier, fixtureId);
        bytes32 newId = attachSigned(renewal(fixtureId, 2500));
        assertEq(covered(), 2500, "covered again");
        assertEq(collateral.attestation(fixtureId).supersededBy, newId, "supersededBy");
        assertStatus(fixtureId, ICollateralAttestations.AttestationStatus.Revoked, "still revoked");
    }

    function test_RevertWhen_SupersedesNotTheCurrentPledge() public {
        bytes32 stranger = keccak256("no such attestation");
        ICollateralAttestations.Attestation memory a = renewal(fixtureId, 500);
        a.supersedes = stranger;
        bytes memory signature = signAttestation(a, verifierKey);
        expectNotCurrent(stranger, fixtureId);
        attachAs(operator, a, signature);
        assertStatus(fixtureId, ICollateralAttestations.AttestationStatus.Live, "fixture untouched");
    }

    function test_RevertWhen_SupersedesAnAlreadySupersededPledge() public {
        bytes32 second = attachSigned(renewal(fixtureId, 4000));
        ICollateralAttestations.Attestation memory a = renewal(second, 500);
        a.supersedes = fixtureId; // an older link of the chain
        bytes memory signature = signAttestation(a, verifierKey);
        expectNotCurrent(fixtureId, second);
        attachAs(operator, a, signature);
        assertEq(covered(), 4000, "unchanged");
    }

    function test_RevertWhen_SupersedesForNeverPledgedCollateral() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 500);
        a.supersedes = fixtureId; // the fixture's, but this is another collateral
        bytes memory signature = signAttestation(a, verifierKey);
        expectNotCurrent(fixtureId, bytes32(0));
        attachAs(operator, a, signature);
    }

    /// @dev Moving a pledge to another issuance is a revocation and a new pledge, never a renewal:
    /// a renewal must not lift coverage from under units already in circulation.
    function test_RevertWhen_SupersedesOtherIssuance() public {
        uint256 second = createIssuance();
        ICollateralAttestations.Attestation memory a = renewal(fixtureId, COVERED);
        a.issuanceId = second;
        bytes memory signature = signAttestation(a, verifierKey);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICollateralAttestations.Collateral_SupersedesOtherIssuance.selector,
                fixtureId,
                address(asset),
                issuanceId
            )
        );
        attachAs(operator, a, signature);
        assertEq(covered(), COVERED, "still covers the fixture");
    }
}
