"""One gateway process per database (api.db.instance), on SQLite and PostgreSQL: while one holds
the database a second refuses to start, and once it has closed the next one starts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount
from gateway_support import Api, settings_for

from api.db.instance import GatewayAlreadyRunning
from api.gateway import Gateway
from sdap.anvil import Anvil


@pytest.mark.usefixtures("world")
def test_the_database_serves_one_gateway_at_a_time(
    make_api: Callable[..., Api],
    database_url: str,
    anvil: Anvil,
    deployment_file: Path,
    accounts: list[LocalAccount],
) -> None:
    settings = settings_for(anvil, deployment_file, database_url)
    signers = [accounts[2]]
    first = make_api(database_url)
    with pytest.raises(GatewayAlreadyRunning, match="another gateway process is serving this database"):
        Gateway.open(settings, signers=signers)
    assert first.get("/v1/ready", None).status_code == 200  # refused before it touched anything

    first.client.__exit__(None, None, None)  # the first one stops: the next one may start
    after = Gateway.open(settings, signers=signers)
    try:
        with pytest.raises(GatewayAlreadyRunning):
            Gateway.open(settings, signers=signers)
    finally:
        after.close()
