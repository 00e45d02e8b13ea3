// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";

import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Shared fixture for the coverage suites (Law art. 5.2, 6.8): the fixture's issuance,
/// SUPPLY units covered by one attestation of COVERED units until LAPSE; helpers that assert the
/// coverage the asset reports and that a transfer moves or is refused as under-collateralised.
abstract contract CoverageBase is Base {
    /// @dev Supply of the fixture issuance: MINTED to alice and to bob.
    uint256 internal constant SUPPLY = 2 * MINTED;
    /// @dev When the fixture's attestation expires.
    uint64 internal constant LAPSE = uint64(START + 180 days);

    bytes32 internal fixtureId;

    function setUp() public virtual override {
        super.setUp();
        fixtureId = collateral.attestationsOf(address(asset), issuanceId)[0];
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function undercollateralised(uint256 id, uint256 covered, uint256 supply) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_Undercollateralised.selector, id, covered, supply);
    }

    function withdrawAccreditation(address account) internal {
        bytes32 role = registry.VERIFIER_ROLE();
        vm.prank(regulator);
        registry.revokeRole(role, account);
    }

    function assertCoverage(uint256 id, uint256 covered, uint256 supply, uint64 coveredUntil, bool under)
        internal
        view
    {
        ISecuredAssetTypes.Coverage memory c = asset.coverage(id);
        assertEq(c.covered, covered, "covered");
        assertEq(c.supply, supply, "supply");
        assertEq(c.coveredUntil, coveredUntil, "coveredUntil");
        assertEq(c.undercollateralised, under, "undercollateralised");
    }

    /// @dev checkTransfer says Undercollateralised, and the transfer, sent by `from`, reverts
    /// with the issuance's live cover and supply and moves nothing.
    function assertRefused(address from, address to, uint256 id, uint256 amount, uint256 covered, uint256 supply)
        internal
    {
        assertEq(
            uint256(asset.checkTransfer(from, to, id, amount)),
            uint256(ISecuredAssetTypes.Refusal.Undercollateralised),
            "checkTransfer"
        );
        uint256 fromBefore = asset.balanceOf(from, id);
        vm.expectRevert(undercollateralised(id, covered, supply));
        vm.prank(from);
        asset.safeTransferFrom(from, to, id, amount, "");
        assertEq(asset.balanceOf(from, id), fromBefore, "nothing moved");
    }

    /// @dev checkTransfer says None, and the transfer, sent by `from`, moves `amount`.
    function assertMoves(address from, address to, uint256 id, uint256 amount) internal {
        assertEq(uint256(asset.checkTransfer(from, to, id, amount)), uint256(ISecuredAssetTypes.Refusal.None), "check");
        uint256 toBefore = asset.balanceOf(to, id);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(from, from, to, id, amount);
        vm.prank(from);
        asset.safeTransferFrom(from, to, id, amount, "");
        assertEq(asset.balanceOf(to, id), toBefore + amount, "received");
    }
}
