// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {CollateralAttestations} from "../../../contracts/CollateralAttestations.sol";
import {PlatformRegistry} from "../../../contracts/PlatformRegistry.sol";
import {SecuredAsset} from "../../../contracts/SecuredAsset.sol";
import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";

import {Test} from "../utils/Test.sol";
import {vm} from "../utils/Vm.sol";

/// @notice The only contract the invariant fuzzer calls. Every external state-changing function
/// of the registry, the collateral attestations and the asset has a handler here that bounds its
/// inputs, acts as the rightful role (or, about one time in five, as someone without it), calls
/// inside try/catch and, on success only, updates a model of what the law allows kept apart from
/// the contracts. Whenever a call succeeds that the model says must fail, a violation is counted;
/// the invariants assert the counts stay zero and the chain agrees with the model.
/// @dev Actors are plain wallets without roles, in every state the rules care about (eligible,
/// unregistered, frozen, unacknowledged, identity expired); their states change as the fuzzer
/// calls the registry handlers. Time moves only forward, through `warp`.
contract Handler is Test {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    enum Violation {
        HaltedMovement, // units moved (or were encumbered) while paused, closed or the permit inactive
        IneligibleRecipient, // a wallet received units while not eligible (registered, acknowledged...)
        IneligibleSender, // a wallet sent units on the standard route while not identified or frozen
        IneligibleInitiator, // an approved operator that is not an identified participant moved units
        MintBeyondCoverage, // a mint left supply above live verified collateral
        MintOutsideRegister, // a mint for a suspended issuer or a delisted type
        Unauthorised, // a caller without the role or right succeeded
        RuleBroken // any other call that must fail succeeded
    }

    enum Route {
        Standard,
        Enforcement,
        Forced
    }

    /// @dev What a handler looks for, three times in four, when it picks an actor ({_pick}) or an
    /// issuance ({_issuanceId}). A live issuance circulates: known, open, unpaused, its operator's
    /// permit in force.
    enum Want {
        CanReceive, // an actor eligible to receive units
        Frozen, // a frozen actor
        IdentityLapsed, // a registered actor whose identification has expired
        NotAcknowledged, // a registered actor who has not acknowledged the notice in force
        Mintable, // a live issuance with room under live collateral and max supply (issuer, type: any)
        Held, // a live issuance of which some wallet that may send has units available
        Uncovered, // an open issuance whose live collateral leaves no room to mint
        Paused // a paused issuance
    }

    struct Setup {
        PlatformRegistry registry;
        CollateralAttestations collateral;
        SecuredAsset asset;
        address regulator;
        address compliance;
        address verifier;
        uint256 verifierKey;
        address[2] operators;
        address[2] issuers;
        uint32[2] assetTypes;
        address[] actors;
        uint256[] actorKeys;
    }

    struct Person {
        bool registered;
        bool frozen;
        uint64 identityExpiry;
        uint32 acknowledged;
    }

    struct PermitModel {
        IPlatformRegistry.PermitStatus status;
        uint64 validFrom;
        uint64 validUntil;
    }

    struct IssuanceModel {
        address operator;
        address issuer;
        uint32 assetType;
        bool paused;
        bool closed;
        uint256 maxSupply;
        uint256 supply;
        uint256 coverageAtLastMint;
        uint256[] attestations; // indices into _attestations
    }

    struct AttestationModel {
        bytes32 attestationId;
        uint256 units;
        uint64 validUntil;
        bool revoked;
    }

    struct EncumbranceModel {
        uint256 encumbranceId;
        uint256 issuanceId;
        address holder;
        address beneficiary;
        uint256 amount;
        uint64 expiry;
        bool active;
    }

    /*//////////////////////////////////////////////////////////////
                                 SETUP
    //////////////////////////////////////////////////////////////*/

    /// @dev Issuances beyond this are not created, so the invariants' loops stay short.
    uint256 public constant MAX_ISSUANCES = 6;

    PlatformRegistry public immutable registry;
    CollateralAttestations public immutable collateral;
    SecuredAsset public immutable asset;
    address internal immutable _regulator;
    address internal immutable _compliance;
    address internal immutable _verifier;
    uint256 internal immutable _verifierKey;
    address[2] internal _operators;
    address[2] internal _issuers;
    uint32[2] internal _types;
    address[] internal _actors;
    mapping(address actor => uint256 key) internal _keys;

    /*//////////////////////////////////////////////////////////////
                             MODEL AND GHOSTS
    //////////////////////////////////////////////////////////////*/

    uint256 public currentTime;
    uint256 internal _nonce = 1000;

    mapping(address wallet => Person) internal _people;
    mapping(address operator => PermitModel) internal _permits;
    mapping(address issuer => IPlatformRegistry.IssuerStatus) internal _issuerStatus;
    mapping(uint32 typeId => bool) internal _listed;
    uint32 internal _notice;

    uint256 public issuanceCount;
    mapping(uint256 id => IssuanceModel) internal _issuances;
    mapping(uint256 id => mapping(address holder => uint256)) public ghostBalance;
    mapping(uint256 id => mapping(address holder => uint256)) public ghostEncumbered;
    mapping(uint256 id => mapping(address holder => uint256)) public ghostFrozen;
    mapping(address holder => mapping(address spender => bool)) internal _approved;
    AttestationModel[] internal _attestations;
    EncumbranceModel[] internal _encumbrances;

    mapping(Violation => uint256) public violations;
    /// @notice The first violation of each kind, in words, for the failure message.
    mapping(Violation => string) public firstViolation;
    uint256 public successfulMints;
    uint256 public successfulMovements;

    constructor(Setup memory s) {
        registry = s.registry;
        collateral = s.collateral;
        asset = s.asset;
        _regulator = s.regulator;
        _compliance = s.compliance;
        _verifier = s.verifier;
        _verifierKey = s.verifierKey;
        _operators = s.operators;
        _issuers = s.issuers;
        _types = s.assetTypes;
        _actors = s.actors;
        currentTime = block.timestamp;

        // The model starts from the fixture's state; from here on it moves only by its own rules.
        _notice = registry.noticeInForce();
        for (uint256 i; i < s.actors.length; ++i) {
            address a = s.actors[i];
            _keys[a] = s.actorKeys[i];
            IPlatformRegistry.Participant memory p = registry.participant(a);
            _people[a] = Person(p.registered, p.frozen, p.identityExpiry, p.acknowledgedNotice);
            for (uint256 j; j < s.actors.length; ++j) {
                _approved[a][s.actors[j]] = asset.isApprovedForAll(a, s.actors[j]);
            }
        }
        for (uint256 i; i < 2; ++i) {
            IPlatformRegistry.Permit memory p = registry.permit(s.operators[i]);
            _permits[s.operators[i]] = PermitModel(p.status, p.validFrom, p.validUntil);
            _issuerStatus[s.issuers[i]] = registry.issuer(s.issuers[i]).status;
            _listed[s.assetTypes[i]] = registry.isAssetTypeListed(s.assetTypes[i]);
        }
        issuanceCount = asset.issuanceCount();
        for (uint256 id = 1; id <= issuanceCount; ++id) {
            ISecuredAsset.Issuance memory iss = asset.issuance(id);
            IssuanceModel storage m = _issuances[id];
            (m.operator, m.issuer, m.assetType, m.maxSupply) = (iss.operator, iss.issuer, iss.assetType, iss.maxSupply);
            (m.paused, m.closed, m.supply) = (iss.paused, iss.closed, asset.totalSupply(id));
            m.coverageAtLastMint = collateral.coveredUnits(address(asset), id, iss.issuer);
            bytes32[] memory ids = collateral.attestationsOf(address(asset), id);
            for (uint256 k; k < ids.length; ++k) {
                ICollateralAttestations.AttestationRecord memory r = collateral.attestation(ids[k]);
                m.attestations.push(_attestations.length);
                _attestations.push(AttestationModel(ids[k], r.units, r.validUntil, r.revoked));
            }
            for (uint256 k; k < s.actors.length; ++k) {
                address a = s.actors[k];
                ghostBalance[id][a] = asset.balanceOf(a, id);
                ghostEncumbered[id][a] = asset.encumberedUnits(id, a);
                ghostFrozen[id][a] = asset.frozenUnits(id, a);
            }
        }
    }

    /// @dev Every handler runs at the handler's own clock, whatever the fuzzer's block.
    modifier step() {
        vm.warp(currentTime);
        _;
    }

    /*//////////////////////////////////////////////////////////////
                                  TIME
    //////////////////////////////////////////////////////////////*/

    /// @notice Moves time forward: mostly minutes to days, sometimes months (permits, identities,
    /// attestations and encumbrances lapse).
    function warp(uint256 seed) external step {
        currentTime += seed % 8 == 0 ? bound(seed, 30 days, 200 days) : bound(seed, 1 minutes, 3 days);
        vm.warp(currentTime);
    }

    /*//////////////////////////////////////////////////////////////
                           REGISTRY: PERMITS
    //////////////////////////////////////////////////////////////*/

    function grantPermit(uint256 operatorSeed, uint256 fromSeed, uint256 durationSeed, uint256 callerSeed)
        external
        step
    {
        address op = _operator(operatorSeed, IPlatformRegistry.PermitStatus.Revoked);
        uint64 validFrom = uint64(
            fromSeed % 4 == 0
                ? block.timestamp + bound(fromSeed, 1 hours, 5 days)
                : block.timestamp - bound(fromSeed, 0, 30 days)
        );
        uint64 validUntil =
            durationSeed % 10 == 0 ? validFrom : validFrom + uint64(bound(durationSeed, 1 days, 400 days));
        address caller = _caller(callerSeed, _regulator);
        IPlatformRegistry.PermitStatus before = _permits[op].status;
        vm.prank(caller);
        try registry.grantPermit(op, validFrom, validUntil, keccak256("permit")) {
            _requireRegulator(caller, "grantPermit");
            if (before == IPlatformRegistry.PermitStatus.Granted || before == IPlatformRegistry.PermitStatus.Suspended)
            {
                _flag(Violation.RuleBroken, "grantPermit over a live permit");
            }
            if (validUntil <= validFrom || validUntil <= block.timestamp) {
                _flag(Violation.RuleBroken, "grantPermit validity");
            }
            _permits[op] = PermitModel(IPlatformRegistry.PermitStatus.Granted, validFrom, validUntil);
        } catch {}
    }

    function renewPermit(uint256 operatorSeed, uint256 durationSeed, uint256 callerSeed) external step {
        address op = _operators[operatorSeed % 2];
        if ((operatorSeed >> 1) % 2 == 1 && _permitActive(op)) op = _operators[1 - operatorSeed % 2];
        PermitModel storage p = _permits[op];
        uint64 validUntil = uint64(block.timestamp + bound(durationSeed, 1 days, 400 days));
        address caller = _caller(callerSeed, _regulator);
        vm.prank(caller);
        try registry.renewPermit(op, validUntil, keccak256("renewal")) {
            _requireRegulator(caller, "renewPermit");
            if (
                p.status != IPlatformRegistry.PermitStatus.Granted
                    && p.status != IPlatformRegistry.PermitStatus.Suspended
            ) {
                _flag(Violation.RuleBroken, "renewPermit of a permit not granted");
            }
            if (validUntil <= p.validFrom) _flag(Violation.RuleBroken, "renewPermit validity");
            p.validUntil = validUntil;
        } catch {}
    }

    /// @notice Acts one time in four (see {_sometimes}).
    function suspendPermit(uint256 operatorSeed, uint256 callerSeed) external step {
        if (!_sometimes(operatorSeed, 4)) return;
        address op = _operators[operatorSeed % 2];
        address caller = _caller(callerSeed, _regulator);
        vm.prank(caller);
        try registry.suspendPermit(op, keccak256("suspension")) {
            _requireRegulator(caller, "suspendPermit");
            if (_permits[op].status != IPlatformRegistry.PermitStatus.Granted) {
                _flag(Violation.RuleBroken, "suspendPermit of a permit not granted");
            }
            _permits[op].status = IPlatformRegistry.PermitStatus.Suspended;
        } catch {}
    }

    function reinstatePermit(uint256 operatorSeed, uint256 callerSeed) external step {
        address op = _operator(operatorSeed, IPlatformRegistry.PermitStatus.Suspended);
        address caller = _caller(callerSeed, _regulator);
        vm.prank(caller);
        try registry.reinstatePermit(op, keccak256("reinstatement")) {
            _requireRegulator(caller, "reinstatePermit");
            if (_permits[op].status != IPlatformRegistry.PermitStatus.Suspended) {
                _flag(Violation.RuleBroken, "reinstatePermit of a permit not suspended");
            }
            _permits[op].status = IPlatformRegistry.PermitStatus.Granted;
        } catch {}
    }

    /// @notice Acts one time in eight: a revoked permit needs a new grant.
    function revokePermit(uint256 operatorSeed, uint256 callerSeed) external step {
        if (!_sometimes(operatorSeed, 8)) return;
        address op = _operators[operatorSeed % 2];
        address caller = _caller(callerSeed, _regulator);
        IPlatformRegistry.PermitStatus before = _permits[op].status;
        vm.prank(caller);
        try registry.revokePermit(op, keccak256("revocation")) {
            _requireRegulator(caller, "revokePermit");
            if (before != IPlatformRegistry.PermitStatus.Granted && before != IPlatformRegistry.PermitStatus.Suspended)
            {
                _flag(Violation.RuleBroken, "revokePermit of a permit not granted");
            }
            _permits[op].status = IPlatformRegistry.PermitStatus.Revoked;
        } catch {}
    }

    /*//////////////////////////////////////////////////////////////
                  REGISTRY: ISSUERS, TYPES, PARTICIPANTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Reactivates half the time; otherwise, one time in two, suspends or (rarely, for
    /// good) removes. A suspended issuer only stops minting, so this may act often.
    function setIssuerStatus(uint256 issuerSeed, uint256 statusSeed, uint256 callerSeed) external step {
        uint256 s = statusSeed % 20;
        IPlatformRegistry.IssuerStatus status = s < 10
            ? IPlatformRegistry.IssuerStatus.Active
            : s < 19 ? IPlatformRegistry.IssuerStatus.Suspended : IPlatformRegistry.IssuerStatus.Removed;
        if (status != IPlatformRegistry.IssuerStatus.Active && !_sometimes(statusSeed, 2)) return;
        address wallet = _issuers[issuerSeed % 2];
        if (status == IPlatformRegistry.IssuerStatus.Active && _issuerStatus[wallet] == status) {
            wallet = _issuers[1 - issuerSeed % 2];
        }
        IPlatformRegistry.IssuerStatus before = _issuerStatus[wallet];
        address caller = _caller(callerSeed, _regulator);
        vm.prank(caller);
        try registry.setIssuerStatus(wallet, status, keccak256("issuer status")) {
            _requireRegulator(caller, "setIssuerStatus");
            if (before == status || before == IPlatformRegistry.IssuerStatus.Removed) {
                _flag(Violation.RuleBroken, "setIssuerStatus transition");
            }
            _issuerStatus[wallet] = status;
        } catch {}
    }

    function updateIssuer(uint256 issuerSeed, uint256 callerSeed) external step {
        address wallet = _issuers[issuerSeed % 2];
        address caller = _caller(callerSeed, _regulator);
        vm.prank(caller);
        try registry.updateIssuer(wallet, "Renamed LLP", "210987654321", "KZ", keccak256(abi.encode(callerSeed))) {
            _requireRegulator(caller, "updateIssuer");
        } catch {}
    }

    /// @notice Acts one time in two (a delisted type only stops new issuance and minting).
    function delistAssetType(uint256 typeSeed, uint256 callerSeed) external step {
        if (!_sometimes(typeSeed, 2)) return;
        uint32 typeId = _types[typeSeed % 2];
        address caller = _caller(callerSeed, _regulator);
        vm.prank(caller);
        try registry.delistAssetType(typeId) {
            _requireRegulator(caller, "delistAssetType");
            if (!_listed[typeId]) _flag(Violation.RuleBroken, "delistAssetType twice");
            _listed[typeId] = false;
        } catch {}
    }

    function relistAssetType(uint256 typeSeed, uint256 callerSeed) external step {
        uint32 typeId = _types[typeSeed % 2];
        if (_listed[typeId]) typeId = _types[1 - typeSeed % 2];
        address caller = _caller(callerSeed, _regulator);
        vm.prank(caller);
        try registry.relistAssetType(typeId) {
            _requireRegulator(caller, "relistAssetType");
            if (_listed[typeId]) _flag(Violation.RuleBroken, "relistAssetType twice");
            _listed[typeId] = true;
        } catch {}
    }

    function registerParticipant(uint256 actorSeed, uint256 expirySeed, uint256 callerSeed) external step {
        address wallet = _actor(actorSeed);
        uint64 expiry = _identityExpiry(expirySeed);
        address caller = _caller(callerSeed, _operators[callerSeed % 2]);
        vm.prank(caller);
        try registry.registerParticipant(wallet, keccak256(abi.encode("kyc", wallet)), expiry) {
            _requireOperatorRole(caller, "registerParticipant");
            if (_people[wallet].registered || expiry <= block.timestamp) {
                _flag(Violation.RuleBroken, "registerParticipant");
            }
            _people[wallet] = Person(true, false, expiry, 0);
        } catch {}
    }

    function updateParticipantIdentity(uint256 actorSeed, uint256 expirySeed, uint256 callerSeed) external step {
        address wallet = _pick(actorSeed, Want.IdentityLapsed);
        uint64 expiry = _identityExpiry(expirySeed);
        address caller = _caller(callerSeed, _operators[callerSeed % 2]);
        vm.prank(caller);
        try registry.updateParticipantIdentity(wallet, keccak256(abi.encode("kyc", wallet, expiry)), expiry) {
            _requireOperatorRole(caller, "updateParticipantIdentity");
            if (!_people[wallet].registered || expiry <= block.timestamp) {
                _flag(Violation.RuleBroken, "updateParticipantIdentity");
            }
            _people[wallet].identityExpiry = expiry;
        } catch {}
    }

    /// @notice Acts one time in four.
    function freezeParticipant(uint256 actorSeed, uint256 callerSeed) external step {
        if (!_sometimes(actorSeed, 4)) return;
        address wallet = _actor(actorSeed);
        address caller = _caller(callerSeed, _compliance);
        vm.prank(caller);
        try registry.freezeParticipant(wallet, keccak256("aml")) {
            if (caller != _compliance) _flag(Violation.Unauthorised, "freezeParticipant");
            if (!_people[wallet].registered || _people[wallet].frozen) {
                _flag(Violation.RuleBroken, "freezeParticipant");
            }
            _people[wallet].frozen = true;
        } catch {}
    }

    function unfreezeParticipant(uint256 actorSeed, uint256 callerSeed) external step {
        address wallet = _pick(actorSeed, Want.Frozen);
        address caller = _caller(callerSeed, _compliance);
        vm.prank(caller);
        try registry.unfreezeParticipant(wallet, keccak256("cleared")) {
            if (caller != _compliance) _flag(Violation.Unauthorised, "unfreezeParticipant");
            if (!_people[wallet].frozen) _flag(Violation.RuleBroken, "unfreezeParticipant");
            _people[wallet].frozen = false;
        } catch {}
    }

    /// @notice A new notice makes everyone unable to receive until they acknowledge it, so this
    /// acts only one time in four, or nobody would be eligible for long.
    function publishRiskNotice(uint256 seed) external step {
        if (!_sometimes(seed, 4)) return;
        address caller = _caller(seed, _operators[(seed / 5) % 2]);
        vm.prank(caller);
        try registry.publishRiskNotice(keccak256(abi.encode("notice", seed)), "https://sdap.example/risk") returns (
            uint32 version
        ) {
            _requireOperatorRole(caller, "publishRiskNotice");
            if (version != _notice + 1) _flag(Violation.RuleBroken, "publishRiskNotice version");
            _notice = version;
        } catch {}
    }

    function acknowledgeRiskNotice(uint256 actorSeed, uint256 versionSeed) external step {
        address wallet = _pick(actorSeed, Want.NotAcknowledged);
        uint32 version = _noticeVersion(versionSeed);
        vm.prank(wallet);
        try registry.acknowledgeRiskNotice(version) {
            _acknowledged(wallet, version, "acknowledgeRiskNotice");
        } catch {}
    }

    /// @notice An operator relays the wallet's signature (sometimes made with another key).
    function acknowledgeRiskNoticeBySig(uint256 actorSeed, uint256 versionSeed, uint256 keySeed, uint256 callerSeed)
        external
        step
    {
        address wallet = _pick(actorSeed, Want.NotAcknowledged);
        uint32 version = _noticeVersion(versionSeed);
        uint256 key = keySeed % 5 == 0 ? _keys[_actor(keySeed / 5)] : _keys[wallet];
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory signature =
            _sign(key, registry.acknowledgementDigest(wallet, version, registry.nonces(wallet), deadline));
        address caller = _caller(callerSeed, _operators[callerSeed % 2]);
        vm.prank(caller);
        try registry.acknowledgeRiskNoticeBySig(wallet, version, deadline, signature) {
            _requireOperatorRole(caller, "acknowledgeRiskNoticeBySig");
            if (key != _keys[wallet]) _flag(Violation.Unauthorised, "acknowledgeRiskNoticeBySig with a foreign key");
            _acknowledged(wallet, version, "acknowledgeRiskNoticeBySig");
        } catch {}
    }

    /*//////////////////////////////////////////////////////////////
                               COLLATERAL
    //////////////////////////////////////////////////////////////*/

    /// @notice Attaches a verifier's attestation; sometimes signed by a non-verifier, for the
    /// wrong owner, already expired, for zero units or submitted by someone without a role.
    function attach(uint256 idSeed, uint256 unitsSeed, uint256 validitySeed, uint256 flawSeed) external step {
        uint256 id = _issuanceId(idSeed, Want.Uncovered);
        IssuanceModel storage iss = _issuances[id];
        ICollateralAttestations.Attestation memory a = ICollateralAttestations.Attestation({
            asset: address(asset),
            issuanceId: id,
            owner: flawSeed % 11 == 1 ? _actor(flawSeed) : iss.issuer,
            collateralRef: keccak256(abi.encode("collateral", unitsSeed)),
            value: unitsSeed % 1e12,
            units: flawSeed % 11 == 2 ? 0 : bound(unitsSeed, 1, 20_000),
            validUntil: uint64(
                flawSeed % 11 == 3 ? block.timestamp : block.timestamp + bound(validitySeed, 1 hours, 120 days)
            ),
            nonce: ++_nonce
        });
        uint256 key = flawSeed % 11 == 4 ? _keys[_actor(flawSeed)] : _verifierKey;
        bytes memory signature = _sign(key, collateral.attestationDigest(a));
        address caller = flawSeed % 11 == 5 ? _actor(flawSeed / 11) : flawSeed % 2 == 0 ? _operators[0] : _verifier;
        vm.prank(caller);
        try collateral.attach(a, signature) returns (bytes32 attestationId) {
            if (caller != _verifier && !_isOperator(caller)) _flag(Violation.Unauthorised, "attach submitter");
            if (key != _verifierKey) _flag(Violation.Unauthorised, "attach signed by a non-verifier");
            if (iss.operator == address(0) || a.owner != iss.issuer || a.units == 0 || a.validUntil <= block.timestamp)
            {
                _flag(Violation.RuleBroken, "attach");
            }
            iss.attestations.push(_attestations.length);
            _attestations.push(AttestationModel(attestationId, a.units, a.validUntil, false));
        } catch {}
    }

    /// @notice Acts one time in four: a revocation stops minting until new collateral is attached.
    function revokeAttestation(uint256 indexSeed, uint256 callerSeed) external step {
        if (_attestations.length == 0 || !_sometimes(indexSeed, 4)) return;
        AttestationModel storage m = _attestations[indexSeed % _attestations.length];
        address caller = _caller(callerSeed, callerSeed % 2 == 0 ? _verifier : _regulator);
        vm.prank(caller);
        try collateral.revoke(m.attestationId, keccak256("collateral gone")) {
            if (caller != _verifier && caller != _regulator) _flag(Violation.Unauthorised, "revoke attestation");
            if (m.revoked) _flag(Violation.RuleBroken, "revoke attestation twice");
            m.revoked = true;
        } catch {}
    }

    function invalidateNonce(uint256 callerSeed) external step {
        address caller = _caller(callerSeed, _verifier);
        vm.prank(caller);
        try collateral.invalidateNonce(++_nonce) {
            if (caller != _verifier) _flag(Violation.Unauthorised, "invalidateNonce");
        } catch {}
    }

    /*//////////////////////////////////////////////////////////////
                           ASSET: ISSUANCES
    //////////////////////////////////////////////////////////////*/

    /// @notice Creates an issuance for one of the registered issuers and listed types; sometimes
    /// an unregistered issuer, an unknown type, an empty field or an invalid max supply.
    function createIssuance(uint256 operatorSeed, uint256 paramSeed, uint256 supplySeed) external step {
        if (issuanceCount >= MAX_ISSUANCES) return;
        address caller = _caller(operatorSeed, _operators[(operatorSeed / 5) % 2]);
        uint256 flaw = paramSeed % 32;
        // Half the time a cap below the collateral usually attached, so that the cap binds first.
        uint256 maxSupply = bound(supplySeed, 1, supplySeed % 2 == 0 ? 100 : 50_000);
        if (flaw == 6) maxSupply = 0;
        if (flaw == 7) maxSupply = uint256(type(uint128).max) + 1;
        ISecuredAsset.IssuanceParams memory p = ISecuredAsset.IssuanceParams({
            issuer: flaw == 1 ? _actor(paramSeed) : _issuers[(paramSeed / 32) % 2],
            assetType: flaw == 2 ? 99 : _types[(paramSeed / 64) % 2],
            decisionHash: keccak256(abi.encode("decision", paramSeed)),
            decisionUri: flaw == 3 ? "" : "https://issuer.example/decision.pdf",
            evidenceHash: flaw == 4 ? bytes32(0) : keccak256("evidence"),
            unitDescription: flaw == 5 ? "" : "1 tonne of wheat",
            maxSupply: maxSupply
        });
        vm.prank(caller);
        try asset.createIssuance(p) returns (uint256 id) {
            _requireOperatorRole(caller, "createIssuance");
            if (
                !_permitActive(caller) || _issuerStatus[p.issuer] != IPlatformRegistry.IssuerStatus.Active
                    || !_listed[p.assetType] || (flaw >= 3 && flaw <= 7) || id != issuanceCount + 1
            ) _flag(Violation.RuleBroken, "createIssuance");
            issuanceCount = id;
            IssuanceModel storage m = _issuances[id];
            (m.operator, m.issuer, m.assetType, m.maxSupply) = (caller, p.issuer, p.assetType, p.maxSupply);
        } catch {}
    }

    function mint(uint256 idSeed, uint256 toSeed, uint256 amountSeed, uint256 callerSeed) external step {
        uint256 id = _issuanceId(idSeed, Want.Mintable);
        IssuanceModel storage iss = _issuances[id];
        address to = _pick(toSeed, Want.CanReceive);
        uint256 cap = _min(iss.maxSupply, _coverage(id));
        // One mint in four tries to pass the cap or the collateral.
        uint256 amount = _amount(amountSeed, cap > iss.supply ? cap - iss.supply : 0, 4);
        address caller = _caller(callerSeed, iss.operator == address(0) ? _operators[0] : iss.operator);
        vm.prank(caller);
        try asset.mint(id, to, amount) {
            if (caller != iss.operator) _flag(Violation.Unauthorised, "mint by another than the issuance's operator");
            _moved(Route.Standard, caller, id, address(0), to, amount);
        } catch {}
    }

    /// @notice Acts one time in four.
    function pause(uint256 idSeed, uint256 callerSeed) external step {
        if (!_sometimes(idSeed, 4)) return;
        uint256 id = _issuanceId(idSeed);
        address caller = _issuanceAdmin(id, callerSeed);
        vm.prank(caller);
        try asset.pause(id) {
            _requireOperatorOrRegulator(id, caller, "pause");
            if (_issuances[id].paused) _flag(Violation.RuleBroken, "pause twice");
            _issuances[id].paused = true;
        } catch {}
    }

    function unpause(uint256 idSeed, uint256 callerSeed) external step {
        uint256 id = _issuanceId(idSeed, Want.Paused);
        address caller = _issuanceAdmin(id, callerSeed);
        vm.prank(caller);
        try asset.unpause(id) {
            _requireOperatorOrRegulator(id, caller, "unpause");
            if (!_issuances[id].paused) _flag(Violation.RuleBroken, "unpause when not paused");
            _issuances[id].paused = false;
        } catch {}
    }

    /// @notice The operator or the issuer records that obligations are fulfilled; needs no supply.
    function close(uint256 idSeed, uint256 callerSeed) external step {
        uint256 id = _issuanceId(idSeed);
        IssuanceModel storage iss = _issuances[id];
        address rightful = callerSeed % 2 == 0 ? iss.operator : iss.issuer;
        address caller = _caller(callerSeed / 2, rightful == address(0) ? _operators[0] : rightful);
        vm.prank(caller);
        try asset.close(id, keccak256("obligations fulfilled")) {
            if (iss.operator == address(0) || (caller != iss.operator && caller != iss.issuer)) {
                _flag(Violation.Unauthorised, "close");
            }
            if (iss.closed || iss.supply != 0) _flag(Violation.RuleBroken, "close with supply or twice");
            iss.closed = true;
        } catch {}
    }

    /*//////////////////////////////////////////////////////////////
                           ASSET: TRANSFERS
    //////////////////////////////////////////////////////////////*/

    function setApprovalForAll(uint256 holderSeed, uint256 spenderSeed, bool approved) external step {
        address holder = _actor(holderSeed);
        address spender = _actor(spenderSeed);
        vm.prank(holder);
        try asset.setApprovalForAll(spender, approved) {
            _approved[holder][spender] = approved;
        } catch {}
    }

    /// @notice The holder sends its own units.
    function transfer(uint256 idSeed, uint256 fromSeed, uint256 toSeed, uint256 amountSeed) external step {
        uint256 id = _issuanceId(idSeed, Want.Held);
        address from = _sender(id, fromSeed);
        _transfer(from, from, _pick(toSeed, Want.CanReceive), id, _amount(amountSeed, _available(id, from)));
    }

    /// @notice Another wallet moves the holder's units, approved or not.
    function operatorTransfer(uint256 idSeed, uint256 fromSeed, uint256 spenderSeed, uint256 toSeed, uint256 amountSeed)
        external
        step
    {
        uint256 id = _issuanceId(idSeed, Want.Held);
        address from = _sender(id, fromSeed);
        address to = _pick(toSeed, Want.CanReceive);
        _transfer(_spender(from, spenderSeed), from, to, id, _amount(amountSeed, _available(id, from)));
    }

    /// @notice A batch of one to four items, half the time repeating ids, sometimes sent by an
    /// approved (or unapproved) operator.
    function batchTransfer(uint256 fromSeed, uint256 toSeed, uint256 idSeed, uint256 amountSeed, uint256 shape)
        external
        step
    {
        uint256 length = 1 + shape % 4;
        bool repeat = (shape >> 2) % 2 == 0;
        uint256[] memory ids = new uint256[](length);
        uint256[] memory amounts = new uint256[](length);
        for (uint256 i; i < length; ++i) {
            uint256 seed = i == 0 ? idSeed : uint256(keccak256(abi.encode(idSeed, i)));
            ids[i] = repeat && i % 2 == 1 ? ids[i - 1] : _issuanceId(seed, Want.Held);
        }
        address from = _sender(ids[0], fromSeed);
        address to = _pick(toSeed, Want.CanReceive);
        address spender = (shape >> 3) % 3 == 2 ? _spender(from, shape >> 5) : from;
        for (uint256 i; i < length; ++i) {
            uint256 available = _available(ids[i], from);
            amounts[i] = _amount(uint256(keccak256(abi.encode(amountSeed, i))), repeat ? available / 2 : available);
        }
        vm.prank(spender);
        try asset.safeBatchTransferFrom(from, to, ids, amounts, "") {
            if (spender != from && !_approved[from][spender]) {
                _flag(Violation.Unauthorised, "batch by unapproved operator");
            }
            for (uint256 i; i < length; ++i) {
                _moved(Route.Standard, spender, ids[i], from, to, amounts[i]);
            }
        } catch {}
    }

    function _transfer(address spender, address from, address to, uint256 id, uint256 amount) internal {
        vm.prank(spender);
        try asset.safeTransferFrom(from, to, id, amount, "") {
            if (spender != from && !_approved[from][spender]) {
                _flag(Violation.Unauthorised, "transfer by unapproved operator");
            }
            _moved(Route.Standard, spender, id, from, to, amount);
        } catch {}
    }

    function redeem(uint256 idSeed, uint256 holderSeed, uint256 spenderSeed, uint256 amountSeed) external step {
        uint256 id = _issuanceId(idSeed, Want.Held);
        address holder = _sender(id, holderSeed);
        address spender = spenderSeed % 3 == 0 ? _spender(holder, spenderSeed / 3) : holder;
        uint256 amount = _amount(amountSeed, _available(id, holder));
        vm.prank(spender);
        try asset.redeem(id, holder, amount, keccak256("delivered")) {
            if (spender != holder && !_approved[holder][spender]) {
                _flag(Violation.Unauthorised, "redeem by unapproved");
            }
            _moved(Route.Standard, spender, id, holder, address(0), amount);
        } catch {}
    }

    /*//////////////////////////////////////////////////////////////
                  ASSET: ENCUMBRANCE, FREEZE, ORDERS
    //////////////////////////////////////////////////////////////*/

    function encumber(
        uint256 idSeed,
        uint256 holderSeed,
        uint256 beneficiarySeed,
        uint256 amountSeed,
        uint256 expirySeed
    ) external step {
        uint256 id = _issuanceId(idSeed, Want.Held);
        address holder = _sender(id, holderSeed);
        address beneficiary = _pick(beneficiarySeed, Want.CanReceive);
        uint256 amount = _amount(amountSeed, _available(id, holder));
        uint64 expiry = expirySeed % 3 == 0 ? 0 : uint64(block.timestamp + bound(expirySeed, 1 hours, 30 days));
        vm.prank(holder);
        try asset.encumber(id, amount, beneficiary, keccak256("pledge"), expiry) returns (uint256 encumbranceId) {
            // An encumbrance is a turnover act (Rules item 4): the transfer rules apply to it.
            if (_halted(id)) _flag(Violation.HaltedMovement, _say("encumber while halted", id));
            if (!_canSend(holder)) _flag(Violation.IneligibleSender, _say("encumber by ineligible holder", id));
            if (!_canReceive(beneficiary) || beneficiary == holder || amount > _available(id, holder)) {
                _flag(Violation.RuleBroken, _say("encumber", id));
            }
            ghostEncumbered[id][holder] += amount;
            _encumbrances.push(EncumbranceModel(encumbranceId, id, holder, beneficiary, amount, expiry, true));
        } catch {}
    }

    /// @notice The beneficiary, the holder (allowed once lapsed) or a stranger releases.
    function release(uint256 indexSeed, uint256 callerSeed) external step {
        if (_encumbrances.length == 0) return;
        EncumbranceModel storage e = _encumbrances[_encumbranceIndex(indexSeed)];
        uint256 who = callerSeed % 3;
        address caller = who == 0 ? e.beneficiary : who == 1 ? e.holder : _actor(callerSeed / 3);
        bool lapsed = e.expiry != 0 && e.expiry <= block.timestamp;
        vm.prank(caller);
        try asset.release(e.encumbranceId) {
            if (caller != e.beneficiary && !(caller == e.holder && lapsed)) _flag(Violation.Unauthorised, "release");
            if (!e.active) _flag(Violation.RuleBroken, "release of an inactive encumbrance");
            e.active = false;
            ghostEncumbered[e.issuanceId][e.holder] -= _min(e.amount, ghostEncumbered[e.issuanceId][e.holder]);
        } catch {}
    }

    /// @notice The issuance's operator moves the locked units to the beneficiary.
    function enforce(uint256 indexSeed, uint256 callerSeed) external step {
        if (_encumbrances.length == 0) return;
        EncumbranceModel storage e = _encumbrances[_encumbranceIndex(indexSeed)];
        address op = _issuances[e.issuanceId].operator;
        address caller = _caller(callerSeed, op);
        bool lapsed = e.expiry != 0 && e.expiry <= block.timestamp;
        vm.prank(caller);
        try asset.enforce(e.encumbranceId, keccak256("court order")) {
            if (caller != op) _flag(Violation.Unauthorised, "enforce");
            if (!e.active || lapsed) _flag(Violation.RuleBroken, "enforce of an inactive or lapsed encumbrance");
            e.active = false;
            ghostEncumbered[e.issuanceId][e.holder] -= _min(e.amount, ghostEncumbered[e.issuanceId][e.holder]);
            _moved(Route.Enforcement, caller, e.issuanceId, e.holder, e.beneficiary, e.amount);
        } catch {}
    }

    function freezeUnits(uint256 idSeed, uint256 holderSeed, uint256 amountSeed, uint256 callerSeed) external step {
        uint256 id = _issuanceId(idSeed);
        address holder = _actor(holderSeed);
        uint256 available = _available(id, holder);
        uint256 amount = _amount(amountSeed, available);
        address caller = _caller(callerSeed, _compliance);
        vm.prank(caller);
        try asset.freezeUnits(id, holder, amount, keccak256("aml hold")) {
            if (caller != _compliance) _flag(Violation.Unauthorised, "freezeUnits");
            if (amount > available || _issuances[id].operator == address(0)) {
                _flag(Violation.RuleBroken, "freezeUnits");
            }
            ghostFrozen[id][holder] += amount;
        } catch {}
    }

    function unfreezeUnits(uint256 idSeed, uint256 holderSeed, uint256 amountSeed, uint256 callerSeed) external step {
        uint256 id = _issuanceId(idSeed);
        address holder = _actor(holderSeed);
        uint256 frozen = ghostFrozen[id][holder];
        uint256 amount = _amount(amountSeed, frozen);
        address caller = _caller(callerSeed, _compliance);
        vm.prank(caller);
        try asset.unfreezeUnits(id, holder, amount, keccak256("hold lifted")) {
            if (caller != _compliance) _flag(Violation.Unauthorised, "unfreezeUnits");
            if (amount > frozen) _flag(Violation.RuleBroken, "unfreezeUnits beyond frozen");
            ghostFrozen[id][holder] = frozen - _min(amount, frozen);
        } catch {}
    }

    /// @notice A regulator order: may take frozen units, never encumbered ones, and ignores pause
    /// and permit by design.
    function forcedTransfer(uint256 idSeed, uint256 fromSeed, uint256 toSeed, uint256 amountSeed, uint256 callerSeed)
        external
        step
    {
        uint256 id = _issuanceId(idSeed);
        address from = _actor(fromSeed);
        address to = _pick(toSeed, Want.CanReceive);
        uint256 balance = ghostBalance[id][from];
        uint256 movable = balance - _min(ghostEncumbered[id][from], balance);
        uint256 amount = _amount(amountSeed, movable);
        address caller = _caller(callerSeed, _regulator);
        vm.prank(caller);
        try asset.forcedTransfer(id, from, to, amount, keccak256("order")) {
            _requireRegulator(caller, "forcedTransfer");
            if (from == to) {
                _flag(Violation.RuleBroken, _say("forcedTransfer to the same wallet", id));
            } else if (amount > movable) {
                _flag(Violation.RuleBroken, _say("forcedTransfer of encumbered units", id));
            } else if (ghostFrozen[id][from] > movable - amount) {
                // What stays frozen must fit in what stays behind.
                ghostFrozen[id][from] = movable - amount;
            }
            _moved(Route.Forced, caller, id, from, to, amount);
        } catch {}
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function operators() external view returns (address[2] memory) {
        return _operators;
    }

    function issuers() external view returns (address[2] memory) {
        return _issuers;
    }

    function assetTypes() external view returns (uint32[2] memory) {
        return _types;
    }

    /// @notice The model's balances, encumbered and frozen units of `id`, in the actors' order.
    function holdings(uint256 id)
        external
        view
        returns (uint256[] memory balances, uint256[] memory encumbered, uint256[] memory frozen)
    {
        uint256 n = _actors.length;
        (balances, encumbered, frozen) = (new uint256[](n), new uint256[](n), new uint256[](n));
        for (uint256 i; i < n; ++i) {
            address a = _actors[i];
            (balances[i], encumbered[i], frozen[i]) = (ghostBalance[id][a], ghostEncumbered[id][a], ghostFrozen[id][a]);
        }
    }

    function issuanceModel(uint256 id) external view returns (IssuanceModel memory) {
        return _issuances[id];
    }

    function noticeInForce() external view returns (uint32) {
        return _notice;
    }

    function issuerStatus(address wallet) external view returns (IPlatformRegistry.IssuerStatus) {
        return _issuerStatus[wallet];
    }

    function isListed(uint32 typeId) external view returns (bool) {
        return _listed[typeId];
    }

    /// @notice The model's eligibility, at the handler's clock.
    function canReceive(address wallet) external view returns (bool) {
        return _canReceive(wallet);
    }

    function permitActive(address op) external view returns (bool) {
        return _permitActive(op);
    }

    /*//////////////////////////////////////////////////////////////
                         THE MODEL OF THE RULES
    //////////////////////////////////////////////////////////////*/

    /// @dev A successful movement of `amount` of `id` from `from` to `to` (zero for mint or burn)
    /// that `initiator` sent: checks it against the model, then applies it.
    function _moved(Route route, address initiator, uint256 id, address from, address to, uint256 amount) internal {
        IssuanceModel storage iss = _issuances[id];
        if (route != Route.Forced && _halted(id)) _flag(Violation.HaltedMovement, _say("moved while halted", id));
        if (route == Route.Standard && from != address(0)) {
            if (!_canSend(from)) _flag(Violation.IneligibleSender, _say("sent by ineligible holder", id));
            if (initiator != from && !_canSend(initiator)) {
                _flag(Violation.IneligibleInitiator, _say("moved by an unidentified or frozen approved operator", id));
            }
        }
        if (to != address(0) && !_canReceive(to)) {
            _flag(Violation.IneligibleRecipient, _say("received while ineligible", id));
        }

        if (from == address(0)) {
            iss.supply += amount;
            _minted(id, iss);
        } else {
            uint256 balance = ghostBalance[id][from];
            if (amount > balance) _flag(Violation.RuleBroken, _say("moved more than the balance", id));
            ghostBalance[id][from] = balance - _min(amount, balance);
        }
        if (to == address(0)) {
            iss.supply -= _min(amount, iss.supply);
        } else {
            ghostBalance[id][to] += amount;
        }
        ++successfulMovements;
    }

    /// @dev After a successful mint: the register, the type list, the cap and the collateral.
    function _minted(uint256 id, IssuanceModel storage iss) internal {
        ++successfulMints;
        uint256 covered = collateral.coveredUnits(address(asset), id, iss.issuer);
        if (covered < iss.supply || _coverage(id) < iss.supply) {
            _flag(Violation.MintBeyondCoverage, _say("minted beyond live collateral", id));
        }
        iss.coverageAtLastMint = covered;
        if (_issuerStatus[iss.issuer] != IPlatformRegistry.IssuerStatus.Active || !_listed[iss.assetType]) {
            _flag(Violation.MintOutsideRegister, _say("minted for an inactive issuer or delisted type", id));
        }
        if (iss.supply > iss.maxSupply) _flag(Violation.RuleBroken, _say("minted beyond max supply", id));
    }

    function _acknowledged(address wallet, uint32 version, string memory what) internal {
        if (!_people[wallet].registered || version == 0 || version != _notice) _flag(Violation.RuleBroken, what);
        _people[wallet].acknowledged = version;
    }

    /// @dev Identified and not frozen: may send (acknowledging the newest notice is about receiving).
    function _canSend(address wallet) internal view returns (bool) {
        Person storage p = _people[wallet];
        return p.registered && !p.frozen && p.identityExpiry > block.timestamp;
    }

    function _canReceive(address wallet) internal view returns (bool) {
        uint32 acknowledged = _people[wallet].acknowledged;
        return _canSend(wallet) && acknowledged != 0 && acknowledged == _notice;
    }

    function _permitActive(address op) internal view returns (bool) {
        PermitModel storage p = _permits[op];
        return p.status == IPlatformRegistry.PermitStatus.Granted && p.validFrom <= block.timestamp
            && block.timestamp < p.validUntil;
    }

    /// @dev Nothing may circulate: unknown, closed, paused, or its operator's permit not in force.
    function _halted(uint256 id) internal view returns (bool) {
        IssuanceModel storage iss = _issuances[id];
        return iss.operator == address(0) || iss.closed || iss.paused || !_permitActive(iss.operator);
    }

    /// @dev Live verified collateral of `id`, summed from the model's own attestations.
    function _coverage(uint256 id) internal view returns (uint256 units) {
        uint256[] storage indices = _issuances[id].attestations;
        for (uint256 i; i < indices.length; ++i) {
            AttestationModel storage a = _attestations[indices[i]];
            if (!a.revoked && a.validUntil > block.timestamp) units += a.units;
        }
    }

    function _available(uint256 id, address holder) internal view returns (uint256) {
        uint256 restricted = ghostEncumbered[id][holder] + ghostFrozen[id][holder];
        uint256 balance = ghostBalance[id][holder];
        return balance > restricted ? balance - restricted : 0;
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function _flag(Violation v, string memory what) internal {
        if (violations[v] == 0) firstViolation[v] = what;
        ++violations[v];
    }

    function _say(string memory what, uint256 id) internal pure returns (string memory) {
        return string.concat(what, " (issuance ", vm.toString(id), ")");
    }

    function _requireRegulator(address caller, string memory what) internal {
        if (caller != _regulator) _flag(Violation.Unauthorised, what);
    }

    function _requireOperatorRole(address caller, string memory what) internal {
        if (!_isOperator(caller)) _flag(Violation.Unauthorised, what);
    }

    function _requireOperatorOrRegulator(uint256 id, address caller, string memory what) internal {
        address op = _issuances[id].operator;
        if (op == address(0) || (caller != op && caller != _regulator)) _flag(Violation.Unauthorised, what);
    }

    function _isOperator(address account) internal view returns (bool) {
        return account == _operators[0] || account == _operators[1];
    }

    /// @dev Usually `rightful`; one time in five a role-less actor, to prove the check holds.
    function _caller(uint256 seed, address rightful) internal view returns (address) {
        return seed % 5 == 4 ? _actor(seed / 5) : rightful;
    }

    /// @dev The issuance's operator or the regulator, sometimes someone else.
    function _issuanceAdmin(uint256 id, uint256 seed) internal view returns (address) {
        address op = _issuances[id].operator;
        return _caller(seed / 2, seed % 2 == 0 && op != address(0) ? op : _regulator);
    }

    function _actor(uint256 seed) internal view returns (address) {
        return _actors[seed % _actors.length];
    }

    /// @dev Three times in four a wallet `holder` approved, if any, otherwise anyone.
    function _spender(address holder, uint256 seed) internal view returns (address) {
        uint256 n = _actors.length;
        if (seed % 4 != 3) {
            for (uint256 i; i < n; ++i) {
                address a = _actors[(seed / 2 + i) % n];
                if (a != holder && _approved[holder][a]) return a;
            }
        }
        return _actor(seed / 2);
    }

    /// @dev A known issuance, or one time in sixteen the next, unknown id.
    function _issuanceId(uint256 seed) internal view returns (uint256) {
        if (seed % 16 == 15) return issuanceCount + 1;
        return 1 + (seed >> 4) % issuanceCount;
    }

    /// @dev As {_issuanceId}; unless `(seed >> 12) % 4 == 3`, the first issuance from there that
    /// is as wanted (see {Want}), if any.
    function _issuanceId(uint256 seed, Want want) internal view returns (uint256 id) {
        id = _issuanceId(seed);
        if ((seed >> 12) % 4 == 3) return id;
        for (uint256 i; i < issuanceCount; ++i) {
            uint256 candidate = 1 + (id - 1 + i) % issuanceCount;
            if (_isIssuance(candidate, want)) return candidate;
        }
    }

    /// @dev The first actor from `_actors[seed % n]` on that is as wanted, if any; but when
    /// `(seed / n) % 4 == 3`, `_actors[seed % n]` whatever its state. So three seeds in four look
    /// for a useful actor and the rest take anyone.
    function _pick(uint256 seed, Want want) internal view returns (address) {
        uint256 n = _actors.length;
        if ((seed / n) % 4 != 3) {
            for (uint256 i; i < n; ++i) {
                address a = _actors[(seed % n + i) % n];
                if (_is(a, want)) return a;
            }
        }
        return _actors[seed % n];
    }

    /// @dev As {_pick}, looking for a wallet that may send and has units of `id` available.
    function _sender(uint256 id, uint256 seed) internal view returns (address) {
        uint256 n = _actors.length;
        if ((seed / n) % 4 != 3) {
            for (uint256 i; i < n; ++i) {
                address a = _actors[(seed % n + i) % n];
                if (_canSend(a) && _available(id, a) > 0) return a;
            }
        }
        return _actors[seed % n];
    }

    function _isIssuance(uint256 id, Want want) internal view returns (bool) {
        IssuanceModel storage iss = _issuances[id];
        if (want == Want.Paused) return iss.paused;
        if (want == Want.Uncovered) return !iss.closed && iss.operator != address(0) && _coverage(id) <= iss.supply;
        if (_halted(id)) return false;
        if (want == Want.Mintable) return _min(iss.maxSupply, _coverage(id)) > iss.supply;
        for (uint256 i; i < _actors.length; ++i) {
            if (_canSend(_actors[i]) && _available(id, _actors[i]) > 0) return true; // Held
        }
        return false;
    }

    function _is(address wallet, Want want) internal view returns (bool) {
        Person storage p = _people[wallet];
        if (want == Want.CanReceive) return _canReceive(wallet);
        if (want == Want.Frozen) return p.frozen;
        if (want == Want.IdentityLapsed) return p.registered && p.identityExpiry <= block.timestamp;
        return p.registered && p.acknowledged != _notice; // NotAcknowledged
    }

    /// @dev `_operators[seed % 2]`, or when bit 1 of the seed is set and that one's permit is not
    /// `status`, the other.
    function _operator(uint256 seed, IPlatformRegistry.PermitStatus status) internal view returns (address op) {
        op = _operators[seed % 2];
        if ((seed >> 1) % 2 == 1 && _permits[op].status != status) op = _operators[1 - seed % 2];
    }

    /// @dev True one time in `n`. The calls that halt or restrict circulation act only this often,
    /// so the restorations keep up and campaigns spend most calls on circulation.
    function _sometimes(uint256 seed, uint256 n) internal pure returns (bool) {
        return uint256(keccak256(abi.encode(seed, "sometimes"))) % n == 0;
    }

    /// @dev Within `limit` seven times in eight, otherwise a little beyond it.
    function _amount(uint256 seed, uint256 limit) internal pure returns (uint256) {
        return _amount(seed, limit, 8);
    }

    /// @dev Within `limit`, except one time in `beyond`: then a little beyond it.
    function _amount(uint256 seed, uint256 limit, uint256 beyond) internal pure returns (uint256) {
        if (limit == 0 || seed % beyond == 0) return bound(seed >> 3, limit + 1, limit + 3);
        return bound(seed >> 3, 1, limit);
    }

    /// @dev Mostly an active encumbrance (searching from the seed), sometimes any.
    function _encumbranceIndex(uint256 seed) internal view returns (uint256 index) {
        uint256 length = _encumbrances.length;
        index = seed % length;
        if (seed % 4 == 0) return index;
        for (uint256 i; i < length; ++i) {
            uint256 j = (index + i) % length;
            if (_encumbrances[j].active) return j;
        }
    }

    /// @dev The notice in force, sometimes the one before it (stale).
    function _noticeVersion(uint256 seed) internal view returns (uint32) {
        return seed % 4 == 0 && _notice > 0 ? _notice - 1 : _notice;
    }

    /// @dev Days to a year ahead, sometimes now (invalid).
    function _identityExpiry(uint256 seed) internal view returns (uint64) {
        return uint64(seed % 10 == 0 ? block.timestamp : block.timestamp + bound(seed, 1 days, 365 days));
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }
}
