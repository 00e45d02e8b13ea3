// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Every rule a mint must pass: the issuance's operator under an active permit (Law art.
/// 6.1-6.2), an open unpaused issuance, an active issuer (art. 4.1.10), a listed type (art. 4.1.8),
/// an eligible recipient (art. 6.3-6.4), the cap, and live verified collateral (art. 6.8).
contract MintTest is Base {
    /// @dev Supply of the fixture issuance before any test mints: MINTED to alice and to bob.
    uint256 internal constant SUPPLY = 2 * MINTED;
    /// @dev What the fixture's collateral still covers.
    uint256 internal constant HEADROOM = COVERED - SUPPLY;

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function refusal(ISecuredAssetTypes.Refusal r) internal pure returns (uint256) {
        return uint256(r);
    }

    /// @dev Asserts that checkMint reports `expected` and that the mint itself reverts with `err`,
    /// leaving supply and the recipient's balance as they were.
    function assertMintRefused(
        uint256 id,
        address to,
        uint256 amount,
        ISecuredAssetTypes.Refusal expected,
        bytes memory err
    ) internal {
        assertEq(uint256(asset.checkMint(id, to, amount)), refusal(expected), "checkMint");
        uint256 supply = asset.totalSupply(id);
        uint256 balance = asset.balanceOf(to, id);
        vm.prank(operator);
        vm.expectRevert(err);
        asset.mint(id, to, amount);
        assertEq(asset.totalSupply(id), supply, "supply unchanged");
        assertEq(asset.balanceOf(to, id), balance, "balance unchanged");
    }

    /// @dev Asserts that checkMint reports None and that the mint lands exactly.
    function assertMints(uint256 id, address to, uint256 amount) internal {
        assertEq(uint256(asset.checkMint(id, to, amount)), refusal(ISecuredAssetTypes.Refusal.None), "checkMint");
        uint256 supply = asset.totalSupply(id);
        uint256 balance = asset.balanceOf(to, id);
        vm.expectEmit(address(asset));
        emit IERC1155.TransferSingle(operator, address(0), to, id, amount);
        vm.prank(operator);
        asset.mint(id, to, amount);
        assertEq(asset.totalSupply(id), supply + amount, "supply");
        assertEq(asset.balanceOf(to, id), balance + amount, "balance");
    }

    function notEligible(address account, IPlatformRegistry.ParticipantStatus status)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ParticipantNotEligible.selector, account, status);
    }

    function permitNotActive(IPlatformRegistry.PermitState state) internal view returns (bytes memory) {
        return abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector, operator, state);
    }

    function collateralInsufficient(uint256 covered, uint256 supplyAfter) internal view returns (bytes memory) {
        return abi.encodeWithSelector(
            ISecuredAssetTypes.SecuredAsset_CollateralInsufficient.selector, issuanceId, covered, supplyAfter
        );
    }

    function fixtureAttestation() internal view returns (bytes32) {
        return collateral.attestationsOf(address(asset), issuanceId)[0];
    }

    /*//////////////////////////////////////////////////////////////
                               COLLATERAL
    //////////////////////////////////////////////////////////////*/

    function test_WhenCollateralCovers() public {
        assertMints(issuanceId, alice, 123);
        assertEq(asset.balanceOf(alice, issuanceId), MINTED + 123, "alice");
    }

    function test_WhenCollateralCoversExactly() public {
        assertMints(issuanceId, bob, HEADROOM);
        assertEq(asset.totalSupply(issuanceId), COVERED, "supply equals cover");
    }

    function test_RevertWhen_CollateralInsufficient() public {
        assertMintRefused(
            issuanceId,
            alice,
            HEADROOM + 1,
            ISecuredAssetTypes.Refusal.CollateralInsufficient,
            collateralInsufficient(COVERED, COVERED + 1)
        );
    }

    function test_WhenSecondAttestationAddsCover() public {
        attest(issuanceId, 5_000);
        assertEq(collateral.coveredUnits(address(asset), issuanceId, issuer), COVERED + 5_000, "covered");
        assertMints(issuanceId, alice, HEADROOM + 5_000);
        assertMintRefused(
            issuanceId,
            alice,
            1,
            ISecuredAssetTypes.Refusal.CollateralInsufficient,
            collateralInsufficient(COVERED + 5_000, COVERED + 5_001)
        );
    }

    function test_RevertWhen_NoCollateralAttested() public {
        uint256 id = createIssuance();
        assertEq(
            uint256(asset.checkMint(id, alice, 1)), refusal(ISecuredAssetTypes.Refusal.CollateralInsufficient), "check"
        );
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_CollateralInsufficient.selector, id, 0, 1)
        );
        asset.mint(id, alice, 1);
    }

    function test_RevertWhen_CollateralAttestedForAnotherIssuance() public {
        uint256 id = createIssuance();
        // The fixture issuance's cover does not count for the new one.
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_CollateralInsufficient.selector, id, 0, 1)
        );
        asset.mint(id, alice, 1);
    }

    function test_WhenCollateralStillLiveOnItsLastSecond() public {
        vm.warp(START + 180 days - 1);
        assertMints(issuanceId, alice, 1);
    }

    function test_RevertWhen_CollateralExpired() public {
        vm.warp(START + 180 days);
        assertEq(collateral.coveredUnits(address(asset), issuanceId, issuer), 0, "nothing covered");
        assertMintRefused(
            issuanceId,
            alice,
            1,
            ISecuredAssetTypes.Refusal.CollateralInsufficient,
            collateralInsufficient(0, SUPPLY + 1)
        );
    }

    function test_WhenCollateralRenewedAfterExpiry() public {
        vm.warp(START + 180 days);
        attest(issuanceId, 3_000);
        assertMints(issuanceId, alice, 1_000);
        assertMintRefused(
            issuanceId,
            alice,
            1,
            ISecuredAssetTypes.Refusal.CollateralInsufficient,
            collateralInsufficient(3_000, 3_001)
        );
    }

    /// @dev Law art. 5.2, 6.8: units minted under collateral that has since expired stop
    /// circulating too, not only further minting (see tests/contracts/coverage/).
    function test_RevertWhen_ExistingUnitsMoveAfterCollateralExpiry() public {
        vm.warp(START + 180 days);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_Undercollateralised.selector, issuanceId, 0, SUPPLY)
        );
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 10, "");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED, "bob");
    }

    function test_RevertWhen_CollateralRevokedByVerifier() public {
        bytes32 attestationId = fixtureAttestation();
        vm.prank(verifier);
        collateral.revoke(attestationId, keccak256("grain sold"));
        assertMintRefused(
            issuanceId,
            alice,
            1,
            ISecuredAssetTypes.Refusal.CollateralInsufficient,
            collateralInsufficient(0, SUPPLY + 1)
        );
    }

    function test_RevertWhen_CollateralRevokedByRegulator() public {
        bytes32 second = attest(issuanceId, 500);
        vm.prank(regulator);
        collateral.revoke(second, keccak256("forged receipt"));
        // Only the revoked attestation stops counting.
        assertMints(issuanceId, alice, HEADROOM);
        assertMintRefused(
            issuanceId,
            alice,
            1,
            ISecuredAssetTypes.Refusal.CollateralInsufficient,
            collateralInsufficient(COVERED, COVERED + 1)
        );
    }

    /*//////////////////////////////////////////////////////////////
                                   CAP
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_MaxSupplyExceeded() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        p.maxSupply = 500;
        uint256 id = createIssuanceAs(operator, p, issuerKey);
        attest(id, COVERED);

        assertMints(id, alice, 500);
        assertEq(uint256(asset.checkMint(id, alice, 1)), refusal(ISecuredAssetTypes.Refusal.MaxSupplyExceeded), "check");
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MaxSupplyExceeded.selector, id, 500, 501)
        );
        asset.mint(id, alice, 1);
        assertEq(asset.totalSupply(id), 500, "supply at cap");
    }

    function test_MaxSupplyIsCheckedBeforeCollateral() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        p.maxSupply = 500;
        uint256 id = createIssuanceAs(operator, p, issuerKey);
        // No collateral at all: the cap is the first reason given.
        vm.prank(operator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MaxSupplyExceeded.selector, id, 500, 600)
        );
        asset.mint(id, alice, 600);
    }

    /*//////////////////////////////////////////////////////////////
                          OPERATOR AND PERMIT
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_MintByHolder() public {
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperator.selector, issuanceId, alice)
        );
        asset.mint(issuanceId, alice, 1);
    }

    function test_RevertWhen_MintByIssuer() public {
        vm.prank(issuer);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperator.selector, issuanceId, issuer)
        );
        asset.mint(issuanceId, alice, 1);
    }

    function test_RevertWhen_MintByRegulator() public {
        vm.prank(regulator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperator.selector, issuanceId, regulator)
        );
        asset.mint(issuanceId, alice, 1);
    }

    function test_RevertWhen_MintByAnotherPermittedOperator() public {
        address op = makeAddr("operator2");
        vm.startPrank(regulator);
        registry.grantRole(registry.OPERATOR_ROLE(), op);
        registry.grantPermit(op, uint64(START), uint64(START + 365 days), keccak256("permit-002"));
        vm.stopPrank();
        vm.prank(op);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_NotIssuanceOperator.selector, issuanceId, op)
        );
        asset.mint(issuanceId, alice, 1);
    }

    function test_RevertWhen_MintUnknownIssuance() public {
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, 99));
        asset.mint(99, alice, 1);
        assertEq(
            uint256(asset.checkMint(99, alice, 1)),
            refusal(ISecuredAssetTypes.Refusal.IssuanceUnknown),
            "checkMint unknown"
        );
    }

    function test_RevertWhen_MintZero() public {
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ZeroAmount.selector));
        asset.mint(issuanceId, alice, 0);
    }

    function test_RevertWhen_MintPermitSuspended() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        assertMintRefused(
            issuanceId,
            alice,
            1,
            ISecuredAssetTypes.Refusal.PermitNotActive,
            permitNotActive(IPlatformRegistry.PermitState.Suspended)
        );
    }

    function test_WhenPermitReinstated() public {
        vm.startPrank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        registry.reinstatePermit(operator, keccak256("cleared"));
        vm.stopPrank();
        assertMints(issuanceId, alice, 1);
    }

    function test_RevertWhen_MintPermitRevoked() public {
        vm.prank(regulator);
        registry.revokePermit(operator, keccak256("revoked"));
        assertMintRefused(
            issuanceId,
            alice,
            1,
            ISecuredAssetTypes.Refusal.PermitNotActive,
            permitNotActive(IPlatformRegistry.PermitState.Revoked)
        );
    }

    function test_RevertWhen_MintPermitExpired() public {
        // Renew the cover first so the permit is the only thing wrong.
        vm.warp(START + 365 days - 1);
        attest(issuanceId, COVERED);
        vm.warp(START + 365 days);
        assertMintRefused(
            issuanceId,
            alice,
            1,
            ISecuredAssetTypes.Refusal.PermitNotActive,
            permitNotActive(IPlatformRegistry.PermitState.Expired)
        );
    }

    function test_WhenPermitRenewed() public {
        vm.prank(regulator);
        registry.renewPermit(operator, uint64(START + 730 days), keccak256("permit-001 renewed"));
        vm.warp(START + 365 days);
        attest(issuanceId, COVERED);
        assertMints(issuanceId, alice, 1);
    }

    /*//////////////////////////////////////////////////////////////
                      ISSUANCE, ISSUER, ASSET TYPE
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_MintIssuancePaused() public {
        vm.prank(regulator);
        asset.pause(issuanceId);
        assertMintRefused(
            issuanceId,
            alice,
            1,
            ISecuredAssetTypes.Refusal.IssuancePaused,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuancePaused.selector, issuanceId)
        );
    }

    function test_RevertWhen_MintIssuanceClosed() public {
        uint256 id = createIssuance();
        attest(id, COVERED);
        vm.prank(issuer);
        asset.close(id, keccak256("fulfilled"));
        assertMintRefused(
            id,
            alice,
            1,
            ISecuredAssetTypes.Refusal.IssuanceClosed,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceClosed.selector, id)
        );
    }

    function test_RevertWhen_MintIssuerSuspended() public {
        vm.prank(regulator);
        registry.setIssuerStatus(issuer, IPlatformRegistry.IssuerStatus.Suspended, keccak256("audit"));
        assertMintRefused(
            issuanceId,
            alice,
            1,
            ISecuredAssetTypes.Refusal.IssuerNotActive,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuerNotActive.selector, issuer)
        );
    }

    function test_RevertWhen_MintIssuerRemoved() public {
        vm.prank(regulator);
        registry.setIssuerStatus(issuer, IPlatformRegistry.IssuerStatus.Removed, keccak256("struck off"));
        assertMintRefused(
            issuanceId,
            bob,
            1,
            ISecuredAssetTypes.Refusal.IssuerNotActive,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuerNotActive.selector, issuer)
        );
    }

    function test_RevertWhen_MintAssetTypeDelisted() public {
        vm.prank(regulator);
        registry.delistAssetType(goodsType);
        assertMintRefused(
            issuanceId,
            alice,
            1,
            ISecuredAssetTypes.Refusal.AssetTypeNotListed,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_AssetTypeNotListed.selector, goodsType)
        );
    }

    function test_WhenAssetTypeRelisted() public {
        vm.startPrank(regulator);
        registry.delistAssetType(goodsType);
        registry.relistAssetType(goodsType);
        vm.stopPrank();
        assertMints(issuanceId, alice, 1);
    }

    function test_ExistingUnitsCirculateAfterDelisting() public {
        vm.startPrank(regulator);
        registry.delistAssetType(goodsType);
        registry.setIssuerStatus(issuer, IPlatformRegistry.IssuerStatus.Suspended, keccak256("audit"));
        vm.stopPrank();
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 10, "");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 10, "bob");
    }

    /*//////////////////////////////////////////////////////////////
                               RECIPIENT
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_MintToUnregistered() public {
        assertMintRefused(
            issuanceId,
            dave,
            1,
            ISecuredAssetTypes.Refusal.RecipientNotRegistered,
            notEligible(dave, IPlatformRegistry.ParticipantStatus.NotRegistered)
        );
    }

    function test_RevertWhen_MintToRecipientWithoutAcknowledgement() public {
        assertMintRefused(
            issuanceId,
            carol,
            1,
            ISecuredAssetTypes.Refusal.RecipientNoticeNotAcknowledged,
            notEligible(carol, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged)
        );
    }

    function test_WhenRecipientAcknowledges() public {
        acknowledge(carol);
        assertMints(issuanceId, carol, 5);
    }

    function test_RevertWhen_MintToRecipientBehindOnNewNotice() public {
        publishNewNotice();
        assertMintRefused(
            issuanceId,
            alice,
            1,
            ISecuredAssetTypes.Refusal.RecipientNoticeNotAcknowledged,
            notEligible(alice, IPlatformRegistry.ParticipantStatus.NoticeNotAcknowledged)
        );
        acknowledge(alice);
        assertMints(issuanceId, alice, 1);
    }

    function test_RevertWhen_MintToFrozenRecipient() public {
        vm.prank(compliance);
        registry.freezeParticipant(alice, keccak256("str"));
        assertMintRefused(
            issuanceId,
            alice,
            1,
            ISecuredAssetTypes.Refusal.RecipientFrozen,
            notEligible(alice, IPlatformRegistry.ParticipantStatus.Frozen)
        );
    }

    function test_RevertWhen_MintToRecipientWithExpiredIdentity() public {
        vm.prank(operator);
        registry.updateParticipantIdentity(alice, keccak256("kyc short"), uint64(START + 1 days));
        vm.warp(START + 1 days);
        assertMintRefused(
            issuanceId,
            alice,
            1,
            ISecuredAssetTypes.Refusal.RecipientIdentityExpired,
            notEligible(alice, IPlatformRegistry.ParticipantStatus.IdentityExpired)
        );
    }

    function test_RevertWhen_MintToZeroAddress() public {
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(IERC1155Errors.ERC1155InvalidReceiver.selector, address(0)));
        asset.mint(issuanceId, address(0), 1);
    }

    /*//////////////////////////////////////////////////////////////
                               RULE ORDER
    //////////////////////////////////////////////////////////////*/

    function test_PermitIsCheckedBeforeRecipientAndCollateral() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        assertMintRefused(
            issuanceId,
            dave,
            COVERED,
            ISecuredAssetTypes.Refusal.PermitNotActive,
            permitNotActive(IPlatformRegistry.PermitState.Suspended)
        );
    }

    function test_RecipientIsCheckedBeforeCollateral() public {
        assertMintRefused(
            issuanceId,
            dave,
            COVERED,
            ISecuredAssetTypes.Refusal.RecipientNotRegistered,
            notEligible(dave, IPlatformRegistry.ParticipantStatus.NotRegistered)
        );
    }

    /// @dev Revoking the operator role takes the key off the platform even while its permit runs.
    function test_RevertWhen_OperatorRoleRevoked() public {
        bytes32 role = registry.OPERATOR_ROLE();
        vm.prank(regulator);
        registry.revokeRole(role, operator);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, operator, role));
        asset.mint(issuanceId, bob, 1);
    }
}
