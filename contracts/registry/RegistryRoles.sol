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
    bytes32 public constant SUPERVISOR_ROLE = keccak256("SUPERVISOR_ROLE");
    bytes32 public constant SETTLEMENT_AGENT_ROLE = keccak256("SETTLEMENT_AGENT_ROLE");

    /// @inheritdoc IPlatformRegistry
    uint256 public regulatorCount;

    // Both are asked on every movement (the parties' acknowledgements, the asset's coverage
    // revision): a movement reads the copies in its operator's slot (see {Permits}), which every
    // change here rewrites through {_platformValuesChanged}.
    uint32 internal _noticeInForce;
    uint32 internal _accreditationRevision;

    mapping(address verifier => uint32 epoch) private _accreditationEpochs;

    constructor(address regulator) {
        if (regulator == address(0)) revert Registry_ZeroAddress();
        _setRoleAdmin(REGULATOR_ROLE, REGULATOR_ROLE);
        _setRoleAdmin(OPERATOR_ROLE, REGULATOR_ROLE);
        _setRoleAdmin(VERIFIER_ROLE, REGULATOR_ROLE);
        _setRoleAdmin(COMPLIANCE_ROLE, REGULATOR_ROLE);
        _setRoleAdmin(SUPERVISOR_ROLE, REGULATOR_ROLE);
        _setRoleAdmin(SETTLEMENT_AGENT_ROLE, REGULATOR_ROLE);
        _grantRole(REGULATOR_ROLE, regulator);
    }

    /// @inheritdoc IPlatformRegistry
    function accreditationOf(address verifier) external view returns (uint32) {
        return hasRole(VERIFIER_ROLE, verifier) ? _accreditationEpochs[verifier] : 0;
    }

    /// @inheritdoc IPlatformRegistry
    function accreditationRevision() external view returns (uint32) {
        return _accreditationRevision;
    }

    /// @dev The notice in force or the accreditation revision changed.
    function _platformValuesChanged() internal virtual;

    /// @dev An operator acts only with its role and its permit in force (Law art. 6.1-6.2).
    function _requireActiveOperator(address account) internal view {
        _checkRole(OPERATOR_ROLE, account);
        PermitState state = permitState(account);
        if (state != PermitState.Active) revert Registry_PermitNotActive(account, state);
    }

    function permitState(address operator) public view virtual returns (PermitState);

    /// @dev One page of a register's list: up to `limit` entries from `start` (none past its end).
    function _page(address[] storage list, uint256 start, uint256 limit) internal view returns (address[] memory page) {
        uint256 length = list.length;
        uint256 end = start >= length ? start : (limit > length - start ? length : start + limit);
        page = new address[](end - start);
        for (uint256 i = start; i < end; ++i) {
            page[i - start] = list[i];
        }
    }

    /// @dev Legal details are all given: names, identifiers and the hash of the documents.
    function _validDetails(
        string calldata legalName,
        string calldata businessId,
        string calldata jurisdiction,
        bytes32 detailsHash
    ) internal pure returns (bool) {
        return bytes(legalName).length != 0 && bytes(businessId).length != 0 && bytes(jurisdiction).length != 0
            && detailsHash != bytes32(0);
    }

    function _grantRole(bytes32 role, address account) internal override returns (bool granted) {
        granted = super._grantRole(role, account);
        if (!granted) return granted;
        if (role == REGULATOR_ROLE) ++regulatorCount;
        // A new epoch on every grant: attestations of an earlier accreditation stay withdrawn.
        if (role == VERIFIER_ROLE) ++_accreditationEpochs[account];
    }

    function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        if (!revoked) return revoked;
        if (role == REGULATOR_ROLE) {
            if (regulatorCount == 1) revert Registry_LastRegulator(account);
            --regulatorCount;
        }
        if (role == VERIFIER_ROLE) {
            emit AccreditationWithdrawn(account, ++_accreditationRevision, _msgSender());
            _platformValuesChanged();
        }
    }
}
