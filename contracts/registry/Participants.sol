// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

import {IPlatformRegistry} from "../interfaces/IPlatformRegistry.sol";
import {RiskNotices} from "./RiskNotices.sol";

/// @notice Identified participants (Law art. 6.3) and their acknowledgements of the risk notice in
/// force (art. 6.4), given by their own transaction or by an EIP-712 signature an operator relays.
abstract contract Participants is RiskNotices, EIP712, Nonces {
    bytes32 public constant ACKNOWLEDGEMENT_TYPEHASH = keccak256(
        "RiskNoticeAcknowledgement(address participant,uint32 version,bytes32 contentHash,uint256 nonce,uint256 deadline)"
    );

    /// @dev What a movement asks of a participant, in the one slot it reads.
    struct Standing {
        bool registered;
        bool frozen;
        uint64 identityExpiry;
        uint32 acknowledgedNotice;
    }

    /// @dev Who identified a participant and under which reference: never read by a movement.
    struct Identification {
        bytes32 identityRef;
        address operator;
    }

    mapping(address wallet => Standing) internal _standings;
    mapping(address wallet => Identification) private _identifications;
    mapping(address operator => address[] wallets) private _identifiedBy;
    mapping(address lost => address replacement) private _recoveredTo;
    mapping(address account => bool) private _custodians;

    /// @inheritdoc IPlatformRegistry
    function registerParticipant(address wallet, bytes32 identityRef, uint64 identityExpiry) external {
        address operator = _msgSender();
        _requireActiveOperator(operator);
        if (wallet == address(0)) revert Registry_ZeroAddress();
        Standing storage entry = _standings[wallet];
        if (entry.registered) revert Registry_ParticipantAlreadyRegistered(wallet);
        if (_recoveredTo[wallet] != address(0)) revert Registry_WalletLost(wallet, _recoveredTo[wallet]);
        if (_custodians[wallet]) revert Registry_CustodianNotParticipant(wallet);
        if (identityExpiry <= block.timestamp) revert Registry_IdentityExpiryInPast(identityExpiry);
        entry.registered = true;
        entry.identityExpiry = identityExpiry;
        _identifications[wallet] = Identification(identityRef, operator);
        _identifiedBy[operator].push(wallet);
        emit ParticipantRegistered(wallet, identityRef, identityExpiry, operator);
    }

    /// @inheritdoc IPlatformRegistry
    function participantCountOf(address operator) external view returns (uint256) {
        return _identifiedBy[operator].length;
    }

    /// @inheritdoc IPlatformRegistry
    function participantsOf(address operator, uint256 start, uint256 limit) external view returns (address[] memory) {
        return _page(_identifiedBy[operator], start, limit);
    }

    /// @inheritdoc IPlatformRegistry
    function updateParticipantIdentity(address wallet, bytes32 identityRef, uint64 identityExpiry) external {
        Standing storage entry = _registered(wallet);
        Identification storage identification = _identifications[wallet];
        address sender = _msgSender();
        // Another operator's customers are not this operator's to re-identify (or to make
        // ineligible by shortening their identification).
        if (!hasRole(REGULATOR_ROLE, sender)) {
            address identifiedBy = identification.operator;
            if (sender != identifiedBy) revert Registry_NotParticipantOperator(wallet, identifiedBy, sender);
            _requireActiveOperator(sender);
        }
        if (identityExpiry <= block.timestamp) revert Registry_IdentityExpiryInPast(identityExpiry);
        entry.identityExpiry = identityExpiry;
        identification.identityRef = identityRef;
        emit ParticipantIdentityUpdated(wallet, identityRef, identityExpiry, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function recoverParticipant(
        address lost,
        address replacement,
        bytes32 identityRef,
        uint64 identityExpiry,
        bytes32 reasonHash
    ) external {
        Standing memory entry = _registered(lost);
        address identifiedBy = _identifications[lost].operator;
        address sender = _msgSender();
        if (!hasRole(REGULATOR_ROLE, sender)) {
            if (sender != identifiedBy) revert Registry_NotParticipantOperator(lost, identifiedBy, sender);
            _requireActiveOperator(sender);
            // Two hands, not one operator key: a compliance officer has frozen the lost wallet
            // first, and the replacement inherits the freeze until compliance has reviewed it.
            if (!entry.frozen) revert Registry_RecoveryNeedsFreeze(lost);
        }
        // A wallet that ever held a registration (or was lost) carries a history of its own.
        if (
            replacement == address(0) || replacement == lost || _identifications[replacement].operator != address(0)
                || _recoveredTo[replacement] != address(0) || _custodians[replacement]
        ) revert Registry_InvalidReplacement(lost, replacement);
        if (identityExpiry <= block.timestamp) revert Registry_IdentityExpiryInPast(identityExpiry);
        entry.identityExpiry = identityExpiry;
        _standings[replacement] = entry;
        _identifications[replacement] = Identification(identityRef, identifiedBy);
        _identifiedBy[identifiedBy].push(replacement);
        delete _standings[lost];
        delete _identifications[lost];
        _recoveredTo[lost] = replacement;
        emit WalletRecovered(lost, replacement, identityRef, identityExpiry, reasonHash, sender);
    }

    /// @inheritdoc IPlatformRegistry
    function recoveredTo(address wallet) external view returns (address) {
        return _recoveredTo[wallet];
    }

    /// @inheritdoc IPlatformRegistry
    function declareCustodian() external {
        address custodian = _msgSender();
        if (_identifications[custodian].operator != address(0) || _recoveredTo[custodian] != address(0)) {
            revert Registry_ParticipantAlreadyRegistered(custodian);
        }
        _custodians[custodian] = true;
        emit CustodianDeclared(custodian);
    }

    /// @inheritdoc IPlatformRegistry
    function isCustodian(address account) external view returns (bool) {
        return _custodians[account];
    }

    /// @inheritdoc IPlatformRegistry
    function freezeParticipant(address wallet, bytes32 reasonHash) external onlyRole(COMPLIANCE_ROLE) {
        Standing storage entry = _registered(wallet);
        if (entry.frozen) revert Registry_ParticipantAlreadyInState(wallet, true);
        entry.frozen = true;
        emit ParticipantFrozen(wallet, reasonHash, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function unfreezeParticipant(address wallet, bytes32 reasonHash) external onlyRole(COMPLIANCE_ROLE) {
        Standing storage entry = _registered(wallet);
        if (!entry.frozen) revert Registry_ParticipantAlreadyInState(wallet, false);
        entry.frozen = false;
        emit ParticipantUnfrozen(wallet, reasonHash, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function acknowledgeRiskNotice(uint32 version) external {
        _acknowledge(_msgSender(), version);
    }

    /// @inheritdoc IPlatformRegistry
    function acknowledgeRiskNoticeBySig(address wallet, uint32 version, uint256 deadline, bytes calldata signature)
        external
    {
        _requireActiveOperator(_msgSender());
        if (block.timestamp > deadline) revert Registry_SignatureExpired(deadline);
        bytes32 digest = acknowledgementDigest(wallet, version, _useNonce(wallet), deadline);
        // ECDSA.tryRecover refuses malleable (high-s) signatures, so one signature has one form
        // only; its third value only details the failure that `err` already reports.
        // slither-disable-next-line unused-return
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signature);
        if (err != ECDSA.RecoverError.NoError || signer != wallet) revert Registry_InvalidSignature(wallet, signer);
        _acknowledge(wallet, version);
    }

    /// @inheritdoc IPlatformRegistry
    function acknowledgementDigest(address wallet, uint32 version, uint256 nonce, uint256 deadline)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(ACKNOWLEDGEMENT_TYPEHASH, wallet, version, riskNotice(version).contentHash, nonce, deadline)
            )
        );
    }

    /// @inheritdoc IPlatformRegistry
    function participant(address wallet) external view returns (Participant memory) {
        Standing memory entry = _standings[wallet];
        Identification memory identification = _identifications[wallet];
        return Participant(
            entry.registered,
            entry.frozen,
            entry.identityExpiry,
            entry.acknowledgedNotice,
            identification.identityRef,
            identification.operator
        );
    }

    /// @inheritdoc IPlatformRegistry
    function participantStatus(address wallet) public view returns (ParticipantStatus) {
        return _statusOf(wallet, _noticeInForce);
    }

    /// @dev The status of `wallet` while notice `inForce` is in force, the first reason winning in
    /// the order of {ParticipantStatus}. The readable form of the rule: the registry's answer to a
    /// movement ({PlatformRegistry-circulationStatus}) states it again at the level of the machine,
    /// and tests/contracts/registry/CirculationWordFuzz.t.sol holds that answer to this one.
    function _statusOf(address wallet, uint32 inForce) internal view returns (ParticipantStatus) {
        Standing storage entry = _standings[wallet];
        // One expression, so the slot is read once.
        (bool registered, bool frozen, uint64 identityExpiry, uint32 acknowledged) =
            (entry.registered, entry.frozen, entry.identityExpiry, entry.acknowledgedNotice);
        if (!registered) return ParticipantStatus.NotRegistered;
        if (frozen) return ParticipantStatus.Frozen;
        if (identityExpiry <= block.timestamp) return ParticipantStatus.IdentityExpired;
        if (acknowledged == 0 || acknowledged != inForce) return ParticipantStatus.NoticeNotAcknowledged;
        return ParticipantStatus.Eligible;
    }

    function _acknowledge(address wallet, uint32 version) private {
        Standing storage entry = _registered(wallet);
        uint32 inForce = noticeInForce();
        if (inForce == 0) revert Registry_NoNoticeInForce();
        if (version != inForce) revert Registry_NoticeNotInForce(version, inForce);
        entry.acknowledgedNotice = version;
        emit RiskNoticeAcknowledged(wallet, version, riskNotice(version).contentHash, _msgSender());
    }

    function _registered(address wallet) private view returns (Standing storage entry) {
        entry = _standings[wallet];
        if (!entry.registered) revert Registry_ParticipantNotRegistered(wallet);
    }
}
