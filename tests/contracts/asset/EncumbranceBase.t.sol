// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Shared fixture for the encumbrance suites (Rules item 4): `pledge` has alice encumber
/// units of `issuanceId` for bob under PLEDGE; `expiry` is 30 days after START.
abstract contract EncumbranceBase is Base {
    uint64 internal expiry;
    bytes32 internal constant PLEDGE = keccak256("pledge agreement 17");

    function setUp() public override {
        super.setUp();
        expiry = uint64(START + 30 days);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function pledge(uint256 amount, uint64 until) internal returns (uint256 encumbranceId) {
        vm.prank(alice);
        encumbranceId = asset.encumber(issuanceId, amount, bob, PLEDGE, until);
    }

    function notEligible(address account, IPlatformRegistry.ParticipantStatus status)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ParticipantNotEligible.selector, account, status);
    }

    function notActive(uint256 encumbranceId) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_EncumbranceNotActive.selector, encumbranceId);
    }

    function freezeAccount(address wallet) internal {
        vm.prank(compliance);
        registry.freezeParticipant(wallet, keccak256("aml"));
    }

    function assertLocked(uint256 encumbered, uint256 balance) internal view {
        assertEq(asset.encumberedUnits(issuanceId, alice), encumbered, "encumbered");
        assertEq(asset.balanceOf(alice, issuanceId), balance, "balance");
        assertEq(asset.availableUnits(issuanceId, alice), balance - encumbered, "available");
    }
}
