// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {PlatformRegistry} from "../../../contracts/PlatformRegistry.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

import {ParticipantsBase} from "./ParticipantsBase.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Acknowledgement of the risk notice in force (Law art. 6.4; R8), by the participant's own
/// transaction or by an EIP-712 signature an operator relays.
contract NoticeAcknowledgementTest is ParticipantsBase {
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant ACKNOWLEDGEMENT_TYPEHASH = keccak256(
        "RiskNoticeAcknowledgement(address participant,uint32 version,bytes32 contentHash,uint256 nonce,uint256 deadline)"
    );
    /// @dev The order of secp256k1: s and n - s are the two forms of one signature.
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    bytes32 internal constant V1_HASH = keccak256("risk notice v1");

    uint256 internal deadline;

    function setUp() public override {
        super.setUp();
        deadline = START + 1 hours;
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

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
        publishNewNotice();
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
        vm.startPrank(regulator);
        fresh.grantRole(OPERATOR_ROLE, operator);
        fresh.grantPermit(operator, uint64(START), uint64(START + 365 days), keccak256("permit-001"));
        vm.stopPrank();
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
        uint32 v2 = publishNewNotice();
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
        publishNewNotice();
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
}
