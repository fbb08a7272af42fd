"""Areas (全国, prefectures, municipalities, designated-city wards) and area groups.

Names come from the statistics themselves (latest name for each JIS code); readings (kana) and
representative coordinates come from the `japancode` package; English names are Hepburn romaji made
from the kana by `pykakasi`. Kinds keep designated cities apart from their wards and drop the 郡
subtotal rows, so summing municipalities never counts a person twice.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

import pandas as pd
import pykakasi

AREA_COLUMNS = ["area_code", "name_ja", "name_kana", "name_en", "pref_code", "pref_name", "kind", "lat", "lon",
                "parent_code", "current"]
#: Kinds counted once when summing to a prefecture (wards and 郡 subtotals excluded).
MUNICIPAL_KINDS = ("designated_city", "city", "special_ward", "town", "village")

_DISTRICT_PREFIX = re.compile(r"^(\S+?郡)(\S+[町村])$")
_SUFFIX_ROMAJI = {"市": "shi", "区": "ku", "村": None, "町": None}
_KANA_SUFFIX = {"し": "shi", "く": "ku", "まち": "machi", "ちょう": "cho", "むら": "mura", "そん": "son",
                "けん": "ken", "ふ": "fu", "と": "to"}


def area_kind(code: str, name: str) -> str:
    """Classify a JIS code with its name.

    Returns 'nation', 'prefecture', 'designated_city', 'ward' (行政区 of a designated city),
    'special_ward' (東京23区, a municipality), 'city', 'town', 'village' or 'district' (郡 or 島しょ subtotal row).
    """
    if code == "00000":
        return "nation"
    if code.endswith("000"):
        return "prefecture"
    if name.endswith("郡") or name == "島しょ":  # 島しょ (13360): printed subtotal of Tokyo's island towns/villages
        return "district"
    if code.startswith("131"):
        return "special_ward"
    if code[2] == "1" and name.endswith("市") and code[4] == "0":
        return "designated_city"
    if code[2] == "1" and name.endswith("区"):
        return "ward"
    return {"市": "city", "町": "town", "村": "village"}.get(name[-1:], "city")


@lru_cache(maxsize=1)
def _japancode() -> tuple[dict, dict]:
    base = resources.files("japancode") / "data"
    munis = json.loads((base / "municipalities.json").read_text(encoding="utf-8"))
    prefs = json.loads((base / "prefectures.json").read_text(encoding="utf-8"))
    by_code = {str(m["lgcode"]).zfill(6)[:5]: m for m in munis}
    pref_by_code = {str(p["lgcode"]).zfill(6)[:2]: p for p in prefs}
    return by_code, pref_by_code


@lru_cache(maxsize=1)
def _kakasi():
    return pykakasi.kakasi()


def romanise(kana: str | None) -> str | None:
    """Hepburn romaji for a kana reading, with the administrative suffix hyphenated.

    'くるめし' -> 'Kurume-shi'; 'さっぽろし ちゅうおうく' -> 'Sapporo-shi Chuo-ku'; macrons are dropped.
    """
    if not kana:
        return None
    words = []
    for part in kana.split():
        suffix = next((s for s in sorted(_KANA_SUFFIX, key=len, reverse=True) if part.endswith(s) and len(part) > len(s)), None)
        stem = part[: -len(suffix)] if suffix else part
        roman = "".join(item["hepburn"] for item in _kakasi().convert(stem))
        roman = roman.replace("ou", "o").replace("oo", "o").replace("uu", "u")
        words.append(roman.capitalize() + (f"-{_KANA_SUFFIX[suffix]}" if suffix else ""))
    return " ".join(words)


def build_areas(names: pd.DataFrame) -> pd.DataFrame:
    """The `areas` table from every (area_code, pref_name, muni_name, ref_date) seen in the statistics.

    Uses the latest name of each code; `current` is True for codes present on the latest reference date.
    District (郡) subtotal codes are left out. Output columns: AREA_COLUMNS.
    """
    by_code, pref_by_code = _japancode()
    latest = names.sort_values("ref_date").drop_duplicates("area_code", keep="last")
    last_date = names["ref_date"].max()
    cities = [c for c, n in zip(latest["area_code"], latest["muni_name"])
              if isinstance(n, str) and c[2:3] == "1" and c[4] == "0" and n.strip().endswith("市")]
    rows = []
    for r in latest.itertuples(index=False):
        code = r.area_code
        pref_code = code[:2] if code != "00000" else ""
        muni = r.muni_name.replace("\u3000", "").replace(" ", "") if isinstance(r.muni_name, str) else ""
        if code in by_code:  # the registry's current name (the totals table prefixes towns with their 郡)
            muni = by_code[code]["city"].replace(" ", "").replace("\u3000", "")
        elif _DISTRICT_PREFIX.match(muni):  # a defunct town or village: '筑紫郡那珂川町' -> '那珂川町'
            muni = _DISTRICT_PREFIX.match(muni).group(2)
        name = "全国" if code == "00000" else (r.pref_name if code.endswith("000") else muni)
        kind = area_kind(code, name)
        if kind == "district":
            continue
        kana = en = lat = lon = None
        if kind == "prefecture":
            p = pref_by_code.get(pref_code, {})
            kana, en = p.get("prefkana"), p.get("pref_en")
            suffix = {"都": " (Tokyo Metropolis)", "道": "", "府": " Prefecture", "県": " Prefecture"}[name[-1]]
            en = en + suffix if en else None
        elif kind == "nation":
            kana, en = "ぜんこく", "Japan"
        elif code in by_code:
            m = by_code[code]
            kana = m["citykana"].replace("\u3000", " ")
            en, lat, lon = romanise(kana), m["lat"], m["lng"]
            kana = kana.replace(" ", "")
        if kind == "ward":
            parent = max((c for c in cities if c[:2] == code[:2] and c < code), default=code[:2] + "000")
        elif kind == "nation":
            parent = None
        elif kind == "prefecture":
            parent = "00000"
        else:
            parent = code[:2] + "000"
        rows.append(dict(area_code=code, name_ja=name, name_kana=kana, name_en=en, pref_code=pref_code,
                         pref_name=r.pref_name if code != "00000" else "", kind=kind, lat=lat, lon=lon,
                         parent_code=parent, current=bool(r.ref_date == last_date) or kind in ("nation", "prefecture")))
    areas = pd.DataFrame(rows, columns=AREA_COLUMNS)
    # Designated cities have no own centroid in japancode: use their wards' mean, prefectures their municipalities'.
    for kinds, key in ((("ward",), "parent_code"), (MUNICIPAL_KINDS, "pref_code")):
        sub = areas[areas["kind"].isin(kinds)].groupby(key)[["lat", "lon"]].mean()
        target = areas["area_code"] if key == "parent_code" else areas["pref_code"]
        fill = areas["lat"].isna() & target.isin(sub.index) & areas["kind"].isin(
            ("designated_city",) if key == "parent_code" else ("prefecture",))
        if fill.any():
            areas.loc[fill, "lat"] = target[fill].map(sub["lat"]).astype(float)
            areas.loc[fill, "lon"] = target[fill].map(sub["lon"]).astype(float)
    # The latest totals table lists wards but not their cities: a city is current while its wards are.
    live_parents = set(areas.loc[areas["current"] & (areas["kind"] == "ward"), "parent_code"])
    areas.loc[areas["area_code"].isin(live_parents), "current"] = True
    return areas


# 連携中枢都市圏 membership as published by the city (seed 000: 関係市町), metro areas as defined in the
# 久留米市 vision's 大都市圏 table (seed 001).
GROUPS = {
    "kurume_metro": ("久留米広域連携中枢都市圏", "Kurume Wide-area Metropolitan Partnership",
                     ["40203", "40212", "40216", "40225", "40503", "40522"], "kurume_vision_2025"),
    "G_TOKYO": ("東京圏（東京・神奈川・埼玉・千葉）", "Tokyo area", ["13000", "14000", "11000", "12000"], "kurume_vision_2025"),
    "G_NAGOYA": ("名古屋圏（愛知・岐阜・三重）", "Nagoya area", ["23000", "21000", "24000"], "kurume_vision_2025"),
    "G_OSAKA": ("大阪圏（大阪・京都・兵庫・奈良）", "Osaka area", ["27000", "26000", "28000", "29000"], "kurume_vision_2025"),
}
GROUPS["G_3METRO"] = ("三大都市圏", "Three major metropolitan areas",
                      GROUPS["G_TOKYO"][2] + GROUPS["G_NAGOYA"][2] + GROUPS["G_OSAKA"][2], "kurume_vision_2025")


def area_groups() -> pd.DataFrame:
    """The `area_groups` table: group_code, group_name_ja, group_name_en, area_code, source_id."""
    return pd.DataFrame([dict(group_code=g, group_name_ja=ja, group_name_en=en, area_code=c, source_id=s)
                         for g, (ja, en, members, s) in GROUPS.items() for c in members])
