"""The SDAP gateway: the FastAPI service issuers, holders, operators and the regulator use.

    from api import create_app, Settings
    app = create_app(Settings())

API keys are made with `api.auth.create_api_key(Database(url), role, address)` or
`sdap-gateway create-key`.
"""

from api.app import create_app
from api.settings import Settings

__all__ = ["Settings", "create_app"]
