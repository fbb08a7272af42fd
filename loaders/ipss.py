"""IPSS 『日本の地域別将来推計人口（平成30(2018)年推計）』: municipal population by sex × 5-year age, 2015–2045.

Layout as published (CSV, 2 header rows): コード (area code without leading zero), 市などの別, 都道府県, 市区町村, 年
('2015年' …), then three blocks 総数 / 男 / 女 of 20 columns each (総数, 0～4歳 … 85～89歳, 90歳以上).
2015 is the census base; 2020–2045 are projections. Output: rows of the `projections` table
(source 'ipss_2018', scenario 'baseline', nationality 'total'; IPSS projects all residents).
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

from loaders.errors import LoaderError
from loaders.files import check_csv_text, read_text

FILE = "ipss_h30_projection_municipality_sex_age5_2015_2045.csv"
SOURCE = dict(source_id="ipss_h30_municipal", publisher="国立社会保障・人口問題研究所",
              title="日本の地域別将来推計人口（平成30(2018)年推計）",
              table_id="市区町村別 男女・年齢（5歳）階級別 将来推計人口 2015–2045",
              url="https://www.ipss.go.jp/pp-shicyoson/j/shicyoson18/t-page.asp", retrieved="2022-10-31",
              licence="IPSS（出典明記で利用可）", note="2015年は国勢調査（基準人口）。福島県は県全体のみ。2018年時点の市区町村コード。")
AGES = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54", "55-59",
        "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+"]


def read_projection(path: Path) -> pd.DataFrame:
    """Projections rows (area_code, source, scenario, year, nationality, sex, age_group, persons, source_id).

    Raises LoaderError naming the row and column for a malformed header, a bad code or year, a non-numeric
    cell, or a row whose 男 + 女 differs from its 総数 (a damaged file).
    """
    text = read_text(path)
    check_csv_text(str(path), text)
    raw = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False)
    if raw.shape[1] != 5 + 60 or raw.iat[0, 0].strip() != "コード" or raw.iat[1, 6].strip() != "0～4歳":
        raise LoaderError(str(path), "見出しが公表形式（コード・市などの別・都道府県・市区町村・年＋総数/男/女×20列）と異なります。",
                          "header differs from the published layout (code, type, prefecture, municipality, year + "
                          "3 blocks of 20 columns).", row=1)
    body = raw.iloc[2:].reset_index(drop=True)
    rows = []
    sexes = ("total", "male", "female")
    for i, r in body.iterrows():
        line = i + 3
        code = r[0].strip()
        if not re.fullmatch(r"\d{4,5}", code) or not 1 <= int(code.zfill(5)[:2]) <= 47:
            raise LoaderError(str(path), f"不明な地域コード「{code}」です。", f"unknown area code {code!r}.", row=line, column="コード")
        m = re.fullmatch(r"(\d{4})年", r[4].strip())
        if not m:
            raise LoaderError(str(path), f"年「{r[4]}」を読めません。", f"cannot read year {r[4]!r}.", row=line, column="年")
        values = []
        for j in range(5, 65):
            cell = r[j].replace(",", "").strip()
            if not cell.isdigit():
                raise LoaderError(str(path), f"人数ではない値「{r[j]}」があります。", f"value {r[j]!r} is not a count.",
                                  row=line, column=f"{sexes[(j - 5) // 20]}:{raw.iat[1, j]}")
            values.append(int(cell))
        blocks = [values[k * 20:(k + 1) * 20] for k in range(3)]
        # Published sums, exact in every row of the real file: 総数 = 男 + 女 in each column, 総数 = Σ ages per sex.
        where_ja, where_en = f"{code} {r[3].strip()} {m.group(1)}年", f"{code} {m.group(1)}"
        k = next((k for k in range(20) if blocks[0][k] != blocks[1][k] + blocks[2][k]), None)
        if k is not None:
            raise _sum_error(path, line, f"total:{raw.iat[1, 5 + k]}", blocks[0][k],
                             f"男 {blocks[1][k]:,} ＋女 {blocks[2][k]:,}", f"male {blocks[1][k]:,} + female {blocks[2][k]:,}",
                             where_ja, where_en)
        s_ = next((s_ for s_ in range(3) if blocks[s_][0] != sum(blocks[s_][1:])), None)
        if s_ is not None:
            raise _sum_error(path, line, f"{sexes[s_]}:{raw.iat[1, 5 + 20 * s_]}", blocks[s_][0],
                             f"年齢階級の合計 {sum(blocks[s_][1:]):,}", f"the sum of the age groups {sum(blocks[s_][1:]):,}",
                             where_ja, where_en)
        for sex, block in zip(sexes, blocks):
            for age, persons in zip(["total", *AGES], block):
                rows.append((code.zfill(5), int(m.group(1)), sex, age, persons))
    out = pd.DataFrame(rows, columns=["area_code", "year", "sex", "age_group", "persons"])
    out["source"], out["scenario"], out["nationality"], out["source_id"] = "ipss_2018", "baseline", "total", SOURCE["source_id"]
    return out


def load_folder(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(projections rows, sources rows); empty frames when the file is not in the folder."""
    if not (folder / FILE).exists():
        return pd.DataFrame(), pd.DataFrame()
    return read_projection(folder / FILE), pd.DataFrame([SOURCE])


def _sum_error(path, line: int, column: str, total: int, parts_ja: str, parts_en: str, where_ja: str,
               where_en: str) -> LoaderError:
    """A published total that differs from its published parts (the file is damaged), naming row and column."""
    return LoaderError(str(path), f"総数 {total:,} が{parts_ja} と一致しません（{where_ja}）。ファイルが壊れている可能性があります。",
                       f"total {total:,} differs from {parts_en} ({where_en}); the file may be damaged.",
                       row=line, column=column)
