// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Account} from "@openzeppelin/contracts/account/Account.sol";
import {ERC7821} from "@openzeppelin/contracts/account/extensions/draft-ERC7821.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {MultiSignerERC7913} from "@openzeppelin/contracts/utils/cryptography/signers/MultiSignerERC7913.sol";

import {RegulatorCouncil} from "../../../contracts/governance/RegulatorCouncil.sol";

import {ContractWallet} from "../utils/ContractWallet.sol";
import {vm} from "../utils/Vm.sol";
import {CallRecorder} from "./CallRecorder.sol";
import {CouncilBase} from "./CouncilBase.t.sol";

/// @notice The regulator's council: a batch runs once, in the order of the council's nonces, when
/// at least `threshold()` distinct signers signed its EIP-712 digest on this chain and this council;
/// membership changes only by a batch the council agreed on. OpenZeppelin accepts distinct signers
/// in any order (SignatureChecker.areValidSignaturesNow checks distinctness; the order by keccak256
/// only saves gas) and refuses a set holding a duplicate or a non-signer, however many others.
contract RegulatorCouncilTest is CouncilBase {
    CallRecorder internal recorder;
    address internal stranger;
    uint256 internal strangerKey;

    function setUp() public {
        deployCouncil();
        recorder = new CallRecorder();
        (stranger, strangerKey) = makeKey("stranger");
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function recordBatch(uint256 value) internal view returns (bytes memory) {
        return batchOf(address(recorder), abi.encodeCall(CallRecorder.record, (value)));
    }

    function submit(bytes memory executionData, uint256 nonce, bytes memory signatures) internal {
        council.executeSigned(BATCH_MODE, executionData, nonce, signatures);
    }

    function expectNotAgreed(bytes32 digest) internal {
        vm.expectRevert(abi.encodeWithSelector(RegulatorCouncil.Council_NotAgreed.selector, digest));
    }

    function expectNonce(uint256 current) internal {
        vm.expectRevert(abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, address(council), current));
    }

    /// @dev Nothing ran and the nonce is still `nonce`.
    function assertNothingRan(uint256 nonce) internal view {
        assertEq(recorder.calls(), 0, "nothing ran");
        assertEq(council.nextNonce(), nonce, "nonce unused");
    }

    /*//////////////////////////////////////////////////////////////
                               AGREEMENT
    //////////////////////////////////////////////////////////////*/

    function test_ExecutesWithExactlyThreshold() public {
        bytes memory data = recordBatch(7);
        submit(data, 0, signedBy(digestOf(data, 0), keysOf(signer1Key, signer3Key)));
        assertEq(recorder.calls(), 1, "ran once");
        assertEq(recorder.lastCaller(), address(council), "the council calls");
        assertEq(recorder.lastValue(), 7, "with its arguments");
        assertEq(council.nextNonce(), 1, "nonce used");
    }

    function test_ExecutesWithMoreThanThreshold() public {
        bytes memory data = recordBatch(7);
        submit(data, 0, signedBy(digestOf(data, 0), keysOf(signer1Key, signer2Key, signer3Key)));
        assertEq(recorder.calls(), 1, "ran once");
        assertEq(council.nextNonce(), 1, "nonce used");
    }

    function test_RevertWhen_FewerThanThreshold() public {
        bytes memory data = recordBatch(7);
        bytes32 digest = digestOf(data, 0);
        bytes memory signatures = signedBy(digest, keysOf(signer2Key));
        expectNotAgreed(digest);
        submit(data, 0, signatures);
        assertNothingRan(0);
    }

    function test_RevertWhen_NoSignatures() public {
        bytes memory data = recordBatch(7);
        bytes32 digest = digestOf(data, 0);
        expectNotAgreed(digest);
        submit(data, 0, packed(new bytes[](0), new bytes[](0)));
        expectNotAgreed(digest);
        submit(data, 0, "");
        expectNotAgreed(digest);
        submit(data, 0, hex"1234");
        assertNothingRan(0);
    }

    function test_RevertWhen_NonSignerMakesTheThreshold() public {
        bytes memory data = recordBatch(7);
        bytes32 digest = digestOf(data, 0);
        bytes memory signatures = signedBy(digest, keysOf(signer1Key, strangerKey));
        expectNotAgreed(digest);
        submit(data, 0, signatures);
        assertNothingRan(0);
    }

    /// @dev OpenZeppelin refuses the whole set when one signer is not on the council, even if the
    /// others reach the threshold: whoever submits must leave strangers out.
    function test_RevertWhen_NonSignerAmongEnoughSigners() public {
        bytes memory data = recordBatch(7);
        bytes32 digest = digestOf(data, 0);
        bytes memory signatures = signedBy(digest, keysOf(signer1Key, signer2Key, strangerKey));
        expectNotAgreed(digest);
        submit(data, 0, signatures);
        assertNothingRan(0);
    }

    function test_RevertWhen_SameSignerTwice() public {
        bytes memory data = recordBatch(7);
        bytes32 digest = digestOf(data, 0);
        bytes memory signature = signatureOf(signer1Key, digest);
        bytes[] memory signatures = new bytes[](2);
        (signatures[0], signatures[1]) = (signature, signature);
        expectNotAgreed(digest);
        submit(data, 0, packed(signersOf(signer1, signer1), signatures));
        assertNothingRan(0);
    }

    /// @dev A duplicate is found wherever it stands: with a third, distinct signer in between.
    function test_RevertWhen_SameSignerTwiceAmongOthers() public {
        bytes memory data = recordBatch(7);
        bytes32 digest = digestOf(data, 0);
        bytes[] memory signatures = new bytes[](3);
        signatures[0] = signatureOf(signer1Key, digest);
        signatures[1] = signatureOf(signer2Key, digest);
        signatures[2] = signatures[0];
        expectNotAgreed(digest);
        submit(data, 0, packed(signersOf(signer1, signer2, signer1), signatures));
        assertNothingRan(0);
    }

    /// @dev What is true of OpenZeppelin 5.7: distinct signers out of keccak256 order are accepted.
    function test_ExecutesWithDistinctSignersInAnyOrder() public {
        bytes memory data = recordBatch(7);
        bytes32 digest = digestOf(data, 0);
        bytes[] memory signers = signersOf(signer1, signer2);
        bytes[] memory signatures = new bytes[](2);
        (signatures[0], signatures[1]) = (signatureOf(signer1Key, digest), signatureOf(signer2Key, digest));
        // Put them out of order on purpose.
        if (keccak256(signers[0]) < keccak256(signers[1])) {
            (signers[0], signers[1]) = (signers[1], signers[0]);
            (signatures[0], signatures[1]) = (signatures[1], signatures[0]);
        }
        submit(data, 0, packed(signers, signatures));
        assertEq(recorder.calls(), 1, "ran");
    }

    function test_RevertWhen_SignaturesSwappedBetweenSigners() public {
        bytes memory data = recordBatch(7);
        bytes32 digest = digestOf(data, 0);
        bytes[] memory signatures = new bytes[](2);
        (signatures[0], signatures[1]) = (signatureOf(signer2Key, digest), signatureOf(signer1Key, digest));
        expectNotAgreed(digest);
        submit(data, 0, packed(signersOf(signer1, signer2), signatures));
        assertNothingRan(0);
    }

    function test_RevertWhen_SignersAndSignaturesDifferInLength() public {
        bytes memory data = recordBatch(7);
        bytes32 digest = digestOf(data, 0);
        bytes[] memory signatures = new bytes[](2);
        (signatures[0], signatures[1]) = (signatureOf(signer1Key, digest), signatureOf(signer2Key, digest));
        expectNotAgreed(digest);
        submit(data, 0, packed(signersOf(signer1, signer2, signer3), signatures));
        assertNothingRan(0);
    }

    /*//////////////////////////////////////////////////////////////
                  WHAT A SIGNATURE IS BOUND TO
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_SignedAnotherBatch() public {
        bytes memory signatures = signedBy(digestOf(recordBatch(7), 0), quorum());
        bytes memory other = recordBatch(8);
        expectNotAgreed(digestOf(other, 0));
        submit(other, 0, signatures);
        assertNothingRan(0);
    }

    function test_RevertWhen_SignedAnotherMode() public {
        bytes memory data = recordBatch(7);
        // ERC-7821 batch mode with an opData selector set: same calls, another signed mode.
        bytes32 otherMode = 0x0100000000007821000100000000000000000000000000000000000000000000;
        bytes memory signatures = signedBy(digestOf(council, otherMode, data, 0), quorum());
        expectNotAgreed(digestOf(data, 0));
        submit(data, 0, signatures);
        assertNothingRan(0);
    }

    /// @dev Signed in agreement, but in a mode the council does not run (a single call): refused by
    /// ERC-7821 before anything runs, and the nonce stays unused.
    function test_RevertWhen_ModeNotBatch() public {
        bytes memory data = recordBatch(7);
        bytes32 singleMode = bytes32(0);
        bytes memory signatures = signedBy(digestOf(council, singleMode, data, 0), quorum());
        vm.expectRevert(ERC7821.UnsupportedExecutionMode.selector);
        council.executeSigned(singleMode, data, 0, signatures);
        assertNothingRan(0);
    }

    function test_RevertWhen_SignedUnderAnotherNonce() public {
        bytes memory first = recordBatch(1);
        bytes memory second = recordBatch(2);
        // The second batch signed for nonce 0, then the first runs under it.
        bytes memory early = signedBy(digestOf(second, 0), quorum());
        submit(first, 0, signedBy(digestOf(first, 0), quorum()));
        expectNotAgreed(digestOf(second, 1));
        submit(second, 1, early);
        assertEq(recorder.calls(), 1, "only the first ran");
        assertEq(council.nextNonce(), 1, "nonce 1 unused");
    }

    function test_RevertWhen_NonceAhead() public {
        bytes memory data = recordBatch(7);
        bytes memory signatures = signedBy(digestOf(data, 1), quorum());
        expectNonce(0);
        submit(data, 1, signatures);
        assertNothingRan(0);
    }

    function testFuzz_RevertWhen_NonceNotNext(uint256 nonce) public {
        vm.assume(nonce != 0);
        bytes memory data = recordBatch(7);
        bytes memory signatures = signedBy(digestOf(data, nonce), quorum());
        expectNonce(0);
        submit(data, nonce, signatures);
        assertNothingRan(0);
    }

    function test_RevertWhen_Replayed() public {
        bytes memory data = recordBatch(7);
        bytes memory signatures = signedBy(digestOf(data, 0), quorum());
        submit(data, 0, signatures);
        expectNonce(1);
        submit(data, 0, signatures);
        assertEq(recorder.calls(), 1, "ran once");
    }

    function test_RevertWhen_SignedOnAnotherChain() public {
        bytes memory data = recordBatch(7);
        uint256 chainId = block.chainid;
        vm.chainId(chainId + 1);
        // The contract's digest follows the chain id (checked by digestOf at that id).
        bytes memory signatures = signedBy(digestOf(data, 0), quorum());
        vm.chainId(chainId);
        expectNotAgreed(digestOf(data, 0));
        submit(data, 0, signatures);
        assertNothingRan(0);
    }

    function test_RevertWhen_SignedForAnotherCouncil() public {
        RegulatorCouncil other = new RegulatorCouncil(signersOf(signer1, signer2, signer3), THRESHOLD);
        bytes memory data = recordBatch(7);
        bytes memory signatures = signedBy(digestOf(other, BATCH_MODE, data, 0), quorum());
        expectNotAgreed(digestOf(data, 0));
        submit(data, 0, signatures);
        assertNothingRan(0);

        // The same signatures are good where they were meant.
        other.executeSigned(BATCH_MODE, data, 0, signatures);
        assertEq(recorder.lastCaller(), address(other), "ran on the other council");
    }

    /*//////////////////////////////////////////////////////////////
                        EVENT, SUBMITTER, BATCHES
    //////////////////////////////////////////////////////////////*/

    function test_EmitsCouncilExecutedWithTheSigners() public {
        bytes memory data = recordBatch(7);
        bytes32 digest = digestOf(data, 0);
        bytes memory signatures = signedBy(digest, keysOf(signer3Key, signer1Key));
        bytes[] memory signers = signersIn(signatures);
        assertEq(signers.length, 2, "two signers");
        assertEq(signers[0].length, 20, "an address, 20 bytes");
        assertTrue(keccak256(signers[0]) < keccak256(signers[1]), "ordered");

        vm.expectEmit(address(council));
        emit RegulatorCouncil.CouncilExecuted(0, digest, signers);
        vm.expectEmit(address(recorder));
        emit CallRecorder.Recorded(address(council), 7);
        submit(data, 0, signatures);
    }

    function testFuzz_AnyoneSubmits(address submitter) public {
        bytes memory data = recordBatch(7);
        bytes memory signatures = signedBy(digestOf(data, 0), quorum());
        vm.prank(submitter);
        submit(data, 0, signatures);
        assertEq(recorder.lastCaller(), address(council), "the council calls, whoever submits");
    }

    function test_BatchRunsInOrder() public {
        bytes memory data = batchOf(
            address(recorder),
            abi.encodeCall(CallRecorder.record, (1)),
            address(recorder),
            abi.encodeCall(CallRecorder.record, (2))
        );
        agree(data, quorum());
        assertEq(recorder.calls(), 2, "both ran");
        assertEq(recorder.lastValue(), 2, "in order");
    }

    /// @dev One call refused: nothing of the batch stays, its nonce stays unused and the call's
    /// own error reaches the submitter.
    function test_RevertWhen_ACallOfTheBatchFails() public {
        bytes memory data = batchOf(
            address(recorder),
            abi.encodeCall(CallRecorder.record, (1)),
            address(recorder),
            abi.encodeCall(CallRecorder.refuse, (2))
        );
        bytes memory signatures = signedBy(digestOf(data, 0), quorum());
        vm.expectRevert(abi.encodeWithSelector(CallRecorder.CallRecorder_Refused.selector, 2));
        submit(data, 0, signatures);
        assertNothingRan(0);
    }

    /// @dev Any subset of the three signers, with or without a stranger: runs exactly when it holds
    /// at least `threshold` signers and no stranger.
    function testFuzz_RunsExactlyWithAQuorumOfSigners(uint8 mask, address submitter) public {
        uint256[4] memory all = [signer1Key, signer2Key, signer3Key, strangerKey];
        uint256 count;
        for (uint256 i; i < 4; ++i) {
            if (mask & (1 << i) != 0) ++count;
        }
        uint256[] memory keys = new uint256[](count);
        uint256 signers;
        uint256 k;
        for (uint256 i; i < 4; ++i) {
            if (mask & (1 << i) == 0) continue;
            keys[k++] = all[i];
            if (i < 3) ++signers;
        }
        bytes memory data = recordBatch(mask);
        bytes32 digest = digestOf(data, 0);
        bytes memory signatures = signedBy(digest, keys);
        bool agreed = signers >= THRESHOLD && mask & 8 == 0;
        if (!agreed) expectNotAgreed(digest);
        vm.prank(submitter);
        submit(data, 0, signatures);
        assertEq(recorder.calls(), agreed ? 1 : 0, "ran exactly when agreed");
        assertEq(council.nextNonce(), agreed ? 1 : 0, "nonce used exactly when agreed");
    }

    /*//////////////////////////////////////////////////////////////
                        CONTRACT WALLET SIGNER
    //////////////////////////////////////////////////////////////*/

    function test_ExecutesWithAContractWalletSigner() public {
        (address owner, uint256 ownerKey) = makeKey("wallet owner");
        ContractWallet wallet = new ContractWallet(owner);
        RegulatorCouncil withWallet = new RegulatorCouncil(signersOf(signer1, address(wallet)), 2);

        bytes memory data = recordBatch(7);
        bytes32 digest = digestOf(withWallet, BATCH_MODE, data, 0);
        bytes[] memory signatures = new bytes[](2);
        // The wallet's signature is what its owner's key signed; ERC-1271 checks it.
        (signatures[0], signatures[1]) = (signatureOf(signer1Key, digest), signatureOf(ownerKey, digest));
        bytes memory multi = ordered(signersOf(signer1, address(wallet)), signatures);

        vm.expectEmit(address(withWallet));
        emit RegulatorCouncil.CouncilExecuted(0, digest, signersIn(multi));
        withWallet.executeSigned(BATCH_MODE, data, 0, multi);
        assertEq(recorder.lastCaller(), address(withWallet), "ran");
    }

    function test_RevertWhen_ContractWalletRefuses() public {
        (address owner,) = makeKey("wallet owner");
        ContractWallet wallet = new ContractWallet(owner);
        RegulatorCouncil withWallet = new RegulatorCouncil(signersOf(signer1, address(wallet)), 2);

        bytes memory data = recordBatch(7);
        bytes32 digest = digestOf(withWallet, BATCH_MODE, data, 0);
        bytes[] memory signatures = new bytes[](2);
        // Signed by a key the wallet does not answer for.
        (signatures[0], signatures[1]) = (signatureOf(signer1Key, digest), signatureOf(strangerKey, digest));
        bytes memory multi = ordered(signersOf(signer1, address(wallet)), signatures);
        vm.expectRevert(abi.encodeWithSelector(RegulatorCouncil.Council_NotAgreed.selector, digest));
        withWallet.executeSigned(BATCH_MODE, data, 0, multi);

        // Nor does the owner's key count in its own name: the wallet is the signer, not its owner.
        (address ownerAgain, uint256 ownerKey) = makeKey("wallet owner");
        bytes[] memory direct = new bytes[](2);
        (direct[0], direct[1]) = (signatureOf(signer1Key, digest), signatureOf(ownerKey, digest));
        multi = ordered(signersOf(signer1, ownerAgain), direct);
        vm.expectRevert(abi.encodeWithSelector(RegulatorCouncil.Council_NotAgreed.selector, digest));
        withWallet.executeSigned(BATCH_MODE, data, 0, multi);
        assertEq(recorder.calls(), 0, "nothing ran");
    }

    /*//////////////////////////////////////////////////////////////
                          THE COUNCIL'S OWN DOORS
    //////////////////////////////////////////////////////////////*/

    function testFuzz_RevertWhen_ExecuteCalledDirectly(address caller) public {
        vm.assume(caller != address(council));
        bytes memory data = recordBatch(7);
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(Account.AccountUnauthorized.selector, caller));
        council.execute(BATCH_MODE, data);
        assertNothingRan(0);
    }

    function test_RevertWhen_ExecuteCalledDirectlyBySigner() public {
        vm.prank(signer1);
        vm.expectRevert(abi.encodeWithSelector(Account.AccountUnauthorized.selector, signer1));
        council.execute(BATCH_MODE, recordBatch(7));
    }

    function testFuzz_RevertWhen_MembershipChangedDirectly(address caller) public {
        vm.assume(caller != address(council));
        bytes memory onlyCouncil = abi.encodeWithSelector(RegulatorCouncil.Council_OnlyCouncil.selector, caller);
        vm.prank(caller);
        vm.expectRevert(onlyCouncil);
        council.addSigners(signersOf(stranger));
        vm.prank(caller);
        vm.expectRevert(onlyCouncil);
        council.removeSigners(signersOf(signer3));
        vm.prank(caller);
        vm.expectRevert(onlyCouncil);
        council.setThreshold(1);
        assertEq(council.getSignerCount(), 3, "signers unchanged");
        assertEq(council.threshold(), THRESHOLD, "threshold unchanged");
    }

    function test_AddSignersThroughAnAgreedBatch() public {
        vm.expectEmit(address(council));
        emit MultiSignerERC7913.ERC7913SignerAdded(abi.encodePacked(stranger));
        agree(address(council), abi.encodeCall(RegulatorCouncil.addSigners, (signersOf(stranger))));
        assertTrue(council.isSigner(abi.encodePacked(stranger)), "a signer now");
        assertEq(council.getSignerCount(), 4, "four signers");

        // Its signature counts from the next batch on.
        bytes memory data = recordBatch(7);
        submit(data, 1, signedBy(digestOf(data, 1), keysOf(strangerKey, signer3Key)));
        assertEq(recorder.calls(), 1, "the new signer agreed with another");
    }

    function test_RemoveSignersThroughAnAgreedBatch() public {
        agree(address(council), abi.encodeCall(RegulatorCouncil.removeSigners, (signersOf(signer3))));
        assertFalse(council.isSigner(abi.encodePacked(signer3)), "no longer a signer");

        bytes memory data = recordBatch(7);
        bytes32 digest = digestOf(data, 1);
        bytes memory signatures = signedBy(digest, keysOf(signer3Key, signer1Key));
        expectNotAgreed(digest);
        submit(data, 1, signatures);
        assertNothingRan(1);
    }

    function test_SetThresholdThroughAnAgreedBatch() public {
        vm.expectEmit(address(council));
        emit MultiSignerERC7913.ERC7913ThresholdSet(3);
        agree(address(council), abi.encodeCall(RegulatorCouncil.setThreshold, (3)));
        assertEq(council.threshold(), 3, "threshold");

        bytes memory data = recordBatch(7);
        bytes32 digest = digestOf(data, 1);
        bytes memory two = signedBy(digest, quorum());
        expectNotAgreed(digest);
        submit(data, 1, two);
        submit(data, 1, signedBy(digest, keysOf(signer1Key, signer2Key, signer3Key)));
        assertEq(recorder.calls(), 1, "all three agreed");
    }

    function test_RevertWhen_ThresholdUnreachable() public {
        bytes memory data = batchOf(address(council), abi.encodeCall(RegulatorCouncil.setThreshold, (4)));
        bytes memory signatures = signedBy(digestOf(data, 0), quorum());
        vm.expectRevert(
            abi.encodeWithSelector(MultiSignerERC7913.MultiSignerERC7913UnreachableThreshold.selector, 3, 4)
        );
        submit(data, 0, signatures);
        assertEq(council.threshold(), THRESHOLD, "threshold unchanged");
        assertEq(council.nextNonce(), 0, "nonce unused");
    }

    function test_RevertWhen_RemovalLeavesThresholdUnreachable() public {
        bytes memory data =
            batchOf(address(council), abi.encodeCall(RegulatorCouncil.removeSigners, (signersOf(signer2, signer3))));
        bytes memory signatures = signedBy(digestOf(data, 0), quorum());
        vm.expectRevert(
            abi.encodeWithSelector(MultiSignerERC7913.MultiSignerERC7913UnreachableThreshold.selector, 1, 2)
        );
        submit(data, 0, signatures);
        assertEq(council.getSignerCount(), 3, "signers unchanged");
    }

    function test_RevertWhen_ThresholdZero() public {
        bytes memory data = batchOf(address(council), abi.encodeCall(RegulatorCouncil.setThreshold, (0)));
        bytes memory signatures = signedBy(digestOf(data, 0), quorum());
        vm.expectRevert(MultiSignerERC7913.MultiSignerERC7913ZeroThreshold.selector);
        submit(data, 0, signatures);
    }

    function test_RevertWhen_AddingASignerTwice() public {
        bytes memory data = batchOf(address(council), abi.encodeCall(RegulatorCouncil.addSigners, (signersOf(signer1))));
        bytes memory signatures = signedBy(digestOf(data, 0), quorum());
        vm.expectRevert(
            abi.encodeWithSelector(
                MultiSignerERC7913.MultiSignerERC7913AlreadyExists.selector, abi.encodePacked(signer1)
            )
        );
        submit(data, 0, signatures);
    }

    function test_RevertWhen_DeployedWithUnreachableThreshold() public {
        vm.expectRevert(
            abi.encodeWithSelector(MultiSignerERC7913.MultiSignerERC7913UnreachableThreshold.selector, 2, 3)
        );
        new RegulatorCouncil(signersOf(signer1, signer2), 3);
    }

    /*//////////////////////////////////////////////////////////////
                              THE DIGEST
    //////////////////////////////////////////////////////////////*/

    /// @dev The format the SDK encodes independently: CouncilExecution(bytes32 mode,bytes
    /// executionData,uint256 nonce) under {name: "SDAP Regulator Council", version: "1", chainId,
    /// verifyingContract: the council}.
    function test_ExecutionDigest_IsTheTypedDataComputedByHand() public view {
        bytes memory data = recordBatch(7);
        assertEq(council.executionDigest(BATCH_MODE, data, 0), digestByHand(BATCH_MODE, data, 0, address(council)), "0");
        assertEq(council.executionDigest(BATCH_MODE, "", 5), digestByHand(BATCH_MODE, "", 5, address(council)), "empty");
        assertTrue(
            council.executionDigest(BATCH_MODE, data, 0) != council.executionDigest(BATCH_MODE, data, 1),
            "the nonce is signed"
        );
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            council.eip712Domain();
        assertEq(name, "SDAP Regulator Council", "name");
        assertEq(version, "1", "version");
        assertEq(chainId, block.chainid, "chainId");
        assertEq(verifyingContract, address(council), "verifyingContract");
    }

    function testFuzz_ExecutionDigest_IsTheTypedDataComputedByHand(bytes32 mode, bytes memory data, uint256 nonce)
        public
        view
    {
        assertEq(
            council.executionDigest(mode, data, nonce), digestByHand(mode, data, nonce, address(council)), "by hand"
        );
    }
}
