"""Configuration: the typed sections (types), reading TOML (reader, sections) and loading
it once (load)."""
