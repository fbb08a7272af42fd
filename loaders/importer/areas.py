"""Area codes and names an upload may print, matched against the official `areas` (plus area groups)."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from loaders.importer_read import norm


@dataclass
class AreaIndex:
    """Known codes and names (the official `areas` plus group codes): code -> kind; name -> candidate codes."""

    known: pd.DataFrame  # code, name_ja, kind, pref_code, current

    def __post_init__(self):
        k = self.known
        self.codes = set(k["code"])
        self.by_name: dict[str, list[tuple[str, str, bool]]] = {}
        for code, name, pref, cur in zip(k["code"], k["name_ja"], k.get("pref_code", k["code"].str[:2]),
                                         k.get("current", pd.Series(True, index=k.index))):
            if isinstance(name, str):
                key = norm(name).replace(" ", "").replace("ヶ", "ケ")
                self.by_name.setdefault(key, []).append((code, pref if isinstance(pref, str) else code[:2], bool(cur)))
        self.pref_by_name = {norm(n): c[:2] for c, n, kd in zip(k["code"], k["name_ja"], k["kind"])
                             if kd == "prefecture" and isinstance(n, str)}

    def code(self, raw: str) -> str | None:
        """Normalised 5-digit code or None (6-digit codes lose the check digit; 4 digits regain a leading zero)."""
        c = re.sub(r"\D", "", norm(raw)) if re.fullmatch(r"[\d\s.]+", norm(raw) or "x") else norm(raw)
        if c.endswith(".0"):
            c = c[:-2]
        if re.fullmatch(r"\d{6}", c):
            c = c[:5]
        elif re.fullmatch(r"\d{4}", c):
            c = c.zfill(5)
        return c if c in self.codes else None

    @staticmethod
    def is_aggregate(name: str) -> bool:
        n = norm(name)
        return n.endswith(("市部", "郡部", "郡", "支庁", "振興局", "島しょ")) and n not in ("全国",)

    def by(self, name: str, pref: str | None) -> tuple[str | None, list[str]]:
        """(code, candidates) for a printed name; `pref` (2 digits) disambiguates names used in several prefectures."""
        n = norm(name).replace(" ", "").replace("ヶ", "ケ")
        if n == "特別区部":  # printed without the prefecture in older tables; the group 東京都特別区部
            n = "東京都特別区部"
        m = re.match(r"^(.{2,3}?[都道府県])(.+)$", n)
        if n not in self.by_name and m and m.group(1) in self.pref_by_name:  # '福岡県久留米市'
            pref, n = self.pref_by_name[m.group(1)], m.group(2)
        cands = self.by_name.get(n, [])
        cur = [c for c in cands if c[2]] or cands
        if pref:
            cur = [c for c in cur if c[1] == pref] or cur
        if len(cur) == 1:
            return cur[0][0], []
        return None, [c[0] for c in cur]
