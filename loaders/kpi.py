"""KPI actuals entered by officials: the KPI sheet (xlsx / CSV) and the in-page editor — reading, validating and
writing sheets; and a plan's definitions (the KPI一覧 worksheet of the same workbook, or a CSV of it), imported to
create a municipality's own plan (read_plan_sheet, validate_plan_rows, validate_plan_meta). The values are saved in the user store (store.user: row by row, with history); this module never
opens a database.

The sheet: one row per KPI and period. Columns (headers in Japanese or English, both accepted on import):
kpi_id, period, value (実績値), note (備考), judgement (評価: ○ △ × for text actuals); the other columns
(plan, goal, KPI name, unit, department, origin) are for reading and are not imported. A value may be written as
printed: '1,234', '△5', '8件', '65.3%', '実施'/'未実施' for done/not-done KPIs, free text for text KPIs.
Periods: 'FY2024', '2024年度', '令和6年度', 'R6', '2025-01-01' (a reference date), or the labels of kpi.periods.
"""
from __future__ import annotations

import io
import math
import re
import unicodedata
from datetime import date, datetime, timezone
from pathlib import Path
from typing import NoReturn
from zoneinfo import ZoneInfo

import pandas as pd

import cells
from kpi import periods
from loaders.errors import LoaderError
from loaders.files import csv_frame, decode_text
from loaders.importer_read import letter
from loaders.parse import MISSING_MARKS, CellError, excerpt, parse_number, wareki_to_date, wareki_to_year

ROOT = Path(__file__).resolve().parents[1]
VALUE_FIELDS = ["kpi_id", "period", "value", "value_text", "note", "judgement"]

#: Sheet columns: internal name -> header per language. The first five are imported.
HEADERS = {
    "kpi_id": {"ja": "KPI ID", "en": "KPI ID"},
    "period": {"ja": "期間", "en": "period"},
    "value": {"ja": "実績値", "en": "value"},
    "note": {"ja": "備考", "en": "note"},
    "judgement": {"ja": "評価（○△×）", "en": "grade (○△×)"},
    "plan": {"ja": "計画", "en": "plan"},
    "goal": {"ja": "基本目標", "en": "basic goal"},
    "kpi": {"ja": "KPI", "en": "KPI name"},
    "unit": {"ja": "単位", "en": "unit"},
    "department": {"ja": "担当課", "en": "department"},
    "target": {"ja": "目標値", "en": "target"},
    "origin": {"ja": "区分", "en": "origin"},
    "exported_at": {"ja": "出力日時", "en": "exported at"},
}
SHEET_ORDER = ["kpi_id", "plan", "goal", "kpi", "unit", "department", "target", "period", "value", "note", "judgement",
               "origin", "exported_at"]
IMPORTED = ["kpi_id", "period", "value", "note", "judgement"]
#: Time zone of the export stamp an official reads in the sheet (stored values keep UTC).
SHEET_TZ = ZoneInfo("Asia/Tokyo")
REQUIRED = ["kpi_id", "period", "value"]
SHEET_NAME = {"ja": "実績", "en": "values"}
_JUDGEMENTS = {"○": "○", "〇": "○", "◯": "○", "△": "△", "×": "×", "✕": "×", "x": "×", "X": "×"}
_DONE = {"実施": 1.0, "実施済": 1.0, "済": 1.0, "完了": 1.0, "1": 1.0, "未実施": 0.0, "未着手": 0.0, "未": 0.0, "0": 0.0}


# ---------------------------------------------------------------- the sheet: export

def sheet_frame(defs: pd.DataFrame, merged: pd.DataFrame, plan: str, lang: str, fill: str | None = None,
                origin_labels: dict | None = None, exported_at: datetime | None = None) -> pd.DataFrame:
    """The KPI sheet of a plan with headers in `lang`: every period with an actual, plus an empty row for period
    `fill` (e.g. the evaluation year) for each KPI that has no actual then — the row an official fills in.

    defs: kpi_defs rows; merged: kpi.tracker.merge_values rows (the values as of `exported_at`); origin_labels:
    origin code -> text for the reading-only 区分 column. Every row carries the export time (出力日時, Japan time,
    default now): importing the sheet later flags rows changed in the app since then (stale_rows).
    """
    stamp = (exported_at or datetime.now(timezone.utc)).astimezone(SHEET_TZ).isoformat(timespec="seconds")
    labels = origin_labels or {}
    rows = []
    with_actual = merged[merged["value"].notna() | merged["value_text"].notna()]
    groups = {k: g for k, g in with_actual.groupby("kpi_id", sort=False)}
    for d in defs.to_dict("records"):
        mine = groups.get(d["kpi_id"], with_actual.iloc[0:0])
        common = {"kpi_id": d["kpi_id"], "plan": plan, "goal": d.get("goal"), "kpi": d["kpi"], "unit": d.get("unit"),
                  "department": d.get("department"), "target": d.get("target_text") or _num_text(d.get("target_value"))}
        for r in mine.to_dict("records"):
            rows.append({**common, "period": r["period"], "value": _cell(r, d.get("value_kind")),
                         "note": r.get("note") if isinstance(r.get("note"), str) else None,
                         "judgement": r.get("judgement") if isinstance(r.get("judgement"), str) else None,
                         "origin": labels.get(r.get("origin"), r.get("origin"))})
        periods_have = set(mine["period"])
        if fill and not any(periods.in_window(p, fill) for p in periods_have) and _fits(d, fill):
            rows.append({**common, "period": fill, "value": None, "note": None, "judgement": None, "origin": None})
    frame = pd.DataFrame(rows, columns=SHEET_ORDER).assign(exported_at=stamp)
    return frame.rename(columns={c: HEADERS[c][lang] for c in SHEET_ORDER})


