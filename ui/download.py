"""Downloads that open correctly in Japanese Excel and cannot run formulas."""
from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from ui.i18n import t

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells starting with = + - @ (or tab/CR) with an apostrophe so spreadsheets show them as text.

    Numeric columns are left as numbers (a negative count stays a number).
    """
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with BOM (Japanese Excel detects the encoding), formulas neutralised, CRLF line ends."""
    return neutralise(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def safe_filename(*parts: str, ext: str = "csv") -> str:
    """A file name safe on Windows: parts joined by '_', reserved characters removed."""
    name = "_".join(p for p in parts if p)
    name = re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("._")
    return f"{name[:120]}.{ext}"


def download_csv(frame: pd.DataFrame, *name_parts: str, key: str) -> None:
    """A download button for `frame` as CSV (see csv_bytes)."""
    st.download_button(t("download_csv"), csv_bytes(frame), file_name=safe_filename(*name_parts),
                       mime="text/csv", key=key, icon=":material/download:")
