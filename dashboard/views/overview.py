"""The Overview: the Board's tiles, where each tile's link lands, what moved, and the monthly trend."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from dashboard import fmt, measures
from dashboard.charts import lines
from dashboard.charts.template import Series
from dashboard.dates import month_key
from dashboard.filters import PERIOD_FROM, PERIOD_TO
from dashboard.measures import kpis
from dashboard.measures.kpis import Kpi
from dashboard.outputs.suppression import Rate, Spec
from dashboard.views import sections
from dashboard.views.base import Context, View, month_column, part_month


def tiles(ctx: Context, usable: Callable[[str], bool]) -> list[Kpi]:
    """Every Board tile at the end of the chosen period (capped at the data's date)."""
    return kpis.board_kpis(ctx.run, ctx.filters, ctx.at, usable, ctx.as_of)


@dataclass(frozen=True)
class TileLink:
    """Where a tile's "Details" link goes: the page, the months it opens on (the Spending page's financial year
    follows them), and the section holding the figure."""

    page: str
    params: dict[str, str]
    anchor: str | None


def tile_link(kpi: Kpi, ctx: Context) -> TileLink:
    """The detail page opened on the tile's own period (its 12 or 3 months, or the months to its date), on the
    section (tab) and at the chart that show the same figure."""
    if kpi.window is not None:
        params = {PERIOD_FROM: month_key(kpi.window.start), PERIOD_TO: month_key(kpi.window.end)}
    else:
        at = kpi.at or ctx.at
        params = {PERIOD_FROM: month_key(min(ctx.filters.period_start, at)), PERIOD_TO: month_key(at)}
    place = sections.holding(kpi.view) if kpi.view else None
    # The page opens at its first section anyway; named in the address, Streamlit takes it out on load and the
    # chart's #anchor with it, so the page would not scroll to the chart.
    if place is not None and place[1] != sections.of(place[0])[0]:
        params[sections.SECTION] = place[1]
    return TileLink(kpi.page, params, kpi.view.replace("_", "-") if kpi.view else None)


def movements(board: list[Kpi]) -> str:
    """The largest movements since last month, as a bulleted list in words."""
    changes = kpis.largest_movements(board)
    return "\n".join(f"- {line}" for line in changes) if changes else "No figure moved since last month."


def status_key(ctx: Context) -> str:
    """The line under the tiles that says when they are for and how they are judged."""
    scoped = (
        f" Targets are set for all of Lancashire, so tiles for {ctx.filters.area_words()} show no status."
        if ctx.filters.scoped
        else ""
    )
    return (
        f"Figures at {fmt.day(ctx.at)}. Status: ✔ on track or met, ▲ at risk, ✖ off track or missed, judged "
        f"against the targets in reference/targets.csv; the ⓘ on a tile gives its rule. Tiles with no target are "
        f"shown for context.{scoped}"
    )


def trend(ctx: Context) -> View:
    """Requests received and plans issued each month of the chosen period."""
    frame = measures.monthly_requests_and_plans(ctx.run, ctx.filters)
    frame = frame[frame["month"].dt.date <= ctx.at]
    table = pd.DataFrame(
        {
            "Month": month_column(frame),
            "Requests received": frame["requests_received"],
            "Plans issued": frame["plans_issued"],
            "Plans issued within 20 weeks": frame["within_20_weeks"],
            "% within 20 weeks (incl. exceptions)": frame["twenty_week_rate"].round(1),
        }
    )
    events = ctx.events
    marks, notes = part_month(ctx, "its requests and plans are for part of the month")

    def draw(shown: pd.DataFrame):
        return lines.time_series(
            shown,
            "Month",
            [Series("Requests received"), Series("Plans issued")],
            y_title="Per month",
            events=events,
            marks=marks,
        )

    received, issued = int(table["Requests received"].sum()), int(table["Plans issued"].sum())
    busiest = (
        table.loc[table["Requests received"] == table["Requests received"].max(), "Month"] if received else []
    )
    title = f"{fmt.count(received)} requests and {fmt.count(issued)} plans issued, {ctx.months_words}" + (
        f"; most requests in {fmt.words([fmt.month(pd.Timestamp(m).date()) for m in busiest])}"
        if len(busiest)
        else ""
    )
    return View(
        key="overview_trend",
        title=title,
        table=table,
        draw=draw,
        notes=notes,
        summary=(
            f"Requests for an EHC needs assessment received and EHC plans issued each month, "
            f"{ctx.months_words}: {fmt.count(received)} requests and {fmt.count(issued)} "
            "plans in all. Milestones are marked with their dates."
        ),
        filename=f"requests_and_plans_{ctx.file_months}.csv",
        spec=Spec(
            counts=("Requests received", "Plans issued", "Plans issued within 20 weeks"),
            rates={
                "% within 20 weeks (incl. exceptions)": Rate("Plans issued", "Plans issued within 20 weeks")
            },
        ),
    )