def _fits(d: dict, period: str) -> bool:
    try:
        _check_bounds(d, period)
        return True
    except ValueError:
        return False


def _num_text(v) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,}"


def _cell(r: dict, kind: str | None = "number"):
    """A value cell: the number for numeric actuals (so Excel can compute), the printed text otherwise."""
    if kind in ("done", "text") and isinstance(r.get("value_text"), str):
        return r["value_text"]
    v = r.get("value")
    if v is not None and not (isinstance(v, float) and math.isnan(v)):
        return float(v) if not float(v).is_integer() else int(v)
    return r.get("value_text")


def to_csv(frame: pd.DataFrame) -> bytes:
    """The sheet as CSV: UTF-8 with BOM, CRLF, formulas neutralised (cells.csv_bytes)."""
    return cells.csv_bytes(frame)


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """A workbook with one worksheet per entry (first = the sheet that is imported back), text cells neutralised
    and no string ever turned into a formula or link."""
    neutralise = cells.neutralise

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter",
                        engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}) as xw:
        for name, frame in sheets.items():
            neutralise(frame).to_excel(xw, sheet_name=name[:31], index=False)
            ws = xw.sheets[name[:31]]
            ws.freeze_panes(1, 0)
            for i, col in enumerate(frame.columns):
                width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200) if v is not None])
                ws.set_column(i, i, min(60, max(8, width * 1.6)))
    return buf.getvalue()


# ---------------------------------------------------------------- the sheet: import

def _header_map(columns) -> dict[str, str]:
    """Internal name for each header in the file (Japanese, English or internal names; case and width ignored)."""
    known = {}
    for name, by_lang in HEADERS.items():
        for h in (name, *by_lang.values()):
            known[_norm(h)] = name
    return {c: known[_norm(c)] for c in columns if _norm(c) in known}


def _norm(s) -> str:
    return unicodedata.normalize("NFKC", str(s)).strip().lower()


def _read_table(name: str, data: bytes, sheet_names) -> tuple[pd.DataFrame, str | None]:
    """(cells of an uploaded .csv or .xlsx, worksheet read): the first worksheet named in `sheet_names`, else the
    first one. LoaderError for an empty, unreadable or other file."""
    if not data or not data.strip():
        raise LoaderError(name, "ファイルが空です。", "the file is empty.")
    if name.lower().endswith(".xlsx"):
        try:
            book = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
        except Exception:  # noqa: BLE001 - any unreadable workbook is one user-facing error
            raise LoaderError(name, "Excel（xlsx）ファイルとして読めません。", "cannot read the file as an Excel workbook (xlsx).") from None
        names = book.sheet_names
        sheet = next((s for s in names if s in set(sheet_names)), names[0])
        return pd.read_excel(book, sheet_name=sheet, dtype=object, header=0), sheet
    if name.lower().endswith(".csv"):
        return csv_frame(name, decode_text(name, data)), None
    raise LoaderError(name, "CSV か xlsx のファイルを選んでください。", "choose a .csv or .xlsx file.")


def read_sheet(name: str, data: bytes) -> tuple[pd.DataFrame, dict[str, str], str | None]:
    """Read an uploaded KPI sheet (.csv in UTF-8/UTF-8-BOM/CP932, or .xlsx: the sheet 実績/values, else the first).

    Returns (rows, labels, sheet): rows holds the imported columns as typed plus `_row` = the row number as Excel
    shows it (header = 1); labels maps internal column names to how the file names them ('I: 実績値'); sheet is
    the worksheet read (None for CSV). Raises LoaderError for an unreadable file or missing required columns.
    """
    frame, sheet = _read_table(name, data, SHEET_NAME.values())
    mapping = _header_map(frame.columns)
    labels = {mapping[c]: f"{letter(i)}: {c}" for i, c in enumerate(frame.columns) if c in mapping}
    missing = [c for c in REQUIRED if c not in labels]
    if missing:
        want = "、".join(f"「{HEADERS[c]['ja']}」" for c in missing)
        raise LoaderError(name, f"必要な列 {want} がありません（1行目の見出しを確認してください）。",
                          f"required column(s) {', '.join(repr(HEADERS[c]['en']) for c in missing)} missing "
                          "(check the header in row 1).", row=1, column=HEADERS[missing[0]]["ja"], sheet=sheet)
    out = frame[[c for c in frame.columns if c in mapping]].rename(columns=mapping)
    for c in IMPORTED + ["exported_at"]:
        if c not in out.columns:
            out[c] = None
    out = out[IMPORTED + ["exported_at"]].copy()
    out["_row"] = range(2, len(out) + 2)
    return out, labels, sheet


