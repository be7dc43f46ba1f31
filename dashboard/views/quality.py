"""The quality of the extracts: what each version held, what was rejected and why, how the extracts fit
together, and how that has changed across the versions kept in the refresh archive.

These tables describe files and rows, not children: no cell value from a rejected row is shown (examples
are line numbers), so nothing a row holds can reach a reader from here.
"""

from __future__ import annotations

import pandas as pd

from dashboard import fmt
from dashboard.build.validation import LoadReport
from dashboard.outputs.suppression import Spec
from dashboard.views.base import Honours, View

# Counts of rows in a file, not of children with a characteristic: none is hidden, as on the rest of the page.
_ABOUT_FILES = Honours(
    period=False, area=False, need=False, age=False, requests=False, note="these describe whole files."
)
EXAMPLES = 5
_STATUS = {
    "loaded": "Loaded",
    "loaded_with_rejections": "Loaded, some rows rejected",
    "refused": "Refused",
    "missing": "Missing",
    "held": "Newer file held",
}


def _kept(table: pd.DataFrame) -> Spec:
    return Spec(counts=(), column_totals=False, keep=tuple(table.columns))


def _share(rejected: int, read: int) -> float | None:
    return round(100 * rejected / read, 1) if read else None


def extracts(report: LoadReport) -> View:
    """Each extract as checked: its version (content hash), latest date, rows read, loaded and rejected."""
    rows = [
        {
            "File": r.filename,
            "Version (SHA-256, first 12)": (r.sha256 or "")[:12],
            "Latest date": r.latest_date or fmt.MISSING,
            "Rows read": r.rows_read,
            "Rows loaded": r.rows_loaded,
            "Rows rejected": r.rows_rejected,
            "Rejected (%)": _share(r.rows_rejected, r.rows_read),
            "Status": _STATUS["held" if r.held else r.status],
        }
        for r in report.files.values()
    ]
    table = pd.DataFrame(rows)
    read, rejected = int(table["Rows read"].sum()), int(table["Rows rejected"].sum())
    usable = sum(r.status in ("loaded", "loaded_with_rejections") for r in report.files.values())
    # An optional extract a deployment does not send is not a failure to load, so it is counted apart.
    absent = sum(r.status == "missing" and r.optional for r in report.files.values())
    title = (
        f"{usable} of {len(rows) - absent} extracts loaded"
        + (f" ({absent} optional not supplied)" if absent else "")
        + f"; {rejected:,} of {read:,} rows rejected ({_share(rejected, read) or 0:.1f}%)"
    )
    return View(
        key="quality_extracts",
        title=title,
        summary="Each extract as last checked: the version of the file (the start of its SHA-256 content hash), "
        "its latest date (received, requested, census or month), and how many of its rows were read, loaded and "
        "rejected.",
        table=table,
        spec=_kept(table),
        draw=None,
        filename="data_quality_extracts.csv",
        honours=_ABOUT_FILES,
    )


def rejections_by_rule(report: LoadReport) -> View:
    """Rejected rows grouped by file and rule, most first, with the first lines that broke each rule."""
    rows = []
    for r in [*report.files.values(), *report.references.values()]:
        for label, count in sorted(r.rule_counts.items(), key=lambda kv: -kv[1]):
            column, _, rule = label.partition(": ") if ": " in label else ("", "", label)
            if column and not any(p.column == column for p in r.problems):
                column, rule = "", label  # a rule whose words hold a colon, not a column's
            lines = [
                p.line
                for p in r.problems
                if p.line is not None and p.rule.startswith(rule) and (p.column or "") == column
            ]
            rows.append(
                {
                    "File": r.filename,
                    "Column": column or fmt.MISSING,
                    "Rule": rule,
                    "Rows": count,
                    "Example lines": ", ".join(str(n) for n in lines[:EXAMPLES]) or fmt.MISSING,
                }
            )
    table = pd.DataFrame(rows, columns=["File", "Column", "Rule", "Rows", "Example lines"])
    if table.empty:
        title = "No row of any extract broke a rule"
    else:
        top = table.sort_values("Rows", ascending=False).iloc[0]
        title = f"Most rejections: {top['File']}, {top['Rule']} ({fmt.plural(int(top['Rows']), 'row')})"
    return View(
        key="quality_rules",
        title=title,
        summary="Rejected rows by file and rule, most first, with the first lines that broke each rule (line 1 "
        "is the header, as a spreadsheet counts). Values are not shown here; the validation report below has "
        "the offending cell of each.",
        table=table,
        spec=_kept(table),
        draw=None,
        filename="data_quality_rules.csv",
        honours=_ABOUT_FILES,
    )


