// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Shared helpers for the freeze, forced-transfer and redemption suites: freezing units and
/// accounts, locking units, the errors they raise and a holder's balance, encumbered, frozen and
/// available units.
abstract contract FreezeBase is Base {
    bytes32 internal constant REASON = keccak256("suspicious pattern 42");

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function freezeUnits(address holder, uint256 amount) internal {
        vm.prank(compliance);
        asset.freezeUnits(issuanceId, holder, amount, REASON);
    }

    function freezeAccount(address wallet) internal {
        vm.prank(compliance);
        registry.freezeParticipant(wallet, REASON);
    }

    function lock(address holder, uint256 amount) internal {
        address beneficiary = holder == bob ? alice : bob;
        vm.prank(holder);
        asset.encumber(issuanceId, amount, beneficiary, keccak256("pledge"), 0);
    }

    function notEligible(address account, IPlatformRegistry.ParticipantStatus status)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ParticipantNotEligible.selector, account, status);
    }

    function unavailable(address holder, uint256 requested, uint256 available) internal view returns (bytes memory) {
        return abi.encodeWithSelector(
            ISecuredAssetTypes.SecuredAsset_UnitsUnavailable.selector, issuanceId, holder, requested, available
        );
    }

    function assertHolding(address holder, uint256 balance, uint256 encumbered, uint256 frozen) internal view {
        assertEq(asset.balanceOf(holder, issuanceId), balance, "balance");
        assertEq(asset.encumberedUnits(issuanceId, holder), encumbered, "encumbered");
        assertEq(asset.frozenUnits(issuanceId, holder), frozen, "frozen");
        assertEq(asset.availableUnits(issuanceId, holder), balance - encumbered - frozen, "available");
    }
}