def _text(v) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, (datetime, pd.Timestamp)):
        return v.strftime("%Y-%m-%d")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    if s.startswith("'"):  # undo cells.neutralise ("'=x", "'－5", "' =x" …), the one rule for formula text
        s = cells.restore(s).strip()
    return s or None


def normalise_period(raw: str) -> str:
    """A period as typed -> a kpi.periods label: 'FY2024', '2024年度', '令和6年度', 'R6' -> 'FY2024'; '2025/1/1',
    '令和7年1月1日', 'R7.1.1' -> '2025-01-01'; labels of kpi.periods as they are. Raises CellError (loaders.parse)
    for an era year or day that does not exist (平成38年度, 平成31年5月1日; the message names the equivalent),
    ValueError for anything else unreadable."""
    s = unicodedata.normalize("NFKC", raw).strip().replace(" ", "")
    if periods.is_valid(s):
        return s
    try:
        return wareki_to_date(s).isoformat()
    except CellError:
        raise
    except ValueError:  # not an era date: try the other forms
        pass
    m = re.fullmatch(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", s)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00:00)?", s)
    if m:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    m = re.fullmatch(r"(\d{4})年度", s) or re.fullmatch(r"(\d{4})", s)
    if m:
        return f"FY{m.group(1)}"
    m = re.fullmatch(r"(\d{4})年", s)
    if m:
        return f"CY{m.group(1)}"
    if s.endswith("年度") or re.fullmatch(r"(令和|平成|R|H)(元|\d{1,2})", s):
        return f"FY{wareki_to_year(s)}"
    raise ValueError(raw)


def _check_bounds(d: dict, period: str) -> None:
    """A period must lie after the KPI's baseline and not after its target; a cumulative KPI takes single years
    of its target span."""
    p = periods.parse(period)
    if d.get("aggregation") == "sum" and isinstance(d.get("target_period"), str):
        span = d["target_period"]
        kind = "CY" if span.startswith("CY") else "FY"
        if period not in periods.years_in(span, kind):
            raise ValueError("span")
        return
    tp = d.get("target_period")
    if isinstance(tp, str) and periods.parse(tp).years > 1.5 and p.years <= 1.5:
        raise ValueError("total")  # a multi-year total (e.g. net migration over 5 years) takes a span
    if isinstance(d.get("baseline_period"), str) and p.end <= periods.parse(d["baseline_period"]).end:
        raise ValueError("before")
    if isinstance(d.get("target_period"), str) and p.end > periods.parse(d["target_period"]).end:
        raise ValueError("after")


def parse_value(d: dict, raw: str | None) -> tuple[float | None, str | None]:
    """(value, value_text) of a typed cell for KPI definition `d`. Raises CellError (loaders.parse, with ja/en
    text) for a number that is not finite or too large (|value| ≥ loaders.parse.MAX_ABS_NUMBER = 10^15), else
    ValueError with a short reason code: 'done' (not 実施/未実施), 'number' (not a number)."""
    if raw is None:
        return None, None
    kind = d.get("value_kind") or "number"
    s = unicodedata.normalize("NFKC", raw).strip()
    if kind == "text":
        return None, raw.strip()
    if kind == "done":
        if s in _DONE:
            return _DONE[s], raw.strip()
        if s in ("0.0", "1.0"):
            return float(s), None
        raise ValueError("done")
    if s in MISSING_MARKS:
        return None, raw.strip()
    unit = unicodedata.normalize("NFKC", d.get("unit") or "")
    body = s
    for suffix in sorted({unit, "%", "％"} - {""}, key=len, reverse=True):
        if body.endswith(suffix):
            body = body[: -len(suffix)].strip()
            break
    try:
        v = parse_number(body)
    except CellError:
        raise
    except ValueError:
        raise ValueError("number") from None
    if v is None:
        return None, raw.strip()
    return v, (raw.strip() if raw.strip() != body else None)


