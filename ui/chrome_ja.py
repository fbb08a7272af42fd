"""Streamlit's own widget texts in Japanese (the one override of Streamlit's chrome, scoped to Japanese mode).

Streamlit 1.67 has no setting for these texts: st.file_uploader's "Upload" button and its "200MB per file • CSV"
line (1.67 shows "Drag and drop files here" only while a file is dragged over) and st.multiselect's "Select all" are fixed English strings in its frontend (upstream feature
request streamlit/streamlit#13500, open in 2026). This module injects one small stylesheet, only when the UI
language is Japanese, that hides the English text and shows the Japanese text in its place (CSS `content`): no
script, no change to the widgets' behaviour, and only selectors Streamlit marks as test ids or element roles.
tests/e2e/test_downloads.py checks the rendered texts in Chromium, so a Streamlit upgrade that moves them fails
a test instead of silently showing English.
"""
from __future__ import annotations

import streamlit as st

#: English text -> Japanese text, as shown (kept here so the browser test asserts the same words).
TEXTS = {"Upload": "ファイルを選ぶ",
         "per file": "1ファイルあたりの上限",
         "Select all": "すべて選択",
         "Select {n} matches": "一致する項目をすべて選択"}

_UPLOAD = '[data-testid="stFileUploaderDropzone"]'
_CSS = f"""
<style>
{_UPLOAD} button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
{_UPLOAD} button [data-testid="stMarkdownContainer"] p::after {{ content: "{TEXTS['Upload']}"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::before {{ content: "{TEXTS['per file']} "; font-size: 0.75rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: var(--popdash-limit); font-size: 0.75rem; }}
[role="option"][data-key="__select_all__"] [data-item-hl] {{ font-size: 0; }}
[role="option"][data-key="__select_all__"] [data-item-hl]::after {{ content: "{TEXTS['Select all']}"; font-size: 0.875rem; }}
[role="option"][data-key="__select_matches__"] [data-item-hl] {{ font-size: 0; }}
[role="option"][data-key="__select_matches__"] [data-item-hl]::after {{ content: "{TEXTS['Select {n} matches']}"; font-size: 0.875rem; }}
</style>
"""


def apply(lang: str) -> None:
    """Inject the Japanese texts for Streamlit's widgets when `lang` is 'ja' (nothing in English)."""
    if lang != "ja":
        return
    limit = st.get_option("server.maxUploadSize")
    st.html(_CSS.replace("<style>", f"<style>:root {{ --popdash-limit: \"{limit}MB\"; }}"))
