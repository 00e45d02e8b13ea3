"""Who is calling: API keys (issuers, operators, the regulator, ...) and holders signed in with
their wallet (Sign-In with Ethereum, EIP-4361)."""

from api.auth.keys import IssuedKey, create_api_key, list_api_keys, revoke_api_key
from api.auth.principal import API_KEY_ROLES, Principal, Role

__all__ = ["API_KEY_ROLES", "IssuedKey", "Principal", "Role", "create_api_key", "list_api_keys", "revoke_api_key"]
