"""Alembic environment: runs on the connection that ``Store.upgrade`` hands over."""

from alembic import context

from grantmatch.store import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - grantmatch always passes its own connection
    raise RuntimeError("grantmatch migrations run through grantmatch.store.Store.upgrade()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
