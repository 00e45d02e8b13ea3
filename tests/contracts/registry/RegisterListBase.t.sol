// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Shared helpers for the suites of the register's public lists (issuers, operators and
/// each operator's participants): registering more of them, and comparing a page with what it
/// should hold.
abstract contract RegisterListBase is Base {
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 internal constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    /// @dev A new issuer named `name`, registered by the regulator.
    function registerIssuerNamed(string memory name) internal returns (address wallet) {
        wallet = makeAddr(name);
        vm.prank(regulator);
        registry.registerIssuer(wallet, name, "123456789012", "KZ", keccak256(bytes(name)));
    }

    /// @dev `op` registers a new wallet named `name` as its participant.
    function registerParticipantBy(address op, string memory name) internal returns (address wallet) {
        wallet = makeAddr(name);
        vm.prank(op);
        registry.registerParticipant(wallet, keccak256(bytes(name)), uint64(START + 730 days));
    }

    function list(address a) internal pure returns (address[] memory l) {
        l = new address[](1);
        l[0] = a;
    }

    function list(address a, address b) internal pure returns (address[] memory l) {
        l = new address[](2);
        (l[0], l[1]) = (a, b);
    }

    function list(address a, address b, address c) internal pure returns (address[] memory l) {
        l = new address[](3);
        (l[0], l[1], l[2]) = (a, b, c);
    }

    function list(address a, address b, address c, address d) internal pure returns (address[] memory l) {
        l = new address[](4);
        (l[0], l[1], l[2], l[3]) = (a, b, c, d);
    }

    /// @dev `page` holds exactly `expected`, in that order.
    function assertPage(address[] memory page, address[] memory expected, string memory what) internal pure {
        assertEq(page.length, expected.length, string.concat(what, ": length"));
        for (uint256 i; i < page.length; ++i) {
            assertEq(page[i], expected[i], string.concat(what, ": entry ", vm.toString(i)));
        }
    }
}