def validate_rows(frame: pd.DataFrame, defs: pd.DataFrame, file: str, labels: dict[str, str],
                  sheet: str | None = None, current: pd.DataFrame | None = None) -> pd.DataFrame:
    """Check rows (kpi_id, period, value, note, judgement as typed, `_row` = row number to report) against the
    plan's KPI definitions; return the rows to save (VALUE_FIELDS).

    Rows with nothing typed are skipped; rows equal to `current` (merged values: what is already shown) are
    skipped. Raises LoaderError naming file, sheet, row and column (`labels` gives each column's name as the user
    sees it) for: unknown KPI ID, unreadable period, an era year or day that does not exist (平成38年度: the message
    suggests 令和8年度 = FY2026), a period outside the KPI's baseline–target range (or not a year of a cumulative
    KPI's span), a value that is not a number or is absurdly large (|v| ≥ 10^15; number KPIs) or not 実施/未実施
    (done KPIs), a grade other than ○ △ ×, or the same KPI and period twice.
    """
    by_id = {d["kpi_id"]: d for d in defs.to_dict("records")}
    seen: dict[tuple, int] = {}
    out = []
    cur = {}
    if current is not None and not current.empty:
        for r in current.to_dict("records"):
            cur[(r["kpi_id"], r["period"])] = r

    def err(row, col, ja, en) -> NoReturn:
        raise LoaderError(file, ja, en, row=row, column=labels.get(col, HEADERS[col]["ja"]), sheet=sheet)

    for r in frame.to_dict("records"):
        row = int(r["_row"])
        kid, per, val, note, judge = (_text(r.get(c)) for c in IMPORTED)
        if not any((per, val, note, judge)) and not kid:
            continue
        if not kid:
            err(row, "kpi_id", "KPI ID が空です。", "the KPI ID is empty.")
        if kid not in by_id:
            err(row, "kpi_id", f"KPI ID「{kid}」はこの計画にありません。", f"KPI ID {kid!r} is not in this plan.")
        d = by_id[kid]
        if not any((val, note, judge)):
            continue
        if not per:
            err(row, "period", "期間が空です（例: FY2025、2025年度、令和7年度）。", "the period is empty (e.g. FY2025).")
        try:
            period = normalise_period(per)
        except CellError as exc:
            err(row, "period", f"期間「{per}」: {exc.ja}", f"period {per!r}: {exc.en}")
        except ValueError:
            err(row, "period", f"期間「{per}」を読めません（例: FY2025、2025年度、令和7年度、2025-01-01）。",
                f"cannot read the period {per!r} (e.g. FY2025, 2025-01-01).")
        try:
            _check_bounds(d, period)
        except ValueError as exc:
            rng = f"{d.get('baseline_period') or '—'}〜{d.get('target_period') or '—'}"
            if str(exc) == "total":
                err(row, "period", f"この指標は複数年の合計です。期間は {d['target_period']} のように範囲で入力してください（「{per}」）。",
                    f"this KPI is a multi-year total: enter a span such as {d['target_period']} ({per!r}).")
            if str(exc) == "span":
                err(row, "period", f"累計の指標は {d['target_period']} の各年度で入力してください（「{per}」）。",
                    f"a cumulative KPI takes single years of {d['target_period']} ({per!r}).")
            err(row, "period", f"期間「{per}」は基準値と目標の期間（{rng}）の外です。",
                f"period {per!r} is outside the KPI's baseline–target range ({rng}).")
        try:
            value, value_text = parse_value(d, val)
        except CellError as exc:
            err(row, "value", f"実績値「{excerpt(val)}」: {exc.ja}", f"value {excerpt(val)!r}: {exc.en}")
        except ValueError as exc:
            if str(exc) == "done":
                err(row, "value", f"「{val}」は 実施 か 未実施 で入力してください。", f"{val!r}: enter 実施 (done) or 未実施 (not done).")
            unit = d.get("unit") or ""
            err(row, "value", f"実績値「{val}」が数値ではありません（単位: {unit or 'なし'}）。",
                f"value {val!r} is not a number (unit: {unit or 'none'}).")
        grade = None
        if judge:
            grade = _JUDGEMENTS.get(unicodedata.normalize("NFKC", judge).strip())
            if grade is None:
                err(row, "judgement", f"評価「{judge}」は ○・△・× のいずれかです。", f"grade {judge!r} must be ○, △ or ×.")
        key = (kid, period)
        if key in seen:
            err(row, "period", f"同じ KPI と期間の行が {seen[key]} 行目にもあります。",
                f"the same KPI and period is also in row {seen[key]}.")
        seen[key] = row
        rec = {"kpi_id": kid, "period": period, "value": value, "value_text": value_text, "note": note,
               "judgement": grade, "_row": row, "exported_at": _stamp(r.get("exported_at"))}
        if _same(rec, cur.get(key)):
            continue
        out.append(rec)
    return pd.DataFrame(out, columns=VALUE_FIELDS + ["_row", "exported_at"])


