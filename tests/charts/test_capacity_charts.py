"""EP and specialist places queries and measures on a real DuckDB over tests/fixtures/capacity, by hand.

The fixture's EP advice requests (requested -> completed, days taken; late = more than 42):
  baseline  B01-B12  two a month Sep 2024 to Feb 2025, all in-house, each 14 or 15 days (on time)
  Mar 2025  C01 (7), C02 (53, late), C03 (42, on time: the boundary), C04 (23)
  Apr 2025  C05 (60, late), C06 (26), C07 (29; completed 30 Apr, so not in that month end's backlog)
  May 2025  C08 (53, late), C09 (32), C10 (32), C11 (21), C12 (103, late; completed 31 May, the as-of date)
  open      O01 Burnley 20 May 2025, O02 Preston 10 Apr 2025, O03 Lancaster 28 Feb 2025,
            O04 Burnley 1 Nov 2024, O05 Preston 15 May 2024
  cancelled X01 (never in the backlog: the extract has no cancellation date)
Linked to EHC requests (for need, age and the 20-week link): B01->R01, B03 and C12->R15, C02->R13,
O02->R09 (SLCN, 11), O04->R08 (ASD, 5), O05->R14 (SEMH, 17); the rest carry request ids the requests
extract does not have (allowed by the contract, with a warning).

Specialist places, commissioned/occupied at the four censuses (16 May 2024, 3 Oct 2024, 16 Jan 2025,
15 May 2025): S1 Brookfield (special, Burnley, ASD) 100/104 (10 planned for 1 Sep 2024), 110/112,
110/112, 110/115; S2 Riverside (resourced, Preston, SLCN) 12/10, 12/12, 12/12, 12/11; S3 Heron unit
(SEN unit, Lancaster, ASD) 0/0 (8 planned for 1 Sep 2024), 8/6, 8/8, 8/9; S4 Oakwood (independent,
out of area, SEMH) 20/20, 22/22, 24/24, 25/25; S5 Hillside (academy, Preston, MIXED) 50/45 throughout;
S6 Northgate (AP, Lancaster, SEMH) 10/12 throughout; S7 Meadow View (new special school, Lancaster,
SEMH) 0/0 with 60 planned for 1 Sep 2026, from January 2025.
Totals: commissioned 192, 212, 214, 215; occupied 191, 209, 213, 217.

Targets (reference/targets.csv): 6 additional EP assessments from 1 Mar to 31 May 2025; 20 additional
places by 31 Dec 2024 from 192 at 20 May 2024; a new special school by 1 Sep 2027; occupancy 95%.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dashboard.charts import capacity as capacity_charts
from dashboard.filters import Filters, whole_area
from dashboard.measures import ep, places
from dashboard.serving.store import open_store

CAPACITY_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "capacity"

AS_OF = date(2025, 5, 31)

SCOPE_ALL = whole_area()

@pytest.fixture(scope="module")
def run(tmp_path_factory):
    store = open_store(CAPACITY_DIR, tmp_path_factory.mktemp("capacity_state"), today=date(2025, 6, 30))
    assert store.as_of == AS_OF  # C12 completed on 31 May 2025, the latest date in the extracts
    yield store.query
    store.close()

def everything(start: date = date(2014, 9, 1), end: date = date(2030, 12, 31), **scope) -> Filters:
    return Filters(start, end, **scope)


def test_chart_builders_mark_milestones_and_tell_series_apart_without_colour(run):
    events = run("events", {"period_start": date(2024, 1, 1), "period_end": date(2025, 12, 31)})
    frame = ep.monthly(run, everything(date(2025, 3, 1), date(2025, 5, 31)), AS_OF)
    bars = capacity_charts.stacked_bars(frame, "month", list(ep.AGE_BANDS), y_title="Open", events=events)
    shapes = [t.marker.pattern.shape for t in bars.data]
    assert len(set(shapes)) == len(shapes) == 5
    # Hatching drawn over the bar's colour: the default ("replace") leaves white-on-white, invisible bars.
    assert {t.marker.pattern.fillmode for t in bars.data} == {"overlay"}
    assert [a.text for a in bars.layout.annotations] == ["Area SEND inspection", "Improvement Notice issued"]
    lines = capacity_charts.lines(frame, "month", [("requested", "Requested"), ("completed", "Completed")],
                                  y_title="Per month")
    assert len({(t.line.dash, t.marker.symbol) for t in lines.data}) == 2
    promise = ep.commitment(run, AS_OF)
    chart = capacity_charts.commitment(promise.progress, "month_end", ("additional", "Additional"),
                                       required=("required", "Required"), target=6, target_text="Target: 6",
                                       due=promise.due, due_text="Due 31 May 2025", y_title="Additional")
    assert [a.text for a in chart.layout.annotations] == ["Target: 6", "Due 31 May 2025"]
    assert list(chart.data[0].y) == [2.0, 3.0, 6.0]
    spare = places.by_group(run, everything(), date(2025, 5, 15), "designation")
    figure = capacity_charts.spare_places(spare, "breakdown")
    assert list(figure.data[0].text) == ["over by 6", "5 spare", "over by 2", "1 spare"]
    assert list(figure.data[0].marker.pattern.shape) == ["x", "", "x", ""]   # over-full bars are hatched
