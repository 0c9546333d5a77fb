"""The database: tables (models), engines and the single writer (db), migrations (schema,
migrations/), read queries, and the OAuth2 tokens kept there (oauth)."""
