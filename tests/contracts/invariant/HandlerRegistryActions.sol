// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";

import {vm} from "../utils/Vm.sol";
import {HandlerInputs} from "./HandlerInputs.sol";

/// @notice The handlers of the registry: permits and the operator role, issuers, asset types,
/// participants and risk notices (see {Handler} for how every handler acts and checks).
abstract contract HandlerRegistryActions is HandlerInputs {
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
            _everPermitted[op] = true;
            _listOperator(op);
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

    /// @notice Acts one time in four: the regulator takes OPERATOR_ROLE from an operator, or gives
    /// it back. Without it the operator may do nothing, whatever its permit.
    function setOperatorRole(uint256 operatorSeed, uint256 callerSeed) external step {
        if (!_sometimes(operatorSeed, 4)) return;
        address op = _operators[operatorSeed % 2];
        bool held = _operatorRole[op];
        bytes32 role = registry.OPERATOR_ROLE();
        address caller = _caller(callerSeed, _regulator);
        vm.prank(caller);
        if (held) {
            try registry.revokeRole(role, op) {
                _requireRegulator(caller, "revoke OPERATOR_ROLE");
                _operatorRole[op] = false;
            } catch {}
        } else {
            try registry.grantRole(role, op) {
                _requireRegulator(caller, "grant OPERATOR_ROLE");
                _operatorRole[op] = true;
                _heldOperatorRole[op] = true;
            } catch {}
        }
    }

    /// @notice The regulator records or corrects an operator's details: one of the two, the
    /// newcomer, an actor, or the zero address; one time in two one field is missing. Listed once,
    /// whatever the order of details and permit.
    function recordOperatorDetails(uint256 operatorSeed, uint256 flawSeed, uint256 callerSeed) external step {
        uint256 k = operatorSeed % 8;
        address op = k < 4 ? _operators[k % 2] : k == 4 ? _newcomer : k == 5 ? address(0) : _actor(operatorSeed / 8);
        uint256 flaw = flawSeed % 8;
        bytes32 detailsHash = flaw == 4 ? bytes32(0) : keccak256(abi.encode("operator details", flawSeed));
        address caller = _caller(callerSeed, _regulator);
        vm.prank(caller);
        try registry.recordOperatorDetails(
            op, flaw == 1 ? "" : "Qazaq Broker JSC", flaw == 2 ? "" : "987654321098", flaw == 3 ? "" : "KZ", detailsHash
        ) {
            _requireRegulator(caller, "recordOperatorDetails");
            if (op == address(0) || (flaw >= 1 && flaw <= 4)) _flag(Violation.RuleBroken, "recordOperatorDetails");
            _operatorDetailsHash[op] = detailsHash;
            _listOperator(op);
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
            _requireActiveOperator(caller, "registerParticipant");
            // A lost wallet is kept out for good: its person goes on under the replacement.
            if (_people[wallet].registered || _recoveredTo[wallet] != address(0) || expiry <= block.timestamp) {
                _flag(Violation.RuleBroken, "registerParticipant");
            }
            _people[wallet] = Person(true, false, expiry, 0, caller);
            _identifiedBy[wallet] = caller;
        } catch {}
    }

    /// @notice The participant's own operator re-identifies it; sometimes the regulator (allowed),
    /// the other operator or anyone (refused).
    function updateParticipantIdentity(uint256 actorSeed, uint256 expirySeed, uint256 callerSeed) external step {
        address wallet = _pick(actorSeed, Want.IdentityLapsed);
        uint64 expiry = _identityExpiry(expirySeed);
        address caller = _identityUpdater(wallet, callerSeed);
        vm.prank(caller);
        try registry.updateParticipantIdentity(wallet, keccak256(abi.encode("kyc", wallet, expiry)), expiry) {
            if (caller != _regulator) {
                if (caller != _people[wallet].operator) {
                    _flag(Violation.Unauthorised, "updateParticipantIdentity of another operator's participant");
                } else {
                    _requireActiveOperator(caller, "updateParticipantIdentity");
                }
            }
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

    /// @notice A new notice makes everyone unable to receive or deal until they acknowledge it, so
    /// this acts only one time in four, or nobody would be eligible for long. The regulator
    /// publishes; an operator that tries is refused (Law art. 6.4).
    function publishRiskNotice(uint256 seed) external step {
        if (!_sometimes(seed, 4)) return;
        address caller = _caller(seed, seed % 5 == 3 ? _operators[(seed / 5) % 2] : _regulator);
        vm.prank(caller);
        try registry.publishRiskNotice(keccak256(abi.encode("notice", seed)), "https://sdap.example/risk") returns (
            uint32 version
        ) {
            _requireRegulator(caller, "publishRiskNotice");
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
            _requireActiveOperator(caller, "acknowledgeRiskNoticeBySig");
            if (key != _keys[wallet]) _flag(Violation.Unauthorised, "acknowledgeRiskNoticeBySig with a foreign key");
            _acknowledged(wallet, version, "acknowledgeRiskNoticeBySig");
        } catch {}
    }
}
