// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";
import {SecuredAsset} from "../../../contracts/SecuredAsset.sol";

import {Base} from "../Base.t.sol";
import {ContractWallet} from "../utils/ContractWallet.sol";
import {vm} from "../utils/Vm.sol";

/// @notice The issuer's consent to an issuance (Law art. 6.5: the issuer initiates the issue): an
/// EIP-712 signature over the terms and the operator, bound to this chain and this contract, under
/// one of the issuer's keyed nonces and until a deadline. The digest is computed here by hand from
/// the type string and the domain, so an independent encoding (the SDK's) can be checked against it.
contract IssuerConsentTest is Base {
    bytes32 internal constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 internal constant CONSENT_TYPEHASH = keccak256(
        "IssuanceConsent(address issuer,address operator,uint32 assetType,bytes32 decisionHash,string decisionUri,"
        "bytes32 evidenceHash,string unitDescription,uint256 maxSupply,uint256 nonce,uint64 deadline)"
    );
    /// @dev secp256k1's order: s above half of it is the malleable twin of a valid signature.
    uint256 internal constant SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    uint64 internal deadline;
    uint32 internal servicesType;

    function setUp() public override {
        super.setUp();
        deadline = uint64(block.timestamp + 1 days);
        vm.prank(regulator);
        servicesType = registry.listAssetType("Warehouse storage service", IPlatformRegistry.AssetCategory.Services);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    /// @dev The EIP-712 digest of a consent on `verifyingContract` at the current chain id, from
    /// the type string and the domain alone.
    function digestByHand(
        ISecuredAssetTypes.IssuanceParams memory p,
        address by,
        uint256 nonce,
        uint64 until,
        address verifyingContract
    ) internal view returns (bytes32) {
        bytes32 domainSeparator = keccak256(
            abi.encode(
                DOMAIN_TYPEHASH, keccak256("SDAP SecuredAsset"), keccak256("1"), block.chainid, verifyingContract
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                CONSENT_TYPEHASH,
                p.issuer,
                by,
                p.assetType,
                p.decisionHash,
                keccak256(bytes(p.decisionUri)),
                p.evidenceHash,
                keccak256(bytes(p.unitDescription)),
                p.maxSupply,
                nonce,
                until
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
    }

    /// @dev `key`'s consent to `p` run by `by` on this asset, under `nonce` until `until`.
    function consentOf(ISecuredAssetTypes.IssuanceParams memory p, address by, uint256 key, uint256 nonce, uint64 until)
        internal
        view
        returns (ISecuredAssetTypes.IssuerConsent memory)
    {
        return
            ISecuredAssetTypes.IssuerConsent(nonce, until, sign(key, digestByHand(p, by, nonce, until, address(asset))));
    }

    /// @dev The issuer's consent to the fixture's terms run by the operator, under its next nonce.
    function goodConsent() internal view returns (ISecuredAssetTypes.IssuerConsent memory) {
        return consentOf(issuanceParams(), operator, issuerKey, asset.nonces(issuer, 0), deadline);
    }

    /// @dev `by` submits `p` with `consent` and is refused with `err`; no issuance is created and
    /// no nonce of the issuer spent.
    function expectRefused(
        address by,
        ISecuredAssetTypes.IssuanceParams memory p,
        ISecuredAssetTypes.IssuerConsent memory consent,
        bytes memory err
    ) internal {
        uint256 count = asset.issuanceCount();
        uint256 nonce = asset.nonces(p.issuer, uint192(consent.nonce >> 64));
        vm.expectRevert(err);
        vm.prank(by);
        asset.createIssuance(p, consent);
        assertEq(asset.issuanceCount(), count, "no issuance created");
        assertEq(asset.nonces(p.issuer, uint192(consent.nonce >> 64)), nonce, "no nonce spent");
    }

    function notSigned(address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ConsentNotSigned.selector, account);
    }

    function nonceInvalid(uint256 nonce, uint256 expected) internal view returns (bytes memory) {
        return
            abi.encodeWithSelector(
                ISecuredAssetTypes.SecuredAsset_ConsentNonceInvalid.selector, issuer, nonce, expected
            );
    }

    function create(ISecuredAssetTypes.IssuanceParams memory p, ISecuredAssetTypes.IssuerConsent memory consent)
        internal
        returns (uint256 id)
    {
        vm.prank(operator);
        id = asset.createIssuance(p, consent);
    }

    /*//////////////////////////////////////////////////////////////
                           A VALID CONSENT
    //////////////////////////////////////////////////////////////*/

    function test_ValidConsent_CreatesAndEmitsTheDigest() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        ISecuredAssetTypes.IssuerConsent memory consent = goodConsent();
        assertEq(consent.nonce, 1, "the fixture used nonce 0");
        bytes32 digest = digestByHand(p, operator, 1, deadline, address(asset));

        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuanceCreated(
            2, issuer, operator, goodsType, MAX_SUPPLY, p.decisionHash, p.decisionUri, p.evidenceHash, p.unitDescription
        );
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuerConsented(2, issuer, 1, deadline, digest);
        assertEq(create(p, consent), 2, "created");
        assertEq(asset.nonces(issuer, 0), 2, "nonce spent");
    }

    /// @dev The contract's digest is the EIP-712 typed data computed from the type string and the
    /// domain {name: "SDAP SecuredAsset", version: "1", chainId, verifyingContract: the asset}, for
    /// any operator, nonce and deadline, and the asset reports that domain (ERC-5267).
    function test_ConsentDigest_IsTheTypedDataComputedByHand() public view {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        assertEq(
            asset.consentDigest(p, operator, 1, deadline), digestByHand(p, operator, 1, deadline, address(asset)), "1"
        );
        uint256 keyed = (uint256(7) << 64) | 3;
        assertEq(asset.consentDigest(p, bob, keyed, 0), digestByHand(p, bob, keyed, 0, address(asset)), "keyed");
        p.unitDescription = unicode"1 тонна пшеницы, 3 класс";
        assertEq(
            asset.consentDigest(p, operator, 0, type(uint64).max),
            digestByHand(p, operator, 0, type(uint64).max, address(asset)),
            "UTF-8 strings"
        );

        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            SecuredAsset(address(asset)).eip712Domain();
        assertEq(name, "SDAP SecuredAsset", "name");
        assertEq(version, "1", "version");
        assertEq(chainId, block.chainid, "chainId");
        assertEq(verifyingContract, address(asset), "the asset, not its extension");
    }

    /// @dev The last second of the deadline still counts.
    function test_ValidConsent_OnItsDeadline() public {
        ISecuredAssetTypes.IssuerConsent memory consent = goodConsent();
        vm.warp(deadline);
        assertEq(create(issuanceParams(), consent), 2, "created on the deadline");
    }

    /*//////////////////////////////////////////////////////////////
                          NOT THE ISSUER'S
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_SignedByAnotherKey() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        expectRefused(operator, p, consentOf(p, operator, aliceKey, 1, deadline), notSigned(issuer));
        expectRefused(operator, p, consentOf(p, operator, verifierKey, 1, deadline), notSigned(issuer));
    }

    /// @dev The operator changes a term after the issuer signed: the signature no longer covers it.
    function test_RevertWhen_TermsChangedAfterSigning() public {
        ISecuredAssetTypes.IssuerConsent memory consent = goodConsent();
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        p.maxSupply = MAX_SUPPLY + 1;
        expectRefused(operator, p, consent, notSigned(issuer));

        p = issuanceParams();
        p.decisionUri = "https://issuer.example/another-decision.pdf";
        expectRefused(operator, p, consent, notSigned(issuer));

        p = issuanceParams();
        p.unitDescription = "1 tonne of wheat, class 4";
        expectRefused(operator, p, consent, notSigned(issuer));

        p = issuanceParams();
        p.assetType = servicesType;
        expectRefused(operator, p, consent, notSigned(issuer));

        p = issuanceParams();
        p.decisionHash = keccak256("another decision");
        expectRefused(operator, p, consent, notSigned(issuer));

        p = issuanceParams();
        p.evidenceHash = keccak256("another title");
        expectRefused(operator, p, consent, notSigned(issuer));

        assertEq(create(issuanceParams(), consent), 2, "the terms signed still pass");
    }

    /// @dev The consent names the operator that runs the issuance: another permitted operator
    /// cannot use it.
    function test_RevertWhen_AnotherOperatorSubmits() public {
        address other = permittedOperator("operator2", uint64(START));
        expectRefused(other, issuanceParams(), goodConsent(), notSigned(issuer));
    }

    /// @dev A consent given on one chain is not one on another (a fork, a test network).
    function test_RevertWhen_SubmittedOnAnotherChain() public {
        ISecuredAssetTypes.IssuerConsent memory consent = goodConsent();
        uint256 chainId = block.chainid;
        vm.chainId(chainId + 1);
        expectRefused(operator, issuanceParams(), consent, notSigned(issuer));
        vm.chainId(chainId);
        assertEq(create(issuanceParams(), consent), 2, "on its own chain it passes");
    }

    /// @dev A consent to one deployment is not one to another, even under the nonce the other
    /// expects.
    function test_RevertWhen_SubmittedToAnotherDeployment() public {
        ISecuredAsset other = deployAsset(registry, collateral, address(forwarder), "");
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        // The nonce the other deployment expects (nothing used there yet), signed for this one.
        ISecuredAssetTypes.IssuerConsent memory consent = consentOf(p, operator, issuerKey, 0, deadline);
        vm.expectRevert(notSigned(issuer));
        vm.prank(operator);
        other.createIssuance(p, consent);
        assertEq(other.issuanceCount(), 0, "nothing created there");

        consent.signature = sign(issuerKey, digestByHand(p, operator, 0, deadline, address(other)));
        vm.prank(operator);
        assertEq(other.createIssuance(p, consent), 1, "its own consent passes there");
    }

    /// @dev OpenZeppelin's checker refuses the malleable twin (s above n/2, v flipped), though it
    /// recovers the issuer: one consent has one signature.
    function test_RevertWhen_HighSMalleableSignature() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        bytes32 digest = digestByHand(p, operator, 1, deadline, address(asset));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(issuerKey, digest);
        bytes32 highS = bytes32(SECP256K1_N - uint256(s));
        uint8 flipped = v == 27 ? 28 : 27;
        assertEq(ecrecover(digest, flipped, r, highS), issuer, "the twin recovers the issuer");
        expectRefused(
            operator,
            p,
            ISecuredAssetTypes.IssuerConsent(1, deadline, abi.encodePacked(r, highS, flipped)),
            notSigned(issuer)
        );
        assertEq(create(p, ISecuredAssetTypes.IssuerConsent(1, deadline, abi.encodePacked(r, s, v))), 2, "low s passes");
    }

    /// @dev Only the 65-byte form is a signature: empty, truncated and the 64-byte compact form
    /// (EIP-2098) of a valid one are refused.
    function test_RevertWhen_SignatureMalformed() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(issuerKey, digestByHand(p, operator, 1, deadline, address(asset)));
        bytes32 vs = bytes32(uint256(s) | (uint256(v - 27) << 255));
        bytes[3] memory malformed = [bytes(""), abi.encodePacked(r, s), abi.encodePacked(r, vs)];
        for (uint256 i; i < malformed.length; ++i) {
            expectRefused(operator, p, ISecuredAssetTypes.IssuerConsent(1, deadline, malformed[i]), notSigned(issuer));
        }
    }

    /*//////////////////////////////////////////////////////////////
                         DEADLINE AND NONCES
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_Expired() public {
        ISecuredAssetTypes.IssuerConsent memory consent = goodConsent();
        vm.warp(deadline + 1);
        expectRefused(
            operator,
            issuanceParams(),
            consent,
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ConsentExpired.selector, deadline)
        );
    }

    /// @dev Expired, then the nonce, then the signature: the first reason is given.
    function test_ConsentChecksInOrder() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        uint64 past = uint64(block.timestamp - 1);
        expectRefused(
            operator,
            p,
            consentOf(p, operator, aliceKey, 5, past),
            abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ConsentExpired.selector, past)
        );
        expectRefused(operator, p, consentOf(p, operator, aliceKey, 5, deadline), nonceInvalid(5, 1));
    }

    function test_RevertWhen_NonceReused() public {
        ISecuredAssetTypes.IssuerConsent memory consent = goodConsent();
        create(issuanceParams(), consent);
        expectRefused(operator, issuanceParams(), consent, nonceInvalid(1, 2));
    }

    function test_RevertWhen_NonceAhead() public {
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        expectRefused(operator, p, consentOf(p, operator, issuerKey, 2, deadline), nonceInvalid(2, 1));
    }

    /// @dev The issuer withdraws a consent it signed before the operator used it.
    function test_WithdrawnConsentCannotBeUsed() public {
        ISecuredAssetTypes.IssuerConsent memory consent = goodConsent();
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuerConsentWithdrawn(issuer, 1);
        vm.prank(issuer);
        asset.withdrawConsent(1);
        assertEq(asset.nonces(issuer, 0), 2, "spent");
        expectRefused(operator, issuanceParams(), consent, nonceInvalid(1, 2));
    }

    function test_RevertWhen_WithdrawConsentWithNonceNotNext() public {
        vm.expectRevert(nonceInvalid(0, 1));
        vm.prank(issuer);
        asset.withdrawConsent(0); // already used by the fixture
        vm.expectRevert(nonceInvalid(2, 1));
        vm.prank(issuer);
        asset.withdrawConsent(2); // ahead
        assertEq(asset.nonces(issuer, 0), 1, "nothing spent");
    }

    /// @dev Keys are independent counters: consents under key 0 and key 1, signed together, pass
    /// in either order.
    function test_KeyedNonces_Key1ThenKey0() public {
        uint256 keyed = (uint256(1) << 64) | 0;
        assertEq(asset.nonces(issuer, 1), keyed, "key 1 starts at its own zero");
        ISecuredAssetTypes.IssuerConsent memory first =
            consentOf(issuanceParams(), operator, issuerKey, keyed, deadline);
        ISecuredAssetTypes.IssuerConsent memory second = goodConsent();
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuerConsented(
            2, issuer, keyed, deadline, digestByHand(issuanceParams(), operator, keyed, deadline, address(asset))
        );
        create(issuanceParams(), first);
        create(issuanceParams(), second);
        assertEq(asset.nonces(issuer, 1), keyed + 1, "key 1");
        assertEq(asset.nonces(issuer, 0), 2, "key 0");
    }

    function test_KeyedNonces_Key0ThenKey1() public {
        uint256 keyed = (uint256(1) << 64) | 0;
        ISecuredAssetTypes.IssuerConsent memory first = goodConsent();
        ISecuredAssetTypes.IssuerConsent memory second =
            consentOf(issuanceParams(), operator, issuerKey, keyed, deadline);
        create(issuanceParams(), first);
        create(issuanceParams(), second);
        assertEq(asset.issuanceCount(), 3, "both created");
        expectRefused(operator, issuanceParams(), second, nonceInvalid(keyed, keyed + 1));
    }

    /// @dev Withdrawing under one key leaves the other keys' consents usable.
    function test_KeyedNonces_WithdrawOneKeyOnly() public {
        uint256 keyed = (uint256(9) << 64) | 0;
        ISecuredAssetTypes.IssuerConsent memory other =
            consentOf(issuanceParams(), operator, issuerKey, keyed, deadline);
        vm.prank(issuer);
        asset.withdrawConsent(1);
        create(issuanceParams(), other);
        assertEq(asset.nonces(issuer, 9), keyed + 1, "key 9 used");
    }

    /// @dev Any deadline and nonce: expired before the deadline, then the next nonce of the
    /// nonce's own key, else created.
    function testFuzz_ConsentDeadlineAndNonce(uint64 until, uint256 nonce, bool next) public {
        until = uint64(bound(until, block.timestamp - 30 days, block.timestamp + 365 days));
        uint192 key = uint192(nonce >> 64);
        if (next) nonce = asset.nonces(issuer, key);
        uint256 expected = asset.nonces(issuer, key);
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        ISecuredAssetTypes.IssuerConsent memory consent = consentOf(p, operator, issuerKey, nonce, until);
        if (until < block.timestamp) {
            expectRefused(
                operator,
                p,
                consent,
                abi.encodeWithSelector(ISecuredAssetTypes.SecuredAsset_ConsentExpired.selector, until)
            );
        } else if (nonce != expected) {
            expectRefused(operator, p, consent, nonceInvalid(nonce, expected));
        } else {
            bytes32 digest = asset.consentDigest(p, operator, nonce, until);
            vm.expectEmit(address(asset));
            emit ISecuredAssetTypes.IssuerConsented(2, issuer, nonce, until, digest);
            create(p, consent);
            assertEq(asset.nonces(issuer, key), expected + 1, "spent");
        }
    }

    /*//////////////////////////////////////////////////////////////
                     AN ISSUER THAT IS A CONTRACT
    //////////////////////////////////////////////////////////////*/

    /// @dev An issuer whose key is a contract wallet consents through ERC-1271: what the wallet
    /// accepts passes, what it refuses is refused.
    function test_ContractWalletIssuer_AcceptedAndRefused() public {
        (address owner, uint256 ownerKey) = makeKey("wallet owner");
        ContractWallet wallet = new ContractWallet(owner);
        vm.prank(regulator);
        registry.registerIssuer(address(wallet), "Shymkent Cotton LLP", "555555555555", "KZ", keccak256("wallet"));
        ISecuredAssetTypes.IssuanceParams memory p = issuanceParams();
        p.issuer = address(wallet);

        expectRefused(operator, p, consentOf(p, operator, aliceKey, 0, deadline), notSigned(address(wallet)));
        vm.expectEmit(address(asset));
        emit ISecuredAssetTypes.IssuerConsented(
            2, address(wallet), 0, deadline, digestByHand(p, operator, 0, deadline, address(asset))
        );
        create(p, consentOf(p, operator, ownerKey, 0, deadline));
        assertEq(asset.issuerOf(2), address(wallet), "the wallet is the issuer");
        assertEq(asset.nonces(address(wallet), 0), 1, "its nonce spent");
    }
}
