"""The store: master and planning data in a relational database, sales in Parquet.

SQLAlchemy 2 with Alembic migrations: SQLite in the data directory by default,
PostgreSQL by URL. Repositories return domain objects, not rows.
"""
