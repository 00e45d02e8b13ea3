// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {PlatformRegistry} from "../../../contracts/PlatformRegistry.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Identified participants (Law art. 6.3; R10) and their acknowledgement of the risk notice
/// in force (art. 6.4; R8), by their own transaction or by an EIP-712 signature an operator relays.
contract ParticipantsTest is Base {
    bytes32 internal constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 internal constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant ACKNOWLEDGEMENT_TYPEHASH = keccak256(
        "RiskNoticeAcknowledgement(address participant,uint32 version,bytes32 contentHash,uint256 nonce,uint256 deadline)"
    );
    /// @dev The order of secp256k1: s and n - s are the two forms of one signature.
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    bytes32 internal constant REF = keccak256("kyc dave");
    bytes32 internal constant REASON = keccak256("AML case 7");
    bytes32 internal constant V1_HASH = keccak256("risk notice v1");
    /// @dev alice, bob and carol were identified until this moment by the fixture.
    uint64 internal constant IDENTITY_EXPIRY = uint64(START + 730 days);

    uint256 internal deadline;

    function setUp() public override {
        super.setUp();
        deadline = START + 1 hours;
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function status(address wallet) internal view returns (uint256) {
        return uint256(registry.participantStatus(wallet));
    }

    function publishV2() internal returns (uint32 version) {
        vm.prank(operator);
        version = registry.publishRiskNotice(keccak256("risk notice v2"), "https://sdap.example/risk/v2");
    }

    /// @dev The EIP-712 digest, written out from the standard rather than read from the contract.
    function typedDigest(uint256 chainId, address verifyingContract, bytes32 structHash)
        internal
        pure
        returns (bytes32)
    {
        bytes32 domainSeparator = keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256("SDAP Platform Registry"), keccak256("1"), chainId, verifyingContract)
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    function acknowledgementStruct(address wallet, uint32 version, bytes32 contentHash, uint256 nonce, uint256 dl)
        internal
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(ACKNOWLEDGEMENT_TYPEHASH, wallet, version, contentHash, nonce, dl));
    }

    /// @dev Who the registry will recover from `signature` over the digest it will compute for the
    /// next acknowledgement of `wallet`: the value its InvalidSignature error carries.
    function recoveredByRegistry(address wallet, uint32 version, bytes memory signature)
        internal
        view
        returns (address)
    {
        bytes32 digest = registry.acknowledgementDigest(wallet, version, registry.nonces(wallet), deadline);
        (bytes32 r, bytes32 s, uint8 v) = split(signature);
        return ecrecover(digest, v, r, s);
    }

    function split(bytes memory signature) internal pure returns (bytes32 r, bytes32 s, uint8 v) {
        require(signature.length == 65, "not a 65-byte signature");
        assembly {
            r := mload(add(signature, 32))
            s := mload(add(signature, 64))
            v := byte(0, mload(add(signature, 96)))
        }
    }

    function relay(address wallet, uint32 version, bytes memory signature) internal {
        vm.prank(operator);
        registry.acknowledgeRiskNoticeBySig(wallet, version, deadline, signature);
    }

    function expectInvalidSignature(address wallet, address signer) internal {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_InvalidSignature.selector, wallet, signer));
    }

    /*//////////////////////////////////////////////////////////////
                                REGISTER
    //////////////////////////////////////////////////////////////*/

    function test_RegisterParticipant_EmitsAndStores() public {
        uint64 expiry = uint64(START + 365 days);
        vm.expectEmit();
        emit IPlatformRegistry.ParticipantRegistered(dave, REF, expiry, operator);
        vm.prank(operator);
        registry.registerParticipant(dave, REF, expiry);

        IPlatformRegistry.Participant memory p = registry.participant(dave);
        assertTrue(p.registered, "registered");
        assertFalse(p.frozen, "not frozen");
        assertEq(p.identityExpiry, expiry, "identityExpiry");
        assertEq(p.acknowledgedNotice, 0, "no acknowledgement yet");
        assertEq(p.identityRef, REF, "identityRef");
        assertEq(status(dave), uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged), "status");
    }

    function test_RevertWhen_RegisterParticipantZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_ZeroAddress.selector));
        vm.prank(operator);
        registry.registerParticipant(address(0), REF, uint64(START + 1 days));
    }

    function test_RevertWhen_RegisterParticipantTwice() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_ParticipantAlreadyRegistered.selector, alice));
        vm.prank(operator);
        registry.registerParticipant(alice, REF, uint64(START + 1 days));
        assertEq(registry.participant(alice).identityExpiry, IDENTITY_EXPIRY, "unchanged");
    }

    function test_RevertWhen_RegisterParticipantIdentityExpiresNow() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_IdentityExpiryInPast.selector, uint64(START)));
        vm.prank(operator);
        registry.registerParticipant(dave, REF, uint64(START));
    }

    function test_RevertWhen_RegisterParticipantIdentityExpiryInPast() public {
        uint64 past = uint64(START - 1 days);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_IdentityExpiryInPast.selector, past));
        vm.prank(operator);
        registry.registerParticipant(dave, REF, past);
    }

    function test_RevertWhen_RegisterParticipantCallerNotOperator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, compliance, OPERATOR_ROLE)
        );
        vm.prank(compliance);
        registry.registerParticipant(dave, REF, uint64(START + 1 days));
    }

    /*//////////////////////////////////////////////////////////////
                            UPDATE IDENTITY
    //////////////////////////////////////////////////////////////*/

    function test_UpdateParticipantIdentity_EmitsAndStores() public {
        uint64 expiry = uint64(START + 1000 days);
        vm.expectEmit();
        emit IPlatformRegistry.ParticipantIdentityUpdated(alice, REF, expiry, operator);
        vm.prank(operator);
        registry.updateParticipantIdentity(alice, REF, expiry);

        IPlatformRegistry.Participant memory p = registry.participant(alice);
        assertEq(p.identityExpiry, expiry, "identityExpiry");
        assertEq(p.identityRef, REF, "identityRef");
        assertTrue(p.registered, "registered");
        assertEq(p.acknowledgedNotice, 1, "acknowledgement kept");
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "still eligible");
    }

    function test_UpdateParticipantIdentity_RestoresExpiredParticipant() public {
        vm.warp(IDENTITY_EXPIRY);
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.IdentityExpired), "expired");
        vm.prank(operator);
        registry.updateParticipantIdentity(alice, REF, IDENTITY_EXPIRY + 365 days);
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "identified again");
    }

    function test_RevertWhen_UpdateParticipantIdentityNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_ParticipantNotRegistered.selector, dave));
        vm.prank(operator);
        registry.updateParticipantIdentity(dave, REF, uint64(START + 1 days));
    }

    function test_RevertWhen_UpdateParticipantIdentityExpiryInPast() public {
        vm.warp(START + 10 days);
        uint64 expiry = uint64(START + 10 days);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_IdentityExpiryInPast.selector, expiry));
        vm.prank(operator);
        registry.updateParticipantIdentity(alice, REF, expiry);
    }

    function test_RevertWhen_UpdateParticipantIdentityCallerNotOperator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice, OPERATOR_ROLE)
        );
        vm.prank(alice);
        registry.updateParticipantIdentity(alice, REF, uint64(START + 5000 days));
    }

    /*//////////////////////////////////////////////////////////////
                            FREEZE, UNFREEZE
    //////////////////////////////////////////////////////////////*/

    function test_FreezeParticipant_EmitsAndStores() public {
        vm.expectEmit();
        emit IPlatformRegistry.ParticipantFrozen(alice, REASON, compliance);
        vm.prank(compliance);
        registry.freezeParticipant(alice, REASON);
        assertTrue(registry.participant(alice).frozen, "frozen");
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.Frozen), "status");
    }

    function test_UnfreezeParticipant_EmitsAndRestores() public {
        vm.prank(compliance);
        registry.freezeParticipant(alice, REASON);
        bytes32 cleared = keccak256("case closed");
        vm.expectEmit();
        emit IPlatformRegistry.ParticipantUnfrozen(alice, cleared, compliance);
        vm.prank(compliance);
        registry.unfreezeParticipant(alice, cleared);
        assertFalse(registry.participant(alice).frozen, "unfrozen");
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "status");
    }

    function test_RevertWhen_FreezeParticipantAlreadyFrozen() public {
        vm.prank(compliance);
        registry.freezeParticipant(alice, REASON);
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRegistry.Registry_ParticipantAlreadyInState.selector, alice, true)
        );
        vm.prank(compliance);
        registry.freezeParticipant(alice, REASON);
    }

    function test_RevertWhen_UnfreezeParticipantNotFrozen() public {
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRegistry.Registry_ParticipantAlreadyInState.selector, alice, false)
        );
        vm.prank(compliance);
        registry.unfreezeParticipant(alice, REASON);
    }

    function test_RevertWhen_FreezeParticipantNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_ParticipantNotRegistered.selector, dave));
        vm.prank(compliance);
        registry.freezeParticipant(dave, REASON);
    }

    function test_RevertWhen_UnfreezeParticipantNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_ParticipantNotRegistered.selector, dave));
        vm.prank(compliance);
        registry.unfreezeParticipant(dave, REASON);
    }

    function test_RevertWhen_FreezeParticipantCallerNotCompliance() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, operator, COMPLIANCE_ROLE)
        );
        vm.prank(operator);
        registry.freezeParticipant(alice, REASON);
    }

    function test_RevertWhen_UnfreezeParticipantCallerNotCompliance() public {
        vm.prank(compliance);
        registry.freezeParticipant(alice, REASON);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, regulator, COMPLIANCE_ROLE)
        );
        vm.prank(regulator);
        registry.unfreezeParticipant(alice, REASON);
    }

    /*//////////////////////////////////////////////////////////////
                                 STATUS
    //////////////////////////////////////////////////////////////*/

    function test_ParticipantStatus_FixtureStates() public view {
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "alice");
        assertEq(status(bob), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "bob");
        assertEq(status(carol), uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged), "carol");
        assertEq(status(dave), uint256(IPlatformRegistry.ParticipantStatus.NotRegistered), "dave");
        assertEq(status(address(0)), uint256(IPlatformRegistry.ParticipantStatus.NotRegistered), "zero");
    }

    function test_ParticipantStatus_IdentityExpiredAtExpiryExactly() public {
        vm.warp(IDENTITY_EXPIRY - 1);
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "last second");
        vm.warp(IDENTITY_EXPIRY);
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.IdentityExpired), "at expiry");
        assertEq(status(carol), uint256(IPlatformRegistry.ParticipantStatus.IdentityExpired), "beats notice");
    }

    function test_ParticipantStatus_FirstReasonWins() public {
        vm.prank(compliance);
        registry.freezeParticipant(carol, REASON);
        vm.warp(IDENTITY_EXPIRY);
        // Frozen, expired and not acknowledged: frozen is reported.
        assertEq(status(carol), uint256(IPlatformRegistry.ParticipantStatus.Frozen), "frozen first");
        vm.prank(compliance);
        registry.unfreezeParticipant(carol, REASON);
        assertEq(status(carol), uint256(IPlatformRegistry.ParticipantStatus.IdentityExpired), "then expiry");
    }

    function test_ParticipantStatus_NewNoticeVersionNeedsNewAcknowledgement() public {
        uint32 v2 = publishV2();
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged), "alice");
        assertEq(status(bob), uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged), "bob");
        assertEq(registry.participant(alice).acknowledgedNotice, 1, "old acknowledgement kept");

        vm.prank(alice);
        registry.acknowledgeRiskNotice(v2);
        assertEq(registry.participant(alice).acknowledgedNotice, v2, "acknowledged v2");
        assertEq(status(alice), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "alice again");
        assertEq(status(bob), uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged), "bob still not");
    }

    /*//////////////////////////////////////////////////////////////
                        ACKNOWLEDGE BY OWN TRANSACTION
    //////////////////////////////////////////////////////////////*/

    function test_AcknowledgeRiskNotice_EmitsAndStores() public {
        vm.expectEmit();
        emit IPlatformRegistry.RiskNoticeAcknowledged(carol, 1, V1_HASH, carol);
        vm.prank(carol);
        registry.acknowledgeRiskNotice(1);
        assertEq(registry.participant(carol).acknowledgedNotice, 1, "recorded");
        assertEq(status(carol), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "eligible");
        assertEq(registry.nonces(carol), 0, "own transaction uses no nonce");
    }

    function test_RevertWhen_AcknowledgeOldNoticeVersion() public {
        publishV2();
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRegistry.Registry_NoticeNotInForce.selector, uint32(1), uint32(2))
        );
        vm.prank(alice);
        registry.acknowledgeRiskNotice(1);
    }

    function test_RevertWhen_AcknowledgeFutureNoticeVersion() public {
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRegistry.Registry_NoticeNotInForce.selector, uint32(2), uint32(1))
        );
        vm.prank(carol);
        registry.acknowledgeRiskNotice(2);
    }

    function test_RevertWhen_AcknowledgeNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_ParticipantNotRegistered.selector, dave));
        vm.prank(dave);
        registry.acknowledgeRiskNotice(1);
    }

    function test_RevertWhen_AcknowledgeWithNoNoticeInForce() public {
        PlatformRegistry fresh = new PlatformRegistry(regulator);
        vm.prank(regulator);
        fresh.grantRole(OPERATOR_ROLE, operator);
        vm.prank(operator);
        fresh.registerParticipant(dave, REF, uint64(START + 1 days));

        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_NoNoticeInForce.selector));
        vm.prank(dave);
        fresh.acknowledgeRiskNotice(0);
    }

    /*//////////////////////////////////////////////////////////////
                     ACKNOWLEDGE BY RELAYED SIGNATURE
    //////////////////////////////////////////////////////////////*/

    function test_AcknowledgementDigest_FollowsEip712() public view {
        bytes32 expected =
            typedDigest(block.chainid, address(registry), acknowledgementStruct(carol, 1, V1_HASH, 5, deadline));
        assertEq(registry.acknowledgementDigest(carol, 1, 5, deadline), expected, "digest");
        assertEq(registry.ACKNOWLEDGEMENT_TYPEHASH(), ACKNOWLEDGEMENT_TYPEHASH, "typehash");
    }

    function test_AcknowledgeRiskNoticeBySig_RelayedByOperator() public {
        bytes memory signature = signAcknowledgement(carolKey, carol, 1, deadline);
        vm.expectEmit();
        emit IPlatformRegistry.RiskNoticeAcknowledged(carol, 1, V1_HASH, operator);
        relay(carol, 1, signature);

        assertEq(registry.participant(carol).acknowledgedNotice, 1, "recorded");
        assertEq(status(carol), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "eligible");
        assertEq(registry.nonces(carol), 1, "nonce used");
    }

    function test_AcknowledgeRiskNoticeBySig_AtDeadlineExactly() public {
        bytes memory signature = signAcknowledgement(carolKey, carol, 1, deadline);
        vm.warp(deadline);
        relay(carol, 1, signature);
        assertEq(status(carol), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "eligible");
    }

    function test_AcknowledgeRiskNoticeBySig_NewVersion() public {
        uint32 v2 = publishV2();
        bytes memory signature = signAcknowledgement(aliceKey, alice, v2, deadline);
        vm.expectEmit();
        emit IPlatformRegistry.RiskNoticeAcknowledged(alice, v2, keccak256("risk notice v2"), operator);
        relay(alice, v2, signature);
        assertEq(registry.participant(alice).acknowledgedNotice, v2, "recorded");
        assertEq(registry.nonces(alice), 1, "nonce used");
    }

    function test_RevertWhen_AcknowledgeBySigCallerNotOperator() public {
        bytes memory signature = signAcknowledgement(carolKey, carol, 1, deadline);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, carol, OPERATOR_ROLE)
        );
        vm.prank(carol);
        registry.acknowledgeRiskNoticeBySig(carol, 1, deadline, signature);

        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, regulator, OPERATOR_ROLE)
        );
        vm.prank(regulator);
        registry.acknowledgeRiskNoticeBySig(carol, 1, deadline, signature);
        assertEq(registry.nonces(carol), 0, "nonce untouched");
    }

    function test_RevertWhen_AcknowledgeBySigDeadlinePassed() public {
        bytes memory signature = signAcknowledgement(carolKey, carol, 1, deadline);
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_SignatureExpired.selector, deadline));
        relay(carol, 1, signature);
        assertEq(status(carol), uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged), "not recorded");
    }

    function test_RevertWhen_AcknowledgeBySigWrongSigner() public {
        bytes memory signature = signAcknowledgement(bobKey, carol, 1, deadline);
        expectInvalidSignature(carol, bob);
        relay(carol, 1, signature);
        assertEq(registry.nonces(carol), 0, "nonce untouched");
    }

    function test_RevertWhen_AcknowledgeBySigReplayed() public {
        bytes memory signature = signAcknowledgement(carolKey, carol, 1, deadline);
        relay(carol, 1, signature);
        assertEq(registry.nonces(carol), 1, "first use");

        // The second time the registry expects nonce 1, so the same bytes recover someone else.
        address recovered = recoveredByRegistry(carol, 1, signature);
        assertTrue(recovered != carol, "replay must not recover carol");
        expectInvalidSignature(carol, recovered);
        relay(carol, 1, signature);
        assertEq(registry.nonces(carol), 1, "nonce not consumed by the replay");
    }

    function test_RevertWhen_AcknowledgeBySigSignedForAnotherChain() public {
        uint256 otherChain = 1;
        assertTrue(block.chainid != otherChain, "test runs on another chain");
        // The digest the other chain's registry at the same address would have produced, by formula...
        bytes32 foreign =
            typedDigest(otherChain, address(registry), acknowledgementStruct(carol, 1, V1_HASH, 0, deadline));
        // ...which is exactly what the registry computes when it runs on that chain.
        uint256 here = block.chainid;
        vm.chainId(otherChain);
        assertEq(registry.acknowledgementDigest(carol, 1, 0, deadline), foreign, "formula matches the contract");
        vm.chainId(here);

        bytes memory signature = sign(carolKey, foreign);
        address recovered = recoveredByRegistry(carol, 1, signature);
        assertTrue(recovered != carol, "must not recover carol here");
        expectInvalidSignature(carol, recovered);
        relay(carol, 1, signature);
        assertEq(status(carol), uint256(IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged), "not recorded");
    }

    function test_RevertWhen_AcknowledgeBySigAfterChainIdChanged() public {
        // Signed here; the chain then forks to a new id: the old signature does not carry over.
        bytes memory signature = signAcknowledgement(carolKey, carol, 1, deadline);
        vm.chainId(block.chainid + 1);
        address recovered = recoveredByRegistry(carol, 1, signature);
        assertTrue(recovered != carol, "must not recover carol after the fork");
        expectInvalidSignature(carol, recovered);
        relay(carol, 1, signature);
    }

    function test_RevertWhen_AcknowledgeBySigSignedForAnotherRegistry() public {
        PlatformRegistry other = new PlatformRegistry(regulator);
        vm.prank(regulator);
        other.grantRole(OPERATOR_ROLE, operator);
        vm.prank(operator);
        other.publishRiskNotice(V1_HASH, "https://sdap.example/risk/v1"); // same notice, same version
        bytes32 foreign = other.acknowledgementDigest(carol, 1, 0, deadline);
        assertEq(
            foreign,
            typedDigest(block.chainid, address(other), acknowledgementStruct(carol, 1, V1_HASH, 0, deadline)),
            "other registry's digest"
        );
        assertTrue(foreign != registry.acknowledgementDigest(carol, 1, 0, deadline), "domains differ");

        bytes memory signature = sign(carolKey, foreign);
        address recovered = recoveredByRegistry(carol, 1, signature);
        assertTrue(recovered != carol, "must not recover carol here");
        expectInvalidSignature(carol, recovered);
        relay(carol, 1, signature);
    }

    function test_RevertWhen_AcknowledgeBySigMalleable() public {
        bytes32 digest = registry.acknowledgementDigest(carol, 1, 0, deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(carolKey, digest);
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        uint8 otherV = v == 27 ? 28 : 27;
        // The flipped form is a valid secp256k1 signature of the same digest by the same key...
        assertEq(ecrecover(digest, otherV, r, highS), carol, "flipped form recovers carol");
        // ...and only the low-s rule refuses it: the error carries no signer.
        expectInvalidSignature(carol, address(0));
        relay(carol, 1, abi.encodePacked(r, highS, otherV));
        assertEq(registry.nonces(carol), 0, "nonce untouched");

        // The canonical form still works.
        relay(carol, 1, abi.encodePacked(r, s, v));
        assertEq(status(carol), uint256(IPlatformRegistry.ParticipantStatus.Eligible), "eligible");
    }

    function test_RevertWhen_AcknowledgeBySigMalformed() public {
        bytes memory signature = signAcknowledgement(carolKey, carol, 1, deadline);
        bytes memory short = new bytes(64);
        for (uint256 i; i < 64; ++i) {
            short[i] = signature[i];
        }
        expectInvalidSignature(carol, address(0));
        relay(carol, 1, short);
        expectInvalidSignature(carol, address(0));
        relay(carol, 1, "");
    }

    /// @dev The signed struct binds the notice's content hash: a signature over any other text of
    /// the same version is refused (the job Registry_NoticeHashMismatch was declared for).
    function test_RevertWhen_AcknowledgeBySigForOtherContent() public {
        bytes32 forged = typedDigest(
            block.chainid,
            address(registry),
            acknowledgementStruct(carol, 1, keccak256("a gentler notice"), 0, deadline)
        );
        bytes memory signature = sign(carolKey, forged);
        address recovered = recoveredByRegistry(carol, 1, signature);
        assertTrue(recovered != carol, "must not recover carol");
        expectInvalidSignature(carol, recovered);
        relay(carol, 1, signature);
    }

    function test_RevertWhen_AcknowledgeBySigSignedForOtherDeadline() public {
        bytes memory signature = signAcknowledgement(carolKey, carol, 1, deadline + 1 days);
        address recovered = recoveredByRegistry(carol, 1, signature);
        assertTrue(recovered != carol, "must not recover carol");
        expectInvalidSignature(carol, recovered);
        relay(carol, 1, signature); // relayed with the shorter `deadline`
    }

    function test_RevertWhen_AcknowledgeBySigOldVersion() public {
        publishV2();
        bytes memory signature = signAcknowledgement(aliceKey, alice, 1, deadline);
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRegistry.Registry_NoticeNotInForce.selector, uint32(1), uint32(2))
        );
        relay(alice, 1, signature);
    }

    function test_RevertWhen_AcknowledgeBySigNotRegistered() public {
        (address daveWallet, uint256 daveKey) = makeKey("dave");
        assertEq(daveWallet, dave, "same wallet as the fixture's dave");
        bytes memory signature = signAcknowledgement(daveKey, dave, 1, deadline);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_ParticipantNotRegistered.selector, dave));
        relay(dave, 1, signature);
    }

    /*//////////////////////////////////////////////////////////////
                                  FUZZ
    //////////////////////////////////////////////////////////////*/

    function testFuzz_RevertWhen_AcknowledgeBySigFromAnyOtherKey(uint256 key) public {
        key = bound(key, 1, SECP256K1_N - 1);
        vm.assume(key != carolKey);
        address signer = vm.addr(key);
        bytes memory signature = signAcknowledgement(key, carol, 1, deadline);
        expectInvalidSignature(carol, signer);
        relay(carol, 1, signature);
    }

    function testFuzz_ParticipantStatus_IdentityWindow(uint64 expiry, uint256 moment) public {
        expiry = uint64(bound(expiry, START + 1, START + 3650 days));
        moment = bound(moment, START, START + 4000 days);
        vm.prank(operator);
        registry.registerParticipant(dave, REF, expiry);
        vm.prank(dave);
        registry.acknowledgeRiskNotice(1);
        vm.warp(moment);
        IPlatformRegistry.ParticipantStatus expected = moment < expiry
            ? IPlatformRegistry.ParticipantStatus.Eligible
            : IPlatformRegistry.ParticipantStatus.IdentityExpired;
        assertEq(status(dave), uint256(expected), "status");
    }
}
