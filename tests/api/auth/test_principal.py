"""The authenticated caller (api.auth.principal): every role but `holder` is given by an API key;
the roles the chain grants are named as the chain names them; a caller's idempotency scope is its
role and address, whatever key or session it came with, and fits the column it is kept in."""

from __future__ import annotations

import dataclasses

import pytest

from api.auth.principal import API_KEY_ROLES, Principal, Role
from api.db.schema import api_keys, idempotency_records
from sdap.types import Role as ChainRole

ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"


def test_every_role_but_the_holders_is_given_by_an_api_key() -> None:
    assert Role.HOLDER not in API_KEY_ROLES
    assert API_KEY_ROLES | {Role.HOLDER} == set(Role)


def test_a_role_is_spelled_by_its_lower_case_name_and_the_chains_roles_as_the_chain_names_them() -> None:
    for role in Role:
        assert role.value == role.name.lower() and Role(role.value) is role
    # A key for a role the registry grants acts with that role on-chain: one name for both.
    for granted in ChainRole:
        assert Role[granted.name].value == granted.value.removesuffix("_ROLE").lower()


def test_the_scope_is_the_role_and_the_address_whatever_the_key() -> None:
    old_key = Principal(Role.ISSUER, ADDRESS, key_id="a1")
    rotated = Principal(Role.ISSUER, ADDRESS, key_id="b2")
    assert old_key.scope == rotated.scope == f"issuer:{ADDRESS}"
    signed_in = Principal(Role.HOLDER, ADDRESS)
    assert signed_in.key_id is None and signed_in.scope == f"holder:{ADDRESS}"


def test_two_roles_acting_as_one_address_have_scopes_of_their_own() -> None:
    scopes = {Principal(role, ADDRESS).scope for role in Role}
    assert len(scopes) == len(Role)


def test_a_principal_cannot_be_changed() -> None:
    caller = Principal(Role.AUDITOR, ADDRESS, "k")
    with pytest.raises(dataclasses.FrozenInstanceError):
        caller.role = Role.REGULATOR  # type: ignore[misc]
    assert caller == Principal(Role.AUDITOR, ADDRESS, "k") and len({caller, Principal(Role.AUDITOR, ADDRESS, "k")}) == 1


def test_every_role_and_scope_fits_the_columns_that_keep_them() -> None:
    # PostgreSQL refuses a value longer than its column: a longer role name would fail every write.
    role_column = api_keys.c.role.type.length
    scope_column = idempotency_records.c.principal.type.length
    for role in Role:
        assert len(role.value) <= role_column, role
        assert len(Principal(role, ADDRESS).scope) <= scope_column, role
