"""Data: upload exports (recognise, map, preview, validate, load atomically), see the load history, undo a load."""

import hashlib

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.i18n import MISSING, Markdown, fmt_number, t, t_error, t_plain
from dashboard.ingest import LoadError, commit, guess_kind, prepare
from dashboard.ingest.readers import EXCEL_SUFFIXES, ReadError, excel_sheets
from dashboard.schema import TABLE_NAMES, TABLES

# The delimiter the reader found, to the end of its label's key (delimiter_comma, ...).
DELIMITER = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe", "aligned": "aligned", "whitespace": "whitespace"}
# The history in the order shown: batch_id, which only groups a command's loads for undo, is left out.
HISTORY_COLUMNS = """load_id loaded_at table_name file_name mode rows_read rows_loaded rows_rejected rows_replaced
    rows_after status sha256""".split()


def _drop_prepared():
    old = st.session_state.pop("prepared", None)
    if old is not None:
        old[1].discard()


def _last_action_notice():
    if st.session_state.get("load_done"):
        st.success(st.session_state.pop("load_done"), icon=":material/check_circle:")


def _upload_form():
    # A load moves on to the next round: the uploader's new key empties it.
    st.session_state.setdefault("upload_round", 0)
    return st.file_uploader(
        t("upload_label"),
        type=["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods", "parquet", "pq"],
        key=f"upload_{st.session_state['upload_round']}",
        help=t("upload_help"),
    )


def _review_and_load(ws, upload):
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:16]
    kind_choice, sheet, order_choice = _file_choices(upload.name, data, digest)
    day_first = {"auto": None, "dmy": True, "mdy": False}[order_choice]
    mapping_key = f"mapping_{digest}_{kind_choice}_{sheet}"
    mapping = st.session_state.get(mapping_key + "_value")
    signature = (digest, kind_choice, sheet, order_choice, repr(mapping))
    kind = None if kind_choice == "auto" else kind_choice
    prepared = _prepare(ws, data, upload.name, signature, kind=kind, mapping=mapping, sheet=sheet, day_first=day_first)
    if prepared is None:
        return
    _recognised(prepared, upload.name)
    _mapping_editor(prepared, mapping_key)
    _checks(prepared, upload.name, kind_choice, day_first)
    _confirm_and_load(ws, prepared, digest)


def _file_choices(file_name, data, digest):
    sheet = None
    top = st.columns(3)
    if any(file_name.lower().endswith(s) for s in EXCEL_SUFFIXES):
        try:
            sheets = excel_sheets(data)
        except ReadError as exc:
            sheets = []
            st.error(t_error(exc.code, exc.detail))
        if len(sheets) > 1:
            sheet = top[1].selectbox(t("upload_sheet"), sheets, key=f"sheet_{digest}")
    kind_choice = top[0].selectbox(
        t("upload_kind"),
        ["auto", *TABLE_NAMES],
        key=f"kind_{digest}",
        format_func=lambda k: t("upload_kind_auto") if k == "auto" else t(f"table_{k}"),
    )
    order_choice = top[2].selectbox(
        t("upload_date_order"),
        ["auto", "dmy", "mdy"],
        key=f"dates_{digest}",
        format_func=lambda k: t(f"date_order_{k}"),
    )
    return kind_choice, sheet, order_choice


def _prepare(ws, data, file_name, signature, **options):
    # Preparing stages the whole file, so it is kept while the file and the choices (``signature``) stay the same.
    held = st.session_state.get("prepared")
    if held and held[0] == signature:
        return held[1]
    _drop_prepared()
    # A cursor of this session's own: a load registers the file's rows on it while it stages them.
    if "ingest_cursor" not in st.session_state:
        st.session_state["ingest_cursor"] = ws.cursor()
    try:
        with st.spinner(t("upload_reading")):
            prepared = prepare(ws, data, file_name, **options, cursor=st.session_state["ingest_cursor"])
    except LoadError as error:
        st.error(t_error(error.code, error.detail), icon=":material/error:")
        if error.code in ("err_missing_required", "err_wrong_kind", "err_no_columns"):
            st.info(t("upload_fix_hint"), icon=":material/lightbulb:")
        st.caption(t("upload_nothing_changed"))
        return None
    st.session_state["prepared"] = (signature, prepared)
    return prepared


