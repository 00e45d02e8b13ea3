"""Handlers of the registry's and the forwarder's events."""

from __future__ import annotations

from sdap.audit._base import AuditorBase, Handler
from sdap.audit.rules import permit_active
from sdap.audit.state import (
    COMPLIANCE_ROLE,
    DEFAULT_ADMIN_ROLE,
    OPERATOR_ROLE,
    REGULATOR_ROLE,
    VERIFIER_ROLE,
    ZERO_ADDRESS,
    AssetType,
    Issuer,
    Notice,
    OperatorDetails,
    Participant,
    Permit,
    PermitChange,
    WalletRecovery,
)
from sdap.events import Event
from sdap.types import AssetCategory, IssuerStatus, PermitStatus

_ALLOWED_CATEGORIES = (AssetCategory.GOODS, AssetCategory.SERVICES, AssetCategory.INTELLECTUAL_PROPERTY)
_HELD = (PermitStatus.GRANTED, PermitStatus.SUSPENDED)  # a permit the operator still holds


class RegistryHandlers(AuditorBase):
    def registry_handlers(self) -> dict[str, Handler]:
        return {
            "RoleGranted": self._role_granted,
            "RoleRevoked": self._role_revoked,
            "RoleAdminChanged": self._role_admin_changed,
            "PermitGranted": self._permit_granted,
            "PermitRenewed": self._permit_renewed,
            "PermitSuspended": self._permit_status,
            "PermitReinstated": self._permit_status,
            "PermitRevoked": self._permit_status,
            "OperatorDetailsRecorded": self._operator_details,
            "IssuerRegistered": self._issuer_registered,
            "IssuerUpdated": self._issuer_updated,
            "IssuerStatusChanged": self._issuer_status,
            "AssetTypeListed": self._type_listed,
            "AssetTypeDelisted": self._type_listing,
            "AssetTypeRelisted": self._type_listing,
            "ParticipantRegistered": self._participant_registered,
            "CustodianDeclared": self._custodian_declared,
            "ParticipantIdentityUpdated": self._participant_identity,
            "WalletRecovered": self._wallet_recovered,
            "ParticipantFrozen": self._participant_freeze,
            "ParticipantUnfrozen": self._participant_freeze,
            "RiskNoticePublished": self._notice_published,
            "RiskNoticeAcknowledged": self._notice_acknowledged,
            "AccreditationWithdrawn": self._accreditation_withdrawn,
        }

    def forwarder_handlers(self) -> dict[str, Handler]:
        return {"ExecutedForwardRequest": self._forward_executed}

    # Roles ---------------------------------------------------------------------------------

    def _role_granted(self, e: Event, ts: int) -> None:
        role, account, sender = e.args["role"], e.args["account"], e.args["sender"]
        admin = self.state.role_admins.get(role, DEFAULT_ADMIN_ROLE)
        # The constructor's grant to the first regulator is the one grant nobody could authorise.
        if self.state.roles.get(admin) and not self.state.has_role(admin, sender):
            self._breach("role.missing", e, f"role {role.hex()[:8]} granted by {sender}, not its admin", account=sender)
        holders = self.state.roles.setdefault(role, set())
        if role == VERIFIER_ROLE and account not in holders:
            # A new accreditation epoch: what the verifier signed before stays withdrawn.
            self.state.accreditations[account] = self.state.accreditations.get(account, 0) + 1
            self._recount()
        holders.add(account)

    def _role_revoked(self, e: Event, ts: int) -> None:
        role, account, sender = e.args["role"], e.args["account"], e.args["sender"]
        admin = self.state.role_admins.get(role, DEFAULT_ADMIN_ROLE)
        if sender != account and not self.state.has_role(admin, sender):
            self._breach("role.missing", e, f"role {role.hex()[:8]} revoked by {sender}, not its admin", account=sender)
        holders = self.state.roles.get(role)
        if holders is None or account not in holders:
            self._breach("history.inconsistent", e, f"revoked a role {account} did not hold", account=account)
            return
        holders.discard(account)
        if role == VERIFIER_ROLE:
            # Every attestation of the verifier stops counting now; AccreditationWithdrawn follows.
            self.state.accreditation_revision += 1
            self._recount()

    def _accreditation_withdrawn(self, e: Event, ts: int) -> None:
        a = e.args
        if a["revision"] != self.state.accreditation_revision or self.state.has_role(VERIFIER_ROLE, a["verifier"]):
            self._breach(
                "history.inconsistent",
                e,
                f"accreditation of {a['verifier']} withdrawn as revision {a['revision']}, "
                f"with VERIFIER_ROLE revoked {self.state.accreditation_revision} times",
                account=a["verifier"],
            )

    def _role_admin_changed(self, e: Event, ts: int) -> None:
        self.state.role_admins[e.args["role"]] = e.args["newAdminRole"]

    # Permits -------------------------------------------------------------------------------

    def _permit_granted(self, e: Event, ts: int) -> None:
        a = e.args
        self._require_role(e, REGULATOR_ROLE, a["by"], "REGULATOR_ROLE")
        permit = self.state.permits.setdefault(a["operator"], Permit())
        if permit.status in _HELD:
            self._breach("history.inconsistent", e, f"permit of {a['operator']} granted twice", operator=a["operator"])
        permit.status = PermitStatus.GRANTED
        self._list_operator(a["operator"])
        permit.valid_from, permit.valid_until, permit.document_hash = a["validFrom"], a["validUntil"], a["documentHash"]
        permit.history.append(
            PermitChange(
                e.block_number, e.tx_hash, "granted", a["by"], a["validFrom"], a["validUntil"], a["documentHash"]
            )
        )

    def _permit_renewed(self, e: Event, ts: int) -> None:
        a = e.args
        self._require_role(e, REGULATOR_ROLE, a["by"], "REGULATOR_ROLE")
        permit = self.state.permits.setdefault(a["operator"], Permit())
        if permit.status not in _HELD:
            self._breach("history.inconsistent", e, f"renewed a permit {a['operator']} does not hold")
        permit.valid_until, permit.document_hash = a["validUntil"], a["documentHash"]
        permit.history.append(
            PermitChange(e.block_number, e.tx_hash, "renewed", a["by"], None, a["validUntil"], a["documentHash"])
        )

    def _permit_status(self, e: Event, ts: int) -> None:
        a = e.args
        self._require_role(e, REGULATOR_ROLE, a["by"], "REGULATOR_ROLE")
        permit = self.state.permits.setdefault(a["operator"], Permit())
        action, allowed, status = {
            "PermitSuspended": ("suspended", (PermitStatus.GRANTED,), PermitStatus.SUSPENDED),
            "PermitReinstated": ("reinstated", (PermitStatus.SUSPENDED,), PermitStatus.GRANTED),
            "PermitRevoked": ("revoked", _HELD, PermitStatus.REVOKED),
        }[e.name]
        if permit.status not in allowed:
            self._breach("history.inconsistent", e, f"permit of {a['operator']} {action} from status {permit.status}")
        permit.status = status
        permit.history.append(PermitChange(e.block_number, e.tx_hash, action, a["by"], reason_hash=a["reasonHash"]))

    def _operator_details(self, e: Event, ts: int) -> None:
        a = e.args
        operator, by = a["operator"], a["by"]
        details = OperatorDetails(a["legalName"], a["businessId"], a["jurisdiction"], a["detailsHash"])
        if not self.state.has_role(REGULATOR_ROLE, by):
            self._breach("operator.details", e, f"details of {operator} recorded by {by}, not a regulator", account=by)
        if operator == ZERO_ADDRESS:
            self._breach("operator.details", e, "details recorded for the zero address")
        named = details.legal_name and details.business_id and details.jurisdiction
        if not named or details.details_hash == b"\0" * 32:
            self._breach("operator.details", e, f"details of {operator} recorded incomplete", operator=operator)
        self.state.operator_details[operator] = details
        self._list_operator(operator)

    def _list_operator(self, operator: str) -> None:
        """The register lists an operator once, from its first permit or details."""
        if operator not in self.state.operator_list:
            self.state.operator_list.append(operator)

    # Issuer register and asset types -------------------------------------------------------

    def _issuer_registered(self, e: Event, ts: int) -> None:
        a = e.args
        self._require_role(e, REGULATOR_ROLE, a["by"], "REGULATOR_ROLE")
        wallet = a["issuer"]
        known = self.state.issuers.get(wallet)
        if known is not None and known.status != IssuerStatus.NONE:
            self._breach("history.inconsistent", e, f"issuer {wallet} registered twice")
        self.state.issuers[wallet] = Issuer(
            IssuerStatus.ACTIVE, a["legalName"], a["businessId"], a["jurisdiction"], a["detailsHash"]
        )
        if wallet not in self.state.issuer_list:
            self.state.issuer_list.append(wallet)

    def _issuer_updated(self, e: Event, ts: int) -> None:
        a = e.args
        self._require_role(e, REGULATOR_ROLE, a["by"], "REGULATOR_ROLE")
        entry = self.state.issuers.get(a["issuer"])
        if entry is None:
            self._breach("history.inconsistent", e, f"updated unregistered issuer {a['issuer']}")
            entry = self.state.issuers[a["issuer"]] = Issuer(0, "", "", "", b"\0" * 32)
        entry.legal_name, entry.business_id = a["legalName"], a["businessId"]
        entry.jurisdiction, entry.details_hash = a["jurisdiction"], a["detailsHash"]

    def _issuer_status(self, e: Event, ts: int) -> None:
        a = e.args
        self._require_role(e, REGULATOR_ROLE, a["by"], "REGULATOR_ROLE")
        entry = self.state.issuers.get(a["issuer"])
        if entry is None:
            self._breach("history.inconsistent", e, f"status of unregistered issuer {a['issuer']} changed")
            entry = self.state.issuers[a["issuer"]] = Issuer(0, "", "", "", b"\0" * 32)
        entry.status = a["status"]

    def _type_listed(self, e: Event, ts: int) -> None:
        a = e.args
        self._require_role(e, REGULATOR_ROLE, a["by"], "REGULATOR_ROLE")
        if a["category"] not in _ALLOWED_CATEGORIES:
            self._breach("asset_type.category", e, f"type {a['typeId']} listed in category {a['category']}")
        if a["typeId"] != len(self.state.asset_types) + 1:
            self._breach("history.inconsistent", e, f"type id {a['typeId']} out of sequence")
        self.state.asset_types[a["typeId"]] = AssetType(a["category"], True, a["name"])

    def _type_listing(self, e: Event, ts: int) -> None:
        a = e.args
        self._require_role(e, REGULATOR_ROLE, a["by"], "REGULATOR_ROLE")
        entry = self.state.asset_types.get(a["typeId"])
        if entry is None:
            self._breach("history.inconsistent", e, f"unknown type {a['typeId']} (de/re)listed")
            entry = self.state.asset_types[a["typeId"]] = AssetType(0, False, "")
        entry.listed = e.name == "AssetTypeRelisted"

    # Participants and risk notices ---------------------------------------------------------

    def _participant_registered(self, e: Event, ts: int) -> None:
        a = e.args
        self._require_active_operator(e, a["by"], ts, f"registration of {a['wallet']}")
        lost = self.state.recoveries.get(a["wallet"])
        if lost is not None:
            self._breach(
                "recovery.lost_wallet",
                e,
                f"{a['wallet']} registered again after it was lost (recovered to {lost.replacement})",
                wallet=a["wallet"],
            )
        if a["wallet"] in self.state.custodians:
            self._breach(
                "participant.custodian",
                e,
                f"{a['wallet']} registered as a participant; it declared itself a custodian of units",
                wallet=a["wallet"],
            )
        entry = self.state.participants.setdefault(a["wallet"], Participant())
        if entry.registered:
            self._breach("history.inconsistent", e, f"{a['wallet']} registered twice")
        else:
            self.state.identified.setdefault(a["by"], []).append(a["wallet"])
        entry.registered, entry.identity_ref, entry.identity_expiry = True, a["identityRef"], a["identityExpiry"]
        entry.operator = a["by"]

    def _custodian_declared(self, e: Event, ts: int) -> None:
        """An account (the asset, at its deployment) keeps units in its own custody: it is never
        to be a participant's wallet, and one that ever was cannot declare itself one."""
        custodian = e.args["custodian"]
        known = self.state.participants.get(custodian)
        if (known is not None and known.operator != ZERO_ADDRESS) or custodian in self.state.recoveries:
            self._breach(
                "participant.custodian",
                e,
                f"{custodian} declared itself a custodian of units; it was a participant's wallet",
                wallet=custodian,
            )
        self.state.custodians.add(custodian)

    def _participant_identity(self, e: Event, ts: int) -> None:
        a = e.args
        wallet, by = a["wallet"], a["by"]
        entry = self._known_participant(e, wallet)
        if not self.state.has_role(REGULATOR_ROLE, by):
            # Another operator's customers are not this operator's to re-identify.
            if by != entry.operator:
                self._breach(
                    "participant.operator",
                    e,
                    f"identification of {wallet} updated by {by}, not {entry.operator} that identified it",
                    wallet=wallet,
                    account=by,
                )
            self._require_active_operator(e, by, ts, f"identification of {wallet} updated")
        entry.identity_ref, entry.identity_expiry = a["identityRef"], a["identityExpiry"]

    def _wallet_recovered(self, e: Event, ts: int) -> None:
        """The participant goes on under its replacement wallet: same person, operator, freeze and
        acknowledgement, new identification; the lost wallet is deregistered for good."""
        a = e.args
        state, lost, replacement, by = self.state, a["lost"], a["replacement"], a["by"]
        entry = state.participants.get(lost) or Participant()
        if not state.has_role(REGULATOR_ROLE, by):
            # Only who identified the person (or the regulator's order) says who it is now.
            if by != entry.operator:
                self._breach(
                    "recovery.authority",
                    e,
                    f"{lost} recovered by {by}, neither a regulator nor {entry.operator} that identified it",
                    wallet=lost,
                    account=by,
                )
            elif not state.has_role(OPERATOR_ROLE, by) or not permit_active(state, by, ts):
                self._breach(
                    "recovery.authority",
                    e,
                    f"{lost} recovered by its operator {by}, without OPERATOR_ROLE and an active permit",
                    wallet=lost,
                    account=by,
                )
            elif not entry.frozen:
                # Two hands, not one operator key: compliance freezes the wallet before its operator
                # may say who the person is now.
                self._breach(
                    "recovery.authority",
                    e,
                    f"{lost} recovered by its operator {by} without a compliance officer's freeze of it",
                    wallet=lost,
                    account=by,
                )
        if not entry.registered:
            self._breach("recovery.replacement", e, f"recovery of {lost}, which is not registered", wallet=lost)
        known = state.participants.get(replacement)
        if replacement in (ZERO_ADDRESS, lost) or (known is not None and known.operator != ZERO_ADDRESS):
            self._breach(
                "recovery.replacement",
                e,
                f"{lost} recovered to {replacement}, which is not a new wallet",
                wallet=lost,
                replacement=replacement,
            )
        elif replacement in state.recoveries:
            self._breach(
                "recovery.replacement",
                e,
                f"{lost} recovered to {replacement}, itself a lost wallet",
                wallet=lost,
                replacement=replacement,
            )
        if replacement in state.custodians:
            self._breach(
                "participant.custodian",
                e,
                f"{lost} recovered to {replacement}, which declared itself a custodian of units",
                wallet=lost,
                replacement=replacement,
            )
        if a["identityExpiry"] <= ts:
            self._breach(
                "recovery.replacement", e, f"{lost} recovered to {replacement} with its identification expired"
            )
        moved = Participant(entry.registered, entry.frozen, a["identityExpiry"], entry.acknowledged_notice)
        moved.identity_ref, moved.operator = a["identityRef"], entry.operator
        state.participants[replacement] = moved
        if entry.operator != ZERO_ADDRESS:
            state.identified.setdefault(entry.operator, []).append(replacement)
        state.participants[lost] = Participant()
        state.recoveries[lost] = WalletRecovery(e.block_number, e.tx_hash, replacement, a["reasonHash"], by)

    def _participant_freeze(self, e: Event, ts: int) -> None:
        a = e.args
        self._require_role(e, COMPLIANCE_ROLE, a["by"], "COMPLIANCE_ROLE")
        self._known_participant(e, a["wallet"]).frozen = e.name == "ParticipantFrozen"

    def _known_participant(self, e: Event, wallet: str) -> Participant:
        entry = self.state.participants.get(wallet)
        if entry is None or not entry.registered:
            self._breach("history.inconsistent", e, f"{e.name} for unregistered {wallet}", wallet=wallet)
            entry = self.state.participants.setdefault(wallet, Participant())
        return entry

    def _notice_published(self, e: Event, ts: int) -> None:
        a = e.args
        # One platform notice, the regulator's: no operator makes others' participants ineligible.
        self._require_role(e, REGULATOR_ROLE, a["by"], "REGULATOR_ROLE")
        if a["version"] != self.state.notice_in_force + 1:
            self._breach("history.inconsistent", e, f"notice version {a['version']} out of sequence")
        self.state.notices[a["version"]] = Notice(a["contentHash"], ts, a["uri"])
        self.state.notice_in_force = a["version"]

    def _notice_acknowledged(self, e: Event, ts: int) -> None:
        a = e.args
        wallet, version, relayer = a["participant"], a["version"], a["relayer"]
        if relayer != wallet:
            self._require_active_operator(e, relayer, ts, f"acknowledgement of {wallet} relayed")
        if version != self.state.notice_in_force:
            self._breach("history.inconsistent", e, f"{wallet} acknowledged notice {version}, not the one in force")
        notice = self.state.notices.get(version)
        if notice is not None:
            notice.acknowledgements += 1
        self._known_participant(e, wallet).acknowledged_notice = version

    def _forward_executed(self, e: Event, ts: int) -> None:
        signer, nonce = e.args["signer"], e.args["nonce"]
        expected = self.state.forwarder_nonces.get(signer, 0)
        if nonce != expected:
            self._breach("history.inconsistent", e, f"forwarded request of {signer} used nonce {nonce}")
        self.state.forwarder_nonces[signer] = max(expected, nonce + 1)
