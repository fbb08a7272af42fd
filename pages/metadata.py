"""メタデータ / Metadata: one page per table (?table=vital_events), indicator (?ind=aging) or set of sources
(?src=juki_dynamics — where every chart caption links): definition, formula, columns with units and allowed values,
period kind, coverage, sources with retrieval dates, update schedule, and how to cite with the database version."""
import streamlit as st

import indicators as ind
import queries
from queries import explorer as ex
from ui.download import citation, present
from ui.frame import frame
from ui.i18n import fmt_int, t

view = frame(__file__)
lang = view.lang
table, key, src = (st.query_params.get(k) for k in ("table", "ind", "src"))
st.title(t("meta_title"))
if table in ex.TABLES:
    st.header(t(f"tbl_{table}"))
    st.markdown(t(f"tblh_{table}"))
    st.subheader(t("meta_columns"))
    cols = ex.schema("official", lang=lang)
    st.dataframe(cols[cols["table"] == table].drop(columns="table"), hide_index=True, width="stretch",
                 column_config={c: t(f"sql_col_{c}") for c in ("column", "type", "unit", "description", "allowed")})
    st.subheader(t("meta_coverage"))
    cov = ex.coverage("official", table)
    st.dataframe(present(cov.rename(columns={"kind": "period_kind", "first": "meta_first", "last": "meta_last",
                                             "n": "meta_rows", "areas": "meta_areas"}), lang)[0], hide_index=True)
    ids = ex.values("official", table, "source_id")
elif key in ind.BY_KEY:
    spec = ind.BY_KEY[key]
    st.header(spec.name[lang])
    st.markdown("\n".join(f"- **{t(k)}**: {v}" for k, v in (("meta_formula", spec.formula[lang]), ("meta_period", spec.period[lang]),
                                                            ("meta_unit", spec.unit[lang]), ("meta_note", spec.note[lang])) if v))
    ids = list(spec.source_ids)
elif src:
    ids = [s for s in src.split(",") if s]
else:
    st.markdown(t("meta_intro"))
    st.markdown("\n".join(f"- [{t(f'tbl_{n}')}](metadata?table={n}&lang={lang})" for n in ex.TABLES))
    st.markdown("\n".join(f"- [{i.name[lang]}](metadata?ind={i.key}&lang={lang})" for i in ind.INDICATORS))
    ids = []
if ids:
    sources = ex.sources("official", ids, lang)
    st.subheader(t("meta_sources"))
    st.dataframe(present(sources, lang)[0], hide_index=True, width="stretch")
    st.markdown("\n".join(f"- {t('meta_schedule_of', publisher=r.publisher)}: {t(ex.update_schedule(r.source_id))}"
                          for r in sources.itertuples()))
    st.subheader(t("meta_cite"))
    info = queries.build_info()
    db_line = t("meta_cite_db", kind=t("db_kind_" + info.get("kind", "bundled")), built=info.get("built_at", ""))
    st.code(f"{citation(sources, lang)}\n{db_line}", language=None)
st.caption(t("meta_rows_note", n=fmt_int(len(ids))) if ids else "")