def _recognised(prepared, file_name):
    st.subheader(t("upload_recognised", kind=t(f"table_{prepared.kind}"), file=file_name))
    raw = prepared.raw
    fmt_bits = [t("upload_encoding", encoding=raw.encoding)] if raw.encoding else []
    if raw.delimiter:
        fmt_bits.append(t("upload_delimiter", delimiter=t("delimiter_" + DELIMITER.get(raw.delimiter, "comma"))))
    if raw.sheet:
        fmt_bits.append(t("upload_sheet_used", sheet=raw.sheet))
    st.caption(Markdown(" · ").join(fmt_bits))


def _mapping_editor(prepared, mapping_key):
    spec = TABLES[prepared.kind]
    sample = prepared.raw.table.slice(0, 3).to_pydict()
    editor = pd.DataFrame(
        {
            "column": list(prepared.mapping),
            "sample": [" | ".join(str(v) for v in sample[c][:3]) for c in prepared.mapping],
            "field": [prepared.mapping[c] or "" for c in prepared.mapping],
        }
    )
    st.markdown(f"**{t('upload_mapping_title')}**")
    edited = st.data_editor(
        editor,
        key=f"{mapping_key}_editor",
        hide_index=True,
        width="stretch",
        disabled=["column", "sample"],
        column_config={
            "column": st.column_config.TextColumn(t("upload_col_source")),
            "sample": st.column_config.TextColumn(t("upload_col_sample")),
            "field": st.column_config.SelectboxColumn(
                t("upload_col_field"),
                options=[""] + [f.name for f in spec.fields],
                help=t("upload_col_field_help", required=Markdown(", ").join(spec.required)),
            ),
        },
    )
    new_mapping = {r.column: (r.field or None) for r in edited.itertuples()}
    if new_mapping != prepared.mapping:
        st.session_state[mapping_key + "_value"] = new_mapping
        st.rerun()


def _checks(prepared, file_name, kind_choice, day_first):
    ambiguous = [c for c, fm in prepared.formats.items() if fm.ambiguous]
    if ambiguous and day_first is None:
        st.warning(t("load_ambiguous_dates", columns=Markdown(", ").join(ambiguous)), icon=":material/event:")
    if prepared.already_loaded_at is not None:
        st.warning(t("load_already_loaded", when=str(prepared.already_loaded_at)[:16]), icon=":material/history:")
    if guess_kind(prepared.raw.table.column_names, file_name).kind != prepared.kind and kind_choice != "auto":
        st.info(t("upload_kind_differs", kind=t(f"table_{prepared.suggested_kind}")))
    m1, m2, m3 = st.columns(3)
    m1.metric(t("upload_rows_read"), fmt_number(prepared.rows_read), border=True)
    m2.metric(t("upload_rows_ok"), fmt_number(prepared.rows_ok), border=True)
    m3.metric(t("upload_rows_rejected"), fmt_number(prepared.rows_rejected), border=True)
    st.markdown(f"**{t('upload_preview')}**")
    ui.table(prepared.preview())
    counts = prepared.reason_counts()
    if not len(counts):
        return
    st.markdown(f"**{t('upload_report')}**")
    lines = [
        t(
            "report_line",
            rows=fmt_number(r.rows),
            severity=t("severity_" + r.severity),
            column=r.column or MISSING,
            reason=t(r.reason),
        )
        for r in counts.itertuples()
    ]
    st.markdown("\n".join(f"- {line}" for line in lines))
    problems = prepared.problems()
    problems = problems.assign(reason_text=problems["reason"].map(t))
    with st.expander(t("upload_problem_rows", n=fmt_number(len(problems)))):
        ui.table(problems.head(1000))
    ui.download_buttons(problems, f"rejected_{prepared.kind}", "rejects", excel=False)
    st.caption(t("upload_rejected_hint"))


