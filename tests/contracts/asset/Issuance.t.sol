// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Creating an issuance (Law art. 5.1, 6.1, 4.1.8, 4.1.10), pausing it, closing it when the
/// issuer's obligations are met (art. 7.1), and the views that expose it.
contract IssuanceTest is Base {
    bytes32 internal constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    address internal otherIssuer;
    uint32 internal servicesType;

    function setUp() public override {
        super.setUp();
        otherIssuer = makeAddr("otherIssuer");
        vm.startPrank(regulator);
        registry.registerIssuer(otherIssuer, "Almaty Logistics JSC", "987654321098", "KZ", keccak256("other"));
        servicesType = registry.listAssetType("Warehouse storage service", IPlatformRegistry.AssetCategory.Services);
        vm.stopPrank();
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev Parameters that differ from the fixture's in every field, so a field read back from the
    /// wrong place cannot pass.
    function otherParams() internal view returns (ISecuredAsset.IssuanceParams memory) {
        return ISecuredAsset.IssuanceParams({
            issuer: otherIssuer,
            assetType: servicesType,
            decisionHash: keccak256("decision to issue storage vouchers"),
            decisionUri: "https://logistics.example/decisions/2026-07.pdf",
            evidenceHash: keccak256("storage contract"),
            unitDescription: "1 pallet-month of dry storage, Almaty hub",
            maxSupply: 5_000
        });
    }

    function expectCreateRevert(ISecuredAsset.IssuanceParams memory p, bytes memory err) internal {
        uint256 countBefore = asset.issuanceCount();
        vm.prank(operator);
        vm.expectRevert(err);
        asset.createIssuance(p);
        assertEq(asset.issuanceCount(), countBefore, "no issuance created");
    }

    /// @dev A second operator holding the role, with a permit for [validFrom, validFrom + 365 days).
    function permittedOperator(string memory name, uint64 validFrom) internal returns (address op) {
        op = makeAddr(name);
        vm.startPrank(regulator);
        registry.grantRole(OPERATOR_ROLE, op);
        registry.grantPermit(op, validFrom, validFrom + 365 days, keccak256(bytes(name)));
        vm.stopPrank();
    }

    /*//////////////////////////////////////////////////////////////
                             CREATE ISSUANCE
    //////////////////////////////////////////////////////////////*/

    function test_CreateIssuance_RecordsEveryFieldAndEmitsThem() public {
        ISecuredAsset.IssuanceParams memory p = otherParams();
        vm.expectEmit(address(asset));
        emit ISecuredAsset.IssuanceCreated(
            2, otherIssuer, operator, servicesType, 5_000, p.decisionHash, p.decisionUri, p.evidenceHash, p.unitDescription
        );
        vm.prank(operator);
        uint256 id = asset.createIssuance(p);

        assertEq(id, 2, "id");
        assertEq(asset.issuanceCount(), 2, "issuanceCount");
        ISecuredAsset.Issuance memory iss = asset.issuance(id);
        assertEq(iss.operator, operator, "operator");
        assertEq(uint256(iss.assetType), uint256(servicesType), "assetType");
        assertFalse(iss.paused, "paused");
        assertFalse(iss.closed, "closed");
        assertEq(iss.issuer, otherIssuer, "issuer");
        assertEq(iss.maxSupply, 5_000, "maxSupply");
        assertEq(iss.decisionHash, keccak256("decision to issue storage vouchers"), "decisionHash");
        assertEq(iss.evidenceHash, keccak256("storage contract"), "evidenceHash");
        assertEq(iss.fulfilmentHash, bytes32(0), "fulfilmentHash");
        assertEq(iss.decisionUri, "https://logistics.example/decisions/2026-07.pdf", "decisionUri");
        assertEq(iss.unitDescription, "1 pallet-month of dry storage, Almaty hub", "unitDescription");
        assertEq(asset.issuerOf(id), otherIssuer, "issuerOf");
        assertEq(asset.totalSupply(id), 0, "no unit exists yet");
    }

    function test_CreateIssuance_FixtureIssuanceKeepsItsOwnFields() public {
        vm.prank(operator);
        asset.createIssuance(otherParams());
        ISecuredAsset.Issuance memory iss = asset.issuance(issuanceId);
        assertEq(iss.issuer, issuer, "issuer");
        assertEq(uint256(iss.assetType), uint256(goodsType), "assetType");
        assertEq(iss.maxSupply, MAX_SUPPLY, "maxSupply");
        assertEq(iss.decisionUri, "https://issuer.example/decision.pdf", "decisionUri");
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED, "supply");
    }

    function test_CreateIssuance_IdsAreSequential() public {
        uint256 second = createIssuance();
        uint256 third = createIssuance();
        assertEq(second, issuanceId + 1, "second");
        assertEq(third, issuanceId + 2, "third");
        assertEq(asset.issuanceCount(), 3, "count");
    }

    function test_CreateIssuance_WhenMaxSupplyIsUint128Max() public {
        ISecuredAsset.IssuanceParams memory p = issuanceParams();
        p.maxSupply = type(uint128).max;
        vm.prank(operator);
        uint256 id = asset.createIssuance(p);
        assertEq(asset.issuance(id).maxSupply, type(uint128).max, "maxSupply");
    }

    function test_CreateIssuance_WhenPermitReinstated() public {
        vm.startPrank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        registry.reinstatePermit(operator, keccak256("inspection closed"));
        vm.stopPrank();
        assertEq(createIssuance(), 2, "created after reinstatement");
    }

    function test_RevertWhen_CreateIssuanceByNonOperator() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_MissingRole.selector, alice, OPERATOR_ROLE));
        asset.createIssuance(issuanceParams());
    }

    function test_RevertWhen_CreateIssuanceByRegulator() public {
        vm.prank(regulator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_MissingRole.selector, regulator, OPERATOR_ROLE)
        );
        asset.createIssuance(issuanceParams());
    }

    function test_RevertWhen_CreateIssuanceWithoutPermit() public {
        address op = makeAddr("unpermitted operator");
        vm.prank(regulator);
        registry.grantRole(OPERATOR_ROLE, op);
        vm.prank(op);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAsset.SecuredAsset_PermitNotActive.selector, op, IPlatformRegistry.PermitState.None
            )
        );
        asset.createIssuance(issuanceParams());
    }

    function test_RevertWhen_CreateIssuancePermitNotYetValid() public {
        address op = permittedOperator("future operator", uint64(START + 10 days));
        vm.prank(op);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISecuredAsset.SecuredAsset_PermitNotActive.selector, op, IPlatformRegistry.PermitState.NotYetValid
            )
        );
        asset.createIssuance(issuanceParams());
    }

    function test_RevertWhen_CreateIssuancePermitSuspended() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        expectCreateRevert(
            issuanceParams(),
            abi.encodeWithSelector(
                ISecuredAsset.SecuredAsset_PermitNotActive.selector, operator, IPlatformRegistry.PermitState.Suspended
            )
        );
    }

    function test_RevertWhen_CreateIssuancePermitRevoked() public {
        vm.prank(regulator);
        registry.revokePermit(operator, keccak256("revoked"));
        expectCreateRevert(
            issuanceParams(),
            abi.encodeWithSelector(
                ISecuredAsset.SecuredAsset_PermitNotActive.selector, operator, IPlatformRegistry.PermitState.Revoked
            )
        );
    }

    function test_RevertWhen_CreateIssuancePermitExpired() public {
        vm.warp(START + 365 days);
        expectCreateRevert(
            issuanceParams(),
            abi.encodeWithSelector(
                ISecuredAsset.SecuredAsset_PermitNotActive.selector, operator, IPlatformRegistry.PermitState.Expired
            )
        );
    }

    function test_CreateIssuance_OneSecondBeforePermitExpiry() public {
        vm.warp(START + 365 days - 1);
        assertEq(createIssuance(), 2, "created on the permit's last second");
    }

    function test_RevertWhen_IssuerNotInRegister() public {
        ISecuredAsset.IssuanceParams memory p = issuanceParams();
        p.issuer = dave;
        expectCreateRevert(p, abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuerNotActive.selector, dave));
    }

    function test_RevertWhen_IssuerSuspended() public {
        vm.prank(regulator);
        registry.setIssuerStatus(issuer, IPlatformRegistry.IssuerStatus.Suspended, keccak256("audit"));
        expectCreateRevert(
            issuanceParams(), abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuerNotActive.selector, issuer)
        );
    }

    function test_RevertWhen_IssuerRemoved() public {
        vm.prank(regulator);
        registry.setIssuerStatus(issuer, IPlatformRegistry.IssuerStatus.Removed, keccak256("struck off"));
        expectCreateRevert(
            issuanceParams(), abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuerNotActive.selector, issuer)
        );
    }

    function test_RevertWhen_AssetTypeDelisted() public {
        vm.prank(regulator);
        registry.delistAssetType(goodsType);
        expectCreateRevert(
            issuanceParams(), abi.encodeWithSelector(ISecuredAsset.SecuredAsset_AssetTypeNotListed.selector, goodsType)
        );
    }

    function test_RevertWhen_AssetTypeNeverListed() public {
        ISecuredAsset.IssuanceParams memory p = issuanceParams();
        p.assetType = 99;
        expectCreateRevert(p, abi.encodeWithSelector(ISecuredAsset.SecuredAsset_AssetTypeNotListed.selector, 99));
    }

    function test_RevertWhen_DecisionHashEmpty() public {
        ISecuredAsset.IssuanceParams memory p = issuanceParams();
        p.decisionHash = bytes32(0);
        expectCreateRevert(p, abi.encodeWithSelector(ISecuredAsset.SecuredAsset_EmptyDecision.selector));
    }

    function test_RevertWhen_DecisionUriEmpty() public {
        ISecuredAsset.IssuanceParams memory p = issuanceParams();
        p.decisionUri = "";
        expectCreateRevert(p, abi.encodeWithSelector(ISecuredAsset.SecuredAsset_EmptyDecision.selector));
    }

    function test_RevertWhen_EvidenceHashEmpty() public {
        ISecuredAsset.IssuanceParams memory p = issuanceParams();
        p.evidenceHash = bytes32(0);
        expectCreateRevert(p, abi.encodeWithSelector(ISecuredAsset.SecuredAsset_EmptyEvidence.selector));
    }

    function test_RevertWhen_UnitDescriptionEmpty() public {
        ISecuredAsset.IssuanceParams memory p = issuanceParams();
        p.unitDescription = "";
        expectCreateRevert(p, abi.encodeWithSelector(ISecuredAsset.SecuredAsset_EmptyUnitDescription.selector));
    }

    function test_RevertWhen_MaxSupplyZero() public {
        ISecuredAsset.IssuanceParams memory p = issuanceParams();
        p.maxSupply = 0;
        expectCreateRevert(p, abi.encodeWithSelector(ISecuredAsset.SecuredAsset_InvalidMaxSupply.selector, 0));
    }

    function test_RevertWhen_MaxSupplyAboveUint128() public {
        ISecuredAsset.IssuanceParams memory p = issuanceParams();
        p.maxSupply = uint256(type(uint128).max) + 1;
        expectCreateRevert(
            p,
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_InvalidMaxSupply.selector, uint256(type(uint128).max) + 1)
        );
    }

    /*//////////////////////////////////////////////////////////////
                             PAUSE, UNPAUSE
    //////////////////////////////////////////////////////////////*/

    function test_PauseByIssuanceOperator() public {
        vm.expectEmit(address(asset));
        emit ISecuredAsset.IssuancePaused(issuanceId, operator, false);
        vm.prank(operator);
        asset.pause(issuanceId);
        assertTrue(asset.issuance(issuanceId).paused, "paused");
        assertEq(
            uint256(asset.checkTransfer(alice, bob, issuanceId, 1)),
            uint256(ISecuredAsset.Refusal.IssuancePaused),
            "transfers stopped"
        );
    }

    function test_PauseByRegulator() public {
        vm.expectEmit(address(asset));
        emit ISecuredAsset.IssuancePaused(issuanceId, regulator, true);
        vm.prank(regulator);
        asset.pause(issuanceId);
        assertTrue(asset.issuance(issuanceId).paused, "paused");
    }

    function test_PauseStopsOnlyThatIssuance() public {
        uint256 other = createIssuance();
        attest(other, COVERED);
        vm.startPrank(operator);
        asset.mint(other, alice, 10);
        asset.pause(issuanceId);
        vm.stopPrank();

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuancePaused.selector, issuanceId));
        asset.safeTransferFrom(alice, bob, issuanceId, 1, "");
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, other, 4, "");
        assertEq(asset.balanceOf(bob, other), 4, "other issuance still circulates");
        assertFalse(asset.issuance(other).paused, "other not paused");
    }

    function test_UnpauseResumesTransfers() public {
        vm.prank(operator);
        asset.pause(issuanceId);
        vm.expectEmit(address(asset));
        emit ISecuredAsset.IssuanceUnpaused(issuanceId, regulator);
        vm.prank(regulator);
        asset.unpause(issuanceId);

        assertFalse(asset.issuance(issuanceId).paused, "unpaused");
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 7, "");
        assertEq(asset.balanceOf(alice, issuanceId), MINTED - 7, "alice");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 7, "bob");
    }

    function test_RevertWhen_PauseByStranger() public {
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_NotIssuanceOperator.selector, issuanceId, alice)
        );
        asset.pause(issuanceId);
    }

    function test_RevertWhen_PauseByIssuer() public {
        vm.prank(issuer);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_NotIssuanceOperator.selector, issuanceId, issuer)
        );
        asset.pause(issuanceId);
    }

    function test_RevertWhen_PauseByAnotherOperator() public {
        address op = permittedOperator("operator2", uint64(START));
        vm.prank(op);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_NotIssuanceOperator.selector, issuanceId, op));
        asset.pause(issuanceId);
    }

    /// @dev The regulator may take over an operator's pause (see IssuanceRoles.t.sol); otherwise a
    /// pause on a paused issuance is refused.
    function test_RevertWhen_PauseAlreadyPaused() public {
        vm.prank(operator);
        asset.pause(issuanceId);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuancePaused.selector, issuanceId));
        asset.pause(issuanceId);
    }

    function test_RevertWhen_PauseAlreadyPausedByRegulator() public {
        vm.prank(regulator);
        asset.pause(issuanceId);
        vm.prank(regulator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuancePaused.selector, issuanceId));
        asset.pause(issuanceId);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuancePaused.selector, issuanceId));
        asset.pause(issuanceId);
    }

    function test_RevertWhen_PauseUnknownIssuance() public {
        vm.prank(regulator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuanceUnknown.selector, 99));
        asset.pause(99);
    }

    function test_RevertWhen_UnpauseNotPaused() public {
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuanceNotPaused.selector, issuanceId));
        asset.unpause(issuanceId);
    }

    function test_RevertWhen_UnpauseByStranger() public {
        vm.prank(operator);
        asset.pause(issuanceId);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_NotIssuanceOperator.selector, issuanceId, bob));
        asset.unpause(issuanceId);
        assertTrue(asset.issuance(issuanceId).paused, "still paused");
    }

    /*//////////////////////////////////////////////////////////////
                                  CLOSE
    //////////////////////////////////////////////////////////////*/

    function test_CloseByOperatorWithNoSupply() public {
        uint256 id = createIssuance();
        vm.expectEmit(address(asset));
        emit ISecuredAsset.IssuanceClosed(id, keccak256("obligations met"), operator);
        vm.prank(operator);
        asset.close(id, keccak256("obligations met"));

        ISecuredAsset.Issuance memory iss = asset.issuance(id);
        assertTrue(iss.closed, "closed");
        assertEq(iss.fulfilmentHash, keccak256("obligations met"), "fulfilmentHash");
    }

    function test_CloseByIssuer() public {
        uint256 id = createIssuance();
        vm.expectEmit(address(asset));
        emit ISecuredAsset.IssuanceClosed(id, keccak256("fulfilled"), issuer);
        vm.prank(issuer);
        asset.close(id, keccak256("fulfilled"));
        assertTrue(asset.issuance(id).closed, "closed");
    }

    function test_CloseStopsMinting() public {
        uint256 id = createIssuance();
        attest(id, COVERED);
        vm.prank(issuer);
        asset.close(id, keccak256("fulfilled"));

        assertEq(
            uint256(asset.checkMint(id, alice, 1)), uint256(ISecuredAsset.Refusal.IssuanceClosed), "checkMint"
        );
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuanceClosed.selector, id));
        asset.mint(id, alice, 1);
        assertEq(asset.totalSupply(id), 0, "supply");
    }

    function test_PauseAfterClose() public {
        // A closed issuance can still be paused: closing is about obligations, pausing about movement.
        uint256 id = createIssuance();
        vm.prank(operator);
        asset.close(id, keccak256("fulfilled"));
        vm.prank(operator);
        asset.pause(id);
        ISecuredAsset.Issuance memory iss = asset.issuance(id);
        assertTrue(iss.closed && iss.paused, "closed and paused");
    }

    function test_RevertWhen_CloseWithSupplyOutstanding() public {
        vm.prank(issuer);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_SupplyOutstanding.selector, issuanceId, 2 * MINTED)
        );
        asset.close(issuanceId, keccak256("fulfilled"));
        assertFalse(asset.issuance(issuanceId).closed, "still open");
    }

    function test_RevertWhen_CloseByStranger() public {
        uint256 id = createIssuance();
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_NotIssuanceOperatorOrIssuer.selector, id, alice)
        );
        asset.close(id, keccak256("fulfilled"));
    }

    function test_RevertWhen_CloseByRegulator() public {
        uint256 id = createIssuance();
        vm.prank(regulator);
        vm.expectRevert(
            abi.encodeWithSelector(ISecuredAsset.SecuredAsset_NotIssuanceOperatorOrIssuer.selector, id, regulator)
        );
        asset.close(id, keccak256("fulfilled"));
    }

    function test_RevertWhen_CloseTwice() public {
        uint256 id = createIssuance();
        vm.prank(operator);
        asset.close(id, keccak256("first"));
        vm.prank(issuer);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuanceClosed.selector, id));
        asset.close(id, keccak256("second"));
        assertEq(asset.issuance(id).fulfilmentHash, keccak256("first"), "first fulfilment kept");
    }

    function test_RevertWhen_CloseUnknownIssuance() public {
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuanceUnknown.selector, 42));
        asset.close(42, keccak256("fulfilled"));
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_IssuerOfUnknownIssuance() public {
        vm.expectRevert(abi.encodeWithSelector(ISecuredAsset.SecuredAsset_IssuanceUnknown.selector, 0));
        asset.issuerOf(0);
    }

    function test_IssuanceOfUnknownIdIsEmpty() public view {
        ISecuredAsset.Issuance memory iss = asset.issuance(77);
        assertEq(iss.operator, address(0), "operator");
        assertEq(iss.issuer, address(0), "issuer");
        assertEq(iss.maxSupply, 0, "maxSupply");
        assertEq(bytes(iss.decisionUri).length, 0, "decisionUri");
    }

    function test_ViewsNameTheWiredContracts() public view {
        assertEq(address(asset.registry()), address(registry), "registry");
        assertEq(address(asset.collateral()), address(collateral), "collateral");
        assertTrue(asset.isTrustedForwarder(address(forwarder)), "forwarder");
        assertEq(asset.uri(issuanceId), "https://sdap.example/meta/{id}.json", "uri");
        assertTrue(asset.supportsInterface(0xd9b67a26), "ERC-1155");
    }

    function test_SupplyViews() public view {
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED, "totalSupply(id)");
        assertEq(asset.totalSupply(), 2 * MINTED, "totalSupply()");
        assertTrue(asset.exists(issuanceId), "exists");
        assertFalse(asset.exists(issuanceId + 1), "not exists");
    }
}
