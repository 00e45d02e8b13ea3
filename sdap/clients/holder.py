"""A holder (Law art. 6.6): acknowledges the risk notice, holds, transfers, encumbers and redeems
units from its own wallet, paying gas itself or signing requests a relayer submits."""

from __future__ import annotations

from collections.abc import Sequence

from sdap import _validate as check
from sdap.clients import _forwarding
from sdap.clients._base import RoleClient
from sdap.signing import SignedAcknowledgement, SignedForwardRequest, sign_acknowledgement, sign_forward_request
from sdap.transactions import Receipt
from sdap.types import Created, ForwardRequest, RiskNoticeAcknowledgement


class HolderClient(RoleClient):
    """A registered participant's own actions. Every movement passes the same on-chain checks
    whatever the route; a refused one raises its decoded error before anything is sent. Sending,
    encumbering and redeeming need the notice in force acknowledged, as receiving does (Law art.
    6.4); while the issuance is under-collateralised, units go only back to the issuer or are
    redeemed."""

    # --- risk notice (Law art. 6.4) -------------------------------------------------------

    def acknowledge_risk_notice(self, version: int | None = None) -> Receipt:
        """Acknowledges the notice in force (or `version`, which must be the one in force)."""
        version = self._notice(version)
        return self._send(self._registry.functions.acknowledgeRiskNotice(version))

    def sign_acknowledgement(self, version: int | None = None, deadline: int | None = None) -> SignedAcknowledgement:
        """Signs an acknowledgement of the notice in force for an operator to relay
        (OperatorClient.relay_acknowledgement); sends nothing. The content hash signed is the one
        published on-chain, so the holder acknowledges exactly the text the registry anchors."""
        version = self._notice(version)
        if deadline is not None:
            deadline = check.uint(deadline, "deadline")
        content_hash = bytes(self.platform.views.registry.call("riskNotice", version)[0])
        ack = RiskNoticeAcknowledgement(
            participant=self.address,
            version=version,
            content_hash=content_hash,
            nonce=int(self.platform.views.registry.call("nonces", self.address)),
            deadline=self._chain_time() + _forwarding.DEFAULT_TTL if deadline is None else deadline,
        )
        return sign_acknowledgement(
            self._account, ack, chain_id=self.platform.deployment.chain_id, registry=self.platform.deployment.registry
        )

    # --- movements (Rules item 4) ---------------------------------------------------------

    def transfer(self, to: str, issuance_id: int, amount: int) -> Receipt:
        """Transfers units; the rights pass when the transfer is on-chain (Law art. 6.6)."""
        return self._send(self._asset.functions.safeTransferFrom(*self._transfer_args(to, issuance_id, amount)))

    def transfer_from(self, holder: str, to: str, issuance_id: int, amount: int) -> Receipt:
        """Transfers another holder's units, as the operator it approved."""
        fn = self._asset.functions.safeTransferFrom(
            check.address(holder, "holder"),
            check.address(to, "to"),
            check.uint(issuance_id, "issuance_id"),
            check.uint(amount, "amount"),
            b"",
        )
        return self._send(fn)

    def batch_transfer(self, to: str, issuance_ids: Sequence[int], amounts: Sequence[int]) -> Receipt:
        """Transfers several (issuance, amount) pairs in one transaction; all pass or none does."""
        check.same_length("batch_transfer", issuance_ids, amounts)
        fn = self._asset.functions.safeBatchTransferFrom(
            self.address,
            check.address(to, "to"),
            [check.uint(i, "issuance_ids[]") for i in issuance_ids],
            [check.uint(a, "amounts[]") for a in amounts],
            b"",
        )
        return self._send(fn)

    def set_approval(self, operator: str, approved: bool = True) -> Receipt:
        """Lets `operator` move and redeem all this holder's units (ERC-1155 approval for all), or
        withdraws that."""
        fn = self._asset.functions.setApprovalForAll(
            check.address(operator, "operator"), check.flag(approved, "approved")
        )
        return self._send(fn)

    def encumber(
        self, issuance_id: int, amount: int, beneficiary: str, reference_hash: bytes | str, expiry: int = 0
    ) -> Created[int]:
        """Locks units for `beneficiary` (a pledge or lien), until `expiry` or with none (0).
        Returns the encumbrance id."""
        receipt = self._send(
            self._asset.functions.encumber(*_encumbrance(issuance_id, amount, beneficiary, reference_hash, expiry))
        )
        return Created(int(receipt.event("Encumbered")["encumbranceId"]), receipt)

    def release(self, encumbrance_id: int) -> Receipt:
        """Releases an encumbrance: as its beneficiary, or as its holder once it has expired. A
        beneficiary whose wallet was recovered releases from its new wallet; the lost one is refused
        (SecuredAssetNotBeneficiaryError)."""
        return self._send(self._asset.functions.release(check.uint(encumbrance_id, "encumbrance_id")))

    def request_redemption(self, issuance_id: int, amount: int, fulfilment_ref: bytes | str) -> Created[int]:
        """Asks the issuer to redeem `amount` units (`fulfilment_ref`: the hash of where and how to
        deliver): they move into the asset's custody until the issuer confirms delivery (they are
        burnt) or refuses (they come back). Allowed while the issuance is under-collateralised and
        while its operator's permit is suspended, expired or revoked: holders can always get what
        their units certify. A pause, a closed issuance, this holder's own ineligibility or locked
        units stop it. Returns the request id."""
        receipt = self._send(
            self._asset.functions.requestRedemption(*self._redemption_args(issuance_id, amount, fulfilment_ref))
        )
        return Created(int(receipt.event("RedemptionRequested")["requestId"]), receipt)

    def sign_redemption_request(
        self,
        issuance_id: int,
        amount: int,
        fulfilment_ref: bytes | str,
        *,
        deadline: int | None = None,
        gas: int | None = None,
    ) -> SignedForwardRequest:
        """`request_redemption` signed for a relayer to submit (OperatorClient.relay); sends nothing."""
        data = self._asset.encode_abi(
            "requestRedemption", args=self._redemption_args(issuance_id, amount, fulfilment_ref)
        )
        return self._sign_request(data, deadline, gas)

    def _redemption_args(
        self, issuance_id: int, amount: int, fulfilment_ref: bytes | str
    ) -> tuple[int, str, int, bytes]:
        return (
            check.uint(issuance_id, "issuance_id"),
            self.address,
            check.uint(amount, "amount"),
            check.hash32(fulfilment_ref, "fulfilment_ref"),
        )

    # --- gasless (HolderForwarder) --------------------------------------------------------

    def sign_transfer_request(
        self, to: str, issuance_id: int, amount: int, *, deadline: int | None = None, gas: int | None = None
    ) -> SignedForwardRequest:
        """Signs a transfer for any relayer to submit (OperatorClient.relay); sends nothing. A transfer
        the asset would refuse now raises its decoded error instead of being signed."""
        data = self._asset.encode_abi("safeTransferFrom", args=self._transfer_args(to, issuance_id, amount))
        return self._sign_request(data, deadline, gas)

    def sign_encumber_request(
        self,
        issuance_id: int,
        amount: int,
        beneficiary: str,
        reference_hash: bytes | str,
        expiry: int = 0,
        *,
        deadline: int | None = None,
        gas: int | None = None,
    ) -> SignedForwardRequest:
        """Signs an encumbrance for a relayer to submit; its id is in the relayed receipt's
        `Encumbered` event."""
        args = _encumbrance(issuance_id, amount, beneficiary, reference_hash, expiry)
        return self._sign_request(self._asset.encode_abi("encumber", args=args), deadline, gas)

    def sign_request(self, request: ForwardRequest) -> SignedForwardRequest:
        """Signs a request built elsewhere; the caller answers for its fields."""
        return sign_forward_request(
            self._account,
            request,
            chain_id=self.platform.deployment.chain_id,
            forwarder=self.platform.deployment.forwarder,
        )

    # --- helpers --------------------------------------------------------------------------

    def _sign_request(
        self, data_hex: str, deadline: int | None, gas: int | None, *, to: str | None = None
    ) -> SignedForwardRequest:
        if gas is not None:
            gas = check.uint(gas, "gas")
        if deadline is None:
            deadline = self._chain_time() + _forwarding.DEFAULT_TTL
        deadline = check.uint(deadline, "deadline", 48)
        request = _forwarding.build_request(
            self.platform, self.address, check.data(data_hex, "data"), deadline=deadline, gas=gas, to=to
        )
        return self.sign_request(request)

    def _transfer_args(self, to: str, issuance_id: int, amount: int) -> tuple[str, str, int, int, bytes]:
        return (
            self.address,
            check.address(to, "to"),
            check.uint(issuance_id, "issuance_id"),
            check.uint(amount, "amount"),
            b"",
        )

    def _notice(self, version: int | None) -> int:
        if version is not None:
            return check.uint(version, "version", 32)
        return int(self.platform.views.registry.call("noticeInForce"))


def _encumbrance(
    issuance_id: int, amount: int, beneficiary: str, reference_hash: bytes | str, expiry: int
) -> tuple[int, int, str, bytes, int]:
    return (
        check.uint(issuance_id, "issuance_id"),
        check.uint(amount, "amount"),
        check.address(beneficiary, "beneficiary"),
        check.hash32(reference_hash, "reference_hash"),
        check.uint(expiry, "expiry", 64),
    )