def orphans(report: LoadReport) -> View:
    """How the extracts fit together: EP advice requests whose request is not in the requests extract."""
    ep, requests = report.files.get("ep_assessments"), report.files.get("ehcp_requests")
    checked = ep is not None and ep.orphans is not None
    count = ep.orphans if checked else None
    table = pd.DataFrame(
        [
            {
                "Check": "EP advice requests with no matching request_id in ehcp_requests",
                "Rows": count,
                "Of": ep.rows_loaded if ep else None,
                "Share (%)": _share(count, ep.rows_loaded) if checked and ep.rows_loaded else None,
            }
        ]
    )
    if not checked:
        title = "Orphans not checked: both extracts must be loaded" + (
            "" if requests and requests.usable else " (the requests extract is not)"
        )
    elif count:
        verb = "refers" if count == 1 else "refer"
        title = f"{fmt.plural(count, 'EP advice request')} {verb} to no request in the requests extract"
    else:
        title = "Every EP advice request matches a request in the requests extract"
    return View(
        key="quality_orphans",
        title=title,
        summary="An EP advice request names the request for an EHC needs assessment it is for; one naming a "
        "request_id the requests extract does not hold is loaded but cannot be linked to its assessment.",
        table=table,
        spec=_kept(table),
        draw=None,
        filename="data_quality_orphans.csv",
        honours=_ABOUT_FILES,
    )


def trend(history: list[dict]) -> View:
    """Each extract's rows and rejections in every check a refresh recorded, oldest first."""
    rows = []
    for entry in history:
        for filename, q in (entry.get("quality") or {}).items():
            if not q.get("rows_read"):
                continue
            rows.append(
                {
                    "Refresh": entry["version"],
                    "Checked": entry["time"].replace("T", " "),
                    "Outcome": entry["outcome"],
                    "File": filename,
                    "Version (SHA-256, first 12)": (q.get("sha256") or "")[:12],
                    "Latest date": q.get("latest_date") or fmt.MISSING,
                    "Rows read": q["rows_read"],
                    "Rows rejected": q["rows_rejected"],
                    "Rejected (%)": _share(q["rows_rejected"], q["rows_read"]),
                    "Orphans": q.get("orphans"),
                }
            )
    columns = [
        "Refresh",
        "Checked",
        "Outcome",
        "File",
        "Version (SHA-256, first 12)",
        "Latest date",
        "Rows read",
        "Rows rejected",
        "Rejected (%)",
        "Orphans",
    ]
    table = pd.DataFrame(rows, columns=columns)
    refreshes = table["Refresh"].nunique()
    if refreshes < 2:
        title = "No trend yet: the archive holds " + (
            "one checked version" if refreshes else "no checked versions"
        )
    else:
        name = "ehcp_requests.csv" if (table["File"] == "ehcp_requests.csv").any() else table["File"].iloc[0]
        shares = table.loc[table["File"] == name, "Rejected (%)"]
        title = (
            f"{refreshes} checked versions in the archive; rows rejected from {name} went from "
            f"{shares.iloc[0]:.1f}% in the first to {shares.iloc[-1]:.1f}% in the latest"
        )
    return View(
        key="quality_trend",
        title=title,
        summary="Every extract in every check a refresh recorded (python -m dashboard.refresh), accepted or not, "
        "oldest first: how many rows it had and how many were rejected, so a falling standard shows.",
        table=table,
        spec=_kept(table),
        draw=None,
        filename="data_quality_trend.csv",
        honours=_ABOUT_FILES,
    )
