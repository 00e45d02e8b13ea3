// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {CollateralBase} from "./CollateralBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Attaching verifiers' attestations of collateral (Law art. 6.8, 6.5; R6, R7): who may
/// attach, what a signature must carry, nonces and their invalidation, and one payload signed
/// twice.
contract CollateralAttachTest is CollateralBase {
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    /*//////////////////////////////////////////////////////////////
                                 ATTACH
    //////////////////////////////////////////////////////////////*/

    function test_Fixture_OneLiveAttestation() public view {
        assertEq(listed().length, 1, "one attestation");
        assertEq(covered(), COVERED, "covered");
        assertEq(collateral.registry(), address(registry), "registry");
        assertEq(collateral.MAX_ATTESTATIONS_PER_ISSUANCE(), MAX, "limit");
    }

    function test_Attach_ByOperatorEmitsAndStores() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 500);
        bytes memory signature = signAttestation(a, verifierKey);
        bytes32 expectedId = collateral.attestationDigest(a);

        vm.expectEmit();
        emit ICollateralAttestations.AttestationAttached(expectedId, address(asset), issuanceId, verifier, a, operator);
        bytes32 id = attachAs(operator, a, signature);

        assertEq(id, expectedId, "id is the EIP-712 digest");
        ICollateralAttestations.AttestationRecord memory r = collateral.attestation(id);
        assertEq(r.verifier, verifier, "verifier");
        assertFalse(r.revoked, "revoked");
        assertEq(r.validUntil, a.validUntil, "validUntil");
        assertEq(r.owner, issuer, "owner");
        assertEq(r.asset, address(asset), "asset");
        assertEq(r.issuanceId, issuanceId, "issuanceId");
        assertEq(r.collateralRef, a.collateralRef, "collateralRef");
        assertEq(r.value, 50_000, "value");
        assertEq(r.units, 500, "units");
        assertTrue(collateral.isNonceUsed(verifier, a.nonce), "nonce used");
        bytes32[] memory ids = listed();
        assertEq(ids.length, 2, "listed");
        assertEq(ids[0], fixtureId, "fixture first");
        assertEq(ids[1], id, "new second");
        assertEq(covered(), COVERED + 500, "covered");
    }

    function test_Attach_ByVerifierItself() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 300);
        bytes memory signature = signAttestation(a, verifierKey);
        bytes32 expectedId = collateral.attestationDigest(a);
        vm.expectEmit();
        emit ICollateralAttestations.AttestationAttached(expectedId, address(asset), issuanceId, verifier, a, verifier);
        attachAs(verifier, a, signature);
        assertEq(covered(), COVERED + 300, "covered");
    }

    /// @dev The signature is the authority: another accredited verifier may carry it on-chain.
    function test_Attach_ByAnotherVerifierKeepsSigner() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 300);
        bytes32 id = attachAs(verifier2, a, signAttestation(a, verifierKey));
        assertEq(collateral.attestation(id).verifier, verifier, "signer recorded, not the sender");
    }

    function test_RevertWhen_AttachCallerNotOperatorOrVerifier() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 300);
        bytes memory signature = signAttestation(a, verifierKey);
        address[4] memory callers = [alice, issuer, regulator, compliance];
        for (uint256 i; i < callers.length; ++i) {
            expectNotAuthorised(callers[i]);
            attachAs(callers[i], a, signature);
        }
        assertFalse(collateral.isNonceUsed(verifier, a.nonce), "nonce untouched");
    }

    function test_RevertWhen_AttachSignerNotVerifier() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 300);
        bytes memory signature = signAttestation(a, aliceKey);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAttestations.Collateral_SignerNotVerifier.selector, alice));
        attachAs(operator, a, signature);
    }

    function test_RevertWhen_AttachSignerAccreditationWithdrawn() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 300);
        bytes memory signature = signAttestation(a, verifierKey);
        vm.prank(regulator);
        registry.revokeRole(VERIFIER_ROLE, verifier);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAttestations.Collateral_SignerNotVerifier.selector, verifier));
        attachAs(operator, a, signature);
    }

    function test_RevertWhen_AttachSignatureMalformed() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 300);
        bytes memory signature = signAttestation(a, verifierKey);
        assembly {
            mstore(signature, 64) // drop v
        }
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralAttestations.Collateral_InvalidSignature.selector, address(0))
        );
        attachAs(operator, a, signature);
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralAttestations.Collateral_InvalidSignature.selector, address(0))
        );
        attachAs(operator, a, "");
    }

    function test_RevertWhen_AttachSignatureMalleable() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 300);
        bytes32 digest = collateral.attestationDigest(a);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(verifierKey, digest);
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        uint8 otherV = v == 27 ? 28 : 27;
        assertEq(ecrecover(digest, otherV, r, highS), verifier, "flipped form recovers the verifier");

        vm.expectRevert(
            abi.encodeWithSelector(ICollateralAttestations.Collateral_InvalidSignature.selector, address(0))
        );
        attachAs(operator, a, abi.encodePacked(r, highS, otherV));
        assertFalse(collateral.isNonceUsed(verifier, a.nonce), "nonce untouched");

        bytes32 id = attachAs(operator, a, abi.encodePacked(r, s, v));
        assertEq(id, digest, "canonical form accepted");
    }

    function test_RevertWhen_AttachSignatureReplayed() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 300);
        bytes memory signature = signAttestation(a, verifierKey);
        attachAs(operator, a, signature);
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralAttestations.Collateral_NonceUsed.selector, verifier, a.nonce)
        );
        attachAs(verifier, a, signature);
        assertEq(covered(), COVERED + 300, "counted once");
        assertEq(listed().length, 2, "listed once");
    }

    function test_RevertWhen_AttachNonceReusedForOtherPayload() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 300);
        attachAs(operator, a, signAttestation(a, verifierKey));
        ICollateralAttestations.Attestation memory b = attestation(issuanceId, 700);
        b.nonce = a.nonce;
        bytes memory signature = signAttestation(b, verifierKey);
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralAttestations.Collateral_NonceUsed.selector, verifier, a.nonce)
        );
        attachAs(operator, b, signature);
    }

    function test_Attach_NoncesArePerVerifier() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 300);
        attachAs(operator, a, signAttestation(a, verifierKey));
        ICollateralAttestations.Attestation memory b = attestation(issuanceId, 700);
        b.nonce = a.nonce;
        attachAs(operator, b, signAttestation(b, verifier2Key));
        assertTrue(collateral.isNonceUsed(verifier2, a.nonce), "verifier2 nonce used");
        assertEq(covered(), COVERED + 1000, "both count");
    }

    function test_RevertWhen_AttachExpiredAtValidUntilExactly() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 300);
        bytes memory signature = signAttestation(a, verifierKey);
        vm.warp(a.validUntil); // signed in time, submitted too late
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralAttestations.Collateral_AttestationExpired.selector, a.validUntil)
        );
        attachAs(operator, a, signature);
    }

    function test_RevertWhen_AttachValidUntilInPast() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 300);
        a.validUntil = uint64(START - 1);
        bytes memory signature = signAttestation(a, verifierKey);
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralAttestations.Collateral_AttestationExpired.selector, uint64(START - 1))
        );
        attachAs(operator, a, signature);
    }

    function test_RevertWhen_AttachZeroUnits() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 0);
        bytes memory signature = signAttestation(a, verifierKey);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAttestations.Collateral_ZeroUnits.selector));
        attachAs(operator, a, signature);
    }

    /// @dev Law art. 6.5: the initiator owns the collateral.
    function test_RevertWhen_AttachOwnerNotIssuer() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 300);
        a.owner = alice;
        bytes memory signature = signAttestation(a, verifierKey);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICollateralAttestations.Collateral_OwnerNotIssuer.selector, issuanceId, alice, issuer
            )
        );
        attachAs(operator, a, signature);
    }

    function test_RevertWhen_AttachOwnerIsAnotherIssuanceIssuer() public {
        (address issuer2, uint256 id2) = issuer2Issuance();
        ICollateralAttestations.Attestation memory a = attestation(id2, 300); // owner: the fixture's issuer
        bytes memory signature = signAttestation(a, verifierKey);
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralAttestations.Collateral_OwnerNotIssuer.selector, id2, issuer, issuer2)
        );
        attachAs(operator, a, signature);

        a.owner = issuer2;
        attachAs(operator, a, signAttestation(a, verifierKey));
        assertEq(collateral.coveredUnits(address(asset), id2, issuer2), 300, "issuer2 covered");
    }

    function test_RevertWhen_AttachUnknownIssuance() public {
        ICollateralAttestations.Attestation memory a = attestation(99, 300);
        bytes memory signature = signAttestation(a, verifierKey);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, 99));
        attachAs(operator, a, signature);
    }

    /*//////////////////////////////////////////////////////////////
                            INVALIDATE NONCE
    //////////////////////////////////////////////////////////////*/

    function test_InvalidateNonce_EmitsAndBlocksSignature() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 300);
        bytes memory signature = signAttestation(a, verifierKey);

        vm.expectEmit();
        emit ICollateralAttestations.VerifierNonceInvalidated(verifier, a.nonce);
        vm.prank(verifier);
        collateral.invalidateNonce(a.nonce);
        assertTrue(collateral.isNonceUsed(verifier, a.nonce), "used");

        vm.expectRevert(
            abi.encodeWithSelector(ICollateralAttestations.Collateral_NonceUsed.selector, verifier, a.nonce)
        );
        attachAs(operator, a, signature);
        assertEq(covered(), COVERED, "nothing attached");
    }

    function test_InvalidateNonce_OnlyTheCallersNonces() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 300);
        vm.prank(verifier2);
        collateral.invalidateNonce(a.nonce);
        assertTrue(collateral.isNonceUsed(verifier2, a.nonce), "verifier2's");
        assertFalse(collateral.isNonceUsed(verifier, a.nonce), "not verifier's");
        attachAs(operator, a, signAttestation(a, verifierKey));
        assertEq(covered(), COVERED + 300, "verifier's signature still good");
    }

    function test_RevertWhen_InvalidateNonceTwice() public {
        vm.prank(verifier);
        collateral.invalidateNonce(77);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAttestations.Collateral_NonceUsed.selector, verifier, 77));
        vm.prank(verifier);
        collateral.invalidateNonce(77);
    }

    function test_RevertWhen_InvalidateNonceAlreadyAttached() public {
        // The fixture's attestation used nonce 1.
        vm.expectRevert(abi.encodeWithSelector(ICollateralAttestations.Collateral_NonceUsed.selector, verifier, 1));
        vm.prank(verifier);
        collateral.invalidateNonce(1);
    }

    function test_RevertWhen_InvalidateNonceCallerNotVerifier() public {
        vm.expectRevert(abi.encodeWithSelector(ICollateralAttestations.Collateral_SignerNotVerifier.selector, operator));
        vm.prank(operator);
        collateral.invalidateNonce(5);
        assertFalse(collateral.isNonceUsed(operator, 5), "not recorded");
    }

    /*//////////////////////////////////////////////////////////////
                       IDENTICAL PAYLOAD, TWO SIGNERS
    //////////////////////////////////////////////////////////////*/

    /// @dev The id is the digest of the payload, which does not name the verifier: two verifiers who
    /// sign the same payload (same nonce) produce the same id. The collateral is one; it must be
    /// counted once and the first record must stand (the second attach should be refused).
    function test_Attach_IdenticalPayloadFromSecondVerifierCountedOnce() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 5_000);
        bytes32 id = attachAs(operator, a, signAttestation(a, verifierKey));
        bytes memory second = signAttestation(a, verifier2Key);

        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAttestations.Collateral_AlreadyAttached.selector, id));
        collateral.attach(a, second);

        assertEq(covered(), COVERED + 5_000, "the same collateral counted twice");
        assertEq(listed().length, 2, "the same id listed twice");
        assertEq(collateral.attestation(id).verifier, verifier, "first record overwritten");
    }

    /// @dev Same cause: re-attaching an identical payload overwrites a revoked record and revives it.
    function test_Revoke_NotUndoneByIdenticalPayload() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 5_000);
        bytes32 id = attachAs(operator, a, signAttestation(a, verifierKey));
        revokeAs(verifier, id);
        bytes memory second = signAttestation(a, verifier2Key);

        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAttestations.Collateral_AlreadyAttached.selector, id));
        collateral.attach(a, second);

        assertTrue(collateral.attestation(id).revoked, "revocation undone");
        assertEq(covered(), COVERED, "revoked collateral counts again");
    }

    function test_RevertWhen_UnitsBeyondAnyIssuanceCap() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, uint256(type(uint128).max) + 1);
        bytes memory signature = signAttestation(a, verifierKey);
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICollateralAttestations.Collateral_UnitsTooLarge.selector,
                uint256(type(uint128).max) + 1,
                uint256(type(uint128).max)
            )
        );
        collateral.attach(a, signature);
    }

    function test_Attach_UnitsAtTheCapAreAccepted() public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, type(uint128).max);
        attachAs(operator, a, signAttestation(a, verifierKey));
        assertEq(covered(), COVERED + type(uint128).max, "cap-sized attestation counted");
    }
}
