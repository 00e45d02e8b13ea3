// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice The issuer moves its published decision to issue (a new website): only the URI
/// changes, the anchored decision hash never does, so the copy at the new place must be the same
/// decision (Law art. 5.1).
contract DecisionUriTest is Base {
    string internal constant MOVED = "https://issuer.example/2026/decision.pdf";

    function expectNotIssuer(uint256 id, address account) internal {
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceIssuer.selector, id, account));
    }

    function assertUnchanged(uint256 id) internal view {
        ISecuredAssetTypes.Issuance memory iss = asset.issuance(id);
        assertEq(iss.decisionUri, issuanceParams().decisionUri, "decisionUri unchanged");
        assertEq(iss.decisionHash, issuanceParams().decisionHash, "decisionHash unchanged");
    }

    function test_UpdateDecisionUri_ByIssuer() public {
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.DecisionUriUpdated(issuanceId, MOVED, issuer);
        vm.prank(issuer);
        asset.updateDecisionUri(issuanceId, MOVED);

        ISecuredAssetTypes.Issuance memory iss = asset.issuance(issuanceId);
        assertEq(iss.decisionUri, MOVED, "decisionUri");
        assertEq(iss.decisionHash, issuanceParams().decisionHash, "decisionHash never changes");
        assertEq(iss.operator, operator, "operator");
    }

    /// @dev The URI may move again, and only the issuance named moves.
    function test_UpdateDecisionUri_AgainAndOnlyThatIssuance() public {
        uint256 other = createIssuance();
        vm.startPrank(issuer);
        asset.updateDecisionUri(issuanceId, MOVED);
        asset.updateDecisionUri(issuanceId, "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi");
        vm.stopPrank();
        assertEq(
            asset.issuance(issuanceId).decisionUri,
            "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
            "moved twice"
        );
        assertUnchanged(other);
    }

    /// @dev The decision is the issuer's own record: it moves it while the issuance is paused and
    /// its operator's permit revoked.
    function test_UpdateDecisionUri_WhilePausedAndPermitRevoked() public {
        vm.startPrank(regulator);
        asset.pause(issuanceId);
        registry.revokePermit(operator, keccak256("licence withdrawn"));
        vm.stopPrank();
        vm.prank(issuer);
        asset.updateDecisionUri(issuanceId, MOVED);
        assertEq(asset.issuance(issuanceId).decisionUri, MOVED, "decisionUri");
    }

    function test_RevertWhen_UpdateDecisionUriEmpty() public {
        vm.prank(issuer);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_EmptyDecision.selector));
        asset.updateDecisionUri(issuanceId, "");
        assertUnchanged(issuanceId);
    }

    function test_RevertWhen_UpdateDecisionUriClosed() public {
        uint256 id = createIssuance();
        vm.prank(issuer);
        asset.close(id, keccak256("fulfilled"));
        vm.prank(issuer);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceClosed.selector, id));
        asset.updateDecisionUri(id, MOVED);
        assertUnchanged(id);
    }

    function test_RevertWhen_UpdateDecisionUriUnknown() public {
        vm.prank(issuer);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, 99));
        asset.updateDecisionUri(99, MOVED);
    }

    function test_RevertWhen_UpdateDecisionUriByOperator() public {
        expectNotIssuer(issuanceId, operator);
        vm.prank(operator);
        asset.updateDecisionUri(issuanceId, MOVED);
        assertUnchanged(issuanceId);
    }

    function test_RevertWhen_UpdateDecisionUriByRegulator() public {
        expectNotIssuer(issuanceId, regulator);
        vm.prank(regulator);
        asset.updateDecisionUri(issuanceId, MOVED);
        assertUnchanged(issuanceId);
    }

    function test_RevertWhen_UpdateDecisionUriByStranger() public {
        expectNotIssuer(issuanceId, alice);
        vm.prank(alice);
        asset.updateDecisionUri(issuanceId, MOVED);
        assertUnchanged(issuanceId);
    }

    /// @dev Another registered issuer is a stranger to this issuance.
    function test_RevertWhen_UpdateDecisionUriByAnotherIssuer() public {
        address otherIssuer = makeAddr("otherIssuer");
        vm.prank(regulator);
        registry.registerIssuer(otherIssuer, "Almaty Logistics JSC", "987654321098", "KZ", keccak256("other"));
        expectNotIssuer(issuanceId, otherIssuer);
        vm.prank(otherIssuer);
        asset.updateDecisionUri(issuanceId, MOVED);
        assertUnchanged(issuanceId);
    }
}
