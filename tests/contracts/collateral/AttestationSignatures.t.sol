// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Fuzzes what a verifier's EIP-712 signature binds: the chain, the contract, every field
/// of the payload, its window and its nonce; and that a signature has one valid form only.
contract AttestationSignaturesTest is Base {
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant ATTESTATION_TYPEHASH = keccak256(
        "Attestation(address asset,uint256 issuanceId,address owner,bytes32 collateralRef,uint256 value,uint256 units,uint64 validUntil,uint256 nonce,bytes32 supersedes)"
    );
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
    uint256 internal constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    uint256 internal constant FIELDS = 9;

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev The EIP-712 digest written out from the standard, for any chain and verifying contract.
    function typedDigest(uint256 chainId, address verifyingContract, ICollateralAttestations.Attestation memory a)
        internal
        pure
        returns (bytes32)
    {
        bytes32 domainSeparator = keccak256(
            abi.encode(
                DOMAIN_TYPEHASH, keccak256("SDAP Collateral Attestations"), keccak256("1"), chainId, verifyingContract
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                ATTESTATION_TYPEHASH,
                a.asset,
                a.issuanceId,
                a.owner,
                a.collateralRef,
                a.value,
                a.units,
                a.validUntil,
                a.nonce,
                a.supersedes
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    function split(bytes memory signature) internal pure returns (bytes32 r, bytes32 s, uint8 v) {
        require(signature.length == 65, "not a 65-byte signature");
        assembly {
            r := mload(add(signature, 32))
            s := mload(add(signature, 64))
            v := byte(0, mload(add(signature, 96)))
        }
    }

    /// @dev The exact refusal `attach` owes a signature that is not the verifier's over `a` here:
    /// no signer for a malformed or high-s signature, else the signer it recovers, who is no verifier.
    function expectedRefusal(ICollateralAttestations.Attestation memory a, bytes memory signature)
        internal
        view
        returns (bytes memory)
    {
        (bytes32 r, bytes32 s, uint8 v) = split(signature);
        address recovered = uint256(s) > HALF_N ? address(0) : ecrecover(collateral.attestationDigest(a), v, r, s);
        if (recovered == address(0)) {
            return abi.encodeWithSelector(ICollateralAttestations.Collateral_InvalidSignature.selector, address(0));
        }
        assertTrue(recovered != verifier, "recovered the verifier from a foreign signature");
        return abi.encodeWithSelector(ICollateralAttestations.Collateral_SignerNotVerifier.selector, recovered);
    }

    function attach(ICollateralAttestations.Attestation memory a, bytes memory signature)
        internal
        returns (bytes32 id)
    {
        vm.prank(operator);
        id = collateral.attach(a, signature);
    }

    function assertNothingAttached(ICollateralAttestations.Attestation memory a) internal view {
        assertFalse(collateral.isNonceUsed(verifier, a.nonce), "nonce spent");
        assertEq(collateral.attestationsOf(address(asset), issuanceId).length, 1, "listed");
        assertEq(collateral.coveredUnits(address(asset), issuanceId, issuer), COVERED, "covered");
    }

    /*//////////////////////////////////////////////////////////////
                                 FUZZ
    //////////////////////////////////////////////////////////////*/

    function testFuzz_Attach_RandomUnitsAndValue(uint256 units, uint256 value, uint64 validFor, uint256 nonce) public {
        units = bound(units, 1, type(uint128).max);
        validFor = uint64(bound(validFor, 1, 3650 days));
        vm.assume(nonce != 1); // the fixture's
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, units);
        a.value = value;
        a.validUntil = uint64(block.timestamp) + validFor;
        a.nonce = nonce;
        bytes memory signature = signAttestation(a, verifierKey);
        bytes32 expectedId = typedDigest(block.chainid, address(collateral), a);

        vm.expectEmit();
        emit ICollateralAttestations.AttestationAttached(expectedId, address(asset), issuanceId, verifier, a, operator);
        bytes32 id = attach(a, signature);

        assertEq(id, expectedId, "id");
        ICollateralAttestations.AttestationRecord memory r = collateral.attestation(id);
        assertEq(r.units, units, "units");
        assertEq(r.value, value, "value");
        assertEq(r.validUntil, a.validUntil, "validUntil");
        assertTrue(collateral.isNonceUsed(verifier, nonce), "nonce");
        assertEq(collateral.coveredUnits(address(asset), issuanceId, issuer), COVERED + units, "covered");
        vm.warp(a.validUntil);
        // At its own validUntil the new one no longer counts; the fixture's counts until START + 180 days.
        uint256 left = a.validUntil < START + 180 days ? COVERED : 0;
        assertEq(collateral.coveredUnits(address(asset), issuanceId, issuer), left, "after the new one expires");
    }

    function testFuzz_RevertWhen_SignedForAnotherChain(uint256 chainId) public {
        chainId = bound(chainId, 1, type(uint64).max);
        vm.assume(chainId != block.chainid);
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 500);

        bytes32 foreign = typedDigest(chainId, address(collateral), a);
        uint256 here = block.chainid;
        vm.chainId(chainId);
        assertEq(collateral.attestationDigest(a), foreign, "formula matches the contract on that chain");
        vm.chainId(here);

        bytes memory signature = sign(verifierKey, foreign);
        bytes memory refusal = expectedRefusal(a, signature);
        vm.expectRevert(refusal);
        attach(a, signature);
        assertNothingAttached(a);
    }

    function testFuzz_RevertWhen_SignedForAnotherContract(address verifyingContract) public {
        vm.assume(verifyingContract != address(collateral));
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 500);
        bytes memory signature = sign(verifierKey, typedDigest(block.chainid, verifyingContract, a));
        bytes memory refusal = expectedRefusal(a, signature);
        vm.expectRevert(refusal);
        attach(a, signature);
        assertNothingAttached(a);
    }

    function testFuzz_RevertWhen_Expired(uint64 validUntil, uint64 lateBy) public {
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 500);
        a.validUntil = uint64(bound(validUntil, 0, START + 3650 days));
        bytes memory signature = signAttestation(a, verifierKey);
        // Submitted at or after validUntil, never before START.
        uint256 submittedAt = bound(lateBy, 0, 3650 days) + a.validUntil;
        if (submittedAt < START) submittedAt = START;
        vm.warp(submittedAt);
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralAttestations.Collateral_AttestationExpired.selector, a.validUntil)
        );
        // Submitted by the verifier itself: the operator's permit may have lapsed by then.
        vm.prank(verifier);
        collateral.attach(a, signature);
        assertFalse(collateral.isNonceUsed(verifier, a.nonce), "nonce spent");
    }

    function testFuzz_RevertWhen_NonceReused(uint256 nonce, uint256 units1, uint256 units2) public {
        units1 = bound(units1, 1, 1e30);
        units2 = bound(units2, 1, 1e30);
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, units1);
        a.nonce = nonce;
        ICollateralAttestations.Attestation memory b = attestation(issuanceId, units2);
        b.nonce = nonce;
        b.collateralRef = keccak256(abi.encode("another receipt", nonce));

        if (nonce != 1) attach(a, signAttestation(a, verifierKey)); // nonce 1 is the fixture's
        assertTrue(collateral.isNonceUsed(verifier, nonce), "used");
        uint256 coveredBefore = collateral.coveredUnits(address(asset), issuanceId, issuer);

        bytes memory signature = signAttestation(b, verifierKey);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAttestations.Collateral_NonceUsed.selector, verifier, nonce));
        attach(b, signature);
        assertEq(collateral.coveredUnits(address(asset), issuanceId, issuer), coveredBefore, "covered unchanged");
    }

    function testFuzz_RevertWhen_NonceInvalidated(uint256 nonce) public {
        vm.assume(nonce != 1);
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 500);
        a.nonce = nonce;
        bytes memory signature = signAttestation(a, verifierKey);
        vm.prank(verifier);
        collateral.invalidateNonce(nonce);
        vm.expectRevert(abi.encodeWithSelector(ICollateralAttestations.Collateral_NonceUsed.selector, verifier, nonce));
        attach(a, signature);
    }

    function testFuzz_RevertWhen_Malleable(uint256 units, uint256 nonce) public {
        vm.assume(nonce != 1);
        units = bound(units, 1, 1e30);
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, units);
        a.nonce = nonce;
        bytes32 digest = collateral.attestationDigest(a);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(verifierKey, digest);
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        uint8 otherV = v == 27 ? 28 : 27;
        assertEq(ecrecover(digest, otherV, r, highS), verifier, "flipped form is a valid secp256k1 signature");

        vm.expectRevert(
            abi.encodeWithSelector(ICollateralAttestations.Collateral_InvalidSignature.selector, address(0))
        );
        attach(a, abi.encodePacked(r, highS, otherV));
        assertNothingAttached(a);

        assertEq(attach(a, abi.encodePacked(r, s, v)), digest, "canonical form accepted");
    }

    /// @dev Any change to any signed field gives a different digest, so the signature recovers
    /// someone who is not the verifier (or no one): the change is refused before anything else is read.
    function testFuzz_RevertWhen_FieldTampered(uint256 field, uint256 seed) public {
        field = bound(field, 0, FIELDS - 1);
        seed |= 1; // XOR with a non-zero mask always changes the field
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 500);
        bytes memory signature = signAttestation(a, verifierKey);
        uint256 signedNonce = a.nonce;

        if (field == 0) a.asset = address(uint160(a.asset) ^ uint160(seed));
        else if (field == 1) a.issuanceId ^= seed;
        else if (field == 2) a.owner = address(uint160(a.owner) ^ uint160(seed));
        else if (field == 3) a.collateralRef ^= bytes32(seed);
        else if (field == 4) a.value ^= seed;
        else if (field == 5) a.units ^= seed;
        else if (field == 6) a.validUntil ^= uint64(seed);
        else if (field == 7) a.nonce ^= seed;
        else a.supersedes ^= bytes32(seed);

        bytes memory refusal = expectedRefusal(a, signature);
        vm.expectRevert(refusal);
        attach(a, signature);
        assertFalse(collateral.isNonceUsed(verifier, signedNonce), "signed nonce spent");
        if (a.nonce != 1) assertFalse(collateral.isNonceUsed(verifier, a.nonce), "tampered nonce spent");
        assertEq(collateral.attestationsOf(address(asset), issuanceId).length, 1, "listed");
        assertEq(collateral.coveredUnits(address(asset), issuanceId, issuer), COVERED, "covered");
    }

    function testFuzz_RevertWhen_SignatureBytesCorrupted(uint256 index, uint8 mask) public {
        index = bound(index, 0, 64);
        vm.assume(mask != 0);
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 500);
        bytes memory signature = signAttestation(a, verifierKey);
        signature[index] = bytes1(uint8(signature[index]) ^ mask);

        bytes memory refusal = expectedRefusal(a, signature);
        vm.expectRevert(refusal);
        attach(a, signature);
        assertNothingAttached(a);
    }

    function testFuzz_RevertWhen_SignerNotVerifier(uint256 key) public {
        key = bound(key, 1, SECP256K1_N - 1);
        vm.assume(key != verifierKey);
        ICollateralAttestations.Attestation memory a = attestation(issuanceId, 500);
        bytes memory signature = signAttestation(a, key);
        vm.expectRevert(
            abi.encodeWithSelector(ICollateralAttestations.Collateral_SignerNotVerifier.selector, vm.addr(key))
        );
        attach(a, signature);
        assertNothingAttached(a);
    }
}
