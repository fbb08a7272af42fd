"""The UI's words in Japanese and English: one TOML catalogue per page or part under i18n/catalogue/ (a table per
key with `ja` and `en`, the same {placeholders} in both). Pure: the language is passed in; ui.i18n adds the
session's language for pages. Every key is unique across the catalogues (checked when loading and in the tests).
"""
from __future__ import annotations

import tomllib
from pathlib import Path

LANGS = ("ja", "en")
CATALOGUE = Path(__file__).with_name("catalogue")


def _load() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for path in sorted(CATALOGUE.glob("*.toml")):
        part = tomllib.loads(path.read_text(encoding="utf-8"))
        clash = set(part) & set(out)
        if clash:
            raise KeyError(f"{path.name} redefines {sorted(clash)}")
        out.update(part)
    return out


STRINGS: dict[str, dict[str, str]] = _load()


def tr(key: str, lang: str, **fmt) -> str:
    """The string `key` in `lang`, formatted with `fmt`. Unknown keys raise KeyError."""
    text = STRINGS[key][lang]
    return text.format(**fmt) if fmt else text
