"""`python -m api` and `sdap-gateway`: serve the gateway with uvicorn, settings from the environment.

    SDAP_DEPLOYMENT=deployments/local.json SDAP_OPERATOR_ADDRESS=0x... \\
    SDAP_KEYSTORE_DIR=keys SDAP_KEYSTORE_PASSWORD_FILE=secrets/keystore \\
    SDAP_SESSION_SECRET=$(openssl rand -hex 32) python -m api
"""

from __future__ import annotations

import logging
import sys

import uvicorn
from pydantic import ValidationError

from api.app import create_app
from api.gateway import Gateway
from api.settings import Settings
from sdap.errors import SdapError

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def main() -> None:
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    try:
        settings = Settings()  # type: ignore[call-arg]  # read from the environment
    except ValidationError as exc:
        # Field names and messages only: never the values (they may be secrets).
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"]) or "settings"
            print(f"error: SDAP_{field.upper()}: {error['msg']}", file=sys.stderr)
        sys.exit(2)
    try:
        # Opened before serving, so a bad deployment, key or database fails here with one line.
        gateway = Gateway.open(settings)
    except SdapError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    app = create_app(settings, gateway=gateway)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=False,
        server_header=False,
    )


if __name__ == "__main__":
    main()
