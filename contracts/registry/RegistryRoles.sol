// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

import {IPlatformRegistry} from "../interfaces/IPlatformRegistry.sol";

/// @notice The platform's roles. The regulator administers every role, its own included; nobody
/// holds OpenZeppelin's DEFAULT_ADMIN_ROLE, so the deployer keeps nothing after construction.
/// There is always a regulator: the last one can neither renounce nor be revoked, since nobody
/// could then grant a permit or a role again.
abstract contract RegistryRoles is AccessControl, IPlatformRegistry {
    bytes32 public constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 public constant VERIFIER_ROLE = keccak256("VERIFIER_ROLE");
    bytes32 public constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");

    /// @inheritdoc IPlatformRegistry
    uint256 public regulatorCount;

    constructor(address regulator) {
        if (regulator == address(0)) revert Registry_ZeroAddress();
        _setRoleAdmin(REGULATOR_ROLE, REGULATOR_ROLE);
        _setRoleAdmin(OPERATOR_ROLE, REGULATOR_ROLE);
        _setRoleAdmin(VERIFIER_ROLE, REGULATOR_ROLE);
        _setRoleAdmin(COMPLIANCE_ROLE, REGULATOR_ROLE);
        _grantRole(REGULATOR_ROLE, regulator);
    }

    function _grantRole(bytes32 role, address account) internal override returns (bool granted) {
        granted = super._grantRole(role, account);
        if (granted && role == REGULATOR_ROLE) ++regulatorCount;
    }

    function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        if (revoked && role == REGULATOR_ROLE) {
            if (regulatorCount == 1) revert Registry_LastRegulator(account);
            --regulatorCount;
        }
    }
}
