"""Local persistence: SQLAlchemy models, the seat database, migrations, repositories, outbox."""
