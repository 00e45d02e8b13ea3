"""The gateway's own records: API keys, sessions, idempotency records, the transaction journal and
the event index. SQLite by default, PostgreSQL when given its URL; one schema, ordered migrations."""

from api.db.database import Database, is_unique_violation, now

__all__ = ["Database", "is_unique_violation", "now"]
