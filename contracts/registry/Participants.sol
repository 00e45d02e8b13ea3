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

    mapping(address wallet => Participant) private _participants;
    mapping(address operator => address[] wallets) private _identifiedBy;
    mapping(address lost => address replacement) private _recoveredTo;
    mapping(address account => bool) private _custodians;

    /// @inheritdoc IPlatformRegistry
    function registerParticipant(address wallet, bytes32 identityRef, uint64 identityExpiry) external {
        address operator = _msgSender();
        _requireActiveOperator(operator);
        if (wallet == address(0)) revert Registry_ZeroAddress();
        Participant storage entry = _participants[wallet];
        if (entry.registered) revert Registry_ParticipantAlreadyRegistered(wallet);
        if (_recoveredTo[wallet] != address(0)) revert Registry_WalletLost(wallet, _recoveredTo[wallet]);
        if (_custodians[wallet]) revert Registry_CustodianNotParticipant(wallet);
        if (identityExpiry <= block.timestamp) revert Registry_IdentityExpiryInPast(identityExpiry);
        entry.registered = true;
        entry.identityExpiry = identityExpiry;
        entry.identityRef = identityRef;
        entry.operator = operator;
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
        Participant storage entry = _registered(wallet);
        address sender = _msgSender();
        // Another operator's customers are not this operator's to re-identify (or to make
        // ineligible by shortening their identification).
        if (!hasRole(REGULATOR_ROLE, sender)) {
            if (sender != entry.operator) revert Registry_NotParticipantOperator(wallet, entry.operator, sender);
            _requireActiveOperator(sender);
        }
        if (identityExpiry <= block.timestamp) revert Registry_IdentityExpiryInPast(identityExpiry);
        entry.identityExpiry = identityExpiry;
        entry.identityRef = identityRef;
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
        Participant memory entry = _registered(lost);
        address sender = _msgSender();
        if (!hasRole(REGULATOR_ROLE, sender)) {
            if (sender != entry.operator) revert Registry_NotParticipantOperator(lost, entry.operator, sender);
            _requireActiveOperator(sender);
            // Two hands, not one operator key: a compliance officer has frozen the lost wallet
            // first, and the replacement inherits the freeze until compliance has reviewed it.
            if (!entry.frozen) revert Registry_RecoveryNeedsFreeze(lost);
        }
        // A wallet that ever held a registration (or was lost) carries a history of its own.
        if (
            replacement == address(0) || replacement == lost || _participants[replacement].operator != address(0)
                || _recoveredTo[replacement] != address(0) || _custodians[replacement]
        ) revert Registry_InvalidReplacement(lost, replacement);
        if (identityExpiry <= block.timestamp) revert Registry_IdentityExpiryInPast(identityExpiry);
        entry.identityRef = identityRef;
        entry.identityExpiry = identityExpiry;
        _participants[replacement] = entry;
        _identifiedBy[entry.operator].push(replacement);
        delete _participants[lost];
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
        if (_participants[custodian].operator != address(0) || _recoveredTo[custodian] != address(0)) {
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
        Participant storage entry = _registered(wallet);
        if (entry.frozen) revert Registry_ParticipantAlreadyInState(wallet, true);
        entry.frozen = true;
        emit ParticipantFrozen(wallet, reasonHash, _msgSender());
    }

    /// @inheritdoc IPlatformRegistry
    function unfreezeParticipant(address wallet, bytes32 reasonHash) external onlyRole(COMPLIANCE_ROLE) {
        Participant storage entry = _registered(wallet);
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
        return _participants[wallet];
    }

    /// @inheritdoc IPlatformRegistry
    function participantStatus(address wallet) public view returns (ParticipantStatus) {
        Participant storage entry = _participants[wallet];
        if (!entry.registered) return ParticipantStatus.NotRegistered;
        if (entry.frozen) return ParticipantStatus.Frozen;
        if (entry.identityExpiry <= block.timestamp) return ParticipantStatus.IdentityExpired;
        if (entry.acknowledgedNotice == 0 || entry.acknowledgedNotice != _noticeInForce) {
            return ParticipantStatus.NoticeNotAcknowledged;
        }
        return ParticipantStatus.Eligible;
    }

    function _acknowledge(address wallet, uint32 version) private {
        Participant storage entry = _registered(wallet);
        uint32 inForce = noticeInForce();
        if (inForce == 0) revert Registry_NoNoticeInForce();
        if (version != inForce) revert Registry_NoticeNotInForce(version, inForce);
        entry.acknowledgedNotice = version;
        emit RiskNoticeAcknowledged(wallet, version, riskNotice(version).contentHash, _msgSender());
    }

    function _registered(address wallet) private view returns (Participant storage entry) {
        entry = _participants[wallet];
        if (!entry.registered) revert Registry_ParticipantNotRegistered(wallet);
    }
}
