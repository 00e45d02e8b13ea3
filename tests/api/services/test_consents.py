"""api.services.consents: what an issuer signs for this gateway's operator (its next nonce of a
key, a day by default), the contract's checks of a signed consent made in the contract's order
before anything is sent (expired, then the nonce, then the signer; a contract wallet answers for its
own signatures), the refusals' arguments as the chain's decoded errors carry them, the withdrawal
of a keyed nonce. (`signer`, which recovers a signature as OpenZeppelin's ECDSA does, is
api.services.signatures': tests/api/services/test_signatures.py.)"""

from __future__ import annotations

import pytest
from eth_account.messages import encode_typed_data
from gateway_support import Api
from world import World, chain_time

from api.errors import SecuredAssetConsentExpired, SecuredAssetConsentNonceInvalid, SecuredAssetConsentNotSigned
from api.services.consents import CONSENT_TTL, KEY_SHIFT
from sdap.signing import digest
from sdap.types import IssuerConsent


def test_a_request_carries_the_next_nonce_of_its_key_and_a_day_by_default(api: Api, world: World) -> None:
    consents = api.gateway.issuances.consents
    params = world.params()
    request = consents.request(params, None, 5)
    assert request.nonce == 5 << KEY_SHIFT and request.operator == api.gateway.chain.operator_address
    assert request.deadline == chain_time(world.w3) + CONSENT_TTL
    typed = request.typed_data.model_dump()
    assert typed["message"]["nonce"] == str(5 << KEY_SHIFT)  # past 2^53: as wallets read it
    assert "0x" + digest(typed).hex() == request.digest
    assert consents.request(params, 1234, 0).deadline == 1234  # a deadline given is kept


def test_the_issuers_signature_over_the_request_passes_the_check(api: Api, world: World) -> None:
    consents = api.gateway.issuances.consents
    params = world.params()
    request = consents.request(params, None, 0)
    signature = world.accounts[5].sign_message(encode_typed_data(full_message=request.typed_data.model_dump()))
    consents.check(params, IssuerConsent(request.nonce, request.deadline, bytes(signature.signature)))
    forged = world.accounts[9].sign_message(encode_typed_data(full_message=request.typed_data.model_dump()))
    with pytest.raises(SecuredAssetConsentNotSigned) as refused:
        consents.check(params, IssuerConsent(request.nonce, request.deadline, bytes(forged.signature)))
    assert refused.value.extensions["arguments"] == {"issuer": world.issuer.address}


def test_the_checks_are_made_in_the_contracts_order(api: Api, world: World) -> None:
    """A consent wrong in every way is answered with the first reason the contract would give."""
    consents = api.gateway.issuances.consents
    params = world.params()
    nonce = world.queries.consent_nonce(world.issuer.address)
    now = chain_time(world.w3)
    with pytest.raises(SecuredAssetConsentExpired) as expired:
        consents.check(params, IssuerConsent(nonce + 7, now - 1, b"\x00" * 65))
    assert expired.value.extensions["arguments"] == {"deadline": now - 1}
    with pytest.raises(SecuredAssetConsentNonceInvalid):
        consents.check(params, IssuerConsent(nonce + 7, now + 60, b"\x00" * 65))
    with pytest.raises(SecuredAssetConsentNotSigned):
        consents.check(params, IssuerConsent(nonce, now + 60, b"\x00" * 65))
    # The deadline itself still counts: the contract refuses only `deadline < block.timestamp`.
    with pytest.raises(SecuredAssetConsentNotSigned):
        consents.check(params, IssuerConsent(nonce, chain_time(world.w3), b"\x00" * 65))


def test_a_keyed_nonce_is_refused_with_arguments_as_the_chain_decodes_them(api: Api, world: World) -> None:
    """Nonces of a key other than 0 are past 2^53: the refusal carries them as decimal strings, as
    the decoded custom error does, and `expected` is the next one of that same key."""
    consents = api.gateway.issuances.consents
    ahead = (3 << KEY_SHIFT) + 1
    with pytest.raises(SecuredAssetConsentNonceInvalid) as refused:
        consents.check(world.params(), IssuerConsent(ahead, chain_time(world.w3) + 60, b"\x00" * 65))
    assert refused.value.extensions["arguments"] == {
        "issuer": world.issuer.address,
        "nonce": str(ahead),
        "expected": str(3 << KEY_SHIFT),
    }
    expected = world.queries.consent_nonce(world.issuer.address)
    with pytest.raises(SecuredAssetConsentNonceInvalid) as small:
        consents.check(world.params(), IssuerConsent(expected + 5, chain_time(world.w3) + 60, b"\x00" * 65))
    arguments = small.value.extensions["arguments"]
    assert (arguments["nonce"], arguments["expected"]) == (expected + 5, expected)  # small enough: integers


def test_an_issuer_that_is_a_contract_wallet_is_left_to_answer_for_its_signature(api: Api, world: World) -> None:
    """The gateway cannot tell an ERC-1271 wallet's signature from any other bytes: it lets the chain
    ask the wallet, where for a plain account the same bytes are refused at once."""
    consents = api.gateway.issuances.consents
    wallet = world.platform.deployment.exchange  # any address holding code stands for a wallet here
    deadline = chain_time(world.w3) + 60
    consents.check(world.params(issuer=wallet), IssuerConsent(0, deadline, b"\x01" * 65))
    with pytest.raises(SecuredAssetConsentNotSigned):
        consents.check(world.params(), IssuerConsent(world.issuer.consent_nonce(), deadline, b"\x01" * 65))


def test_a_withdrawal_spends_the_next_nonce_of_the_key_the_nonce_carries(api: Api, world: World) -> None:
    consents = api.gateway.issuances.consents
    issuer = world.issuer.address
    first = world.queries.consent_nonce(issuer)
    keyed = world.queries.consent_nonce(issuer, 2)
    block = world.w3.eth.block_number
    with pytest.raises(SecuredAssetConsentNonceInvalid):
        consents.withdraw(issuer, keyed + 1)
    assert world.w3.eth.block_number == block  # refused before anything was sent
    withdrawn = consents.withdraw(issuer, keyed)
    assert (withdrawn.issuer, withdrawn.nonce) == (issuer, keyed) and withdrawn.block_number > block
    assert world.queries.consent_nonce(issuer, 2) == keyed + 1
    assert world.queries.consent_nonce(issuer) == first  # key 0 untouched
