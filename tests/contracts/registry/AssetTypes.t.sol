// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice The list of recognised asset types (Law art. 4.1.8, 1.1; R4).
contract AssetTypesTest is Base {
    bytes32 internal constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");

    function list(string memory name, IPlatformRegistry.AssetCategory category) internal returns (uint32 typeId) {
        vm.prank(regulator);
        typeId = registry.listAssetType(name, category);
    }

    function assertType(uint32 typeId, IPlatformRegistry.AssetCategory category, bool listed, string memory name)
        internal
        view
    {
        IPlatformRegistry.AssetType memory entry = registry.assetType(typeId);
        assertEq(uint256(entry.category), uint256(category), "category");
        assertEq(entry.listed, listed, "listed");
        assertEq(entry.name, name, "name");
        assertEq(registry.isAssetTypeListed(typeId), listed, "isAssetTypeListed");
    }

    /*//////////////////////////////////////////////////////////////
                                  LIST
    //////////////////////////////////////////////////////////////*/

    function test_ListAssetType_EmitsAndStores() public {
        assertEq(registry.assetTypeCount(), 1, "fixture lists one type");
        vm.expectEmit();
        emit IPlatformRegistry.AssetTypeListed(
            2, IPlatformRegistry.AssetCategory.Services, "Freight service", regulator
        );
        uint32 typeId = list("Freight service", IPlatformRegistry.AssetCategory.Services);
        assertEq(typeId, 2, "ids start at 1 and count up");
        assertEq(registry.assetTypeCount(), 2, "count");
        assertType(typeId, IPlatformRegistry.AssetCategory.Services, true, "Freight service");
        assertType(goodsType, IPlatformRegistry.AssetCategory.Goods, true, "Grain warehouse receipt");
    }

    function test_ListAssetType_EveryAllowedCategory() public {
        uint32 goods = list("Cotton bale", IPlatformRegistry.AssetCategory.Goods);
        uint32 services = list("Cold storage", IPlatformRegistry.AssetCategory.Services);
        uint32 ip = list("Seed variety patent", IPlatformRegistry.AssetCategory.IntellectualProperty);
        assertEq(goods, 2, "goods id");
        assertEq(services, 3, "services id");
        assertEq(ip, 4, "ip id");
        assertType(ip, IPlatformRegistry.AssetCategory.IntellectualProperty, true, "Seed variety patent");
    }

    function test_AssetType_UnknownIdIsEmpty() public view {
        assertType(0, IPlatformRegistry.AssetCategory.None, false, "");
        assertType(2, IPlatformRegistry.AssetCategory.None, false, "");
    }

    function test_RevertWhen_ListAssetTypeMoney() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_CategoryNotAllowed.selector, IPlatformRegistry.AssetCategory.Money
            )
        );
        list("Tenge deposit", IPlatformRegistry.AssetCategory.Money);
        assertEq(registry.assetTypeCount(), 1, "nothing listed");
    }

    function test_RevertWhen_ListAssetTypeSecurities() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_CategoryNotAllowed.selector, IPlatformRegistry.AssetCategory.Securities
            )
        );
        list("Corporate bond", IPlatformRegistry.AssetCategory.Securities);
    }

    function test_RevertWhen_ListAssetTypeCategoryNone() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IPlatformRegistry.Registry_CategoryNotAllowed.selector, IPlatformRegistry.AssetCategory.None
            )
        );
        list("Nothing", IPlatformRegistry.AssetCategory.None);
    }

    function test_RevertWhen_ListAssetTypeEmptyName() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_EmptyName.selector));
        list("", IPlatformRegistry.AssetCategory.Goods);
    }

    function test_RevertWhen_ListAssetTypeCallerNotRegulator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, operator, REGULATOR_ROLE)
        );
        vm.prank(operator);
        registry.listAssetType("Cotton bale", IPlatformRegistry.AssetCategory.Goods);
    }

    /*//////////////////////////////////////////////////////////////
                            DELIST, RELIST
    //////////////////////////////////////////////////////////////*/

    function test_DelistAssetType_EmitsAndStopsNewIssuanceOnly() public {
        vm.expectEmit();
        emit IPlatformRegistry.AssetTypeDelisted(goodsType, regulator);
        vm.prank(regulator);
        registry.delistAssetType(goodsType);
        assertType(goodsType, IPlatformRegistry.AssetCategory.Goods, false, "Grain warehouse receipt");
        assertEq(registry.assetTypeCount(), 1, "count unchanged");

        ISecuredAssetTypes.IssuerConsent memory consent = issuerConsent(issuanceParams(), operator, issuerKey);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_AssetTypeNotListed.selector, goodsType));
        vm.prank(operator);
        asset.createIssuance(issuanceParams(), consent);
        vm.expectRevert(abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_AssetTypeNotListed.selector, goodsType));
        vm.prank(operator);
        asset.mint(issuanceId, alice, 1);

        // What exists keeps circulating.
        vm.prank(alice);
        asset.safeTransferFrom(alice, bob, issuanceId, 10, "");
        assertEq(asset.balanceOf(alice, issuanceId), MINTED - 10, "alice");
        assertEq(asset.balanceOf(bob, issuanceId), MINTED + 10, "bob");
    }

    function test_RelistAssetType_EmitsAndRestores() public {
        vm.prank(regulator);
        registry.delistAssetType(goodsType);
        vm.expectEmit();
        emit IPlatformRegistry.AssetTypeRelisted(goodsType, regulator);
        vm.prank(regulator);
        registry.relistAssetType(goodsType);
        assertType(goodsType, IPlatformRegistry.AssetCategory.Goods, true, "Grain warehouse receipt");

        vm.prank(operator);
        asset.mint(issuanceId, alice, 1);
        assertEq(asset.balanceOf(alice, issuanceId), MINTED + 1, "minting resumed");
    }

    function test_RevertWhen_DelistAssetTypeTwice() public {
        vm.prank(regulator);
        registry.delistAssetType(goodsType);
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRegistry.Registry_AssetTypeAlreadyInState.selector, goodsType, false)
        );
        vm.prank(regulator);
        registry.delistAssetType(goodsType);
    }

    function test_RevertWhen_RelistListedAssetType() public {
        vm.expectRevert(
            abi.encodeWithSelector(IPlatformRegistry.Registry_AssetTypeAlreadyInState.selector, goodsType, true)
        );
        vm.prank(regulator);
        registry.relistAssetType(goodsType);
    }

    function test_RevertWhen_DelistAssetTypeUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_AssetTypeUnknown.selector, uint32(0)));
        vm.prank(regulator);
        registry.delistAssetType(0);
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_AssetTypeUnknown.selector, uint32(2)));
        vm.prank(regulator);
        registry.delistAssetType(2);
    }

    function test_RevertWhen_RelistAssetTypeUnknown() public {
        vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_AssetTypeUnknown.selector, uint32(7)));
        vm.prank(regulator);
        registry.relistAssetType(7);
    }

    function test_RevertWhen_DelistAssetTypeCallerNotRegulator() public {
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, operator, REGULATOR_ROLE)
        );
        vm.prank(operator);
        registry.delistAssetType(goodsType);
    }

    function test_RevertWhen_RelistAssetTypeCallerNotRegulator() public {
        vm.prank(regulator);
        registry.delistAssetType(goodsType);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, issuer, REGULATOR_ROLE)
        );
        vm.prank(issuer);
        registry.relistAssetType(goodsType);
    }

    /*//////////////////////////////////////////////////////////////
                                  FUZZ
    //////////////////////////////////////////////////////////////*/

    function testFuzz_ListAssetType_OnlyGoodsServicesOrIp(uint8 raw) public {
        IPlatformRegistry.AssetCategory category =
            IPlatformRegistry.AssetCategory(bound(raw, 0, uint8(type(IPlatformRegistry.AssetCategory).max)));
        bool allowed = category == IPlatformRegistry.AssetCategory.Goods
            || category == IPlatformRegistry.AssetCategory.Services
            || category == IPlatformRegistry.AssetCategory.IntellectualProperty;
        if (!allowed) {
            vm.expectRevert(abi.encodeWithSelector(IPlatformRegistry.Registry_CategoryNotAllowed.selector, category));
        }
        list("Some type", category);
        assertEq(registry.assetTypeCount(), allowed ? 2 : 1, "count");
    }
}
