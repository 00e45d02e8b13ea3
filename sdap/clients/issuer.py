"""The issuer (initiator, Law art. 6.5, 7): consents to each issuance's terms, owns the collateral,
confirms the delivery of what redeemed units certify (or refuses, with a reason), and closes its
issuances once its obligations are met."""

from __future__ import annotations

from eth_utils import keccak, to_checksum_address
from web3.contract.contract import ContractFunction

from sdap import _validate as check
from sdap.clients._base import RoleClient
from sdap.clients.queries import PlatformQueries
from sdap.signing import SignedConsent, sign_consent
from sdap.transactions import Receipt, chain_errors
from sdap.types import Issuance, IssuanceParams

_ISSUANCE_CREATED = keccak(text="IssuanceCreated(uint256,address,address,uint32,uint256,bytes32,string,bytes32,string)")


class IssuerClient(RoleClient):
    """What an issuer in the state register does with its own issuances. It needs no role: the
    contracts recognise it as the `issuer` of each issuance."""

    def issuances(self) -> list[Issuance]:
        """This issuer's issuances in creation order, as they stand now. Found through the indexed
        `issuer` of IssuanceCreated, so the cost follows the issuer's history, not the platform's."""
        topic = b"\x00" * 12 + bytes.fromhex(self.address[2:])
        with chain_errors():
            logs = self.platform.w3.eth.get_logs(
                {
                    "address": to_checksum_address(self.platform.deployment.asset),
                    "fromBlock": self.platform.deployment.deployment_block,
                    "toBlock": "latest",
                    "topics": [_ISSUANCE_CREATED, None, topic],  # type: ignore[list-item]
                }
            )
        queries = PlatformQueries(self.platform)
        return [queries.issuance(int.from_bytes(bytes(log["topics"][1]), "big")) for log in logs]

    def close(self, issuance_id: int, fulfilment_hash: bytes | str) -> Receipt:
        """Records that the obligations to all holders are fulfilled (Law art. 7.1); the decision to
        issue need no longer stay published. Needs a supply of zero and the hash of the record of
        what was delivered: a zero hash is refused by the simulation, before anything is sent
        (SecuredAssetEmptyFulfilmentError)."""
        fn = self._asset.functions.close(
            check.uint(issuance_id, "issuance_id"), check.hash32(fulfilment_hash, "fulfilment_hash")
        )
        return self._send(fn)

    def update_decision_uri(self, issuance_id: int, uri: str) -> Receipt:
        """Points the issuance's decision to issue to where it is published now (a new website).
        The anchored decision hash does not change, so the document at `uri` must be the same
        decision: the chain cannot fetch it, so check it before calling (the CLI's `issuance
        decision-uri` and the gateway fetch it and compare its sha256, sdap.documents). Only while
        this issuer is active in the register (a suspended or removed issuer's key may be why it
        was: SecuredAssetIssuerNotActiveError), and not once the issuance is closed."""
        return self._send(self._decision_uri_call(issuance_id, uri))

    def check_decision_uri_update(self, issuance_id: int, uri: str) -> None:
        """Raises the refusal `update_decision_uri` would meet (not this issuance's issuer, not
        active, closed, empty), sending nothing: check it before fetching the document at `uri`,
        so a key that may not move the decision has no URL fetched for it."""
        self._tx.call(self._decision_uri_call(issuance_id, uri))

    def _decision_uri_call(self, issuance_id: int, uri: str) -> ContractFunction:
        return self._asset.functions.updateDecisionUri(check.uint(issuance_id, "issuance_id"), check.text(uri, "uri"))

    # --- consent (Law art. 6.5) ------------------------------------------------------------

    def consent_nonce(self, key: int = 0) -> int:
        """The next unused consent nonce of this issuer for `key` (the key in its upper 192 bits)."""
        return PlatformQueries(self.platform).consent_nonce(self.address, key)

    def sign_consent(
        self,
        params: IssuanceParams,
        operator: str,
        *,
        deadline: int | None = None,
        key: int = 0,
        nonce: int | None = None,
    ) -> SignedConsent:
        """Signs this issuer's consent to `params` run by `operator`, for the operator to submit
        (OperatorClient.create_issuance); sends nothing. `nonce`: by default the next unused one of
        `key` (consents under one key are used in order; give each operator its own key to sign for
        several at once). `deadline`: by default a day from the chain's time."""
        if nonce is None:
            nonce = self.consent_nonce(key)
        if deadline is None:
            deadline = PlatformQueries(self.platform).chain_time() + 86_400
        d = self.platform.deployment
        return sign_consent(self._account, params, operator, nonce, deadline, chain_id=d.chain_id, asset=d.asset)

    def withdraw_consent(self, nonce: int) -> Receipt:
        """Spends `nonce` so that a consent signed with it can no longer be used; it must be the next
        unused one of its key (else SecuredAssetConsentNonceInvalidError)."""
        return self._send(self._asset.functions.withdrawConsent(check.uint(nonce, "nonce")))

    # --- redemption (Rules item 2.3) -------------------------------------------------------

    def confirm_redemption(self, request_id: int, delivery_ref: bytes | str) -> Receipt:
        """Confirms that this issuer delivered what a redemption request's units certify
        (`delivery_ref`: the hash of the delivery record); the units in custody are burnt. Only the
        issuance's issuer (SecuredAssetNotRedemptionPartyError), only a pending request."""
        fn = self._asset.functions.confirmRedemption(
            check.uint(request_id, "request_id"), check.hash32(delivery_ref, "delivery_ref")
        )
        return self._send(fn)

    def refuse_redemption(self, request_id: int, reason_hash: bytes | str) -> Receipt:
        """Refuses a pending redemption request (`reason_hash`: the hash of the reasoned refusal);
        its units go back to the holder's wallet."""
        return self._refuse_redemption(request_id, reason_hash)
