// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC2771Forwarder} from "@openzeppelin/contracts/metatx/ERC2771Forwarder.sol";

/// @title HolderForwarder
/// @notice Relays holders' EIP-712 signed requests (nonce, deadline) to the asset contract, so a
/// holder without gas can transfer, approve, encumber, release or redeem while being recorded as
/// the one who acted. OpenZeppelin's audited forwarder, named for the platform.
contract HolderForwarder is ERC2771Forwarder {
    constructor() ERC2771Forwarder("SDAP Holder Forwarder") {}
}
