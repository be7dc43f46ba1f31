"""One set of helpers for every test: where the fixtures are, filters over them, and reading pages under AppTest.

Data folders:
- tests/fixtures/area: the small hand-made extracts most query and measure tests work out by hand (as of
  31 Mar 2025);
- tests/fixtures/capacity: EP advice and specialist places worked out by hand (as of 30 Jun 2025);
- tests/fixtures/finance: a spending extract worked out by hand (as of 31 Mar 2025);
- tests/fixtures/plans: EHC plans and annual reviews worked out by hand (as of 31 Mar 2025);
- data/: the bundled synthetic sample, calibrated to Lancashire's published figures (as of 31 Oct 2026).
"""

from __future__ import annotations

import base64
import json
import re
from datetime import date
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from dashboard.escape import JOINER
from dashboard.filters import Filters
from dashboard.views import sections

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
AREA_DIR, CAPACITY_DIR, FINANCE_DIR = FIXTURES / "area", FIXTURES / "capacity", FIXTURES / "finance"
PLANS_DIR, PLANS_TODAY = FIXTURES / "plans", date(2025, 3, 31)  # plans and annual reviews worked out by hand
SAMPLE_DIR = ROOT / "data"
AREA_TODAY, CAPACITY_TODAY, FINANCE_TODAY, SAMPLE_TODAY = (
    date(2025, 3, 31),
    date(2025, 6, 30),
    date(2025, 3, 31),
    date(2026, 10, 31),
)
# tests/fixtures/health: health and social care advice and neurodevelopmental waits worked out by hand (its
# README.md); as of 16 Jun 2025, the last plan issued.
HEALTH_DIR, HEALTH_TODAY = FIXTURES / "health", date(2025, 6, 30)
# The record-level SQL each query that reads a built table ran before (tests/serving/test_aggregates.py); the
# plans queries are compared with theirs in tests/build/test_plan_aggregates.py, on days and years of their own.
QUERY_REFERENCES = ROOT / "tests" / "serving" / "reference"
PLANS_QUERIES = ("plans_active", "plans_overdue_reviews", "plans_phase_transfers", "plans_review_timeliness")
# A reference whose figure another query answers, in that query's columns of the same names: the caseload
# (plans active on a day) is the `active` column of plans_overdue_reviews.
ANSWERED_BY = {"plans_active": "plans_overdue_reviews"}
ALL_MONTHS = {"period": "All months"}
TIMEOUT_S = 90


def everything(start: date = date(2014, 9, 1), end: date = date(2030, 12, 31), **scope) -> Filters:
    """Filters for the whole of a fixture unless narrowed."""
    return Filters(start, end, **scope)


def app(page: str | None = None, **query: str | list[str]) -> AppTest:
    """The whole app (app.py) run once with these URL parameters, switched to `page` if given."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT_S)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def page_alone(page: str, **query: str | list[str]) -> AppTest:
    """A page run on its own file: it draws the shared filters itself, so AppTest can drive them.

    (AppTest drops sidebar widgets drawn in app.py before the page runs from its tree after a rerun, so
    controls are driven on a page alone; app.py is covered by the URL tests and the browser tests.)
    """
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT_S)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def in_section(page: str, section: str, **query: str | list[str]) -> AppTest:
    """A page run on its own, opened at one of its sections (dashboard.views.sections) as a link with
    ?section=... opens it."""
    return page_alone(page, **{sections.SECTION: section}, **query)


def every_section(page: str, **query: str | list[str]) -> dict[str, AppTest]:
    """A page opened at each of its sections in turn (one run each), by label, in the page's order."""
    return {label: in_section(page, label, **query) for label in sections.of(page)}


def switch_section(at: AppTest, section: str) -> AppTest:
    """Open another section of a page already running (as a headline's button does), keeping its controls."""
    at.session_state[sections.SECTION] = section
    return at.run()


def open_section(at: AppTest) -> str:
    """The label of the section drawn: the one tab with anything in it."""
    (label,) = [tab.label for tab in at.tabs if tab.children]
    return label


def views_shown(at: AppTest) -> list[str]:
    """The views on the page by key, in order (page.show heads each with its key as the anchor, - for _)."""
    return [s.proto.anchor.replace("-", "_") for s in at.subheader]


def keyed(at: AppTest, kind: str, suffix: str) -> list[str]:
    """The keys of the page's `kind` elements (plotly_chart, download_button...) ending in `suffix`, less it:
    a view's chart is keyed <view>_chart and its download <view>_download."""
    ids = [e.proto.id for e in at.get(kind)]
    return [i.split("-", 2)[-1].removesuffix(suffix) for i in ids if i.endswith(suffix)]


def see_the_chart(at: AppTest) -> list[tuple[str, str, str]]:
    """Each headline's "See the chart" button: its key, the view it is for (from its key) and the section it
    says it opens (from its label)."""
    buttons = [b for b in at.button if b.key and b.key.startswith("see_")]
    return [
        (b.key, re.fullmatch(r"see_(.+)_\d+", b.key)[1], b.label.removeprefix("See the chart: "))
        for b in buttons
    ]


def tiles(at: AppTest) -> dict[str, str]:
    """Every tile on the page (st.metric): label to the value shown, as a reader sees them."""
    return {plain(m.label): plain(m.value) for m in at.metric}


def deltas(at: AppTest) -> dict[str, str]:
    """Every tile's delta line: label to the words under the value, as a reader sees them."""
    return {plain(m.label): m.delta and plain(m.delta) for m in at.metric}


def subheaders(at: AppTest) -> list[str]:
    """The view titles on the page, in order, as a reader sees them."""
    return [plain(s.value) for s in at.subheader]


def captions(at: AppTest) -> list[str]:
    """The captions on the page (view summaries and notes, tile words), as a reader sees them."""
    return [plain(c.value) for c in at.caption]


def charts(at: AppTest) -> list[dict]:
    """The Plotly figures on the page, as the JSON the browser is sent."""
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def plain(markdown: str) -> str:
    """Markdown source as a reader sees it: backslash escapes and word joiners removed (dashboard.escape.markdown
    escapes every piece of plain text that lands in markdown)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace(JOINER, "")


def text(at: AppTest) -> str:
    """Everything the page says in markdown, captions, headings and alerts, joined, as a reader sees it."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [h.value for h in at.header]
    parts += [s.value for s in at.subheader]
    parts += [a.value for a in (*at.info, *at.warning, *at.error, *at.success)]
    return plain("\n".join(parts))


def header_line(at: AppTest) -> str:
    """The line under the page title: the data's date and the filters in words."""
    return plain(at.markdown[0].value)


def plotly_values(array) -> list:
    """A trace's x or y as plain values: Plotly writes numeric arrays as base64 typed arrays ({dtype, bdata})."""
    if isinstance(array, dict) and "bdata" in array:
        return [
            None if np.isnan(v) else float(v)
            for v in np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])
        ]
    return list(array or [])


def strings_in(value) -> list[str]:
    """Every string in a figure's JSON (or any nest of dicts, lists and arrays): names, categories, hover
    templates, annotations."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    elif hasattr(value, "tolist"):
        value = value.tolist()
    return [s for item in value for s in strings_in(item)] if isinstance(value, list | tuple) else []


def built_now() -> None:
    """Build the store for the data version the app would serve now (SEND_DATA_DIR, SEND_STATE_DIR,
    SEND_PUBLISHED_DIR), as a refresh does before its swap. Without it, a test that changes the version where
    another is built already would see the last one: the app builds the new one in the background."""
    from dashboard.serving import store

    store.ensure_built(store.data_dir_from_env(), store.state_dir_from_env())
