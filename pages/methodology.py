import pandas as pd
import streamlit as st

from dashboard import contract, definitions, escape, fmt, refresh
from dashboard.app import page
from dashboard.outputs.downloads import safe_csv_bytes
from dashboard.serving.store import state_dir_from_env
from dashboard.views import quality

store, ctx = page.start(
    "Data and methodology",
    "Where every figure comes from, how each extract was checked, and what each measure means.",
)
run = ctx.run

st.header("Sources")
if store.is_sample:
    st.warning(
        "The dashboard is running on the **bundled synthetic sample** (data/README.md explains how it "
        "was made). Point SEND_DATA_DIR at a folder of real extracts to use real data.",
        icon="⚠️",
    )
# Files are named, never the folders they are in: those stay in the server log.
st.markdown(
    f"Data version `{escape.markdown(store.version)}` · checked "
    f"{escape.markdown(store.report.loaded_at.replace('T', ' '))} · data as of **{fmt.day(store.as_of)}**."
)
served = run("source_row_counts", {}).set_index("table_name")["rows_served"]
STATUS_WORDS = {
    "loaded": "✅ Loaded",
    "loaded_with_rejections": "⚠️ Loaded, some rows rejected",
    "refused": "🚫 Refused",
    "missing": "🚫 Missing",
}
OPTIONAL_MISSING = "Not supplied (optional)"
rows = []
for extract in contract.EXTRACTS:
    report = store.report.files[extract.table]
    rows.append(
        {
            "File": report.filename,
            "What it holds": extract.grain,
            "Status": "⏸️ Newer file held"
            if report.held
            else "➖ Not supplied (optional)"
            if report.status == "missing" and report.optional
            else STATUS_WORDS[report.status],
            "Serving": {"this_file": "this file", "last_good": "last good version", None: "nothing"}[
                report.serving
            ],
            "Rows read": report.rows_read,
            "Rows rejected": report.rows_rejected,
            "Rows served": int(served.get(extract.table, 0)),
            "Messages": " ".join(report.errors + report.warnings),
        }
    )
for reference in store.report.references.values():
    rows.append(
        {
            "File": reference.filename,
            "What it holds": "reference file",
            "Status": STATUS_WORDS[reference.status],
            "Serving": "this file" if reference.usable else "nothing",
            "Rows read": reference.rows_read,
            "Rows rejected": reference.rows_rejected,
            "Rows served": reference.rows_loaded,
            "Messages": " ".join(reference.errors + reference.warnings),
        }
    )
sources = pd.DataFrame(rows)
st.dataframe(sources, hide_index=True, key="sources_table")

st.header("Validation report")
st.markdown(
    "Every extract and reference file is checked against the data contract when it changes. A rejected "
    "row is left out and listed here with its file, line, column and the rule it broke, and the value of "
    "the offending cell alone (cut short if long), never the rest of the row. A file "
    f"with more than {contract.DEFAULT_REJECT_THRESHOLD:.0%} of its rows rejected is refused whole and the "
    "last good version stays live (a reference file loads its other rows). Files carrying identifier "
    "columns (names, dates of birth, UPNs, NHS numbers, postcodes, addresses), however they are spelt, "
    "are refused, and no text cell may start like a spreadsheet formula. Line numbers count the header as "
    "line 1, as a spreadsheet does."
)
for report in [*store.report.files.values(), *store.report.references.values()]:
    if report.errors or report.warnings or report.rule_counts:
        # Plain text (st.text): header names and cell values in the report are shown exactly as written.
        with st.expander(escape.markdown(report.summary()), expanded=report.status in ("refused", "missing")):
            st.text("\n".join(report.lines()[1:]) or "No problems.")
problems = run("validation_problems", {})
if problems.empty:
    st.success("No rows were rejected in the current extracts.", icon="✅")
else:
    problems.columns = ["File", "Line", "Column", "Value", "Rule"]
    st.dataframe(problems, hide_index=True, key="problems_table")
    st.download_button(
        "Download rejected rows (CSV)",
        safe_csv_bytes(problems),
        "rejected_rows.csv",
        mime="text/csv",
        key="problems_download",
        on_click="ignore",
    )

st.header("Data quality")
st.markdown(
    "What each extract held when it was last checked, which rules its rejected rows broke, how the extracts "
    "fit together, and how this has changed across the versions kept by `python -m dashboard.refresh`."
)
for view in (
    quality.extracts(store.report),
    quality.rejections_by_rule(store.report),
    quality.orphans(store.report),
    quality.trend(refresh.history(refresh.Folders(store.data_dir, state_dir_from_env()))),
):
    page.show(view, ctx)

st.header("Definitions")
st.markdown("Each measure has one definition, used on every page, export and snapshot that shows it.")
for name, text in definitions.MEASURES:
    st.markdown(f"**{name}.** {text}")

st.header("The data contract")
for extract in contract.EXTRACTS:
    with st.expander(f"{extract.filename}: {extract.grain}"):
        st.markdown(extract.description)
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Column": c.name,
                        "Type": c.kind,
                        "Required": "yes" if c.required else "no",
                        "Allowed values": ", ".join(c.values) or (c.reference or ""),
                        "Meaning": c.description,
                    }
                    for c in extract.columns
                ]
            ),
            hide_index=True,
            key=f"contract_{extract.table}",
        )

st.header("Glossary")
for term, text in definitions.GLOSSARY:
    st.markdown(f"**{term}**: {text}")

st.header("Accessibility statement")
st.markdown(
    "This dashboard is built to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA, the standard "
    "for public sector websites.\n\n"
    "- Every chart has a text summary under it and a table of exactly what it shows, with a download.\n"
    "- Colour is never the only signal: red, amber and green statuses also carry a symbol and words "
    "(✔ on track, ▲ at risk, ✖ off track), and chart series differ by line style, marker or fill pattern as well "
    "as colour. Colours come from the Government Analysis Function's accessible palette.\n"
    "- Text is dark on white, 16 px or larger in charts, and larger again in the Board presentation, which is "
    "moved through with the Left and Right arrow keys as well as on-screen buttons.\n"
    "- Every page is checked automatically with axe-core in a real browser for WCAG 2.0, 2.1 and 2.2 A and AA "
    "rules on each change; serious or critical problems stop a change from landing.\n\n"
    "Known limitations: text inside interactive charts cannot be checked automatically, so chart text colours "
    "were checked by hand; the chart toolbar and hover labels come from Plotly and Streamlit. If something does "
    "not work for you, tell the partnership's performance team, who will fix it or give you the figures another "
    "way."
)
