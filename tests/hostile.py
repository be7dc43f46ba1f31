"""Hostile data: the bundled sample with markup, links, LaTeX and scripts in every text the data carries.

`make(folder, state)` copies data/ to `folder` and puts a payload into each kind of text a data file holds, so a
test can open the app on it and check that every payload is shown exactly as written and never as markup:

- district names and locality names (reference/districts.csv, and the extracts' district columns to match, the plans
  extract's too, so every row still validates);
- setting names (specialist_places.csv);
- milestone labels (reference/events.csv);
- target labels and sources (reference/targets.csv);
- header names: an unknown extra column in ehcp_requests.csv (ignored, with a warning naming it), and
  spending.csv with a repeated column, refused after a good version was served, so every page that needs it
  says so in a banner naming the column and keeps serving the last good version.

A payload that starts like a spreadsheet formula (=HYPERLINK) is refused by the loader's formula check where
files are checked; where a file is not, it is accepted and must be shown literally. `FORMULA` names it, so a
test can allow either.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from dashboard.serving.store import open_store
from tests.helpers import SAMPLE_DIR

# Every payload the escaping is tested with, by what it would do if it were read as markup.
BOLD = "**bold**"
EMPHASIS = "_em_"
DISPLAY_MATH = "$$\\frac{1}{2}$$"
INLINE_MATH = "$x$"
LINK = "[x](https://example.org)"
BARE_URL = "https://example.org"
BARE_WWW = "www.example.org"
FORMULA = '=HYPERLINK("http://x","y")'
ANCHOR = '<a href="https://example.org">x</a>'
HTML_BOLD = "<b>b</b>"
IMAGE = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(1)</script>"
COLOUR = ":red[red]"
ICON = ":material/home:"
HEADING = "# heading"
QUOTE = "> quote"
TABLE = "| a | b |"
CODE = "`code`"

PAYLOADS = (
    BOLD,
    EMPHASIS,
    DISPLAY_MATH,
    INLINE_MATH,
    LINK,
    BARE_URL,
    BARE_WWW,
    FORMULA,
    ANCHOR,
    HTML_BOLD,
    IMAGE,
    SCRIPT,
    COLOUR,
    ICON,
    HEADING,
    QUOTE,
    TABLE,
    CODE,
)

# The sample's districts and localities, renamed. Each name is only a payload, so a page that names a
# district names a payload.
DISTRICTS = {
    "Burnley": BOLD,
    "Chorley": EMPHASIS,
    "Fylde": DISPLAY_MATH,
    "Hyndburn": INLINE_MATH,
    "Lancaster": LINK,
    "Pendle": BARE_URL,
    "Preston": BARE_WWW,
    "Ribble Valley": ANCHOR,
    "Rossendale": HTML_BOLD,
    "South Ribble": IMAGE,
    "West Lancashire": SCRIPT,
    "Wyre": COLOUR,
}
LOCALITIES = {"East": HEADING, "Central": QUOTE, "North": TABLE}
# Settings by URN: four in the pipeline of new places (their names are in the pipeline chart's hover).
SETTINGS = {
    "928631": ANCHOR,
    "948014": f"{BOLD} {INLINE_MATH}",
    "964612": ICON,
    "975098": CODE,
    "909642": IMAGE,
    "905190": FORMULA,  # an extract: its rows are refused as formulas (fewer than 5%, so the file loads)
}
EVENTS = {
    "Area SEND inspection (Ofsted and CQC)": ANCHOR,
    "Inspection report published": f"{BOLD} {DISPLAY_MATH}",
    "Improvement Notice issued": SCRIPT,
    "New EHCP portal launched": FORMULA,
    "200+ new specialist places open": IMAGE,
    "New special school planned to open": f"{COLOUR} {BARE_WWW} {ICON}",
}
TARGET_SOURCES = {
    "ep_additional_assessments": f"{LINK} {INLINE_MATH}",
    "specialist_places_added": ANCHOR,
    "new_special_school": BOLD,
    "twenty_week_rate_ex": f"{BARE_URL} {DISPLAY_MATH}",
    "send_staffing_additional_gbp": f"{COLOUR} {ICON}",
    "overdue_open_assessments": f"{QUOTE} {CODE}",
    "high_needs_forecast_variance_gbp": TABLE,
    "specialist_occupancy_pct": HEADING,
}
# Inside a cell a formula is not one, so the loader keeps it: it must be shown as written.
TARGET_LABELS = {"ep_additional_assessments": f"{EMPHASIS} {HTML_BOLD} then {FORMULA}"}
HEADER = LINK  # the unknown column in ehcp_requests.csv, and the repeated one in spending.csv


def _rewrite(path: Path, change) -> None:
    """Rewrite a CSV file row by row: change(header, row) gives the new row (the header comes through as row 0)."""
    with path.open(newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    header = rows[0]
    rows = [change(header, row, number) for number, row in enumerate(rows)]
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file, lineterminator="\n").writerows(rows)


def _renamed(column: str, names: dict[str, str]):
    def change(header: list[str], row: list[str], number: int) -> list[str]:
        if number:
            at = header.index(column)
            row = [*row[:at], names.get(row[at], row[at]), *row[at + 1 :]]
        return row

    return change


def make(folder: Path, state: Path) -> Path:
    """The hostile copy of the sample in `folder`, with its state in `state` (the folder SEND_STATE_DIR names):
    built once with a good spending.csv, which is then replaced by one the loader refuses."""
    shutil.copytree(SAMPLE_DIR, folder, ignore=shutil.ignore_patterns("published", "README.md"))
    reference = folder / "reference"
    _rewrite(reference / "districts.csv", _renamed("district", DISTRICTS))
    _rewrite(reference / "districts.csv", _renamed("locality", LOCALITIES))
    for extract in ("ehcp_requests.csv", "ep_assessments.csv", "specialist_places.csv", "ehcp_plans.csv"):
        _rewrite(folder / extract, _renamed("district", DISTRICTS))

    def setting(header: list[str], row: list[str], number: int) -> list[str]:
        if number and row[header.index("setting_id")] in SETTINGS:
            at = header.index("setting_name")
            row = [*row[:at], SETTINGS[row[header.index("setting_id")]], *row[at + 1 :]]
        return row

    _rewrite(folder / "specialist_places.csv", setting)
    _rewrite(reference / "events.csv", _renamed("label", EVENTS))

    def target(header: list[str], row: list[str], number: int) -> list[str]:
        if number:
            metric = row[header.index("metric")]
            row = list(row)
            row[header.index("source")] = TARGET_SOURCES.get(metric, row[header.index("source")])
            row[header.index("label")] = TARGET_LABELS.get(metric, row[header.index("label")])
        return row

    _rewrite(reference / "targets.csv", target)
    _rewrite(folder / "ehcp_requests.csv", lambda header, row, number: [*row, HEADER if not number else ""])
    # A good spending.csv is served once, so it is the last good version when the refused one arrives.
    open_store(folder, state).close()
    _rewrite(
        folder / "spending.csv",
        lambda header, row, number: [*row, *([HEADER] * 2 if not number else [""] * 2)],
    )
    # And built with it, as a refresh would have before it went live (the app builds files copied into its
    # folder in the background, serving the last version built until then).
    open_store(folder, state).close()
    return folder
