// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {vm} from "../utils/Vm.sol";

/// @notice Shared fixture for the collateral attestation suites: a second accredited verifier and
/// the fixture's attestation, COVERED units of `issuanceId` valid for 180 days from START.
abstract contract CollateralBase is Base {
    bytes32 internal constant VERIFIER_ROLE = keccak256("VERIFIER_ROLE");
    bytes32 internal constant REASON = keccak256("collateral sold");
    uint256 internal constant MAX = 32;

    address internal verifier2;
    uint256 internal verifier2Key;
    /// @dev The fixture's attestation: COVERED units of `issuanceId`, valid for 180 days from START.
    bytes32 internal fixtureId;
    uint64 internal fixtureValidUntil;

    function setUp() public virtual override {
        super.setUp();
        (verifier2, verifier2Key) = makeKey("verifier2");
        vm.prank(regulator);
        registry.grantRole(VERIFIER_ROLE, verifier2);
        fixtureId = collateral.attestationsOf(address(asset), issuanceId)[0];
        fixtureValidUntil = uint64(START + 180 days);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function attachAs(address by, ICollateralAttestations.Attestation memory a, bytes memory signature)
        internal
        returns (bytes32 id)
    {
        vm.prank(by);
        id = collateral.attach(a, signature);
    }

    function covered() internal view returns (uint256) {
        return collateral.coveredUnits(address(asset), issuanceId, issuer);
    }

    function listed() internal view returns (bytes32[] memory) {
        return collateral.attestationsOf(address(asset), issuanceId);
    }

    function revokeAs(address by, bytes32 id) internal {
        vm.prank(by);
        collateral.revoke(id, REASON);
    }

    function issuer2Issuance() internal returns (address issuer2, uint256 id) {
        uint256 issuer2Key;
        (issuer2, issuer2Key) = makeKey("issuer2");
        vm.prank(regulator);
        registry.registerIssuer(issuer2, "Kostanay Seeds JSC", "987654321098", "KZ", keccak256("issuer2"));
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        p.issuer = issuer2;
        id = createIssuanceAs(operator, p, issuer2Key);
    }

    function assertStatus(bytes32 id, ICollateralAttestations.AttestationStatus expected, string memory what)
        internal
        view
    {
        assertEq(uint256(collateral.attestationStatus(id)), uint256(expected), what);
    }

    function expectNotAuthorised(address account) internal {
        vm.expectRevert(abi.encodeWithSelector(ICollateralAttestations.Collateral_NotAuthorised.selector, account));
    }
}