def _stamp(v) -> pd.Timestamp | None:
    """The sheet's export time (出力日時) as naive UTC, or None when the row has none or it cannot be read."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    try:
        t = pd.Timestamp(v.strip() if isinstance(v, str) else v)
    except (ValueError, TypeError):
        return None
    if t is pd.NaT:
        return None
    t = t.tz_localize(SHEET_TZ) if t.tzinfo is None else t  # a date Excel turned into a cell value: Japan time
    return t.tz_convert("UTC").tz_localize(None)


def stale_rows(rows: pd.DataFrame, user: pd.DataFrame) -> pd.Series:
    """For rows to import (validate_rows), True where the app holds a user-entered value of that KPI and period
    saved after the sheet was exported (or the sheet carries no export time): importing would silently revert an
    edit made meanwhile, so the official must confirm those rows. user: store.user kpi_values (with saved_at)."""
    if rows.empty:
        return pd.Series([], dtype=bool)
    saved = {(r["kpi_id"], r["period"]): r["saved_at"] for r in user.to_dict("records")} if not user.empty else {}
    out = []
    for r in rows.to_dict("records"):
        at = saved.get((r["kpi_id"], r["period"]))
        exported = r.get("exported_at")
        exported = None if exported is None or exported is pd.NaT or (isinstance(exported, float) and math.isnan(exported)) else exported
        out.append(at is not None and (exported is None or pd.Timestamp(at) > pd.Timestamp(exported)))
    return pd.Series(out, index=rows.index, dtype=bool)


def _same(rec: dict, cur: dict | None) -> bool:
    if cur is None:
        return False

    def n(v):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        return v

    cv, rv = n(cur.get("value")), rec["value"]
    same_value = (cv is None and rv is None) or (cv is not None and rv is not None and abs(float(cv) - rv) < 1e-9)
    same_text = rv is not None or n(cur.get("value_text")) == rec["value_text"]
    return same_value and same_text and n(cur.get("note")) == rec["note"] and n(cur.get("judgement")) == rec["judgement"]


# ---------------------------------------------------------------- the in-page editor

EDITOR_COLUMNS = ["kpi_id", "goal", "kpi", "unit", "period", "published", "value", "note", "judgement", "origin"]


def editor_period(d: dict, known: list[str], as_of: str) -> str:
    """The period an official most likely enters for KPI `d` when evaluating `as_of`: one of its known periods
    (`known`) that ends in that year (e.g. a census date or a census interval), the target span for KPIs whose
    value is a multi-year total, else the evaluation year itself."""
    inside = [p for p in known if periods.in_window(p, as_of)]
    if inside:
        return max(inside, key=lambda p: periods.parse(p).end)
    tp = d.get("target_period")
    if d.get("aggregation") != "sum" and isinstance(tp, str) and periods.parse(tp).years > 1.5:
        return tp
    return as_of


def editor_frame(defs: pd.DataFrame, merged: pd.DataFrame, published: pd.DataFrame, as_of: str,
                 goal_labels: dict, origin_labels: dict) -> pd.DataFrame:
    """Rows of the in-page editor (EDITOR_COLUMNS), one per KPI: the period to enter, the published value of that
    period (read-only), the current actual (editable), note, grade and where the current actual came from."""
    rows = []
    cur_rows = {(r["kpi_id"], r["period"]): r for r in merged.to_dict("records")}
    pub_rows = {(r["kpi_id"], r["period"]): r for r in published.to_dict("records")}
    periods_of: dict[str, list[str]] = {}
    for kid, per in cur_rows:
        periods_of.setdefault(kid, []).append(per)
    for d in defs.to_dict("records"):
        period = editor_period(d, periods_of.get(d["kpi_id"], []), as_of)
        c = cur_rows.get((d["kpi_id"], period), {})
        p = pub_rows.get((d["kpi_id"], period), {})
        value = None
        if c and (_text(c.get("value")) is not None or _text(c.get("value_text")) is not None):
            value = _text(c.get("value_text")) or _num_text(c.get("value"))
        rows.append({"kpi_id": d["kpi_id"], "goal": goal_labels.get(d["kpi_id"]), "kpi": d["kpi"],
                     "unit": d.get("unit"), "period": period,
                     "published": _text(p.get("value_text")) or _num_text(p.get("value")),
                     "value": value, "note": _text(c.get("note")), "judgement": _text(c.get("judgement")),
                     "origin": origin_labels.get(c.get("origin")) if c.get("origin") else None})
    return pd.DataFrame(rows, columns=EDITOR_COLUMNS)


def editor_changes(base: pd.DataFrame, edited: pd.DataFrame, defs: pd.DataFrame, file: str, labels: dict,
                   current: pd.DataFrame, user_origin_label: str) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Compare the editor's rows with what it was given and return (rows to save, (kpi_id, period) to clear).

    A row whose value, note and grade were all emptied clears what the user had entered there (the published value,
    if any, shows again). Every other changed row is validated like an imported sheet (validate_rows), the row
    number being the editor's (1 = first row): a LoaderError means nothing may be saved.
    """
    changed, clear = [], []
    for i in range(len(edited)):
        e, b = edited.iloc[i], base.iloc[i]
        fields = ("period", "value", "note", "judgement")
        if all(_text(e.get(f)) == _text(b.get(f)) for f in fields):
            continue
        if not any(_text(e.get(f)) for f in ("value", "note", "judgement")):
            if b.get("origin") == user_origin_label:
                clear.append((b["kpi_id"], _text(b.get("period"))))
            continue
        changed.append({"kpi_id": b["kpi_id"], "period": _text(e.get("period")), "value": _text(e.get("value")),
                        "note": _text(e.get("note")), "judgement": _text(e.get("judgement")), "_row": i + 1})
    frame = pd.DataFrame(changed, columns=IMPORTED + ["_row"])
    rows = validate_rows(frame, defs, file, labels, current=current) if changed else pd.DataFrame(columns=VALUE_FIELDS)
    return rows, clear


