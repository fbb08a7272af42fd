"""推計の精度 / Projection accuracy: back-test of this app's method (2015 base → 2020, 2022) and IPSS 2018 against
the register, the area's own error, its size class's distribution and the national table (layout only)."""
import pandas as pd
import streamlit as st

import formats

from charts.projection_accuracy import error_strip
from indicators.glossary import size_band_labels
from queries import projections as qp
from ui.frame import caption, frame
from ui.i18n import t
from ui.show import chart

view = frame(__file__)
code, lang = view.code, view.lang
st.title(t("acc_title"))
st.caption(t("acc_intro"))
bt = qp.backtest()
table = qp.accuracy_table()
labels = size_band_labels(lang)
own = qp.area_accuracy(code)
if own is None or pd.isna(own["pe_app_2020"]):
    st.info(t("acc_none"))
else:
    cls = int(own["size_class"])
    row = table[table["size_class"] == cls].iloc[0]
    pe = lambda v: formats.percent(v, lang, 2, signed=True)  # noqa: E731
    st.markdown(t("acc_area", name=view.name, pe5=pe(own["pe_app_2020"]), pe7=pe(own["pe_app_2022"]),
                  ipss=pe(own["pe_ipss_2020"]), band=labels[cls], med5=row["app5_median_ape"], p80=row["app5_p80_ape"]))
    munis = bt[bt["kind"].isin(["city", "town", "village", "special_ward", "designated_city"])]
    peers = munis[munis["size_class"] == cls]
    title = t("acc_dist") + f" — {labels[cls]}" if len(peers) >= 10 else t("acc_dist_all", n=len(peers))
    chart(error_strip, (peers if len(peers) >= 10 else munis)[["pe_app_2020"]].rename(columns={"pe_app_2020": "pe"}).dropna(),
          own["pe_app_2020"], lang, title, t("acc_pe"))
st.subheader(t("acc_table"))
cols = {"size_class": t("acc_col_band"), "app5_n": t("acc_col_n"), "app5_median_ape": t("acc_col_app5"),
        "app5_mean_ape": t("acc_col_app5_mean"), "app5_p80_ape": t("acc_col_app5_p80"),
        "app5_mean_pe": t("acc_col_app5_bias"), "app7_median_ape": t("acc_col_app7"),
        "app7_p80_ape": t("acc_col_app7_p80"), "ipss5_median_ape": t("acc_col_ipss5"),
        "ipss5_p80_ape": t("acc_col_ipss5_p80")}
table = table[table["app5_n"] > 0]  # size classes with no municipality in this database are left out
shown = table[list(cols)].assign(size_class=[labels[c] if c >= 0 else t("acc_all") for c in table["size_class"]])
config = {v: st.column_config.NumberColumn(v, format="%.2f") for k, v in cols.items() if k not in ("size_class", "app5_n")}
st.dataframe(shown.rename(columns=cols), hide_index=True, width="stretch", column_config=config)
caption(["juki_age", "ipss_h30_municipal"], "unit_percent", "period_date")
