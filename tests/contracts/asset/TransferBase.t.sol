// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Shared fixture for the transfer suites: a second issuance of the same operator and one
/// of another permitted operator, alice and bob holding MINTED of each, and helpers that assert a
/// transfer moves or is refused with the reason `checkTransfer` names.
abstract contract TransferBase is Base {
    /// @dev A second issuance of the same operator; alice and bob hold MINTED each.
    uint256 internal secondId;
    /// @dev An issuance of another permitted operator; alice and bob hold MINTED each.
    address internal operator2;
    uint256 internal otherOperatorId;

    function setUp() public override {
        super.setUp();
        secondId = createIssuance();
        attest(secondId, COVERED);
        vm.startPrank(operator);
        asset.mint(secondId, alice, MINTED);
        asset.mint(secondId, bob, MINTED);
        vm.stopPrank();

        operator2 = makeAddr("operator2");
        vm.startPrank(regulator);
        registry.grantRole(registry.OPERATOR_ROLE(), operator2);
        registry.grantPermit(operator2, uint64(START), uint64(START + 365 days), keccak256("permit-002"));
        vm.stopPrank();
        otherOperatorId = createIssuanceAs(operator2, issuanceParams(), issuerKey);
        attest(otherOperatorId, COVERED);
        vm.startPrank(operator2);
        asset.mint(otherOperatorId, alice, MINTED);
        asset.mint(otherOperatorId, bob, MINTED);
        vm.stopPrank();
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev checkTransfer says `expected`, and the transfer, sent by `from`, reverts with `err`
    /// and moves nothing.
    function assertRefused(
        address from,
        address to,
        uint256 id,
        uint256 amount,
        ISecuredAssetTypes.Refusal expected,
        bytes memory err
    ) internal {
        assertEq(uint256(asset.checkTransfer(from, to, id, amount)), uint256(expected), "checkTransfer");
        uint256 fromBefore = asset.balanceOf(from, id);
        uint256 toBefore = asset.balanceOf(to, id);
        vm.prank(from);
        vm.expectRevert(err);
        asset.safeTransferFrom(from, to, id, amount, "");
        assertEq(asset.balanceOf(from, id), fromBefore, "sender balance unchanged");
        assertEq(asset.balanceOf(to, id), toBefore, "recipient balance unchanged");
    }

    /// @dev checkTransfer says None, and the transfer, sent by `from`, moves exactly `amount`.
    function assertMoves(address from, address to, uint256 id, uint256 amount) internal {
        assertEq(uint256(asset.checkTransfer(from, to, id, amount)), uint256(ISecuredAssetTypes.Refusal.None), "check");
        uint256 fromBefore = asset.balanceOf(from, id);
        uint256 toBefore = asset.balanceOf(to, id);
        uint256 supply = asset.totalSupply(id);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(from, from, to, id, amount);
        vm.prank(from);
        asset.safeTransferFrom(from, to, id, amount, "");
        assertEq(asset.balanceOf(from, id), fromBefore - amount, "sender balance");
        assertEq(asset.balanceOf(to, id), toBefore + amount, "recipient balance");
        assertEq(asset.totalSupply(id), supply, "supply unchanged");
    }

    function notEligible(address account, IPlatformRegistry.ParticipantStatus status)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ParticipantNotEligible.selector, account, status);
    }

    function permitNotActive(address op, IPlatformRegistry.PermitState state) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector, op, state);
    }

    function restricted(uint256 id, address holder, uint256 balanceAfter, uint256 encumbered, uint256 frozen)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(
            ISecuredAssetTypes.SecuredAsset_UnitsRestricted.selector, id, holder, balanceAfter, encumbered, frozen, 0
        );
    }

    function pair(uint256 a, uint256 b) internal pure returns (uint256[] memory arr) {
        arr = new uint256[](2);
        arr[0] = a;
        arr[1] = b;
    }

    function freezeUnitsOf(address holder, uint256 id, uint256 amount) internal {
        vm.prank(compliance);
        asset.freezeUnits(id, holder, amount, keccak256("suspicious"));
    }

    function lockUnitsOf(address holder, uint256 id, uint256 amount, address beneficiary) internal {
        vm.prank(holder);
        asset.encumber(id, amount, beneficiary, keccak256("pledge"), 0);
    }

    function freezeAccount(address wallet) internal {
        vm.prank(compliance);
        registry.freezeParticipant(wallet, keccak256("aml"));
    }
}
