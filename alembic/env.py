"""Alembic environment: the URL is DATABASE_URL (or the one a caller put in the config)."""

from logging.config import fileConfig

from sqlmodel import SQLModel

import backend_api.models  # noqa: F401  (registers every table on the metadata)
from alembic import context
from backend_api.core.db import make_engine
from backend_api.core.settings import database_url

config = context.config
if config.config_file_name and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def run_migrations_online() -> None:
    url = config.attributes.get("database_url") or database_url()
    engine = make_engine(url)
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            # A table is rebuilt by copying it and dropping the old one (alembic's batch mode,
            # 0005); with foreign keys on, that drop would cascade into the rows that point at it.
            # Off for the migration (only outside a transaction, so on the raw connection), and
            # every reference checked before it ends.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(
            connection=connection, target_metadata=SQLModel.metadata, render_as_batch=True, compare_type=True
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite and (broken := connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()):
                raise RuntimeError(f"migration left broken references (table, rowid, parent, fk): {broken[:10]}")
    engine.dispose()


run_migrations_online()
