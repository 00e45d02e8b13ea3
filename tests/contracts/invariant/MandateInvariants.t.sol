// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

import {HandlerBase} from "./HandlerBase.sol";
import {InvariantBase} from "./InvariantBase.t.sol";

/// @notice No key beyond its mandate (Law art. 6.1-6.2): operators whose role is taken or whose
/// permit is suspended, revoked, expired or never granted try every operator action, the
/// regulator's (and supervisor's) pauses face operators that try to lift them, issuances pass only
/// to operators, and the register lists every operator once.
contract MandateInvariantsTest is InvariantBase {
    /// @dev Nothing an operator without OPERATOR_ROLE or an active permit calls succeeds, on the
    /// asset, in the registry or on collateral: the handler counts every such success.
    function invariant_NothingSucceedsWithoutAnActivePermit() public view {
        assertEq(handler.unpermittedSuccesses(), 0, "an operator outside its mandate changed something");
        assertNoViolation(HandlerBase.Violation.ActedWithoutPermit);
    }

    /// @dev Only the regulator lifts the regulator's own pause, and the regulator or a supervisor a
    /// supervisor's (which stands for the regulator's at once); the chain's record of whose pause
    /// it is stays the model's.
    function invariant_RegulatorPauseLiftedOnlyByRegulator() public view {
        assertNoViolation(HandlerBase.Violation.RegulatorPauseLifted);
        for (uint256 id = 1; id <= handler.issuanceCount(); ++id) {
            assertEq(
                asset.issuance(id).pausedByRegulator,
                handler.issuanceModel(id).pausedByRegulator,
                "pausedByRegulator != model"
            );
        }
    }

    /// @dev Succession hands issuances only to operators within their mandate: every issuance is
    /// run by an address that holds or once held OPERATOR_ROLE (it may lose the role later; its
    /// issuances then wait for a successor), the one the model says; and no succession the model
    /// allows was refused.
    function invariant_IssuancesRunByOperators() public view {
        for (uint256 id = 1; id <= handler.issuanceCount(); ++id) {
            address op = asset.issuance(id).operator;
            if (!handler.heldOperatorRole(op)) fail("run by an address that never held OPERATOR_ROLE", id, op);
            if (op != handler.issuanceModel(id).operator) fail("operator != model", id, op);
        }
        assertNoViolation(HandlerBase.Violation.WronglyRefused);
    }

    /// @dev The register lists every operator ever granted a permit, exactly once, and every
    /// address given details, in the order the model saw each first, with its details; each
    /// operator lists exactly the participants it identified, lost wallets and replacements included.
    function invariant_RegisterListsEveryOperatorOnce() public view {
        address[] memory listed = registry.operators(0, registry.operatorCount());
        address[] memory model = handler.listedOperators();
        assertEq(listed.length, model.length, "operatorCount != model");
        for (uint256 i; i < listed.length; ++i) {
            if (listed[i] != model[i]) fail("operator list != model", i, listed[i]);
            if (occurrences(listed, listed[i]) != 1) fail("operator listed twice", i, listed[i]);
            bytes32 detailsHash = registry.operatorDetails(listed[i]).detailsHash;
            if (detailsHash != handler.operatorDetailsHash(listed[i])) fail("details != model", i, listed[i]);
        }
        address[2] memory ops = handler.operators();
        address[] memory candidates = new address[](actors.length + 3);
        (candidates[0], candidates[1], candidates[2]) = (ops[0], ops[1], newcomer);
        for (uint256 i; i < actors.length; ++i) {
            candidates[i + 3] = actors[i];
        }
        for (uint256 i; i < candidates.length; ++i) {
            bool permitted = registry.permit(candidates[i]).status != IPlatformRegistry.PermitStatus.None;
            if (permitted && !handler.everPermitted(candidates[i])) fail("permit the model missed", 0, candidates[i]);
            if (handler.everPermitted(candidates[i]) && occurrences(listed, candidates[i]) != 1) {
                fail("permitted operator not listed exactly once", 0, candidates[i]);
            }
        }
        // A lost wallet stays listed under the operator that identified it, its replacement after it.
        address[] memory holders = handler.holders();
        for (uint256 i; i < 2; ++i) {
            uint256 identified;
            for (uint256 j; j < holders.length; ++j) {
                if (handler.identifiedBy(holders[j]) == ops[i]) ++identified;
            }
            address[] memory participants = registry.participantsOf(ops[i], 0, type(uint256).max);
            assertEq(registry.participantCountOf(ops[i]), identified, "participantCountOf != model");
            assertEq(participants.length, identified, "participantsOf != model");
            for (uint256 j; j < participants.length; ++j) {
                if (handler.identifiedBy(participants[j]) != ops[i]) fail("another's participant", j, ops[i]);
            }
        }
    }

    function occurrences(address[] memory list, address account) internal pure returns (uint256 n) {
        for (uint256 i; i < list.length; ++i) {
            if (list[i] == account) ++n;
        }
    }
}
