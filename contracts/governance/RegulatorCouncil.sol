// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC7821} from "@openzeppelin/contracts/account/extensions/draft-ERC7821.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MultiSignerERC7913} from "@openzeppelin/contracts/utils/cryptography/signers/MultiSignerERC7913.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title RegulatorCouncil
/// @notice The regulator's signers acting together. A batch of calls (ERC-7821 batch mode) runs
/// only when at least `threshold()` of the council's signers signed it: an EIP-712 signature each
/// over the batch and the council's next nonce, so a batch runs once and in order. Anyone may
/// submit the signatures. In the governed setup the council is the only proposer (and canceller)
/// of the {RegulatorTimelock}, which holds REGULATOR_ROLE: a sensitive power is used only once
/// enough signers agreed AND the timelock's delay has passed in public, with time to cancel.
/// @dev Built from OpenZeppelin's parts: MultiSignerERC7913 keeps the signers and checks the
/// signatures (ECDSA keys or ERC-1271 wallets, each counted once), ERC7821 runs the batch.
contract RegulatorCouncil is EIP712, Nonces, MultiSignerERC7913, ERC7821 {
    bytes32 private constant EXECUTION_TYPEHASH =
        keccak256("CouncilExecution(bytes32 mode,bytes executionData,uint256 nonce)");

    /// @notice A batch the council agreed on ran; `signers`: who signed it (ERC-7913 signer bytes,
    /// the 20-byte address for a key or a contract wallet).
    event CouncilExecuted(uint256 indexed nonce, bytes32 indexed digest, bytes[] signers);

    /// @notice Fewer than `threshold()` valid signatures of distinct signers over `digest`.
    error Council_NotAgreed(bytes32 digest);
    /// @notice Membership and threshold change only by a batch the council itself agreed on.
    error Council_OnlyCouncil(address caller);

    modifier onlyCouncil() {
        if (msg.sender != address(this)) revert Council_OnlyCouncil(msg.sender);
        _;
    }

    constructor(bytes[] memory signers, uint64 threshold_)
        EIP712("SDAP Regulator Council", "1")
        MultiSignerERC7913(signers, threshold_)
    {}

    /// @notice Runs `executionData` (ERC-7821 batch of calls from this contract) once `signatures`
    /// (`abi.encode(bytes[] signers, bytes[] signatures)`, signers ordered by their keccak256) hold
    /// at least `threshold()` signatures over `executionDigest(mode, executionData, nonce)`.
    function executeSigned(bytes32 mode, bytes calldata executionData, uint256 nonce, bytes calldata signatures)
        external
    {
        _useCheckedNonce(address(this), nonce);
        bytes32 digest = executionDigest(mode, executionData, nonce);
        if (!_rawSignatureValidation(digest, signatures)) revert Council_NotAgreed(digest);
        (bytes[] memory signers,) = abi.decode(signatures, (bytes[], bytes[]));
        emit CouncilExecuted(nonce, digest, signers);
        // ERC-7821's own entry point, which runs only for this contract itself.
        this.execute(mode, executionData);
    }

    /// @notice The EIP-712 digest each signer signs for a batch under `nonce`.
    function executionDigest(bytes32 mode, bytes calldata executionData, uint256 nonce) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(EXECUTION_TYPEHASH, mode, keccak256(executionData), nonce)));
    }

    /// @notice The nonce the next batch must be signed under.
    function nextNonce() external view returns (uint256) {
        return nonces(address(this));
    }

    function addSigners(bytes[] memory signers) external onlyCouncil {
        _addSigners(signers);
    }

    function removeSigners(bytes[] memory signers) external onlyCouncil {
        _removeSigners(signers);
    }

    function setThreshold(uint64 threshold_) external onlyCouncil {
        _setThreshold(threshold_);
    }
}
