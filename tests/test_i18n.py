"""The catalogues (i18n/catalogue/*.toml): every key in both languages with the same placeholders."""
from __future__ import annotations

import string
import tomllib

from i18n import CATALOGUE, STRINGS, tr


def test_every_key_has_ja_and_en_with_the_same_placeholders():
    f = string.Formatter()
    for key, text in STRINGS.items():
        assert set(text) == {"ja", "en"}, key
        fields = {lang: sorted({p[1] for p in f.parse(text[lang]) if p[1] is not None}) for lang in ("ja", "en")}
        assert fields["ja"] == fields["en"], (key, fields)


def test_keys_are_unique_across_catalogues_and_all_loaded():
    seen = {}
    for path in sorted(CATALOGUE.glob("*.toml")):
        for key in tomllib.loads(path.read_text(encoding="utf-8")):
            assert key not in seen, (key, path.name, seen.get(key))
            seen[key] = path.name
    derived = set(STRINGS) - set(seen)  # words registered from definitions by ui.i18n (units, columns, categories)
    assert all(k.startswith(("ix_unit_", "ix_period_", "xc_", "xv_")) for k in derived), sorted(derived)[:5]
    assert set(seen) <= set(STRINGS) and len(seen) > 900


def test_tr_formats_in_the_language_given():
    assert tr("app_title", "ja") == "地域人口ダッシュボード" and tr("app_title", "en") == "Regional Population Dashboard"
    assert tr("overview_title", "ja", name="久留米市") == "久留米市の人口の概要"
