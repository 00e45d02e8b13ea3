// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {vm} from "../utils/Vm.sol";
import {HandlerBase} from "./HandlerBase.sol";
import {HandlerCollateralActions} from "./HandlerCollateralActions.sol";
import {HandlerExchangeActions} from "./HandlerExchangeActions.sol";
import {HandlerIssuanceActions} from "./HandlerIssuanceActions.sol";
import {HandlerMandateActions} from "./HandlerMandateActions.sol";
import {HandlerRecoveryActions} from "./HandlerRecoveryActions.sol";
import {HandlerRedemptionActions} from "./HandlerRedemptionActions.sol";
import {HandlerRegistryActions} from "./HandlerRegistryActions.sol";
import {HandlerUnitActions} from "./HandlerUnitActions.sol";

/// @notice The only contract the invariant fuzzer calls. Every external state-changing function
/// of the registry, the collateral attestations, the asset and its exchange has a handler here that bounds its
/// inputs, acts as the rightful role (or, about one time in five, as someone without it), calls
/// inside try/catch and, on success only, updates a model of what the law allows kept apart from
/// the contracts. Whenever a call succeeds that the model says must fail, a violation is counted;
/// the invariants assert the counts stay zero and the chain agrees with the model.
/// @dev Actors are plain wallets without roles, in every state the rules care about (eligible,
/// unregistered, frozen, unacknowledged, identity expired); their states change as the fuzzer
/// calls the registry handlers. The issuers are participants too, so units can come back to them.
/// Time moves only forward, through `warp`.
/// The pieces: {HandlerBase} (types, state, views), {HandlerModel} (the rules and checks),
/// {HandlerInputs} (picks from seeds) and the actions in {HandlerRegistryActions},
/// {HandlerCollateralActions}, {HandlerIssuanceActions}, {HandlerUnitActions},
/// {HandlerMandateActions}, {HandlerRecoveryActions}, {HandlerRedemptionActions} and
/// {HandlerExchangeActions} (offers, escrows, ERC-7943's frozen amounts); the clock is here.
contract Handler is
    HandlerRegistryActions,
    HandlerCollateralActions,
    HandlerIssuanceActions,
    HandlerUnitActions,
    HandlerMandateActions,
    HandlerRecoveryActions,
    HandlerRedemptionActions,
    HandlerExchangeActions
{
    constructor(Setup memory s) HandlerBase(s) {}

    /*//////////////////////////////////////////////////////////////
                                  TIME
    //////////////////////////////////////////////////////////////*/

    /// @notice Moves time forward: mostly minutes to days, sometimes months (permits, identities,
    /// attestations and encumbrances lapse).
    function warp(uint256 seed) external step {
        currentTime += seed % 8 == 0 ? bound(seed, 30 days, 200 days) : bound(seed, 1 minutes, 3 days);
        vm.warp(currentTime);
    }
}
