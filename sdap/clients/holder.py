"""A holder (Law art. 6.6): acknowledges the risk notice, holds, transfers, encumbers and redeems
units from its own wallet, exchanges them (offers, escrows against off-chain payment), paying gas
itself or signing requests a relayer submits."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sdap import _validate as check
from sdap.clients import _forwarding
from sdap.clients._base import RoleClient
from sdap.contract_errors import (
    ExchangeInvalidLegsError,
    ExchangeNonceUsedError,
    ExchangeOfferExpiredError,
    ExchangePaymentTokenNotListedError,
)
from sdap.erc20 import ERC20_ABI
from sdap.errors import InvalidArgument, PaymentNotAvailable
from sdap.signing import (
    SignedAcknowledgement,
    SignedForwardRequest,
    require_offer_hash,
    sign_acknowledgement,
    sign_forward_request,
    sign_offer,
)
from sdap.transactions import Receipt
from sdap.types import (
    Created,
    ForwardRequest,
    Offer,
    OfferRefusal,
    RiskNoticeAcknowledgement,
    SignedOffer,
    currency_code,
)

#: How long an offer may be taken by default, in seconds of chain time.
DEFAULT_OFFER_TTL = 24 * 3_600
_NOBODY = "0x" + "00" * 20


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

    # --- exchange: offers (swaps, delivery against an e-money token) ----------------------

    def make_offer(
        self,
        *,
        give_id: int,
        give_amount: int,
        want_amount: int,
        want_id: int | None = None,
        want_token: str | None = None,
        give_token: str | None = None,
        taker: str | None = None,
        expiry: int | None = None,
        nonce: int | None = None,
    ) -> SignedOffer:
        """Signs an offer to give `give_amount` of `give_token` for `want_amount` of `want_token`;
        sends nothing (the taker sends `take_offer`). A token left None is the asset: its id is an
        issuance (`want_id` then required); a payment token's id is 0 (`want_id` may be left None).
        `taker` None: anyone eligible; `expiry` None: a day of chain time from now; `nonce` None: a
        random 128-bit one. Legs the exchange refuses whoever takes them (nothing for nothing, both
        sides one issuance, an unlisted payment token) or an expired offer or used nonce raise the
        decoded error (ExchangeInvalidLegsError, ...) instead of being signed. Filled whole, once:
        to sell in lots, sign several offers."""
        asset = self.platform.deployment.asset
        give = asset if give_token is None else check.address(give_token, "give_token")
        want = asset if want_token is None else check.address(want_token, "want_token")
        if want_id is None:
            if want == asset:
                raise InvalidArgument("want_id: name the issuance whose units are wanted")
            want_id = 0
        offer = Offer(
            maker=self.address,
            taker=_NOBODY if taker is None else check.address(taker, "taker"),
            give_token=give,
            give_id=check.uint(give_id, "give_id"),
            give_amount=check.uint(give_amount, "give_amount"),
            want_token=want,
            want_id=check.uint(want_id, "want_id"),
            want_amount=check.uint(want_amount, "want_amount"),
            nonce=secrets.randbits(128) if nonce is None else check.uint(nonce, "nonce"),
            expiry=self._chain_time() + DEFAULT_OFFER_TTL if expiry is None else check.uint(expiry, "expiry", 64),
        )
        self._refuse_unfillable(offer)
        d = self.platform.deployment
        return sign_offer(self._account, offer, chain_id=d.chain_id, exchange=d.exchange)

    def take_offer(self, signed: SignedOffer) -> Receipt:
        """Takes a maker's signed offer: both legs move in this transaction or neither does. A
        payment this holder makes needs its allowance to the exchange first (`approve_payment`).
        Refused (the offer's or a leg's decoded error, unsent) if it cannot be taken now;
        `PlatformQueries.check_offer` says why without an error; a payment this holder or the
        maker cannot make now raises PaymentNotAvailable. The receipt has OfferTaken."""
        args = self._take_args(signed)
        self._refuse_unpaid(signed)
        return self._send(self._exchange.functions.take(*args))

    def sign_take_request(
        self, signed: SignedOffer, *, deadline: int | None = None, gas: int | None = None
    ) -> SignedForwardRequest:
        """`take_offer` signed for a relayer to submit (OperatorClient.relay); sends nothing. A
        payment leg still needs this holder's allowance to the exchange, given in advance."""
        data = self._exchange.encode_abi("take", args=self._take_args(signed))
        self._refuse_unpaid(signed)
        return self._sign_request(data, deadline, gas, to=self.platform.deployment.exchange)

    def _take_args(self, signed: SignedOffer) -> tuple[tuple[object, ...], bytes]:
        if not isinstance(signed, SignedOffer):
            raise InvalidArgument(f"expected a SignedOffer, got {type(signed).__name__}")
        d = self.platform.deployment
        require_offer_hash(signed, chain_id=d.chain_id, exchange=d.exchange)
        return signed.offer.as_tuple(), signed.signature

    def cancel_offer(self, nonce: int) -> Receipt:
        """Spends `nonce`: no offer this holder signed with it can be taken any more."""
        return self._send(self._exchange.functions.cancelOffer(check.uint(nonce, "nonce")))

    def sign_cancel_offer_request(
        self, nonce: int, *, deadline: int | None = None, gas: int | None = None
    ) -> SignedForwardRequest:
        """`cancel_offer` signed for a relayer to submit; sends nothing."""
        data = self._exchange.encode_abi("cancelOffer", args=(check.uint(nonce, "nonce"),))
        return self._sign_request(data, deadline, gas, to=self.platform.deployment.exchange)

    def approve_payment(self, token: str, amount: int) -> Receipt:
        """Lets the exchange take up to `amount` (smallest unit) of the payment token `token` from
        this wallet, for the offers it takes or makes that pay in it (ERC-20 approve; the token is
        the bank's, so this transaction is always paid by the holder)."""
        erc20 = self.platform.w3.eth.contract(address=check.address(token, "token"), abi=ERC20_ABI)  # type: ignore[call-overload]
        return self._send(erc20.functions.approve(self.platform.deployment.exchange, check.uint(amount, "amount")))

    # --- exchange: delivery against a payment made off-chain -----------------------------

    def open_escrow(
        self,
        issuance_id: int,
        amount: int,
        buyer: str,
        agent: str,
        price: int,
        *,
        currency: str = "KZT",
        deadline: int,
    ) -> Created[int]:
        """Holds `amount` units for `buyer` at `price` (smallest unit of `currency`: tiyn for KZT)
        until `deadline` (chain time, at most 90 days ahead): the settlement `agent`
        (SETTLEMENT_AGENT_ROLE, neither party) confirms the payment and the units move to the
        buyer; else the escrow lapses. Refused unless a transfer to the buyer could pass now and
        the units are free. Returns the escrow id."""
        args = _escrow_args(issuance_id, amount, buyer, agent, price, currency, deadline)
        receipt = self._send(self._exchange.functions.openEscrow(*args))
        return Created(int(receipt.event("EscrowOpened")["escrowId"]), receipt)

    def sign_open_escrow_request(
        self,
        issuance_id: int,
        amount: int,
        buyer: str,
        agent: str,
        price: int,
        *,
        currency: str = "KZT",
        deadline: int,
        request_deadline: int | None = None,
        gas: int | None = None,
    ) -> SignedForwardRequest:
        """`open_escrow` signed for a relayer to submit (`request_deadline`: until when the request
        may be relayed); the id is in the relayed receipt's EscrowOpened event."""
        args = _escrow_args(issuance_id, amount, buyer, agent, price, currency, deadline)
        data = self._exchange.encode_abi("openEscrow", args=args)
        return self._sign_request(data, request_deadline, gas, to=self.platform.deployment.exchange)

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

    def _refuse_unfillable(self, offer: Offer) -> None:
        """Raises the exchange's own error for an offer nobody could take: its legs, its expiry or
        its nonce (the first checks of `checkOffer`, asked with the maker as taker)."""
        refusal, _ = self.platform.views.exchange.call("checkOffer", offer.as_tuple(), b"", self.address)
        match OfferRefusal(refusal):
            case OfferRefusal.INVALID_LEGS:
                raise ExchangeInvalidLegsError()
            case OfferRefusal.PAYMENT_TOKEN_NOT_LISTED:
                unlisted = offer.want_token if offer.give_token == self.platform.deployment.asset else offer.give_token
                raise ExchangePaymentTokenNotListedError(unlisted)
            case OfferRefusal.EXPIRED:
                raise ExchangeOfferExpiredError(offer.expiry)
            case OfferRefusal.NONCE_USED:
                raise ExchangeNonceUsedError(offer.maker, offer.nonce)

    def _refuse_unpaid(self, signed: SignedOffer) -> None:
        """For an offer with a payment leg: PaymentNotAvailable if the payer lacks the token or its
        allowance now (the token would revert with an error no platform ABI decodes)."""
        offer, asset = signed.offer, self.platform.deployment.asset
        if offer.give_token == asset and offer.want_token == asset:
            return
        refusal, _ = self.platform.queries.check_offer(signed, self.address)
        if refusal is OfferRefusal.PAYMENT_NOT_AVAILABLE:
            if offer.give_token == asset:
                raise PaymentNotAvailable(self.address, offer.want_token, offer.want_amount)
            raise PaymentNotAvailable(offer.maker, offer.give_token, offer.give_amount)

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


def _escrow_args(
    issuance_id: int, amount: int, buyer: str, agent: str, price: int, currency: str, deadline: int
) -> tuple[int, int, str, str, int, bytes, int]:
    return (
        check.uint(issuance_id, "issuance_id"),
        check.uint(amount, "amount"),
        check.address(buyer, "buyer"),
        check.address(agent, "agent"),
        check.uint(price, "price"),
        currency_code(currency),
        check.uint(deadline, "deadline", 64),
    )
