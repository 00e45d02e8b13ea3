"""An issuer's consent to an issuance (Law art. 6.5): the typed data its wallet signs, the
contract's own checks of a signed consent made before anything is sent or fetched, each refusal
with the code the chain would answer (expired, not the next nonce of its key, not signed by the
issuer over exactly these terms and this gateway's operator), and its withdrawal."""

from __future__ import annotations

from api.chain.operation import Operation
from api.chain.platform import Chain
from api.errors import SecuredAssetConsentExpired, SecuredAssetConsentNonceInvalid, SecuredAssetConsentNotSigned
from api.schemas import issuances as schema
from api.schemas.common import hex32
from api.services.signatures import signer, typed_data
from sdap.signing import consent_digest, consent_message
from sdap.transactions import rpc
from sdap.types import IssuanceParams, IssuerConsent

#: How long a consent prepared without a deadline stays usable: a day, as IssuerClient.sign_consent.
CONSENT_TTL = 86_400
#: The upper 192 bits of a nonce are its key; each key counts its own nonces from 0.
KEY_SHIFT = 64


class Consents:
    def __init__(self, chain: Chain) -> None:
        self._chain = chain

    def request(self, params: IssuanceParams, deadline: int | None, key: int) -> schema.ConsentRequest:
        """What `params.issuer` signs for this gateway's operator to post `params`: its next nonce
        of `key`, valid until `deadline` (a day from the chain's time by default)."""
        queries = self._chain.queries
        nonce = queries.consent_nonce(params.issuer, key)
        if deadline is None:
            deadline = queries.chain_time() + CONSENT_TTL
        operator = self._chain.operator_address
        d = self._chain.deployment
        message = consent_message(params, operator, nonce, deadline, chain_id=d.chain_id, asset=d.asset)
        digest = consent_digest(params, operator, nonce, deadline, chain_id=d.chain_id, asset=d.asset)
        return schema.ConsentRequest(
            typed_data=typed_data(message), digest=hex32(digest), operator=operator, nonce=nonce, deadline=deadline
        )

    def check(self, params: IssuanceParams, consent: IssuerConsent) -> None:
        """Refuses a consent `createIssuance` would refuse, in the contract's order: expired, its
        nonce not the issuer's next one of its key (used, withdrawn or ahead), not signed by the
        issuer over `params` run by this gateway's operator. An issuer that is a contract wallet
        answers for its own signatures (ERC-1271): the chain asks it."""
        queries = self._chain.queries
        now = queries.chain_time()
        if consent.deadline < now:
            raise SecuredAssetConsentExpired(
                "SecuredAsset_ConsentExpired",
                f"the consent expired at {consent.deadline}; the chain's time is {now}",
                {"deadline": consent.deadline},
            )
        self._next_nonce(params.issuer, consent.nonce)
        d = self._chain.deployment
        digest = consent_digest(
            params, self._chain.operator_address, consent.nonce, consent.deadline, chain_id=d.chain_id, asset=d.asset
        )
        if signer(digest, consent.signature) != params.issuer and not self._is_contract(params.issuer):
            raise SecuredAssetConsentNotSigned(
                "SecuredAsset_ConsentNotSigned",
                f"the consent is not issuer {params.issuer}'s signature over these terms and operator "
                f"{self._chain.operator_address}",
                {"issuer": params.issuer},
            )

    def withdraw(self, issuer: str, nonce: int, op: Operation | None = None) -> schema.ConsentWithdrawn:
        """Spends `nonce` with the issuer's own key, so no consent signed with it can be used; it
        must be the issuer's next one of its key, as the contract requires."""
        if not self._chain.resumes(op):
            self._next_nonce(issuer, nonce)
        receipt = self._chain.issuer(issuer, op).withdraw_consent(nonce)
        return schema.ConsentWithdrawn(
            issuer=issuer, nonce=nonce, tx_hash=receipt.tx_hash, block_number=receipt.block_number
        )

    def _next_nonce(self, issuer: str, nonce: int) -> None:
        expected = self._chain.queries.consent_nonce(issuer, nonce >> KEY_SHIFT)
        if nonce != expected:
            raise SecuredAssetConsentNonceInvalid(
                "SecuredAsset_ConsentNonceInvalid",
                f"the nonce is not issuer {issuer}'s next one of its key (used, withdrawn or ahead)",
                {"issuer": issuer, "nonce": _plain(nonce), "expected": _plain(expected)},
            )

    def _is_contract(self, address: str) -> bool:
        w3 = self._chain.w3
        return bool(rpc(lambda: w3.eth.get_code(address)))  # type: ignore[arg-type]


def _plain(value: int) -> int | str:
    """An integer as the gateway answers a contract's argument: past 2^53, a decimal string."""
    return str(value) if value > 2**53 else value
