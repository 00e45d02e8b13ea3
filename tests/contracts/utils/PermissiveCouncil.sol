// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {RegulatorCouncil} from "../../../contracts/governance/RegulatorCouncil.sol";

/// @notice The real RegulatorCouncil, for the auditor's tests only, with doors that check nothing:
/// a batch run under any signers (named in CouncilExecuted as if they had signed, whoever they are
/// and however few), and signers added or a threshold set outside any batch of the council. What
/// the real council refuses to write, so the auditor's governance rules must catch it. Never deploy
/// it for real.
contract PermissiveCouncil is RegulatorCouncil {
    constructor(bytes[] memory signers, uint64 threshold_) RegulatorCouncil(signers, threshold_) {}

    /// @dev Runs `executionData` as if `signers` had signed it, checking no signature.
    function executeUnchecked(bytes32 mode, bytes calldata executionData, bytes[] calldata signers) external {
        uint256 nonce = _useNonce(address(this));
        emit CouncilExecuted(nonce, executionDigest(mode, executionData, nonce), signers);
        this.execute(mode, executionData);
    }

    function addSignersUnchecked(bytes[] memory signers) external {
        _addSigners(signers);
    }

    function setThresholdUnchecked(uint64 threshold_) external {
        _setThreshold(threshold_);
    }
}