# ---------------------------------------------------------------- a plan's definitions (a municipality's own plan)

#: Columns of the definitions sheet (KPI一覧): internal name -> header per language. Only these are imported.
PLAN_HEADERS = {
    "kpi_id": {"ja": "KPI ID", "en": "KPI ID"},
    "level": {"ja": "区分", "en": "kind"},
    "goal_no": {"ja": "基本目標番号", "en": "goal no."},
    "goal": {"ja": "基本目標", "en": "basic goal"},
    "measure": {"ja": "施策", "en": "measure"},
    "project": {"ja": "事業", "en": "project"},
    "kpi": {"ja": "指標", "en": "indicator"},
    "unit": {"ja": "単位", "en": "unit"},
    "direction": {"ja": "方向", "en": "direction"},
    "value_kind": {"ja": "値の種類", "en": "value kind"},
    "aggregation": {"ja": "集計", "en": "aggregation"},
    "baseline_text": {"ja": "基準値（表記）", "en": "baseline (as printed)"},
    "baseline_value": {"ja": "基準値", "en": "baseline"},
    "baseline_period": {"ja": "基準時点", "en": "baseline period"},
    "target_text": {"ja": "目標値（表記）", "en": "target (as printed)"},
    "target_value": {"ja": "目標値", "en": "target"},
    "target_period": {"ja": "目標時点", "en": "target period"},
    "department": {"ja": "担当課", "en": "department"},
    "basis": {"ja": "人口の基準", "en": "population basis"},
    "linked_series": {"ja": "自動補完", "en": "linked series"},
    "note": {"ja": "備考", "en": "note"},
}
PLAN_SHEET_NAME = {"ja": "KPI一覧", "en": "KPIs"}
PLAN_REQUIRED = ["kpi"]
#: Codes of the coded columns and the words accepted for them (the labels are also what the editor offers).
PLAN_CHOICES = {
    "level": {"population_target": {"ja": "目標人口", "en": "target population"},
              "goal_target": {"ja": "数値目標", "en": "numerical target"}, "kpi": {"ja": "KPI", "en": "KPI"}},
    "direction": {"higher": {"ja": "増やす", "en": "higher is better"}, "lower": {"ja": "減らす", "en": "lower is better"},
                  "reduce_decline": {"ja": "減少を抑える", "en": "smaller decline"}},
    "value_kind": {"number": {"ja": "数値", "en": "number"}, "done": {"ja": "実施・未実施", "en": "done / not done"},
                   "text": {"ja": "文言", "en": "text"}},
    "aggregation": {"latest": {"ja": "その年の値", "en": "value of the year"},
                    "sum": {"ja": "期間の累計", "en": "total over the span"}},
    "basis": {"census": {"ja": "国勢調査", "en": "census"}, "juki": {"ja": "住民基本台帳", "en": "resident register"}},
    "linked_series": {"population_total": {"ja": "住基人口", "en": "register population"},
                      "net_migration": {"ja": "転入−転出", "en": "in − out migration"},
                      "births": {"ja": "出生数", "en": "births"}},
}
PLAN_DEFAULTS = {"level": "kpi", "direction": "higher", "value_kind": "number", "aggregation": "latest"}
_LINK_NOTES = {"population_total": "住民基本台帳の人口で自動補完。", "net_migration": "住民基本台帳の転入−転出で自動補完（参考値）。",
               "births": "住民基本台帳の出生数で自動補完（参考値）。"}


def choice_label(column: str, code, lang: str) -> str | None:
    """The word shown for a coded value (PLAN_CHOICES) in `lang`; None for an empty code."""
    if code is None or (isinstance(code, float) and math.isnan(code)) or code == "":
        return None
    return PLAN_CHOICES[column].get(code, {}).get(lang, code)


