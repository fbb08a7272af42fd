"""SQL コンソール / SQL console: one read-only SELECT over the database (and the user's imports as `imports.*`),
checked by DuckDB's parser and run in a sandboxed process with time, memory and row limits (settings.LIMITS).
sandbox.run() turns every failure into a Refused with a ja/en message, shown here in full as text."""
import streamlit as st

from loaders.errors import LoaderError
from store import user as user_store
from queries import explorer as ex
from queries import sandbox
from settings import LIMITS, USER_DIR
from ui.download import offer
from ui.frame import frame
from ui.i18n import fmt_int, t
from store import official

view = frame(__file__)
lang = view.lang
st.title(t("sql_title"))
st.caption(t("sql_intro", seconds=f"{LIMITS.sql_seconds:g}", rows=fmt_int(LIMITS.sql_rows)))

have_imports = bool(ex.tables("user"))
examples = [e for e in sandbox.EXAMPLES if have_imports or e.key != "sqlx_imports"]
by_key = {e.key: e.sql for e in examples}


def _use_example() -> None:
    st.session_state["sql"] = by_key[st.session_state["sql_example"]]


if "sql" not in st.session_state and "sql" not in st.query_params:
    st.session_state["sql"] = examples[1].sql
left, right = st.columns([3, 1])
with right:
    st.selectbox(t("sql_example_pick"), list(by_key), format_func=t, key="sql_example", index=None,
                 on_change=_use_example, placeholder=t("sql_examples"))
    with st.expander(t("sql_sandbox")):
        st.markdown(t("sql_sandbox_text"))
with left:
    with st.form("sql_form"):
        query = st.text_area(t("sql_query"), key="sql", height=260, bind="query-params")
        run = st.form_submit_button(t("sql_run"), type="primary", icon=":material/play_arrow:")

with st.expander(t("sql_schema"), icon=":material/schema:"):
    schema = ex.console_schema(lang, have_imports)
    shown = st.selectbox(t("sql_col_table"), schema["table"].unique(), key="sql_schema_table")
    st.dataframe(schema[schema["table"] == shown].drop(columns="table"), hide_index=True, width="stretch",
                 column_config={c: t(f"sql_col_{c}") for c in ("column", "type", "unit", "description", "allowed")})
    st.caption(t("sql_schema_note") + f" [{t('meta_link')}](metadata?table={shown.removeprefix('imports.')})")

if run:
    try:
        try:
            user_file = user_store.default().duckdb_file(USER_DIR / "console")
        except LoaderError:  # user store unreachable (the frame says so): the official tables only
            user_file = None
        st.session_state["_sql_result"] = (query, sandbox.run(query, official.database_path(), user_file), None)
    except sandbox.Refused as exc:
        st.session_state["_sql_result"] = (query, None, exc)
done = st.session_state.get("_sql_result")
if done and done[0] == query:
    _, result, error = done
    if error is not None:
        # In a code block: DuckDB's message keeps its lines (LINE 1: … ^^^) and is never read as markdown.
        text = error.message(lang).replace("```", "ʼʼʼ")
        st.error(f"**{t('sql_refused')}**\n\n```text\n{text}\n```", icon=":material/block:")
    else:
        st.caption(t("sql_result", n=fmt_int(len(result.frame)), seconds=result.seconds))
        if result.truncated:
            st.warning(t("sql_truncated", rows=fmt_int(LIMITS.sql_rows)))
        numbers = result.frame.select_dtypes("number").columns
        st.dataframe(result.frame, hide_index=True, column_config={  # thousands separators, except for years and ids
            c: st.column_config.NumberColumn(format="%d" if ("year" in c or c.endswith("_id")) else "localized")
            for c in numbers})
        offer(result.frame, t("sql_file_name"), "dl_sql", name="SQL", meta=[(t("sql_meta_query"), query)], parquet=True)
