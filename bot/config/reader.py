"""Typed, checked access to the values of a parsed TOML configuration.

In: the dict that ``tomllib`` returns. Out: values of the requested type, read as
``reader.port("mailbox.port")``; any wrong, missing or unknown value raises
:class:`~bot.errors.ConfigError` with a message that names the key. Used by :mod:`bot.config.load`.
"""

from __future__ import annotations

import datetime as dt
from email.headerregistry import Address
from pathlib import Path
from typing import Any

from bot.errors import ConfigError

_MISSING = object()


class Reader:
    """Typed access to ``section.key`` values; every error names the key."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.read: set[str] = set()

    def reject_unknown(self) -> None:
        """Refuse keys nobody reads: a typo must not silently fall back to a default."""
        for section, table in self.data.items():
            for name in table if isinstance(table, dict) else ():
                key = f"{section}.{name}"
                if key not in self.read:
                    hint = " (secrets go in the environment: use password_env)" if (
                        "password" in name) else ""
                    raise ConfigError(f"{key}: unknown key{hint}")

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        self.read.add(key)
        section, name = key.split(".")
        table = self.data.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{section}: must be a table ([{section}])")
        if name in table:
            return table[name]
        if default is _MISSING:
            raise ConfigError(f"{key}: missing")
        return default

    def text(self, key: str, default: Any = _MISSING) -> Any:
        value = self.raw(key, default)
        if value is None and default is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{key}: must be a non-empty string")
        return value.strip()

    def text_list(self, key: str, default: Any = _MISSING) -> list[str]:
        value = self.raw(key, default)
        if value == [] and default == []:
            return value
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{key}: must be a non-empty list of strings")
        return value

    def integer(self, key: str, default: Any = _MISSING, *, minimum: int = 0) -> int:
        value = self.raw(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ConfigError(f"{key}: must be an integer of at least {minimum}")
        return value

    def number(self, key: str, default: Any = _MISSING) -> float:
        value = self.raw(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(f"{key}: must be a positive number")
        return float(value)

    def port(self, key: str) -> int:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
            raise ConfigError(f"{key}: must be an integer from 1 to 65535")
        return value

    def choice(self, key: str, options: tuple[str, ...], default: Any = _MISSING) -> str:
        value = self.raw(key, default)
        if value not in options:
            raise ConfigError(f"{key}: must be one of {', '.join(options)}")
        return value

    def email(self, key: str, default: Any = _MISSING) -> Any:
        value = self.text(key, default)
        if value is None and default is None:
            return None
        try:
            address = Address(addr_spec=value)
        except (ValueError, IndexError) as e:
            raise ConfigError(f"{key}: {value!r} is not an email address") from e
        if not address.domain:
            raise ConfigError(f"{key}: {value!r} is not an email address")
        return value.lower()

    def existing_file(self, key: str) -> str | None:
        value = self.text(key, None)
        if value is not None and not Path(value).is_file():
            raise ConfigError(f"{key}: file {value} does not exist")
        return value

    def secret(self, key: str, env: Any, *, required: bool) -> str | None:
        name = self.text(key, _MISSING if required else None)
        if name is None:
            return None
        value = env.get(name)
        if not value:
            raise ConfigError(f"{key}: environment variable {name} is not set")
        return value

    def date(self, key: str) -> dt.date:
        value = self.raw(key)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError as e:
            raise ConfigError(f"{key}: must be a date like 2025-11-25") from e

    def datetime(self, key: str, default: Any = _MISSING) -> dt.datetime | None:
        value = self.raw(key, default)
        if value is None or isinstance(value, dt.datetime):
            return value
        try:
            return dt.datetime.fromisoformat(str(value))
        except ValueError as e:
            raise ConfigError(f"{key}: must be a date and time like 2025-11-18T17:00") from e

    def time(self, key: str) -> dt.time:
        value = self.raw(key)
        if isinstance(value, dt.time):
            return value
        try:
            return dt.time.fromisoformat(str(value))
        except ValueError as e:
            raise ConfigError(f"{key}: must be a time like 19:00") from e
