"""The projection page's widgets (pages/projection.py is layout only): the scenario sliders and presets, the IPSS
area-group panel, the parameter-file expander and a table with its column config. Slider values live in the address
bar (bind="query-params"; the two segmented controls through ui.state), so a link opens the same scenario. Keys,
ranges, steps and defaults of the controls are projection.controls (the outlook page reads the same ones).
"""
from __future__ import annotations

import streamlit as st

from loaders.errors import LoaderError
from loaders.parameters import read_parameter_csv
from projection import controls as pc
from queries import outlook as qo
from queries import projections as qp
from queries.views import projection as vp
from ui import state
from ui.download import download_csv
from ui.frame import caption
from ui.i18n import t
from ui.ipss import vintage_picker


def apply_kurume_preset(base_tfr: float) -> None:
    st.session_state.update(vp.kurume_preset(base_tfr))


def apply_share_preset(value: float) -> None:
    st.session_state.update(fshare=value)


def slider(control: pc.Slider, default=None, **help_values):
    """A slider of projection.controls bound to the address bar (`default` for a control whose default is the
    area's own value; `help_values` fill its help text)."""
    value = control.default if default is None else default
    helptext = t(control.help_key, **help_values) if control.help_key else None
    return st.slider(t(control.label_key), control.min, control.max, value, control.step, key=control.key,
                     bind="query-params", help=helptext)


def choice(control: pc.Choice, prefix: str) -> str:
    """A segmented control of projection.controls whose code lives in the URL (labels: catalogue `prefix` + code)."""
    value = st.segmented_control(t(control.label_key), list(control.options), format_func=lambda m: t(prefix + m),
                                 key=state.widget(control.key, list(control.options), control.default),
                                 required=True) or control.default
    return value


def live_controls(code: str, inputs) -> dict:
    """A live slide (presenter mode): only the two sliders a council asks about — the fertility target and the
    migration change — large; every other setting as the link gives it (or its default), without a widget."""
    base_tfr, tfr_source = float(inputs.tfr_base), inputs.notes["tfr_base"].get(code, "")
    url = {k: st.query_params.get_all(k) for k in pc.SCENARIO_KEYS if k in st.query_params}
    v = qo.scenario_values(url, {}, base_tfr)
    c1, c2 = st.columns(2)
    with c1:
        tfr = slider(pc.TFR, pc.defaults(base_tfr)["tfr"], base=f"{base_tfr:.2f}", source=tfr_source)
    with c2:
        mig = slider(pc.MIGRATION)
    births = st.query_params.get(pc.BIRTHS.key)
    births = births if births in pc.BIRTHS.options else pc.BIRTHS.default
    vintage = qp.vintage(st.query_params.get("ipss") or st.session_state.get("_ipss_vintage", qp.IPSS_DEFAULT))
    values = dict(tfr=tfr, tfr_year=v["tfry"], births=births, mig=mig, ages=v["ages"], fshare=v["fshare"],
                  fmethod=v["fm"], vintage=vintage)
    return {**values, "scenario": vp.scenario(tfr, v["tfry"], mig, v["ages"], v["fshare"], v["fm"], births)}


def scenario_controls(code: str, inputs) -> dict:
    """Draw the sliders (starting from the area's base TFR in `inputs`, qp.inputs), presets and the IPSS vintage;
    return their values (tfr, tfr_year, births, mig, ages, fshare, fmethod, vintage) and the scenario they make."""
    base_tfr, tfr_source = float(inputs.tfr_base), inputs.notes["tfr_base"].get(code, "")
    c1, c2, c3 = st.columns(3)
    with c1:
        tfr = slider(pc.TFR, pc.defaults(base_tfr)["tfr"], base=f"{base_tfr:.2f}", source=tfr_source)
        tfr_year = slider(pc.TFR_YEAR)
        births = choice(pc.BIRTHS, "bm_")
    with c2:
        mig = slider(pc.MIGRATION)
        ages = slider(pc.AGES)
        st.caption(t("mig_reading"))
    with c3:
        fshare = slider(pc.FOREIGN_SHARE)
        p1, p2 = st.columns(2)
        p1.button(t("preset_own_trend"), on_click=apply_share_preset, args=(pc.FOREIGN_SHARE_DEFAULT,), key="fs_trend")
        p2.button(t("preset_ipss_share"), on_click=apply_share_preset, args=(pc.FOREIGN_SHARE_PRESET,), key="fs_ipss")
        fmethod = choice(pc.FOREIGN_METHOD, "fm_")
    b1, b2 = st.columns([1, 2], vertical_alignment="bottom")
    if not qp.city_improvement(code).empty:  # only where the city's published scenario applies
        b1.button(t("preset_kurume"), on_click=apply_kurume_preset, args=(base_tfr,), key="preset",
                  icon=":material/tune:")
    vintage = vintage_picker(b2)
    return dict(tfr=tfr, tfr_year=tfr_year, births=births, mig=mig, ages=ages, fshare=fshare, fmethod=fmethod,
                vintage=vintage, scenario=vp.scenario(tfr, tfr_year, mig, ages, fshare, fmethod, births))


def table(frame, config: dict, **kwargs) -> None:
    st.dataframe(frame, hide_index=True, column_config=config, **kwargs)


def ipss_unit_panel(code: str, vintage: str, view) -> None:
    """Where the IPSS line is missing: say so, or for a 浜通り member show the aggregate IPSS projected instead."""
    unit = vp.ipss_unit(code, vintage, view.name, view.lang)
    if unit["kind"] == "none":
        st.caption(unit["caption"])
    elif unit["kind"] == "group":
        st.info(unit["note"], icon=":material/info:")
        if view.presenter:
            return
        g = vp.ipss_group_table(code, vintage, unit["group"], unit["members"], view.lang)
        st.markdown(g["title"])
        table(g["frame"], g["config"])
        caption(g["source_ids"], "unit_persons", "period_date", g["members"])


def parameters_panel(code: str, area_name_ja: str, base: int, lang: str) -> None:
    """The expander to download the projection's parameters and upload an edited file (kept in _params)."""
    with st.expander(t("params_title")):
        st.caption(t("params_help"))
        download_csv(qp.parameter_table(code, base), code, area_name_ja, "projection_parameters", key="dl_params")
        upload = st.file_uploader(t("params_upload"), type=["csv"], key="params_file")
        st.session_state["_params"] = None
        if upload is not None:
            try:
                st.session_state["_params"] = read_parameter_csv(upload.name, upload.getvalue(), base_year=base)
                st.success(t("params_applied", n=len(st.session_state["_params"])))
            except LoaderError as exc:
                st.error(exc.message(lang))
