"""The shared store: PostgreSQL with pgvector (store.py). Registered for postgresql:// (and
postgres://) addresses in corroborator.store; needs the ``postgres`` extra
(`pip install 'corroborator[postgres]'`: psycopg, psycopg-pool, pgvector)."""
