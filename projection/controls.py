"""The scenario controls of the projection and outlook pages, defined once (pure; no Streamlit).

FOREIGN_SHARE_PRESET / FOREIGN_SHARE_DEFAULT: the foreign-share slider's labelled preset and its default (percent).
"""
from __future__ import annotations

#: The foreign-share preset (percent of the total population in 2070): the national assumption of IPSS 令和5年推計,
#: which the 久留米市 vision adopted. A labelled preset, never the default: for 大泉町 (21 % foreign today) it would pull
#: the projection down, for 浪江町 it would give 0 %. The one definition; the pages and the indicators import it.
FOREIGN_SHARE_PRESET = 10.8
#: The default foreign-share target: 0 = none, the area's own cohort-change trend (Hamilton–Perry).
FOREIGN_SHARE_DEFAULT = 0.0