def _confirm_and_load(ws, prepared, digest):
    existing = ws.row_counts()[prepared.kind]
    mode = st.radio(
        t("upload_mode"),
        ["replace", "append"],
        horizontal=True,
        key=f"mode_{digest}",
        format_func=lambda m: t(f"mode_{m}", n=fmt_number(existing)),
    )
    go = st.button(
        t("upload_confirm", n=fmt_number(prepared.rows_ok), kind=t(f"table_{prepared.kind}")),
        type="primary",
        disabled=prepared.rows_ok == 0,
        icon=":material/upload:",
        key="upload_confirm",
    )
    if not go:
        return
    with st.spinner(t("upload_saving")):
        try:
            record = commit(ws, prepared, mode)
        except LoadError as exc:
            st.error(t_error(exc.code, exc.detail))
        except Exception as exc:  # the swap rolled back: say so plainly, keep the user's data
            st.error(t("err_load_failed", detail=str(exc)))
        else:
            _drop_prepared()
            st.session_state["upload_round"] += 1
            st.session_state["load_done"] = t(
                "load_done",
                rows=fmt_number(record["rows_loaded"]),
                kind=t(f"table_{record['table_name']}"),
                total=fmt_number(record["rows_after"]),
                rejected=fmt_number(record["rows_rejected"]),
            )
            st.rerun()


def _workspace_tables(ws):
    st.divider()
    st.subheader(t("workspace_title"))
    counts = ws.row_counts()
    cols = st.columns(4)
    for i, name in enumerate(TABLE_NAMES):
        required = name in ("orders", "leads")
        cols[i % 4].metric(
            t(f"table_{name}") + (" *" if required else ""),
            fmt_number(counts[name]),
            border=True,
            help=t(f"table_{name}_help"),
        )
    st.caption(t("workspace_required_hint"))


def _history_and_undo(ws):
    history = ws.history()
    st.subheader(t("history_title"))
    if history.empty:
        st.caption(t("history_empty"))
        return
    _undo(ws)
    shown = history.assign(
        table_name=history["table_name"].map(lambda x: t(f"table_{x}")),
        status=history["status"].map(lambda s: t(f"status_{s}")),
        mode=history["mode"].map(lambda m: t(f"mode_short_{m}")),
    )[HISTORY_COLUMNS]
    ui.table(shown.rename(columns={c: t(f"hist_{c}") for c in shown.columns}))


def _undo(ws):
    steps = ws.undo_steps().set_index("batch_id")
    if not len(steps):
        return
    c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
    # Keyed on the newest command, so after another load that one is offered, not the one picked before it.
    # A command that loaded several files is one step: its option names them all.
    batch = c1.selectbox(
        t("history_undo_pick"),
        list(steps.index),
        key=f"undo_step_{steps.index.max()}",
        # Options of a select box are shown as plain text: the file name is not escaped for markdown.
        format_func=lambda b: " + ".join(
            t_plain(
                "history_undo_option",
                kind=t(f"table_{tb}"),
                file=file or MISSING,
                when=str(steps.loc[b, "loaded_at"])[:16],
                rows=fmt_number(rows),
            )
            for tb, file, rows in zip(steps.loc[b, "tables"], steps.loc[b, "files"], steps.loc[b, "rows"], strict=True)
        ),
    )
    if c2.button(t("history_undo"), key="undo_button", icon=":material/undo:", width="stretch"):
        with st.spinner(t("upload_saving")):
            ws.undo_last(steps.loc[batch, "table_name"])
        kinds = Markdown(", ").join(t(f"table_{tb}") for tb in dict.fromkeys(steps.loc[batch, "tables"]))
        st.session_state["load_done"] = t("undo_done", kind=kinds)
        st.rerun()


ws = ui.workspace()
if st.session_state.pop("start_own_data", False) and ws.is_demo:
    ws.clear()  # asked for by the demo badge's "start with my own data"
ui.header("data")
_last_action_notice()
upload = _upload_form()
if upload is None:
    _drop_prepared()
else:
    _review_and_load(ws, upload)
_workspace_tables(ws)
_history_and_undo(ws)
