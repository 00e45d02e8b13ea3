"""Alembic's environment for the gateway's database.

The gateway runs it through `api.db.migrations.upgrade`, which hands over a connection already in a
write transaction (config.attributes["connection"]). Run from the command line (`alembic upgrade
head`, `alembic revision --autogenerate`, see alembic.ini), it connects to SDAP_DATABASE_URL.
`api.db.schema` is the target: autogenerate and `alembic check` compare the database with it.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from api.db.schema import metadata


def run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    from api.db.database import Database

    db = Database(os.environ.get("SDAP_DATABASE_URL", "sqlite:///sdap-gateway.db"))
    try:
        with db.write() as conn:
            run(conn)
    finally:
        db.dispose()
