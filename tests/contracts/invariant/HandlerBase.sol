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

/// @notice What every part of {Handler} shares: the types, the fixture it acts on, the model of
/// what the law allows and the ghost variables, read by the invariants through the views here.
/// The model's bookkeeping (`_moved`, `_minted`, eligibility, coverage) and the checks that count
/// violations live here too; the actions only call them.
abstract contract HandlerBase is Test {
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
                            HELPERS: CHECKS
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

    function _min(uint256 a, uint256 b) internal pure returns (uint256) {
        return a < b ? a : b;
    }
}