def _choice(column: str, raw: str | None) -> str | None:
    """The code for a typed coded value (code or label in either language, width and case ignored)."""
    if raw is None:
        return PLAN_DEFAULTS.get(column)
    want = _norm(raw)
    for code, words in PLAN_CHOICES[column].items():
        if want in {_norm(code), *(_norm(w) for w in words.values())}:
            return code
    raise ValueError(raw)


def plan_sheet_frame(defs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A plan's KPI definitions as the KPI一覧 worksheet (headers and coded values in `lang`): the sheet that
    read_plan_sheet imports back, e.g. to start another municipality's plan from this one."""
    out = defs.reindex(columns=list(PLAN_HEADERS)).copy()
    for col in PLAN_CHOICES:
        out[col] = [choice_label(col, v, lang) for v in out[col]]
    out["goal_no"] = [None if v is None or pd.isna(v) else int(v) for v in out["goal_no"]]
    return out.rename(columns={c: PLAN_HEADERS[c][lang] for c in PLAN_HEADERS})


def read_plan_sheet(name: str, data: bytes) -> tuple[pd.DataFrame, dict[str, str], str | None]:
    """Read an uploaded definitions sheet (.csv, or .xlsx: the worksheet KPI一覧/KPIs, else the first).

    Returns (rows, labels, sheet) like read_sheet: rows holds PLAN_HEADERS columns as typed plus `_row` (Excel's
    row number); labels maps internal names to how the file names them ('G: 指標'). LoaderError for an unreadable
    file, no 指標 column, or more rows than LIMITS.plan_kpis.
    """
    from settings import LIMITS

    frame, sheet = _read_table(name, data, PLAN_SHEET_NAME.values())
    known = {_norm(h): c for c, by_lang in PLAN_HEADERS.items() for h in (c, *by_lang.values())}
    mapping = {c: known[_norm(c)] for c in frame.columns if _norm(c) in known}
    labels = {mapping[c]: f"{letter(i)}: {c}" for i, c in enumerate(frame.columns) if c in mapping}
    if "kpi" not in labels:
        raise LoaderError(name, "必要な列「指標」がありません（1行目の見出しを確認してください）。",
                          "required column 'indicator' missing (check the header in row 1).", row=1, column="指標",
                          sheet=sheet)
    if len(frame) > LIMITS.plan_kpis:
        raise LoaderError(name, f"指標は {LIMITS.plan_kpis:,} 行までです（{len(frame):,} 行）。",
                          f"at most {LIMITS.plan_kpis:,} indicators ({len(frame):,} rows).", sheet=sheet)
    out = frame[[c for c in frame.columns if c in mapping]].rename(columns=mapping)
    out = out.reindex(columns=list(PLAN_HEADERS)).copy()
    out["_row"] = range(2, len(out) + 2)
    return out, labels, sheet


def validate_plan_rows(frame: pd.DataFrame, file: str, labels: dict[str, str], sheet: str | None = None) -> pd.DataFrame:
    """Check typed KPI definitions (PLAN_HEADERS columns as text, `_row` = row number to report) and return them
    as kpi_defs rows (store.user.DEF_FIELDS without plan_id and sort_order; kpi_id as typed or None).

    Empty rows are skipped. Raises LoaderError naming file, sheet, row and column for: no indicator name, an
    unknown kind / direction / value kind / aggregation / basis / linked series, a baseline or target that is not
    a number (number KPIs), an unreadable period, a target period not after the baseline period, a cumulative KPI
    whose target period is not a span of years, a target population that is not a number, a cell longer than
    LIMITS.cell_chars, or no indicator at all.
    """
    from settings import LIMITS

    def err(row, col, ja, en) -> NoReturn:
        raise LoaderError(file, ja, en, row=row, column=labels.get(col, PLAN_HEADERS[col]["ja"]), sheet=sheet)

    out = []
    for r in frame.to_dict("records"):
        row = int(r["_row"])
        cells = {c: _text(r.get(c)) for c in PLAN_HEADERS}
        if not any(cells.values()):
            continue
        for c, v in cells.items():
            if v is not None and len(v) > LIMITS.cell_chars:
                err(row, c, f"{LIMITS.cell_chars:,} 文字を超えています。", f"longer than {LIMITS.cell_chars:,} characters.")
        if not cells["kpi"]:
            err(row, "kpi", "指標名が空です。", "the indicator name is empty.")
        rec = {c: cells[c] for c in ("kpi_id", "goal", "measure", "project", "kpi", "unit", "baseline_text",
                                     "target_text", "department", "note")}
        for col in PLAN_CHOICES:
            try:
                rec[col] = _choice(col, cells[col])
            except ValueError:
                words = "・".join(w["ja"] for w in PLAN_CHOICES[col].values())
                err(row, col, f"「{cells[col]}」は {words} のいずれかです。",
                    f"{cells[col]!r} must be one of {', '.join(PLAN_CHOICES[col])}.")
        try:
            goal_no = parse_number(cells["goal_no"]) if cells["goal_no"] else None
            if goal_no is not None and (goal_no < 0 or not float(goal_no).is_integer()):
                raise ValueError(cells["goal_no"])
        except ValueError:
            err(row, "goal_no", f"基本目標番号「{cells['goal_no']}」は 0 以上の整数です。",
                f"goal no. {cells['goal_no']!r} must be a whole number from 0.")
        rec["goal_no"] = None if goal_no is None else int(goal_no)
        for side in ("baseline", "target"):
            raw = cells[f"{side}_value"]
            try:
                value = parse_number(raw) if raw else None
            except ValueError:
                value = None
                if rec["value_kind"] == "number":
                    err(row, f"{side}_value", f"「{raw}」は数値ではありません。", f"{raw!r} is not a number.")
            rec[f"{side}_value"] = value
            per = cells[f"{side}_period"]
            try:
                rec[f"{side}_period"] = normalise_period(per) if per else None
            except ValueError:
                err(row, f"{side}_period", f"時点「{per}」を読めません（例: FY2025、2025年度、令和7年度、2025-10-01）。",
                    f"cannot read the period {per!r} (e.g. FY2025, 2025-10-01).")
        bp, tp = rec["baseline_period"], rec["target_period"]
        if bp and tp and periods.parse(tp).end <= periods.parse(bp).end:
            err(row, "target_period", f"目標時点（{tp}）が基準時点（{bp}）より後ではありません。",
                f"the target period {tp} is not after the baseline period {bp}.")
        if rec["aggregation"] == "sum":
            kind = "CY" if (tp or "").startswith("CY") else "FY"
            if not tp or len(periods.years_in(tp, kind)) < 2:
                err(row, "target_period", "累計の指標の目標時点は FY2026-FY2030 のような年度の範囲です。",
                    "a cumulative KPI's target period is a span of years such as FY2026-FY2030.")
        if rec["level"] == "population_target" and rec["value_kind"] != "number":
            err(row, "value_kind", "目標人口は数値の指標です。", "a target population is a number.")
        rec["link_note"] = _LINK_NOTES.get(rec["linked_series"])
        rec["goal_en"] = rec["kpi_en"] = None
        out.append(rec)
    if not out:
        raise LoaderError(file, "指標が1行もありません。", "there is no indicator.", sheet=sheet)
    return pd.DataFrame(out)


def validate_plan_meta(meta: dict, file: str) -> dict:
    """Check a plan's name, municipality, period and rule as typed; return store.user.PLAN_FIELDS.

    meta: plan (name), plan_id (None for a new plan), municipality_code (JIS 5 digits) / _ja / _en, plan_start,
    plan_end (fiscal years, e.g. 'FY2026', '2026年度', '令和8年度'), default_rule (a key of kpi.rules.RULES), note.
    Raises LoaderError naming the field.
    """
    from kpi.rules import RULES

    def err(field, ja, en) -> NoReturn:
        raise LoaderError(file, ja, en, column=field)

    name = (meta.get("plan") or "").strip()
    if not name:
        err("計画名", "計画名を入力してください。", "enter the plan's name.")
    if not re.fullmatch(r"\d{5}", str(meta.get("municipality_code") or "")):
        err("自治体", "自治体コードが正しくありません。", "the municipality code is not valid.")
    span = []
    for field, label in (("plan_start", "計画期間（開始）"), ("plan_end", "計画期間（終了）")):
        raw = str(meta.get(field) or "").strip()
        try:
            label_fy = normalise_period(raw)
            if not re.fullmatch(r"FY\d{4}", label_fy):
                raise ValueError(raw)
        except ValueError:
            err(label, f"「{raw}」は年度ではありません（例: FY2026、2026年度、令和8年度）。",
                f"{raw!r} is not a fiscal year (e.g. FY2026).")
        span.append(label_fy)
    if periods.parse(span[1]).end < periods.parse(span[0]).end:
        err("計画期間（終了）", "計画期間の終了が開始より前です。", "the plan ends before it starts.")
    rule = meta.get("default_rule")
    if rule not in RULES:
        err("判定ルール", "判定ルールを選んでください。", "choose a grading rule.")
    return {"plan_id": meta.get("plan_id"), "plan": name, "plan_en": (meta.get("plan_en") or "").strip() or name,
            "municipality_code": str(meta["municipality_code"]), "municipality_ja": meta.get("municipality_ja"),
            "municipality_en": meta.get("municipality_en"), "plan_start": span[0], "plan_end": span[1],
            "evaluated_as_of": None, "default_rule": rule, "note": (meta.get("note") or "").strip() or None}
