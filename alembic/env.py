"""Alembic environment: the URL is DATABASE_URL (or the one a caller put in the config)."""

from logging.config import fileConfig

from alembic import context
from sqlmodel import SQLModel

import backend_api.models  # noqa: F401  (registers every table on the metadata)
from backend_api.core.db import make_engine
from backend_api.core.settings import database_url

config = context.config
if config.config_file_name and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def run_migrations_online() -> None:
    url = config.attributes.get("database_url") or database_url()
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=SQLModel.metadata,
                          render_as_batch=True, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
