// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISecuredAssetTypes} from "../../../contracts/interfaces/ISecuredAssetTypes.sol";
import {CollateralAttestations} from "../../../contracts/CollateralAttestations.sol";
import {PlatformRegistry} from "../../../contracts/PlatformRegistry.sol";
import {ICollateralAttestations} from "../../../contracts/interfaces/ICollateralAttestations.sol";
import {IPlatformRegistry} from "../../../contracts/interfaces/IPlatformRegistry.sol";
import {ISecuredAsset} from "../../../contracts/interfaces/ISecuredAsset.sol";
import {ISecuredExchange} from "../../../contracts/interfaces/ISecuredExchange.sol";
import {TestEMoney} from "../utils/TestEMoney.sol";

import {Test} from "../utils/Test.sol";
import {vm} from "../utils/Vm.sol";

/// @notice What every part of {Handler} shares: the types, the fixture it acts on, the state of
/// the model of what the law allows and the ghost variables, read by the invariants through the
/// views here. The model's rules live in {HandlerModel}; the actions only call them.
abstract contract HandlerBase is Test {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    enum Violation {
        HaltedMovement, // units moved (or were encumbered) while paused or closed, or, but for a redemption, the permit inactive
        IneligibleRecipient, // a wallet received units while not eligible (registered, acknowledged...)
        IneligibleSender, // a wallet dealt (sent, encumbered, redeemed) on the standard route while not eligible
        IneligibleInitiator, // an approved operator that is not an eligible participant moved units
        MintBeyondCoverage, // a mint left supply above live verified collateral
        MintOutsideRegister, // a mint for a suspended issuer or a delisted type
        Unauthorised, // a caller without the role or right succeeded
        RuleBroken, // any other call that must fail succeeded
        PledgedTwice, // a collateral was pledged while its live pledge kept counting
        MovedWhileUndercollateralised, // units moved (or were encumbered) on a route the state closes
        ActedWithoutPermit, // an operator without its role or an active permit changed something
        RegulatorPauseLifted, // the regulator's pause lifted by an operator, or its own by a supervisor
        WronglyRefused, // a call the model allows was refused, or refused otherwise than it predicts
        ExchangeLegMismatch, // a settled exchange changed other holdings, or these by other amounts, than its legs
        CheckOfferDisagrees // checkOffer said an offer could (not) be taken and the take did the opposite
    }

    /// @dev `Redemption`: a holder's units into the asset's custody, on a redemption request.
    /// `Settlement`: an escrow's units delivered to its buyer (every rule of a transfer; like an
    /// enforcement, it outranks a freeze made since the units were committed).
    enum Route {
        Standard,
        Enforcement,
        Forced,
        Redemption,
        Settlement
    }

    /// @dev How units moved while their issuance was under-collateralised: only the first three
    /// are open (Law art. 5.2, 6.8).
    enum Passage {
        ToIssuer,
        Redemption,
        RegulatorOrder,
        Other
    }

    /// @dev What a handler looks for, three times in four, when it picks an actor ({_pick}) or an
    /// issuance ({_issuanceId}). A live issuance circulates: known, open, unpaused, its operator's
    /// permit in force.
    enum Want {
        CanReceive, // an eligible actor: it may receive and deal
        Frozen, // a frozen actor
        IdentityLapsed, // a registered actor whose identification has expired
        NotAcknowledged, // a registered actor who has not acknowledged the notice in force
        Mintable, // a live issuance with room under live collateral and max supply (issuer, type: any)
        Held, // a live issuance of which some eligible wallet has units available
        Circulating, // as Held, and covered by live collateral
        Uncovered, // an open issuance whose live collateral leaves no room to mint
        Paused, // a paused issuance
        PermitLapsed // known, open, unpaused, its operator's permit not in force, held by an eligible wallet
    }

    struct Setup {
        PlatformRegistry registry;
        CollateralAttestations collateral;
        ISecuredAsset asset;
        address regulator;
        address supervisor;
        address compliance;
        address[2] verifiers;
        uint256[2] verifierKeys;
        address[2] operators;
        address newcomer;
        address[2] issuers;
        uint256[2] issuerKeys;
        uint32[2] assetTypes;
        address[] actors;
        uint256[] actorKeys;
        TestEMoney money; // a listed e-money token the actors hold
        address agent; // holds SETTLEMENT_AGENT_ROLE
    }

    struct Person {
        bool registered;
        bool frozen;
        uint64 identityExpiry;
        uint32 acknowledged;
        address operator;
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
        bool pausedByRegulator;
        bool pausedBySupervisor; // a regulator's pause a supervisor gave, which a supervisor may lift too
        bool closed;
        uint256 maxSupply;
        uint256 supply;
        uint256 coverageAtLastMint;
        uint256[] attestations; // indices into _attestations
    }

    /// @dev `verifier` indexes `_verifiers`; `accreditation` is its epoch when attached.
    struct AttestationModel {
        bytes32 attestationId;
        uint256 issuanceId;
        address owner;
        bytes32 collateralRef;
        uint256 units;
        uint64 validUntil;
        uint256 verifier;
        uint32 accreditation;
        bool revoked;
        bool superseded;
    }

    /// @dev A redemption request; `pending` until the issuer confirms or someone refuses it.
    struct RedemptionModel {
        uint256 requestId;
        uint256 issuanceId;
        address holder;
        uint256 amount;
        bool pending;
    }

    /// @dev An escrow of units for a buyer against off-chain payment; `open` until confirmed or lapsed.
    struct EscrowModel {
        uint256 escrowId;
        uint256 issuanceId;
        address seller;
        address buyer;
        address agent;
        uint256 amount;
        uint64 deadline;
        bool open;
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
    /// @dev Collateral references reused across attachments, per owner; others are new each time.
    uint256 public constant REF_POOL = 5;

    PlatformRegistry public immutable registry;
    CollateralAttestations public immutable collateral;
    ISecuredAsset public immutable asset;
    address internal immutable _regulator;
    /// @dev Holds SUPERVISOR_ROLE: pauses and lifts pauses with the regulator's authority, nothing else.
    address internal immutable _supervisor;
    address internal immutable _compliance;
    address[2] internal _verifiers;
    uint256[2] internal _verifierKeys;
    address[2] internal _operators;
    /// @dev Holds OPERATOR_ROLE and was never granted a permit: may do nothing.
    address internal immutable _newcomer;
    address[2] internal _issuers;
    uint32[2] internal _types;
    address[] internal _actors;
    /// @dev Every wallet that may hold units: the fixture's actors, the two issuers (units come back
    /// to them), then each replacement wallet as a recovery brings it.
    address[] internal _holders;
    mapping(address actor => uint256 key) internal _keys;
    ISecuredExchange public immutable exchange;
    TestEMoney public immutable money;
    address internal immutable _agent;

    /*//////////////////////////////////////////////////////////////
                             MODEL AND GHOSTS
    //////////////////////////////////////////////////////////////*/

    uint256 public currentTime;
    uint256 internal _nonce = 1000;
    uint256 internal _newRefs;

    mapping(address wallet => Person) internal _people;
    mapping(address operator => PermitModel) internal _permits;
    mapping(address operator => bool) internal _operatorRole;
    mapping(address issuer => IPlatformRegistry.IssuerStatus) internal _issuerStatus;
    mapping(uint32 typeId => bool) internal _listed;
    uint32 internal _notice;
    /// @dev The model of accreditation: each verifier's current epoch (0 while withdrawn) and grants.
    uint32[2] internal _accreditation;
    uint32[2] internal _grants;

    uint256 public issuanceCount;
    mapping(uint256 id => IssuanceModel) internal _issuances;
    mapping(uint256 id => mapping(address holder => uint256)) public ghostBalance;
    mapping(uint256 id => mapping(address holder => uint256)) public ghostEncumbered;
    mapping(uint256 id => mapping(address holder => uint256)) public ghostFrozen;
    mapping(uint256 id => mapping(address holder => uint256)) public ghostEscrowed;
    /// @notice Holdings whose frozen amount the handler once set (setFrozenTokens) beyond what
    /// their balance left free of pledges and escrows: ERC-7943 allows it, so for them frozen units
    /// may exceed the balance.
    mapping(uint256 id => mapping(address holder => bool)) public overFrozen;
    /// @notice Lost wallets on which compliance set a frozen amount after they were lost (ERC-7943's
    /// setFrozenTokens takes any account): such a freeze is no restriction a recovery left behind.
    mapping(uint256 id => mapping(address lost => bool)) public frozenAfterLoss;
    mapping(address holder => mapping(address spender => bool)) internal _approved;
    AttestationModel[] internal _attestations;
    /// @dev Each collateral's current pledge: 1 + its index in _attestations (0: never pledged).
    mapping(bytes32 pledgeKey => uint256) internal _pledges;
    EncumbranceModel[] internal _encumbrances;
    RedemptionModel[] internal _redemptions;
    /// @dev Units of each issuance in the asset's custody: the pending requests' amounts.
    mapping(uint256 id => uint256) public ghostCustody;
    /// @dev Each issuer's next consent nonce of key 0, as the model counts the consents used.
    mapping(address issuer => uint256) internal _consentNonce;

    mapping(Violation => uint256) public violations;
    /// @notice The first violation of each kind, in words, for the failure message.
    mapping(Violation => string) public firstViolation;
    uint256 public successfulMints;
    uint256 public successfulMovements;
    /// @notice Movements that succeeded while their issuance was under-collateralised, by passage.
    mapping(Passage => uint256) public movementsWhileUndercollateralised;
    /// @notice Calls an operator made without its role or an active permit, and how many succeeded.
    uint256 public unpermittedAttempts;
    uint256 public unpermittedSuccesses;
    /// @notice Issuances handed to a successor, and redemptions while the operator's permit was not
    /// in force: both reached, so the campaigns test them.
    uint256 public successions;
    uint256 public redemptionsWithoutPermit;
    /// @notice Redemption requests, confirmations and refusals that succeeded, and creations
    /// refused for their consent alone (a wrong signer, terms, operator, nonce or deadline).
    uint256 public redemptionsRequested;
    uint256 public redemptionsConfirmed;
    uint256 public redemptionsRefused;
    uint256 public consentsRefused;

    /// @dev Every address that holds or ever held OPERATOR_ROLE, and every one ever granted a permit.
    mapping(address account => bool) internal _heldOperatorRole;
    mapping(address operator => bool) internal _everPermitted;
    /// @dev The register's operator list as the model keeps it: each address once, in the order it
    /// first got a permit or details, with the hash of its details (zero if none).
    address[] internal _listedOperators;
    mapping(address operator => bool) internal _isListedOperator;
    mapping(address operator => bytes32) internal _operatorDetailsHash;

    /// @dev Wallets lost, at most this many, so the invariants' loops stay short.
    uint256 public constant MAX_LOST_WALLETS = 4;
    /// @dev Wallet recovery, as the model keeps it: where each lost wallet went, which of its
    /// holdings followed, what it held when lost (it never receives after), and the operator each
    /// wallet was identified by (the register keeps listing a lost wallet under it). Replacement
    /// wallets join the actors and the holders.
    address[] internal _lostWallets;
    mapping(address lost => address replacement) internal _recoveredTo;
    mapping(uint256 id => mapping(address lost => bool)) internal _holdingsRecovered;
    mapping(uint256 id => mapping(address lost => uint256)) internal _balanceWhenLost;
    mapping(address wallet => address operator) internal _identifiedBy;
    mapping(address wallet => bool) internal _isHolder;
    /// @notice Wallets recovered in the registry, and recoveries of holdings that moved units: both
    /// reached, so the campaigns test them.
    uint256 public walletRecoveries;
    uint256 public holdingsRecoveries;

    /// @dev The exchange, as the model keeps it: the escrows, whether the agent still holds its
    /// role and the token is listed, each maker's nonces spent, the next fresh nonce.
    EscrowModel[] internal _escrowModels;
    bool internal _agentRoleHeld;
    bool internal _moneyListed;
    mapping(address maker => mapping(uint256 nonce => bool)) internal _nonceSpent;
    uint256 internal _freshNonce = 1 << 200;
    /// @notice Offers taken (swaps, sales and purchases for e-money), spoiled offers refused,
    /// escrows opened, settled and lapsed, frozen amounts set and those set beyond the balance:
    /// all reached, so the campaigns test them.
    uint256 public swapsTaken;
    uint256 public salesTaken;
    uint256 public purchasesTaken;
    uint256 public spoiledOffersRefused;
    uint256 public escrowsOpened;
    uint256 public escrowsSettled;
    uint256 public escrowsLapsed;
    uint256 public escrowsCancelled;
    uint256 public frozenAmountsSet;
    uint256 public overFreezes;

    constructor(Setup memory s) {
        registry = s.registry;
        collateral = s.collateral;
        asset = s.asset;
        _regulator = s.regulator;
        _supervisor = s.supervisor;
        _compliance = s.compliance;
        _verifiers = s.verifiers;
        _verifierKeys = s.verifierKeys;
        _operators = s.operators;
        _newcomer = s.newcomer;
        _issuers = s.issuers;
        _types = s.assetTypes;
        _actors = s.actors;
        currentTime = block.timestamp;
        exchange = ISecuredExchange(s.asset.exchange());
        money = s.money;
        _agent = s.agent;
        _agentRoleHeld = s.registry.hasRole(s.registry.SETTLEMENT_AGENT_ROLE(), s.agent);
        _moneyListed = exchange.paymentToken(address(s.money)).listed;

        // The model starts from the fixture's state; from here on it moves only by its own rules.
        _notice = registry.noticeInForce();
        for (uint256 i; i < s.actors.length; ++i) {
            _keys[s.actors[i]] = s.actorKeys[i];
            _holders.push(s.actors[i]);
            for (uint256 j; j < s.actors.length; ++j) {
                _approved[s.actors[i]][s.actors[j]] = asset.isApprovedForAll(s.actors[i], s.actors[j]);
            }
        }
        for (uint256 i; i < 2; ++i) {
            _holders.push(s.issuers[i]);
            _keys[s.issuers[i]] = s.issuerKeys[i];
            _consentNonce[s.issuers[i]] = asset.nonces(s.issuers[i], 0);
            IPlatformRegistry.Permit memory p = registry.permit(s.operators[i]);
            _permits[s.operators[i]] = PermitModel(p.status, p.validFrom, p.validUntil);
            _operatorRole[s.operators[i]] = registry.hasRole(registry.OPERATOR_ROLE(), s.operators[i]);
            _issuerStatus[s.issuers[i]] = registry.issuer(s.issuers[i]).status;
            _listed[s.assetTypes[i]] = registry.isAssetTypeListed(s.assetTypes[i]);
            _accreditation[i] = registry.accreditationOf(s.verifiers[i]);
            _grants[i] = _accreditation[i];
        }
        bytes32 operatorRole = registry.OPERATOR_ROLE();
        _operatorRole[_newcomer] = registry.hasRole(operatorRole, _newcomer);
        _heldOperatorRole[_newcomer] = _operatorRole[_newcomer];
        for (uint256 i; i < 2; ++i) {
            _heldOperatorRole[s.operators[i]] = _operatorRole[s.operators[i]];
            _everPermitted[s.operators[i]] = _permits[s.operators[i]].status != IPlatformRegistry.PermitStatus.None;
        }
        address[] memory listed = registry.operators(0, registry.operatorCount());
        for (uint256 i; i < listed.length; ++i) {
            _listOperator(listed[i]);
            _operatorDetailsHash[listed[i]] = registry.operatorDetails(listed[i]).detailsHash;
        }
        for (uint256 i; i < _holders.length; ++i) {
            IPlatformRegistry.Participant memory p = registry.participant(_holders[i]);
            _people[_holders[i]] = Person(p.registered, p.frozen, p.identityExpiry, p.acknowledgedNotice, p.operator);
            _identifiedBy[_holders[i]] = p.operator;
            _isHolder[_holders[i]] = true;
        }
        issuanceCount = asset.issuanceCount();
        for (uint256 id = 1; id <= issuanceCount; ++id) {
            _loadIssuance(id);
        }
    }

    function _loadIssuance(uint256 id) private {
        ISecuredAssetTypes.Issuance memory iss = asset.issuance(id);
        IssuanceModel storage m = _issuances[id];
        (m.operator, m.issuer, m.assetType, m.maxSupply) = (iss.operator, iss.issuer, iss.assetType, iss.maxSupply);
        (m.paused, m.pausedByRegulator, m.closed) = (iss.paused, iss.pausedByRegulator, iss.closed);
        m.supply = asset.totalSupply(id);
        m.coverageAtLastMint = collateral.coveredUnits(address(asset), id, iss.issuer);
        bytes32[] memory ids = collateral.attestationsOf(address(asset), id);
        for (uint256 k; k < ids.length; ++k) {
            ICollateralAttestations.AttestationRecord memory r = collateral.attestation(ids[k]);
            uint256 verifier = r.verifier == _verifiers[0] ? 0 : 1;
            m.attestations.push(_attestations.length);
            _pledges[_pledgeKey(r.owner, r.collateralRef)] = _attestations.length + 1;
            _attestations.push(
                AttestationModel(
                    ids[k],
                    id,
                    r.owner,
                    r.collateralRef,
                    r.units,
                    r.validUntil,
                    verifier,
                    r.accreditation,
                    r.revoked,
                    false
                )
            );
        }
        for (uint256 k; k < _holders.length; ++k) {
            address a = _holders[k];
            ghostBalance[id][a] = asset.balanceOf(a, id);
            ghostEncumbered[id][a] = asset.encumberedUnits(id, a);
            ghostFrozen[id][a] = asset.frozenUnits(id, a);
            ghostEscrowed[id][a] = asset.escrowedUnits(id, a);
        }
    }

    /// @dev Lists `op` in the model's operator list, once.
    function _listOperator(address op) internal {
        if (_isListedOperator[op]) return;
        _isListedOperator[op] = true;
        _listedOperators.push(op);
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

    function verifiers() external view returns (address[2] memory) {
        return _verifiers;
    }

    function assetTypes() external view returns (uint32[2] memory) {
        return _types;
    }

    /// @notice The wallets that may hold units: the fixture's actors, the two issuers, then the
    /// replacement wallets in the order recoveries brought them.
    function holders() external view returns (address[] memory) {
        return _holders;
    }

    /// @notice The model's balances, encumbered and frozen units of `id`, in the holders' order.
    function holdings(uint256 id)
        external
        view
        returns (uint256[] memory balances, uint256[] memory encumbered, uint256[] memory frozen)
    {
        uint256 n = _holders.length;
        (balances, encumbered, frozen) = (new uint256[](n), new uint256[](n), new uint256[](n));
        for (uint256 i; i < n; ++i) {
            address a = _holders[i];
            (balances[i], encumbered[i], frozen[i]) = (ghostBalance[id][a], ghostEncumbered[id][a], ghostFrozen[id][a]);
        }
    }

    function issuanceModel(uint256 id) external view returns (IssuanceModel memory) {
        return _issuances[id];
    }

    function attestationCount() external view returns (uint256) {
        return _attestations.length;
    }

    function attestationModel(uint256 index) external view returns (AttestationModel memory) {
        return _attestations[index];
    }

    /// @notice The attestation the model holds as `owner`'s `collateralRef`'s current pledge.
    function pledgeOf(address owner, bytes32 collateralRef) external view returns (bytes32) {
        uint256 slot = _pledges[_pledgeKey(owner, collateralRef)];
        return slot == 0 ? bytes32(0) : _attestations[slot - 1].attestationId;
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

    function accreditationOf(uint256 verifier) external view returns (uint32) {
        return _accreditation[verifier];
    }

    function hasOperatorRole(address op) external view returns (bool) {
        return _operatorRole[op];
    }

    /// @notice Whether `account` holds or ever held OPERATOR_ROLE, by the model.
    function heldOperatorRole(address account) external view returns (bool) {
        return _heldOperatorRole[account];
    }

    function everPermitted(address op) external view returns (bool) {
        return _everPermitted[op];
    }

    /// @notice The register's operator list, by the model, and each one's details hash.
    function listedOperators() external view returns (address[] memory) {
        return _listedOperators;
    }

    function operatorDetailsHash(address op) external view returns (bytes32) {
        return _operatorDetailsHash[op];
    }

    function newcomer() external view returns (address) {
        return _newcomer;
    }

    function participantOperator(address wallet) external view returns (address) {
        return _people[wallet].operator;
    }

    /// @notice The operator that identified `wallet` (or the wallet it was lost from), by the
    /// model: the register lists it under that operator for good, lost or not.
    function identifiedBy(address wallet) external view returns (address) {
        return _identifiedBy[wallet];
    }

    /// @notice The wallets lost so far, in the order they were lost.
    function lostWallets() external view returns (address[] memory) {
        return _lostWallets;
    }

    function recoveredTo(address wallet) external view returns (address) {
        return _recoveredTo[wallet];
    }

    /// @notice Whether `lost`'s holdings of `id` followed it to its replacement.
    function holdingsRecovered(uint256 id, address lost) external view returns (bool) {
        return _holdingsRecovered[id][lost];
    }

    /// @notice What `lost` held of `id` when it was lost: it may only hold less from then on.
    function balanceWhenLost(uint256 id, address lost) external view returns (uint256) {
        return _balanceWhenLost[id][lost];
    }

    function redemptionModelCount() external view returns (uint256) {
        return _redemptions.length;
    }

    function redemptionModel(uint256 index) external view returns (RedemptionModel memory) {
        return _redemptions[index];
    }

    /// @notice `issuer`'s next consent nonce of key 0, by the model.
    function consentNonce(address issuer) external view returns (uint256) {
        return _consentNonce[issuer];
    }

    /// @notice The model's escrowed units of `id`, in the holders' order.
    function escrowedHoldings(uint256 id) external view returns (uint256[] memory escrowed) {
        escrowed = new uint256[](_holders.length);
        for (uint256 i; i < _holders.length; ++i) {
            escrowed[i] = ghostEscrowed[id][_holders[i]];
        }
    }

    function escrowModelCount() external view returns (uint256) {
        return _escrowModels.length;
    }

    function escrowModel(uint256 index) external view returns (EscrowModel memory) {
        return _escrowModels[index];
    }

    function agent() external view returns (address) {
        return _agent;
    }

    function encumbranceModelCount() external view returns (uint256) {
        return _encumbrances.length;
    }

    function encumbranceModel(uint256 index) external view returns (EncumbranceModel memory) {
        return _encumbrances[index];
    }

    function _pledgeKey(address owner, bytes32 collateralRef) internal pure returns (bytes32) {
        return keccak256(abi.encode(owner, collateralRef));
    }
}
