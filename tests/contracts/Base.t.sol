// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {CirculationWord} from "../../contracts/interfaces/CirculationWord.sol";
import {ISecuredAssetTypes} from "../../contracts/interfaces/ISecuredAssetTypes.sol";
import {CollateralAttestations} from "../../contracts/CollateralAttestations.sol";
import {HolderForwarder} from "../../contracts/HolderForwarder.sol";
import {PlatformRegistry} from "../../contracts/PlatformRegistry.sol";
import {SecuredAsset} from "../../contracts/SecuredAsset.sol";
import {SecuredAssetExtension} from "../../contracts/SecuredAssetExtension.sol";
import {ICollateralAttestations} from "../../contracts/interfaces/ICollateralAttestations.sol";
import {IPlatformRegistry} from "../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../contracts/interfaces/ISecuredAsset.sol";

import {Test} from "./utils/Test.sol";
import {vm} from "./utils/Vm.sol";

/// @notice The shared fixture: a deployed platform with one permitted operator, a registered
/// issuer, a listed type, a risk notice in force and participants in every state the rules care
/// about. `issuanceId` is open, covered by collateral for COVERED units, with MINTED minted to alice and to bob.
abstract contract Base is Test {
    uint256 internal constant START = 1_750_000_000;
    uint256 internal constant MAX_SUPPLY = 1_000_000;
    uint256 internal constant COVERED = 10_000;
    uint256 internal constant MINTED = 1_000;

    PlatformRegistry internal registry;
    CollateralAttestations internal collateral;
    ISecuredAsset internal asset;
    HolderForwarder internal forwarder;

    address internal regulator;
    address internal operator;
    address internal compliance;
    address internal verifier;
    uint256 internal verifierKey;
    address internal issuer;
    uint256 internal issuerKey;

    // Eligible: registered, identified, acknowledged the notice in force.
    address internal alice;
    uint256 internal aliceKey;
    address internal bob;
    uint256 internal bobKey;
    // Registered but has not acknowledged the notice.
    address internal carol;
    uint256 internal carolKey;
    // Never registered.
    address internal dave;

    uint32 internal goodsType;
    uint32 internal noticeVersion;
    uint256 internal issuanceId;
    uint256 internal attestationNonce;

    function setUp() public virtual {
        vm.warp(START);
        regulator = makeAddr("regulator");
        operator = makeAddr("operator");
        compliance = makeAddr("compliance");
        (verifier, verifierKey) = makeKey("verifier");
        (issuer, issuerKey) = makeKey("issuer");
        (alice, aliceKey) = makeKey("alice");
        (bob, bobKey) = makeKey("bob");
        (carol, carolKey) = makeKey("carol");
        dave = makeAddr("dave");

        registry = new PlatformRegistry(regulator);
        forwarder = new HolderForwarder();
        collateral = new CollateralAttestations(registry);
        asset = deployAsset(registry, collateral, address(forwarder), "https://sdap.example/meta/{id}.json");

        vm.startPrank(regulator);
        registry.grantRole(registry.OPERATOR_ROLE(), operator);
        registry.grantRole(registry.VERIFIER_ROLE(), verifier);
        registry.grantRole(registry.COMPLIANCE_ROLE(), compliance);
        registry.grantPermit(operator, uint64(START), uint64(START + 365 days), keccak256("permit-001"));
        registry.registerIssuer(issuer, "Astana Grain LLP", "123456789012", "KZ", keccak256("issuer-details"));
        goodsType = registry.listAssetType("Grain warehouse receipt", IPlatformRegistry.AssetCategory.Goods);
        vm.stopPrank();

        // One platform notice, published by the regulator (Law art. 6.4).
        vm.prank(regulator);
        noticeVersion = registry.publishRiskNotice(keccak256("risk notice v1"), "https://sdap.example/risk/v1");

        onboard(alice);
        onboard(bob);
        register(carol);

        issuanceId = createIssuance();
        attest(issuanceId, COVERED);
        vm.prank(operator);
        asset.mint(issuanceId, alice, MINTED);
        vm.prank(operator);
        asset.mint(issuanceId, bob, MINTED);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function register(address wallet) internal {
        vm.prank(operator);
        registry.registerParticipant(wallet, keccak256(abi.encode("kyc", wallet)), uint64(START + 730 days));
    }

    function acknowledge(address wallet) internal {
        uint32 version = registry.noticeInForce();
        vm.prank(wallet);
        registry.acknowledgeRiskNotice(version);
    }

    /// @dev The regulator publishes notice v2: every participant must acknowledge it again.
    function publishNewNotice() internal returns (uint32 version) {
        vm.prank(regulator);
        version = registry.publishRiskNotice(keccak256("risk notice v2"), "https://sdap.example/risk/v2");
    }

    /// @dev Registers `wallet` and acknowledges the notice in force: eligible to receive.
    function onboard(address wallet) internal {
        register(wallet);
        acknowledge(wallet);
    }

    /// @dev Another operator holding the role, with a permit for [validFrom, validFrom + 365 days).
    function permittedOperator(string memory name, uint64 validFrom) internal returns (address op) {
        op = makeAddr(name);
        bytes32 role = registry.OPERATOR_ROLE();
        vm.startPrank(regulator);
        registry.grantRole(role, op);
        registry.grantPermit(op, validFrom, validFrom + 365 days, keccak256(bytes(name)));
        vm.stopPrank();
    }

    /// @dev The registry's answer to a movement, unpacked from its one word.
    function circulation(address op, address from, address to)
        internal
        view
        returns (
            bool permitActive,
            IPlatformRegistry.ParticipantStatus fromStatus,
            IPlatformRegistry.ParticipantStatus toStatus,
            uint32 revision
        )
    {
        uint256 word = registry.circulationStatus(op, from, to);
        return (
            CirculationWord.permitActive(word),
            CirculationWord.fromStatus(word),
            CirculationWord.toStatus(word),
            CirculationWord.accreditationRevision(word)
        );
    }

    function issuanceParams() internal view returns (ISecuredAssetTypes.IssuanceParams memory) {
        return ISecuredAssetTypes.IssuanceParams({
            issuer: issuer,
            assetType: goodsType,
            decisionHash: keccak256("decision to issue"),
            decisionUri: "https://issuer.example/decision.pdf",
            evidenceHash: keccak256("warehouse title"),
            unitDescription: "1 tonne of wheat, class 3, Kostanay elevator",
            maxSupply: MAX_SUPPLY
        });
    }

    function createIssuance() internal returns (uint256 id) {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        ISecuredAssetTypes.IssuerConsent memory consent = issuerConsent(p, operator, issuerKey);
        vm.prank(operator);
        id = asset.createIssuance(p, consent);
    }

    /// @dev `by` creates an issuance of `p` with the consent of its issuer, whose key is `key`.
    function createIssuanceAs(address by, ISecuredAssetTypes.IssuanceParams memory p, uint256 key)
        internal
        returns (uint256 id)
    {
        ISecuredAssetTypes.IssuerConsent memory consent = issuerConsent(p, by, key);
        vm.prank(by);
        id = asset.createIssuance(p, consent);
    }

    /// @dev A redemption that goes through, both sides: `holder` asks to redeem `amount` units of
    /// `id` and the issuance's issuer confirms delivery, so they are burnt. Returns the request.
    function redeem(uint256 id, address holder, uint256 amount, bytes32 fulfilmentRef)
        internal
        returns (uint256 requestId)
    {
        vm.prank(holder);
        requestId = asset.requestRedemption(id, holder, amount, fulfilmentRef);
        confirmRedemption(requestId);
    }

    /// @dev The issuer of the request's issuance confirms delivery.
    function confirmRedemption(uint256 requestId) internal {
        address by = asset.issuerOf(asset.redemptionRequest(requestId).issuanceId);
        vm.prank(by);
        asset.confirmRedemption(requestId, keccak256(abi.encode("delivered", requestId)));
    }

    /// @dev The asset and its extension, as the deploy script wires them.
    function deployAsset(
        PlatformRegistry registry_,
        CollateralAttestations collateral_,
        address forwarder_,
        string memory metadataUri
    ) internal returns (ISecuredAsset) {
        SecuredAssetExtension extension = new SecuredAssetExtension(registry_, collateral_, forwarder_, metadataUri);
        return
            ISecuredAsset(
                address(new SecuredAsset(registry_, collateral_, forwarder_, metadataUri, address(extension)))
            );
    }

    /// @dev The issuer's consent to `p` run by `by`, signed with `key` under its next nonce of key 0,
    /// valid for a day.
    function issuerConsent(ISecuredAssetTypes.IssuanceParams memory p, address by, uint256 key)
        internal
        view
        returns (ISecuredAssetTypes.IssuerConsent memory consent)
    {
        consent.nonce = asset.nonces(p.issuer, 0);
        consent.deadline = uint64(block.timestamp + 1 days);
        consent.signature = sign(key, asset.consentDigest(p, by, consent.nonce, consent.deadline));
    }

    /// @dev A fresh attestation of `units` of `id`: a collateral of its own (the reference carries
    /// the nonce), so two of them never pledge the same collateral; valid for 180 days.
    function attestation(uint256 id, uint256 units) internal returns (ICollateralAttestations.Attestation memory) {
        uint256 nonce = ++attestationNonce;
        return ICollateralAttestations.Attestation({
            asset: address(asset),
            issuanceId: id,
            owner: issuer,
            collateralRef: keccak256(abi.encode("warehouse receipt", id, units, nonce)),
            value: units * 100,
            units: units,
            validUntil: uint64(block.timestamp + 180 days),
            nonce: nonce,
            supersedes: bytes32(0)
        });
    }

    function sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function signAttestation(ICollateralAttestations.Attestation memory a, uint256 key)
        internal
        view
        returns (bytes memory)
    {
        return sign(key, collateral.attestationDigest(a));
    }

    /// @dev Attaches a fresh attestation by the accredited verifier covering `units` of `id`.
    function attest(uint256 id, uint256 units) internal returns (bytes32 attestationId) {
        attestationId = attachSigned(attestation(id, units));
    }

    /// @dev Has the operator attach `a`, signed by the accredited verifier.
    function attachSigned(ICollateralAttestations.Attestation memory a) internal returns (bytes32 attestationId) {
        bytes memory signature = signAttestation(a, verifierKey);
        vm.prank(operator);
        attestationId = collateral.attach(a, signature);
    }

    /// @dev A renewal of the collateral pledged by `previous`: the same owner, reference and
    /// issuance, `units` of it, valid for 180 days from now, naming `previous` in `supersedes`.
    function renewal(bytes32 previous, uint256 units) internal returns (ICollateralAttestations.Attestation memory a) {
        ICollateralAttestations.AttestationRecord memory r = collateral.attestation(previous);
        a = attestation(r.issuanceId, units);
        (a.asset, a.owner, a.collateralRef, a.supersedes) = (r.asset, r.owner, r.collateralRef, previous);
    }

    function signAcknowledgement(uint256 key, address wallet, uint32 version, uint256 deadline)
        internal
        view
        returns (bytes memory)
    {
        return sign(key, registry.acknowledgementDigest(wallet, version, registry.nonces(wallet), deadline));
    }
}
