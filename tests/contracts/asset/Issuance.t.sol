// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";
import {SecuredAsset} from "../../../contracts/SecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Creating an issuance (Law art. 5.1, 6.1, 4.1.8, 4.1.10) and the views that expose it
/// (pausing and closing it: PauseAndClose.t.sol).
contract IssuanceTest is Base {
    bytes32 internal constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");

    address internal otherIssuer;
    uint256 internal otherIssuerKey;
    uint32 internal servicesType;

    function setUp() public override {
        super.setUp();
        (otherIssuer, otherIssuerKey) = makeKey("otherIssuer");
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
    function otherParams() internal view returns (ISecuredAssetTypes.IssuanceParams memory) {
        return ISecuredAssetTypes.IssuanceParams({
            issuer: otherIssuer,
            assetType: servicesType,
            decisionHash: keccak256("decision to issue storage vouchers"),
            decisionUri: "https://logistics.example/decisions/2026-07.pdf",
            evidenceHash: keccak256("storage contract"),
            unitDescription: "1 pallet-month of dry storage, Almaty hub",
            maxSupply: 5_000
        });
    }

    /// @dev The operator, with the issuer's consent to `p`, is refused with `err`: the checks of
    /// the terms come before the consent's.
    function expectCreateRevert(ISecuredAssetTypes.IssuanceParams memory p, bytes memory err) internal {
        expectCreateRevert(operator, p, err);
    }

    function expectCreateRevert(address by, ISecuredAssetTypes.IssuanceParams memory p, bytes memory err) internal {
        uint256 countBefore = asset.issuanceCount();
        ISecuredAssetTypes.IssuerConsent memory consent = issuerConsent(p, by, issuerKey);
        vm.prank(by);
        vm.expectRevert(err);
        asset.createIssuance(p, consent);
        assertEq(asset.issuanceCount(), countBefore, "no issuance created");
    }

    /*//////////////////////////////////////////////////////////////
                             CREATE ISSUANCE
    //////////////////////////////////////////////////////////////*/

    function test_CreateIssuance_RecordsEveryFieldAndEmitsThem() public {
        ISecuredAssetTypes.IssuanceParams memory p = otherParams();
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuanceCreated(
            2,
            otherIssuer,
            operator,
            servicesType,
            5_000,
            p.decisionHash,
            p.decisionUri,
            p.evidenceHash,
            p.unitDescription
        );
        ISecuredAssetTypes.IssuerConsent memory consent = issuerConsent(p, operator, otherIssuerKey);
        vm.prank(operator);
        uint256 id = asset.createIssuance(p, consent);

        assertEq(id, 2, "id");
        assertEq(asset.issuanceCount(), 2, "issuanceCount");
        ISecuredAssetTypes.Issuance memory iss = asset.issuance(id);
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
        createIssuanceAs(operator, otherParams(), otherIssuerKey);
        ISecuredAssetTypes.Issuance memory iss = asset.issuance(issuanceId);
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

    function test_CreateIssuance_WhenMaxSupplyIsUint64Max() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        p.maxSupply = type(uint64).max;
        uint256 id = createIssuanceAs(operator, p, issuerKey);
        assertEq(asset.issuance(id).maxSupply, type(uint64).max, "maxSupply");
    }

    function test_CreateIssuance_WhenPermitReinstated() public {
        vm.startPrank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        registry.reinstatePermit(operator, keccak256("inspection closed"));
        vm.stopPrank();
        assertEq(createIssuance(), 2, "created after reinstatement");
    }

    function test_RevertWhen_CreateIssuanceByNonOperator() public {
        expectCreateRevert(
            alice,
            issuanceParams(),
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, alice, OPERATOR_ROLE)
        );
    }

    function test_RevertWhen_CreateIssuanceByRegulator() public {
        expectCreateRevert(
            regulator,
            issuanceParams(),
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_MissingRole.selector, regulator, OPERATOR_ROLE)
        );
    }

    function test_RevertWhen_CreateIssuanceWithoutPermit() public {
        address op = makeAddr("unpermitted operator");
        vm.prank(regulator);
        registry.grantRole(OPERATOR_ROLE, op);
        expectCreateRevert(
            op,
            issuanceParams(),
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector, op, IPlatformRegistry.PermitState.None
            )
        );
    }

    function test_RevertWhen_CreateIssuancePermitNotYetValid() public {
        address op = permittedOperator("future operator", uint64(START + 10 days));
        expectCreateRevert(
            op,
            issuanceParams(),
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector, op, IPlatformRegistry.PermitState.NotYetValid
            )
        );
    }

    function test_RevertWhen_CreateIssuancePermitSuspended() public {
        vm.prank(regulator);
        registry.suspendPermit(operator, keccak256("inspection"));
        expectCreateRevert(
            issuanceParams(),
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector,
                operator,
                IPlatformRegistry.PermitState.Suspended
            )
        );
    }

    function test_RevertWhen_CreateIssuancePermitRevoked() public {
        vm.prank(regulator);
        registry.revokePermit(operator, keccak256("revoked"));
        expectCreateRevert(
            issuanceParams(),
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector,
                operator,
                IPlatformRegistry.PermitState.Revoked
            )
        );
    }

    function test_RevertWhen_CreateIssuancePermitExpired() public {
        vm.warp(START + 365 days);
        expectCreateRevert(
            issuanceParams(),
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_PermitNotActive.selector,
                operator,
                IPlatformRegistry.PermitState.Expired
            )
        );
    }

    function test_CreateIssuance_OneSecondBeforePermitExpiry() public {
        vm.warp(START + 365 days - 1);
        assertEq(createIssuance(), 2, "created on the permit's last second");
    }

    function test_RevertWhen_IssuerNotInRegister() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        p.issuer = dave;
        expectCreateRevert(p, abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuerNotActive.selector, dave));
    }

    function test_RevertWhen_IssuerSuspended() public {
        vm.prank(regulator);
        registry.setIssuerStatus(issuer, IPlatformRegistry.IssuerStatus.Suspended, keccak256("audit"));
        expectCreateRevert(
            issuanceParams(), abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuerNotActive.selector, issuer)
        );
    }

    function test_RevertWhen_IssuerRemoved() public {
        vm.prank(regulator);
        registry.setIssuerStatus(issuer, IPlatformRegistry.IssuerStatus.Removed, keccak256("struck off"));
        expectCreateRevert(
            issuanceParams(), abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuerNotActive.selector, issuer)
        );
    }

    function test_RevertWhen_AssetTypeDelisted() public {
        vm.prank(regulator);
        registry.delistAssetType(goodsType);
        expectCreateRevert(
            issuanceParams(),
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_AssetTypeNotListed.selector, goodsType)
        );
    }

    function test_RevertWhen_AssetTypeNeverListed() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        p.assetType = 99;
        expectCreateRevert(p, abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_AssetTypeNotListed.selector, 99));
    }

    function test_RevertWhen_DecisionHashEmpty() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        p.decisionHash = bytes32(0);
        expectCreateRevert(p, abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_EmptyDecision.selector));
    }

    function test_RevertWhen_DecisionUriEmpty() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        p.decisionUri = "";
        expectCreateRevert(p, abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_EmptyDecision.selector));
    }

    function test_RevertWhen_EvidenceHashEmpty() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        p.evidenceHash = bytes32(0);
        expectCreateRevert(p, abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_EmptyEvidence.selector));
    }

    function test_RevertWhen_UnitDescriptionEmpty() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        p.unitDescription = "";
        expectCreateRevert(p, abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_EmptyUnitDescription.selector));
    }

    function test_RevertWhen_MaxSupplyZero() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        p.maxSupply = 0;
        expectCreateRevert(p, abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_InvalidMaxSupply.selector, 0));
    }

    function test_RevertWhen_MaxSupplyAboveUint80() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        p.maxSupply = uint256(type(uint64).max) + 1;
        expectCreateRevert(
            p,
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_InvalidMaxSupply.selector, uint256(type(uint64).max) + 1
            )
        );
    }

    /*//////////////////////////////////////////////////////////////
                                  VIEWS
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_IssuerOfUnknownIssuance() public {
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_IssuanceUnknown.selector, 0));
        asset.issuerOf(0);
    }

    function test_IssuanceOfUnknownIdIsEmpty() public view {
        ISecuredAssetTypes.Issuance memory iss = asset.issuance(77);
        assertEq(iss.operator, address(0), "operator");
        assertEq(iss.issuer, address(0), "issuer");
        assertEq(iss.maxSupply, 0, "maxSupply");
        assertEq(bytes(iss.decisionUri).length, 0, "decisionUri");
    }

    function test_ViewsNameTheWiredContracts() public view {
        assertEq(address(asset.registry()), address(registry), "registry");
        assertEq(address(asset.collateral()), address(collateral), "collateral");
        assertTrue(SecuredAsset(address(asset)).isTrustedForwarder(address(forwarder)), "forwarder");
        assertEq(asset.uri(issuanceId), "https://sdap.example/meta/{id}.json", "uri");
        assertTrue(asset.supportsInterface(0xd9b67a26), "ERC-1155");
    }

    function test_SupplyViews() public view {
        assertEq(asset.totalSupply(issuanceId), 2 * MINTED, "totalSupply(id)");
        assertTrue(asset.exists(issuanceId), "exists");
        assertFalse(asset.exists(issuanceId + 1), "not exists");
    }
}
