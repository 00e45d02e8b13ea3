// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Execution} from "@openzeppelin/contracts/interfaces/draft-IERC7579.sol";

import {RegulatorCouncil} from "../../../contracts/governance/RegulatorCouncil.sol";

import {Test} from "../utils/Test.sol";
import {vm} from "../utils/Vm.sol";

/// @notice What the governance tests share: a council of three keys agreeing two of three, the
/// EIP-712 digest of a batch computed by hand from the type string and the domain (so the SDK's
/// independent encoding is pinned by the same bytes), signatures ordered as OpenZeppelin's
/// MultiSignerERC7913 expects, and `agree`, which has a quorum sign a batch and submits it.
abstract contract CouncilBase is Test {
    /// @dev ERC-7821 batch mode: callType batch (0x01), execType default (0x00), selector 0.
    bytes32 internal constant BATCH_MODE = 0x0100000000000000000000000000000000000000000000000000000000000000;
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant EXECUTION_TYPEHASH =
        keccak256("CouncilExecution(bytes32 mode,bytes executionData,uint256 nonce)");
    uint64 internal constant THRESHOLD = 2;

    RegulatorCouncil internal council;
    address internal signer1;
    uint256 internal signer1Key;
    address internal signer2;
    uint256 internal signer2Key;
    address internal signer3;
    uint256 internal signer3Key;

    /// @dev Three signers, two of whom must agree.
    function deployCouncil() internal {
        (signer1, signer1Key) = makeKey("council signer 1");
        (signer2, signer2Key) = makeKey("council signer 2");
        (signer3, signer3Key) = makeKey("council signer 3");
        council = new RegulatorCouncil(signersOf(signer1, signer2, signer3), THRESHOLD);
    }

    /*//////////////////////////////////////////////////////////////
                            BATCHES, DIGESTS
    //////////////////////////////////////////////////////////////*/

    /// @dev A batch of one call (`abi.encode(Execution[])`, OpenZeppelin ERC7579Utils.encodeBatch).
    function batchOf(address target, bytes memory callData) internal pure returns (bytes memory) {
        Execution[] memory calls = new Execution[](1);
        calls[0] = Execution(target, 0, callData);
        return abi.encode(calls);
    }

    function batchOf(address target1, bytes memory callData1, address target2, bytes memory callData2)
        internal
        pure
        returns (bytes memory)
    {
        Execution[] memory calls = new Execution[](2);
        calls[0] = Execution(target1, 0, callData1);
        calls[1] = Execution(target2, 0, callData2);
        return abi.encode(calls);
    }

    /// @dev The EIP-712 digest of a batch on `verifyingContract` at the current chain id, from the
    /// type string and the domain {name: "SDAP Regulator Council", version: "1"} alone.
    function digestByHand(bytes32 mode, bytes memory executionData, uint256 nonce, address verifyingContract)
        internal
        view
        returns (bytes32)
    {
        bytes32 domainSeparator = keccak256(
            abi.encode(
                DOMAIN_TYPEHASH, keccak256("SDAP Regulator Council"), keccak256("1"), block.chainid, verifyingContract
            )
        );
        bytes32 structHash = keccak256(abi.encode(EXECUTION_TYPEHASH, mode, keccak256(executionData), nonce));
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    /// @dev The digest computed by hand, checked against `on.executionDigest`: every signature in
    /// these tests is over bytes the contract and the hand encoding agree on.
    function digestOf(RegulatorCouncil on, bytes32 mode, bytes memory executionData, uint256 nonce)
        internal
        view
        returns (bytes32 digest)
    {
        digest = digestByHand(mode, executionData, nonce, address(on));
        assertEq(on.executionDigest(mode, executionData, nonce), digest, "executionDigest is the typed data by hand");
    }

    function digestOf(bytes memory executionData, uint256 nonce) internal view returns (bytes32) {
        return digestOf(council, BATCH_MODE, executionData, nonce);
    }

    /*//////////////////////////////////////////////////////////////
                               SIGNATURES
    //////////////////////////////////////////////////////////////*/

    function signersOf(address a) internal pure returns (bytes[] memory signers) {
        signers = new bytes[](1);
        signers[0] = abi.encodePacked(a);
    }

    function signersOf(address a, address b) internal pure returns (bytes[] memory signers) {
        signers = new bytes[](2);
        (signers[0], signers[1]) = (abi.encodePacked(a), abi.encodePacked(b));
    }

    function signersOf(address a, address b, address c) internal pure returns (bytes[] memory signers) {
        signers = new bytes[](3);
        (signers[0], signers[1], signers[2]) = (abi.encodePacked(a), abi.encodePacked(b), abi.encodePacked(c));
    }

    function keysOf(uint256 a) internal pure returns (uint256[] memory keys) {
        keys = new uint256[](1);
        keys[0] = a;
    }

    function keysOf(uint256 a, uint256 b) internal pure returns (uint256[] memory keys) {
        keys = new uint256[](2);
        (keys[0], keys[1]) = (a, b);
    }

    function keysOf(uint256 a, uint256 b, uint256 c) internal pure returns (uint256[] memory keys) {
        keys = new uint256[](3);
        (keys[0], keys[1], keys[2]) = (a, b, c);
    }

    /// @dev Two of the three signers: exactly the threshold.
    function quorum() internal view returns (uint256[] memory) {
        return keysOf(signer1Key, signer2Key);
    }

    function signatureOf(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    /// @dev `abi.encode(signers, signatures)` in the order given.
    function packed(bytes[] memory signers, bytes[] memory signatures) internal pure returns (bytes memory) {
        return abi.encode(signers, signatures);
    }

    /// @dev `abi.encode(signers, signatures)`, both ordered by the keccak256 of the signer bytes.
    function ordered(bytes[] memory signers, bytes[] memory signatures) internal pure returns (bytes memory) {
        for (uint256 i = 1; i < signers.length; ++i) {
            for (uint256 j = i; j > 0 && keccak256(signers[j - 1]) > keccak256(signers[j]); --j) {
                (signers[j - 1], signers[j]) = (signers[j], signers[j - 1]);
                (signatures[j - 1], signatures[j]) = (signatures[j], signatures[j - 1]);
            }
        }
        return abi.encode(signers, signatures);
    }

    /// @dev The keys' signatures over `digest`, each key signing as its own address, ordered.
    function signedBy(bytes32 digest, uint256[] memory keys) internal pure returns (bytes memory) {
        bytes[] memory signers = new bytes[](keys.length);
        bytes[] memory signatures = new bytes[](keys.length);
        for (uint256 i; i < keys.length; ++i) {
            signers[i] = abi.encodePacked(vm.addr(keys[i]));
            signatures[i] = signatureOf(keys[i], digest);
        }
        return ordered(signers, signatures);
    }

    /// @dev The signer bytes of `signatures`, as CouncilExecuted records them.
    function signersIn(bytes memory signatures) internal pure returns (bytes[] memory signers) {
        (signers,) = abi.decode(signatures, (bytes[], bytes[]));
    }

    /*//////////////////////////////////////////////////////////////
                                 AGREE
    //////////////////////////////////////////////////////////////*/

    /// @dev `keys` sign `executionData` under the council's next nonce; anyone submits it.
    function agree(bytes memory executionData, uint256[] memory keys) internal {
        uint256 nonce = council.nextNonce();
        council.executeSigned(BATCH_MODE, executionData, nonce, signedBy(digestOf(executionData, nonce), keys));
    }

    /// @dev A quorum agrees on calling `target` with `callData`.
    function agree(address target, bytes memory callData) internal {
        agree(batchOf(target, callData), quorum());
    }
}
