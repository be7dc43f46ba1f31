"""The published-data loader and the benchmark measures, on the real DfE and ESFA files in data/published/.

Expected values are the check figures in ../shared/data/real/SOURCES.md (each from the release named),
and ranks worked out here a second way: straight from the raw files with pandas, without the loader.
"""

from __future__ import annotations

import csv
import io
import math
import shutil
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard import fmt
from dashboard.build import published
from dashboard.build.published import PublishedDataError, load_published
from dashboard.measures import benchmarks
from dashboard.measures.benchmarks import MEASURES
from dashboard.serving import queries
from dashboard.views import benchmarks as benchmark_views

ROOT = Path(__file__).resolve().parents[2]
PUBLISHED = ROOT / "data" / "published"
LANCASHIRE, WIGAN, ENGLAND, NORTH_WEST = "E10000017", "E08000010", "E92000001", "E12000002"
EHCP_2025, EHCP_2023, EHCP_2022 = "ehcp_2025", "ehcp_2023", "ehcp_2022"


@pytest.fixture(scope="module")
def loaded():
    conn = duckdb.connect()
    started = time.perf_counter()
    report = load_published(conn, PUBLISHED)
    report.wall_seconds = time.perf_counter() - started
    yield conn, report
    conn.close()


@pytest.fixture(scope="module")
def conn(loaded):
    return loaded[0]


def figure(conn, measure: str, period: str, area: str, release: str | None = None) -> dict:
    """The preferred row (or the row from `release`) for one measure, period and area."""
    where = "release_id = $release" if release else "preferred"
    sql = (
        "select * from published_measures where measure = $measure and period = $period "
        "and area_code = $area and " + where
    )
    rows = conn.execute(
        sql, {"measure": measure, "period": period, "area": area, **({"release": release} if release else {})}
    ).df()
    assert len(rows) == 1, f"{len(rows)} rows for {measure} {period} {area} {release}"
    return rows.iloc[0].to_dict()


def run(conn, name: str, **params) -> pd.DataFrame:
    return queries.run(conn, name, params)


def compare(conn, measure: str, period: str, la_code: str = LANCASHIRE, model: str = "2025-05"):
    """What the Benchmarks page reads for one choice, through the same named queries."""
    return benchmarks.compare(
        lambda name, params: queries.run(conn, name, params), la_code, measure, period, model
    )


# --- Loading the real folder ---------------------------------------------------------------------------


def test_every_published_file_loads_without_problems(loaded):
    _, report = loaded
    assert report.problems == []
    assert report.ok
    assert {f.path for f in report.files} == {
        "reference/la_code_lookup.csv",
        "ehcp_2025/requests.csv",
        "ehcp_2025/timeliness_20_week.csv",
        "ehcp_2025/newplans.csv",
        "ehcp_2025/caseload_no_ethnicity.csv",
        "ehcp_2025/sen_needs_all_plans.csv",
        "ehcp_2025/send_tribunal_appeal_rate_2014_2024.csv",
        "ehcp_historic/sen2_mi_2014_2022.csv",
        "ehcp_historic/sen2_estab_caseload_2015_2022_filtered.csv",
        "reference/lait_sen_indicators_long.csv",
        "high_needs/dsg_allocations_2019_20_to_2023_24.csv",
        "reference/statistical_neighbours_dfe_csnt.csv",
    }
    # Its time is measured by benchmarks/bench_load.py, not asserted here: on a busy machine it took 6.3 s in CI.
    print(f"load_published: {report.seconds:.2f} s for {report.rows:,} rows")


def test_every_loaded_measure_is_described_and_every_described_measure_loads(conn):
    loaded = {r[0] for r in conn.execute("select distinct measure from published_measures").fetchall()}
    # Less the measures a newer release adds (the 2026 release's mean weeks to issue a plan).
    assert loaded == {k for k, m in MEASURES.items() if not m.added_in}


def test_the_report_is_stored_for_the_page(conn):
    files = run(conn, "benchmark_sources")
    assert len(files) == 12
    assert set(files["status"]) == {"loaded"}


# (measure, period, area, value, numerator, denominator, release) from SOURCES.md.
CHECK_FIGURES = [
    # Issued within 20 weeks, 2024 and 2023 (2025 release)
    ("twenty_week_rate_excl", "2024", LANCASHIRE, 17.3, 297, 1718, EHCP_2025),
    ("twenty_week_rate_excl", "2024", ENGLAND, 46.4, 39407, 84866, EHCP_2025),
    ("twenty_week_rate_incl", "2024", LANCASHIRE, 17.3, 298, 1720, EHCP_2025),
    ("twenty_week_rate_incl", "2024", ENGLAND, 45.9, 41448, 90392, EHCP_2025),
    ("twenty_week_rate_incl", "2023", LANCASHIRE, 80.4, 1242, 1544, EHCP_2025),
    ("twenty_week_rate_excl", "2023", LANCASHIRE, 80.2, 1225, 1527, EHCP_2025),
    ("twenty_week_rate_incl", "2023", ENGLAND, 49.1, 39784, 80945, EHCP_2025),
    ("twenty_week_rate_excl", "2023", ENGLAND, 50.3, 38471, 76506, EHCP_2025),
    ("twenty_week_rate_incl", "2022", LANCASHIRE, 98.6, 1022, 1036, EHCP_2025),
    ("twenty_week_rate_excl", "2021", LANCASHIRE, 66.0, 782, 1184, EHCP_2025),
    # 2014-2018 only in the 2023 release's sen2_mi
    ("twenty_week_rate_incl", "2018", LANCASHIRE, 80.6, 725, 900, EHCP_2023),
    ("twenty_week_rate_excl", "2018", LANCASHIRE, 83.0, 686, 827, EHCP_2023),
    ("twenty_week_rate_incl", "2018", ENGLAND, 58.0, 28178, 48543, EHCP_2023),
    ("twenty_week_rate_excl", "2018", ENGLAND, 60.1, 27111, 45145, EHCP_2023),
    ("requests_received", "2018", LANCASHIRE, 1304, None, None, EHCP_2023),
    ("requests_received", "2018", ENGLAND, 72423, None, None, EHCP_2023),
    ("requests_refused_pct", "2018", LANCASHIRE, 28.4, 370, 1304, EHCP_2023),
    ("requests_refused_pct", "2018", ENGLAND, 24.7, 17890, 72423, EHCP_2023),
    ("new_plans", "2018", LANCASHIRE, 900, None, None, EHCP_2023),
    ("new_plans", "2018", ENGLAND, 48907, None, None, EHCP_2023),
    # Requests and decisions (2025 release)
    ("requests_received", "2019", LANCASHIRE, 1278, None, None, EHCP_2025),
    ("requests_received", "2023", LANCASHIRE, 2560, None, None, EHCP_2025),
    ("requests_received", "2024", LANCASHIRE, 3658, None, None, EHCP_2025),
    ("requests_received", "2019", ENGLAND, 82329, None, None, EHCP_2025),
    ("requests_received", "2023", ENGLAND, 138242, None, None, EHCP_2025),
    ("requests_received", "2024", ENGLAND, 154489, None, None, EHCP_2025),
    ("requests_received", "2022", LANCASHIRE, 972, None, None, EHCP_2025),
    ("requests_agreed_pct", "2024", LANCASHIRE, 73.7, 2696, 3658, EHCP_2025),
    ("requests_agreed_pct", "2024", ENGLAND, 65.4, 101045, 154489, EHCP_2025),
    ("requests_refused_pct", "2024", LANCASHIRE, 23.9, 876, 3658, EHCP_2025),
    ("new_plans", "2023", LANCASHIRE, 1132, None, None, EHCP_2025),
    ("new_plans", "2024", LANCASHIRE, 1821, None, None, EHCP_2025),
    ("new_plans", "2023", ENGLAND, 84428, None, None, EHCP_2025),
    ("new_plans", "2024", ENGLAND, 97747, None, None, EHCP_2025),
    # Active plans and placements at January (2025 release; January 2015 from the 2022 release)
    ("ehc_plans", "January 2019", LANCASHIRE, 7042, None, None, EHCP_2025),
    ("ehc_plans", "January 2024", LANCASHIRE, 11258, None, None, EHCP_2025),
    ("ehc_plans", "January 2025", LANCASHIRE, 12317, None, None, EHCP_2025),
    ("ehc_plans", "January 2019", ENGLAND, 353995, None, None, EHCP_2025),
    ("ehc_plans", "January 2024", ENGLAND, 576474, None, None, EHCP_2025),
    ("ehc_plans", "January 2025", ENGLAND, 638745, None, None, EHCP_2025),
    ("ehc_plans", "January 2015", LANCASHIRE, 4943, None, None, EHCP_2022),
    ("ehc_plans", "January 2022", LANCASHIRE, 8691, None, None, EHCP_2025),
    ("special_school_pct", "January 2025", LANCASHIRE, 37.8, 4653, 12317, EHCP_2025),
    ("special_school_pct", "January 2025", ENGLAND, 30.4, 193880, 638745, EHCP_2025),
    ("special_school_pct", "January 2022", LANCASHIRE, 43.6, 3792, 8691, EHCP_2025),
    ("special_school_pct", "January 2015", LANCASHIRE, 53.4, 2641, None, EHCP_2022),
    ("mainstream_pct", "January 2025", LANCASHIRE, 40.5, 4991, 12317, EHCP_2025),
    ("mainstream_pct", "January 2025", ENGLAND, 43.6, 278236, 638745, EHCP_2025),
    # Not published as a share: worked out from special_independent and special_non_maintained (725 + 24).
    ("independent_special_pct", "January 2025", LANCASHIRE, 6.1, 749, 12317, EHCP_2025),
    ("independent_special_pct", "January 2019", LANCASHIRE, 6.3, 445, 7042, EHCP_2025),
    ("independent_special_pct", "January 2025", ENGLAND, 5.3, 34028, 638745, EHCP_2025),
    # Primary need, all plans, January 2025
    ("need_asd_pct", "January 2025", LANCASHIRE, 34.8, 4290, 12317, EHCP_2025),
    ("need_semh_pct", "January 2025", LANCASHIRE, 19.8, 2435, 12317, EHCP_2025),
    ("need_slcn_pct", "January 2025", LANCASHIRE, 21.0, 2592, 12317, EHCP_2025),
    ("need_asd_pct", "January 2025", ENGLAND, 31.5, 201183, 638745, EHCP_2025),
    ("need_semh_pct", "January 2025", ENGLAND, 20.7, 132217, 638745, EHCP_2025),
    ("need_slcn_pct", "January 2025", ENGLAND, 21.3, 135836, 638745, EHCP_2025),
    # Tribunal appeals, 2024 (supporting file of the 2025 release)
    ("tribunal_appeal_rate", "2024", LANCASHIRE, 2.5, 334, 13303, EHCP_2025),
    ("tribunal_appeal_rate_in_development", "2024", LANCASHIRE, 6.6, 334, 5032, EHCP_2025),
    ("tribunal_appeal_rate", "2024", ENGLAND, 3.2, 22276, 689739, EHCP_2025),
    ("tribunal_appeal_rate", "2014", LANCASHIRE, 1.8, 90, 5088, EHCP_2025),
    # High needs block (ESFA DSG allocations)
    ("high_needs_block", "2023-24", LANCASHIRE, 193_174_760, None, None, "dsg"),
    ("high_needs_block", "2020-21", LANCASHIRE, 134_984_270, None, None, "dsg"),
    ("high_needs_block_after_deductions", "2023-24", LANCASHIRE, 183_592_425, None, None, "dsg"),
    ("high_needs_block", "2023-24", ENGLAND, 9_952_172_126, None, None, "dsg"),
    # LAIT
    ("ehc_plans_pct_pupils", "January 2024", LANCASHIRE, 4.9, None, None, "lait"),
    ("ehc_plans_pct_pupils", "January 2025", LANCASHIRE, 5.5, None, None, "lait"),
    ("ehc_plans_pct_pupils", "January 2024", ENGLAND, 4.8, None, None, "lait"),
    ("ehc_plans_pct_pupils", "January 2025", ENGLAND, 5.3, None, None, "lait"),
    ("sen_support_pct_pupils", "January 2024", LANCASHIRE, 12.2, None, None, "lait"),
    ("sen_support_pct_pupils", "January 2025", LANCASHIRE, 13.2, None, None, "lait"),
    ("sen_support_pct_pupils", "January 2024", ENGLAND, 13.6, None, None, "lait"),
    ("sen_support_pct_pupils", "January 2025", ENGLAND, 14.2, None, None, "lait"),
    ("sen_weekly_unit_cost", "2024-25", LANCASHIRE, 100, None, None, "lait"),
    ("sen_weekly_unit_cost", "2024-25", ENGLAND, 110, None, None, "lait"),
]


@pytest.mark.parametrize(
    ("measure", "period", "area", "value", "numerator", "denominator", "release"),
    CHECK_FIGURES,
    ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CHECK_FIGURES],
)
def test_published_check_figures(conn, measure, period, area, value, numerator, denominator, release):
    row = figure(conn, measure, period, area)
    assert round(row["value"], 1) == value
    assert (None if pd.isna(row["numerator"]) else row["numerator"]) == numerator
    assert (None if pd.isna(row["denominator"]) else row["denominator"]) == denominator
    assert row["release_id"] == release


def test_the_newest_release_is_preferred_where_releases_overlap(conn):
    newer = figure(conn, "twenty_week_rate_excl", "2022", ENGLAND)
    older = figure(conn, "twenty_week_rate_excl", "2022", ENGLAND, release=EHCP_2023)
    assert (newer["release_id"], newer["value"], older["value"], older["preferred"]) == (
        EHCP_2025,
        49.2,
        49.166,
        False,
    )
    # England's new plans in 2022 differ between releases (SOURCES.md caveat 2): 66,706 is the 2025 figure.
    assert figure(conn, "new_plans", "2022", ENGLAND)["value"] == 66706
    assert figure(conn, "new_plans", "2022", ENGLAND, release=EHCP_2023)["value"] == 68665
    assert "Education, health and care plans 2025" in newer["release_label"]
    assert newer["source_file"] == "ehcp_2025/timeliness_20_week.csv"
    assert newer["source_column"] == "PC_plans_issued_20_weeks_ex"


def test_a_newer_release_without_a_figure_does_not_hide_an_older_one(conn):
    # The 2025 release publishes 'x' for the refusal share before 2023; sen2_mi has it.
    row = figure(conn, "requests_refused_pct", "2019", LANCASHIRE)
    assert (row["release_id"], round(row["value"], 1), row["numerator"]) == (EHCP_2023, 16.5, 211)


def test_symbols_load_as_blank_not_zero(conn):
    # City of London's and Dorset's 2024 timeliness are 'x' in the 2025 release.
    assert pd.isna(figure(conn, "twenty_week_rate_excl", "2024", "E09000001")["value"])
    # ... while the tribunal table's " - " is a zero count (Darlington 2014: " - " appeals, 0.00%).
    darlington = figure(conn, "tribunal_appeal_rate", "2014", "E06000005")
    assert (darlington["numerator"], darlington["value"], darlington["denominator"]) == (0, 0.0, 450)


def test_the_tribunal_region_is_derived_from_its_authorities_and_says_so(conn):
    row = figure(conn, "tribunal_appeal_rate", "2024", NORTH_WEST)
    # LAIT's own North West figure for 2024 is 2.1401...; the table itself has no regional rows.
    assert (row["value"], row["derived"]) == (2.1, True)
    assert row["source_column"].startswith("derived")


def test_authorities_are_the_153_current_las_with_their_regions(conn):
    authorities = run(conn, "benchmark_authorities")
    assert len(authorities) == 153
    lancashire = authorities.set_index("new_la_code").loc[LANCASHIRE]
    assert (
        lancashire["la_name"],
        lancashire["old_la_code"],
        lancashire["region_name"],
        lancashire["region_code"],
    ) == ("Lancashire", "888", "North West", NORTH_WEST)
    assert "Cumbria" not in set(authorities["la_name"])


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (
            "2025-05",
            [
                "Lincolnshire",
                "Bury",
                "Dudley",
                "Herefordshire, County of",
                "Darlington",
                "Stockton-on-Tees",
                "Wakefield",
                "Nottinghamshire",
                "Northumberland",
                "Wigan",
            ],
        ),
        (
            "2021-04",
            [
                "Nottinghamshire",
                "Calderdale",
                "Derbyshire",
                "Sefton",
                "Bury",
                "Stockton-on-Tees",
                "Kent",
                "Staffordshire",
                "Wigan",
                "Cheshire West and Chester",
            ],
        ),
    ],
)
def test_lancashires_statistical_neighbours(conn, model, expected):
    neighbours = run(conn, "benchmark_neighbours", la_code=LANCASHIRE, sn_model=model)
    assert list(neighbours["sn_la_name"]) == expected
    assert list(neighbours["sn_rank"]) == list(range(1, 11))


# --- Ranks, worked out a second way from the raw files ---------------------------------------------------


def raw_ees(name: str) -> pd.DataFrame:
    return pd.read_csv(PUBLISHED / "ehcp_2025" / name, dtype=str, encoding="utf-8-sig", keep_default_na=False)


def values_for(
    conn, measure: str, period: str, la_code: str = LANCASHIRE, model: str = "2025-05"
) -> pd.DataFrame:
    return run(
        conn, "benchmark_authority_values", measure=measure, period=period, la_code=la_code, sn_model=model
    )


def test_rank_of_lancashires_twenty_week_rate_2024_matches_the_raw_file(conn):
    raw = raw_ees("timeliness_20_week.csv")
    raw = raw[
        (raw["time_period"] == "2024")
        & (raw["geographic_level"] == "Local authority")
        & (raw["breakdown_topic"] == "All EHC plans issued")
    ]
    rates = pd.to_numeric(raw["PC_plans_issued_20_weeks_ex"], errors="coerce").dropna()  # 'x' for 2 LAs
    lancashire = float(raw.loc[raw["la_name"] == "Lancashire", "PC_plans_issued_20_weeks_ex"].iloc[0])
    independent = 1 + int((rates > lancashire).sum())  # higher is better: count who did better
    assert (independent, len(rates)) == (130, 151)  # and by hand: 130th of 151, bottom quartile

    ranked = benchmarks.rank_authorities(
        values_for(conn, "twenty_week_rate_excl", "2024"), MEASURES["twenty_week_rate_excl"]
    )
    assert benchmarks.standing(ranked, LANCASHIRE) == benchmarks.Standing(130, 151, 4)
    assert benchmarks.standing(ranked, WIGAN) == benchmarks.Standing(89, 151, 3)


def test_rank_of_lancashires_tribunal_rate_2024_lower_is_better(conn):
    # Read the spreadsheet by position, not by its headings: 2024's rate is the 35th column.
    raw = pd.read_csv(
        PUBLISHED / "ehcp_2025" / "send_tribunal_appeal_rate_2014_2024.csv",
        header=None,
        skiprows=5,
        dtype=str,
        encoding="utf-8-sig",
        keep_default_na=False,
    )
    raw = raw[raw[1].str.fullmatch(r"\d{3}")]
    rates = pd.to_numeric(raw[34].str.strip().str.rstrip("%"), errors="coerce").dropna()
    lancashire = float(raw.loc[raw[0] == "Lancashire", 34].iloc[0].rstrip("%"))
    independent = 1 + int((rates < lancashire).sum())
    assert (lancashire, independent, len(rates)) == (2.5, 71, 153)

    ranked = benchmarks.rank_authorities(
        values_for(conn, "tribunal_appeal_rate", "2024"), MEASURES["tribunal_appeal_rate"]
    )
    assert benchmarks.standing(ranked, LANCASHIRE) == benchmarks.Standing(71, 153, 2)


def test_rank_of_lancashires_plans_per_pupil_2025_neutral_highest_first(conn):
    raw = pd.read_csv(
        PUBLISHED / "reference" / "lait_sen_indicators_long.csv", dtype=str, keep_default_na=False
    )
    regions = {"970", *(str(code) for code in range(980, 991))}
    raw = raw[
        (raw["Short Desc"] == "SEN_TotStat") & (raw["Years"] == "2025") & ~raw["LA Number"].isin(regions)
    ]
    shares = pd.to_numeric(raw["Values"], errors="coerce").round(1).dropna()
    independent = 1 + int((shares > 5.5).sum())
    assert (independent, len(shares)) == (68, 153)

    ranked = benchmarks.rank_authorities(
        values_for(conn, "ehc_plans_pct_pupils", "January 2025"), MEASURES["ehc_plans_pct_pupils"]
    )
    assert benchmarks.standing(ranked, LANCASHIRE) == benchmarks.Standing(68, 153, 2)


def test_neighbour_average_and_range_worked_by_hand(conn):
    values = values_for(conn, "twenty_week_rate_excl", "2024")
    summary = benchmarks.neighbour_summary(values[values["sn_rank"].notna()], total=10)
    # Lincolnshire 99.0, Bury 99.0, Dudley 52.3, Herefordshire 67.6, Darlington 72.5, Stockton-on-Tees 71.2,
    # Wakefield 86.2, Nottinghamshire 37.5, Northumberland 49.0, Wigan 42.6: sum 676.9.
    assert summary.mean == pytest.approx(67.69)
    assert (summary.lowest, summary.lowest_name, summary.highest, summary.with_figure) == (
        37.5,
        "Nottinghamshire",
        99.0,
        10,
    )
    group = benchmarks.neighbour_ranking(values, LANCASHIRE, MEASURES["twenty_week_rate_excl"])
    assert list(group["rank"]) == [1, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11]  # Bury and Lincolnshire tie at 99.0
    assert group["la_name"].iloc[-1] == "Lancashire"


def test_trend_table_puts_authority_england_region_and_neighbours_side_by_side(conn):
    trend = run(
        conn, "benchmark_trend", measure="twenty_week_rate_excl", la_code=LANCASHIRE, sn_model="2025-05"
    )
    table = benchmarks.trend_table(trend).set_index("period")
    assert list(table.index) == [str(y) for y in range(2014, 2025)]
    assert table.loc["2024", ["authority", "england", "region"]].tolist() == [17.3, 46.4, 50.5]
    assert table.loc["2024", "neighbour_mean"] == pytest.approx(67.69)
    assert table.loc["2018", "release"] == "Education, health and care plans 2023 (DfE, June 2023)"
    assert table.loc["2019", "release"] == "Education, health and care plans 2025 (DfE, 26 June 2025)"
    assert benchmark_views.trend(compare(conn, "twenty_week_rate_excl", "2024")).title == (
        "Lancashire: 17.3% in 2024, down from 80.2% in 2023; England 46.4%"
    )


def test_periods_are_newest_first_and_only_those_with_figures(conn):
    periods = run(conn, "benchmark_periods", measure="requests_agreed_pct")
    assert list(periods["period"]) == ["2024", "2023"]  # not collected before person-level SEN2
    caseload = run(conn, "benchmark_periods", measure="ehc_plans")
    assert list(caseload["period"]) == [f"January {y}" for y in range(2025, 2014, -1)]


# --- A new release with changed names, labels and symbols ------------------------------------------------


def rewrite(
    source: Path,
    target: Path,
    *,
    rename: dict[str, str] | None = None,
    drop: tuple[str, ...] = (),
    keep=None,
    edit=None,
    add: tuple[str, ...] = (),
) -> None:
    """Copy an EES file as a release would change it, keeping its BOM and CRLF: rename or drop header
    columns, add columns (blank unless edit fills them), keep only rows for which keep(row) is true, and let
    edit(row) change cells by column name."""
    reader = csv.DictReader(io.StringIO(source.read_bytes().decode("utf-8-sig"), newline=""))
    columns = [c for c in reader.fieldnames if c not in drop] + list(add)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([(rename or {}).get(c, c) for c in columns])
    for row in reader:
        if keep and not keep(row):
            continue
        row.update(dict.fromkeys(add, ""))
        if edit:
            edit(row)
        writer.writerow([row[c] for c in columns])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))


def year_2024_north_west(row: dict) -> bool:
    return row["time_period"] in ("2024", "202425") and row["region_name"] in ("", "North West")


def relabel(old: str, new: str):
    def edit(row: dict) -> None:
        for column in ("breakdown_topic", "breakdown"):
            if row[column] == old:
                row[column] = new

    return edit


# The mean weeks to issue a plan (including, excluding exceptions) the 2026 release adds, made up for a few
# areas; every other authority has the symbol x (not available). Lancashire's May 2025 neighbours in the North
# West are Bury and Wigan, so by hand: neighbours' average including exceptions (18.5 + 26.4) / 2 = 22.45,
# range 18.5 to 26.4; excluding exceptions Bury's 18.0 alone (Wigan's is x).
MEAN_WEEKS = {
    "": ("25.3", "24.1"),  # England (the national row has no la_name)
    "Lancashire": ("30.2", "29.0"),
    "Bury": ("18.5", "18.0"),
    "Wigan": ("26.4", "x"),
}
MEAN_WEEKS_COLUMNS = ("avg_weeks_issue_plan", "avg_weeks_issue_plan_exc")


def revise_timeliness(row: dict) -> None:
    """The 2026 headline label, and a revision of Lancashire's 2024 figure so the releases can be told apart."""
    relabel("All EHC plans issued", "All EHC plans")(row)
    if row["la_name"] == "Lancashire" and row["breakdown_topic"] == "All EHC plans":
        row["plans_issued_20_weeks_ex"], row["PC_plans_issued_20_weeks_ex"] = "299", "17.4"
    weeks = ("22.0", "21.5") if row["geographic_level"] == "Regional" else MEAN_WEEKS.get(row["la_name"])
    if row["breakdown_topic"] == "All EHC plans":
        row.update(zip(MEAN_WEEKS_COLUMNS, weeks or ("x", "x"), strict=True))


@pytest.fixture()
def release_2026(tmp_path) -> Path:
    """A 2026-style release beside the 2025 one, with the name, case and label changes SOURCES.md lists."""
    return make_release_2026(tmp_path)


def make_release_2026(tmp_path: Path) -> Path:
    """The release_2026 fixture's folder (for other modules: the Benchmarks page test uses it too)."""
    folder = tmp_path / "published"
    shutil.copytree(PUBLISHED / "reference", folder / "reference")
    source = PUBLISHED / "ehcp_2025"
    (folder / "ehcp_2025").mkdir()
    for name in ("timeliness_20_week.csv", "requests.csv", "caseload_no_ethnicity.csv"):
        shutil.copy(source / name, folder / "ehcp_2025" / name)
    new = folder / "ehcp_2026"
    rewrite(
        source / "timeliness_20_week.csv",
        new / "timeliness_20_week.csv",
        keep=year_2024_north_west,
        edit=revise_timeliness,
        add=MEAN_WEEKS_COLUMNS,
        rename={
            "PC_plans_issued_20_weeks_ex": "pc_plans_issued_20_weeks_ex",
            "plans_issued_gt20weeks_ltYear": "plans_issued_gt20weeks_ltyear",
            "PC_plans_issued_gt20weeks_ltYear_ex": "pc_plans_issued_gt20weeks_ltyear_ex",
        },
    )
    rewrite(
        source / "requests.csv",
        new / "requests.csv",
        keep=year_2024_north_west,
        rename={"requests_received_in_year": "Requests_Received_In_Year"},
        edit=relabel("All requests for EHC needs assessments", "All requests for an EHC needs assessment"),
    )
    rewrite(
        source / "caseload_no_ethnicity.csv",
        new / "caseload.csv",
        keep=year_2024_north_west,
        rename={"AP_PRU_total_pc": "ap_pru_total_pc", "special_academy_free": "special_academy"},
    )
    return folder


def test_a_release_with_renamed_columns_and_reworded_labels_loads(release_2026):
    conn = duckdb.connect()
    report = load_published(conn, release_2026)
    statuses = {f.path: f.status for f in report.files}
    assert statuses["ehcp_2026/timeliness_20_week.csv"] == "loaded"
    assert statuses["ehcp_2026/requests.csv"] == "loaded"
    assert statuses["ehcp_2026/caseload.csv"] == "loaded"
    newest = figure(conn, "twenty_week_rate_excl", "2024", LANCASHIRE)
    assert (newest["release_id"], newest["value"], newest["numerator"]) == ("ehcp_2026", 17.4, 299)
    assert newest["source_column"] == "pc_plans_issued_20_weeks_ex"
    assert newest["release_label"] == "Education, health and care plans 2026 (DfE)"
    assert figure(conn, "twenty_week_rate_excl", "2024", LANCASHIRE, release=EHCP_2025)["value"] == 17.3
    assert figure(conn, "requests_received", "2024", LANCASHIRE)["release_id"] == "ehcp_2026"
    assert figure(conn, "ehc_plans", "January 2025", LANCASHIRE)["value"] == 12317
    # Files that are not in this cut-down folder are reported missing, by name.
    assert statuses["high_needs/dsg_allocations_2019_20_to_2023_24.csv"] == "missing"
    assert_the_mean_weeks_to_issue_a_plan_is_loaded_and_compared(conn, report)


def test_a_release_missing_a_required_column_is_refused_naming_file_and_column(release_2026):
    rewrite(
        PUBLISHED / "ehcp_2025" / "timeliness_20_week.csv",
        release_2026 / "ehcp_2026" / "timeliness_20_week.csv",
        keep=year_2024_north_west,
        edit=revise_timeliness,
        add=MEAN_WEEKS_COLUMNS,
        drop=("plans_issued_den_ex",),
    )
    conn = duckdb.connect()
    report = load_published(conn, release_2026)
    refused = report.file("ehcp_2026/timeliness_20_week.csv")
    assert refused.status == "refused"
    assert "required column 'plans_issued_den_ex' is missing" in refused.message
    assert any(
        p.startswith("ehcp_2026/timeliness_20_week.csv: required column 'plans_issued_den_ex' is missing")
        for p in report.problems
    )
    # The rest still loads, and the older release's figure is still served.
    assert report.file("ehcp_2026/requests.csv").status == "loaded"
    assert figure(conn, "twenty_week_rate_excl", "2024", LANCASHIRE)["release_id"] == EHCP_2025
    with pytest.raises(
        PublishedDataError, match=r"timeliness_20_week\.csv: required column 'plans_issued_den_ex'"
    ):
        load_published(duckdb.connect(), release_2026, strict=True)


def test_an_unknown_headline_label_is_refused_saying_what_was_found(release_2026):
    rewrite(
        PUBLISHED / "ehcp_2025" / "requests.csv",
        release_2026 / "ehcp_2026" / "requests.csv",
        keep=year_2024_north_west,
        edit=relabel("All requests for EHC needs assessments", "Every request"),
    )
    report = load_published(duckdb.connect(), release_2026)
    refused = report.file("ehcp_2026/requests.csv")
    assert refused.status == "refused"
    assert "no headline rows" in refused.message and "'Every request'" in refused.message


def test_symbols_spaces_and_thousands_separators_in_an_ees_file(tmp_path):
    folder = tmp_path / "published"
    shutil.copytree(PUBLISHED / "reference", folder / "reference")
    head = (
        "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
        "new_la_code,old_la_code,la_name,breakdown_topic,breakdown,requests_received_in_year,"
        "requests_decided_to_assess,requests_decided_not_to_assess,request_assess_pc,request_not_assess_pc"
    )
    rows = [
        "2024,Calendar year,National,E92000001,England,,,,,,All requests for EHC needs assessments,All,"
        '"154,489", 101045 ,38889,65.4,25.2',
        "2024,Calendar year,Regional,E92000001,England,E12000002,North West,,,,All requests for EHC needs assessments,"
        "All,x,z,c,low,u",
        "2024,Calendar year,Local authority,E92000001,England,E12000002,North West,E10000017,888,Lancashire,"
        "All requests for EHC needs assessments,All,..,~,-,  73.70 ,12a",
        "2024,Calendar year,Local authority,E92000001,England,E12000002,North West,E10000017,888,Lancashire,"
        "Sex,Boys,1,2,3,4,5",
    ]
    (folder / "ehcp_2030").mkdir()
    (folder / "ehcp_2030" / "requests.csv").write_bytes(
        ("\ufeff" + "\r\n".join([head, *rows]) + "\r\n").encode()
    )
    conn = duckdb.connect()
    report = load_published(conn, folder)
    load = report.file("ehcp_2030/requests.csv")
    assert (load.status, load.rows) == (
        "loaded",
        9,
    )  # 3 headline rows x 3 measures; the Sex row is not headline
    assert load.warnings == [
        "column 'request_not_assess_pc' has 1 value(s) that are neither numbers nor EES "
        "symbols (for example '12a'); they load as blank"
    ]
    england = figure(conn, "requests_received", "2024", ENGLAND)
    assert england["value"] == 154489
    assert figure(conn, "requests_agreed_pct", "2024", ENGLAND)["numerator"] == 101045
    north_west = conn.execute(
        "select value, numerator, denominator from published_measures "
        "where area_code = $nw and source_file = 'ehcp_2030/requests.csv'",
        {"nw": NORTH_WEST},
    ).fetchall()
    assert north_west == [(None, None, None)] * 3
    lancashire = figure(conn, "requests_agreed_pct", "2024", LANCASHIRE)
    assert (lancashire["value"], pd.isna(lancashire["numerator"]), pd.isna(lancashire["denominator"])) == (
        73.7,
        True,
        True,
    )


def test_the_tribunal_table_is_read_from_its_two_row_header():
    table, warnings = published.read_tribunal_table(
        PUBLISHED / "ehcp_2025" / "send_tribunal_appeal_rate_2014_2024.csv", "tribunal.csv"
    )
    assert warnings == []
    by_area = table.set_index(["la_name", "year"])
    lancashire = by_area.loc[("Lancashire", 2024)]
    assert (
        lancashire["appeals"],
        lancashire["decisions"],
        lancashire["rate"],
        lancashire["new_decisions"],
        lancashire["new_rate"],
    ) == (334, 13303, 2.5, 5032, 6.6)
    assert lancashire["region_name"] == "North West"
    assert by_area.loc[("Cumberland", 2024), "region_name"] == "North West"  # 'Cumberland8': footnote removed
    assert pd.isna(by_area.loc[("Cumberland", 2022), "rate"])  # ' .. '
    assert by_area.loc[("Camden", 2024), "region_name"] == "London"  # under INNER LONDON
    england = table[(table["geographic_level"] == "National") & (table["year"] == 2024)].iloc[0]
    assert (england["appeals"], england["decisions"], england["rate"]) == (22276, 689739, 3.2)
    assert sorted(table["year"].unique()) == list(range(2014, 2025))


def test_a_tribunal_table_without_a_years_rate_column_is_refused(tmp_path):
    source = PUBLISHED / "ehcp_2025" / "send_tribunal_appeal_rate_2014_2024.csv"
    text = (
        source.read_bytes()
        .decode("utf-8-sig")
        .replace(
            "Total Appealable Decisions1,SEND Tribunal Appeal Rate2,Appeals registered4",
            "Total Appealable Decisions1,Something else,Appeals registered4",
            1,
        )
    )
    target = tmp_path / "tribunal.csv"
    target.write_text(text, encoding="utf-8")
    with pytest.raises(
        PublishedDataError, match="required column 'SEND Tribunal Appeal Rate' for 2014 is missing"
    ):
        published.read_tribunal_table(target, "tribunal.csv")


def test_column_names_match_whatever_their_case_and_through_aliases():
    header = [" PC_Plans_Issued_20_Weeks_Ex ", "NewallEHC", "time_period"]
    assert published.resolve_columns(
        header, ["pc_plans_issued_20_weeks_ex", "new_ehc_plans", "TIME_PERIOD"], file="f.csv"
    ) == {
        "pc_plans_issued_20_weeks_ex": " PC_Plans_Issued_20_Weeks_Ex ",
        "new_ehc_plans": "NewallEHC",
        "TIME_PERIOD": "time_period",
    }
    with pytest.raises(
        PublishedDataError, match=r"^f\.csv: required column 'plans_issued_den_ex' is missing"
    ):
        published.resolve_columns(["plans_issued_den"], ["plans_issued_den_ex"], file="f.csv")


# --- Measures, ranks and charts as pure functions --------------------------------------------------------


def frame(values: list[float | None], names: list[str] | None = None) -> pd.DataFrame:
    names = names or [f"LA {i}" for i in range(len(values))]
    return pd.DataFrame(
        {
            "new_la_code": [f"E{i}" for i in range(len(values))],
            "la_name": names,
            "value": values,
            "sn_rank": [None] * len(values),
        }
    )


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        ("twenty_week_rate_excl", [4, 1, 2, 2]),  # higher is better: 80 first; ties share the better rank
        ("tribunal_appeal_rate", [1, 4, 2, 2]),  # lower is better
        ("requests_received", [4, 1, 2, 2]),  # neutral: highest first
    ],
)
def test_rank_respects_polarity_and_ties_share_the_better_rank(measure, expected):
    ranked = benchmarks.rank_authorities(frame([10, 80, 50, 50, None]), MEASURES[measure]).set_index(
        "la_name"
    )
    assert [ranked.loc[f"LA {i}", "rank"] for i in range(4)] == expected
    assert "LA 4" not in ranked.index and set(ranked["ranked_of"]) == {4}


@pytest.mark.parametrize(
    ("rank", "of", "band"),
    [(1, 153, 1), (38, 153, 1), (39, 153, 2), (77, 153, 3), (115, 153, 4), (153, 153, 4), (2, 4, 2)],
)
def test_quartile_bands(rank, of, band):
    assert benchmarks.quartile(rank, of) == band


def test_words_for_ranks_gaps_and_bands():
    twenty = MEASURES["twenty_week_rate_excl"]
    # Words come from dashboard.fmt, the one home for them: ordinals, gaps in points and pounds, figures.
    assert [fmt.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]
    assert fmt.points(benchmarks.gap(17.3, 46.4, twenty)) == "-29.1 points"
    assert benchmarks.judgement(17.3, 46.4, twenty) == "worse"
    assert benchmarks.judgement(2.5, 3.2, MEASURES["tribunal_appeal_rate"]) == "better"
    assert benchmarks.judgement(100, 110, MEASURES["sen_weekly_unit_cost"]) is None
    assert fmt.money(benchmarks.gap(100, 110, MEASURES["sen_weekly_unit_cost"]), exact=True) == "-£10"
    assert benchmarks.gap(3658, 154489, MEASURES["requests_received"]) is None
    assert benchmarks.quartile_words(4, twenty) == "Quartile D (worst 25%)"
    assert benchmarks.quartile_words(1, MEASURES["ehc_plans"]) == "Quartile 1 (highest 25%)"
    assert [
        fmt.value(v, u)
        for v, u in (
            (17.34, "percent"),
            (12317, "count"),
            (193_174_760, "gbp"),
            (100, "gbp_per_week"),
            (math.nan, "count"),
        )
    ] == ["17.3%", "12,317", "£193.2m", "£100", "–"]


def test_every_measure_says_what_it_is_and_how_it_ranks():
    for measure in MEASURES.values():
        assert measure.label and measure.short and measure.source and measure.notes, measure.key
        assert measure.polarity in ("higher_is_better", "lower_is_better", "neutral")
        assert "rank 1 is" in measure.rank_rule().lower()
    assert {m.key for m in MEASURES.values() if m.polarity != "neutral"} == {
        "twenty_week_rate_incl",
        "twenty_week_rate_excl",
        "tribunal_appeal_rate",
        "tribunal_appeal_rate_in_development",
        "mean_weeks_to_plan_incl",
        "mean_weeks_to_plan_excl",
    }


def test_every_benchmark_query_says_what_a_row_is_and_ends_in_final():
    names = [n for n in queries.names() if n.startswith("benchmark_")]
    assert len(names) == 7
    for name in names:
        sql = queries.sql_text(name)
        assert sql.startswith("-- One row per"), name
        assert sql.rstrip().endswith("select * from final"), name


def test_trend_chart_marks_the_series_break_only_when_the_series_crosses_it(conn):
    view = benchmark_views.trend(compare(conn, "twenty_week_rate_excl", "2024"))
    figure_ = view.figure
    names = [t.name for t in figure_.data]
    assert names == [
        "Neighbours' lowest",
        "Neighbours' range (lowest to highest)",
        "Lancashire",
        "England",
        "North West",
        "Statistical neighbours' average",
    ]
    assert [s.x0 for s in figure_.layout.shapes] == [8.5]  # 2014 to 2022 are the first nine periods
    assert "Series break" in figure_.layout.annotations[0].text
    assert list(figure_.data[2].x) == [str(y) for y in range(2014, 2025)]
    only_after = view.draw(view.table[view.table["Period"] >= "2023"].reset_index(drop=True))
    assert not only_after.layout.shapes


def test_neighbour_bars_mark_the_chosen_authority_by_pattern_outline_and_label(conn):
    bars = benchmark_views.neighbours(compare(conn, "twenty_week_rate_excl", "2024")).figure
    trace = bars.data[0]
    assert list(trace.marker.pattern.shape) == [""] * 10 + ["/"]
    assert list(trace.marker.line.width) == [1] * 10 + [3]
    assert trace.y[-1] == "11. <b>▶ Lancashire (chosen)</b>"
    assert trace.y[0] in ("1. Bury", "1. Lincolnshire")
    assert [a.text for a in bars.layout.annotations] == ["England 46.4%", "Neighbours' average 67.7%"]


def test_totals_leave_england_and_the_region_off_the_charts(conn):
    chosen = compare(conn, "ehc_plans", "January 2025")
    chart = benchmark_views.trend(chosen).figure
    assert [t.name for t in chart.data if t.showlegend is not False] == [
        "Neighbours' range (lowest to highest)",
        "Lancashire",
        "Statistical neighbours' average",
    ]
    bars = benchmark_views.neighbours(chosen)
    assert [a.text for a in bars.figure.layout.annotations] == [
        f"Neighbours' average {fmt.count(chosen.summary.mean)}"
    ]  # no England line: it is off the scale
    assert bars.title == (
        "Lancashire has the highest figure of 11 among itself and its statistical neighbours in January 2025"
    )


def test_every_measure_has_figures_and_its_first_and_latest_period(conn):
    available = run(conn, "benchmark_measures").set_index("measure")
    assert set(available.index) == {k for k, m in MEASURES.items() if not m.added_in}
    assert available.loc["twenty_week_rate_excl"].tolist() == [11, "2014", "2024"]
    assert available.loc["ehc_plans"].tolist() == [11, "January 2015", "January 2025"]
    assert available.loc["need_asd_pct"].tolist() == [1, "January 2025", "January 2025"]
    assert available.loc["sen_weekly_unit_cost"].tolist() == [9, "2016-17", "2024-25"]
    assert available.loc["high_needs_block"].tolist() == [5, "2019-20", "2023-24"]
    assert available.loc["tribunal_appeal_rate_in_development"].tolist() == [1, "2024", "2024"]


def test_a_missing_folder_leaves_empty_tables_and_names_every_missing_file(tmp_path):
    conn = duckdb.connect()
    report = load_published(conn, tmp_path / "nothing")
    assert not report.ok and report.rows == 0
    assert "reference/la_code_lookup.csv: file not found" in report.problems
    assert "reference/statistical_neighbours_dfe_csnt.csv: file not found" in report.problems
    for name in ("benchmark_authorities", "benchmark_measures"):
        assert run(conn, name).empty
    assert set(run(conn, "benchmark_sources")["status"]) == {"missing"}
    with pytest.raises(PublishedDataError, match="reference/la_code_lookup.csv: file not found"):
        load_published(duckdb.connect(), tmp_path / "nothing", strict=True)


def test_a_partial_release_keeps_every_authority_and_gives_no_rank_for_its_incomplete_year(tmp_path):
    """A 2026 release carrying a new year (2025) for the North West's authorities only, as a release published
    in parts would: the authority list stays at 153 (Lincolnshire too), and 2025 is not ranked."""
    folder = tmp_path / "published"
    shutil.copytree(PUBLISHED / "reference", folder / "reference")
    shutil.copytree(PUBLISHED / "ehcp_2025", folder / "ehcp_2025")

    def next_year(row: dict) -> None:
        relabel("All EHC plans issued", "All EHC plans")(row)
        row["time_period"] = "2025"

    rewrite(
        PUBLISHED / "ehcp_2025" / "timeliness_20_week.csv",
        folder / "ehcp_2026" / "timeliness_20_week.csv",
        keep=year_2024_north_west,
        edit=next_year,
    )
    conn = duckdb.connect()
    load_published(conn, folder)
    authorities = run(conn, "benchmark_authorities")
    assert len(authorities) == 153 and "Lincolnshire" in set(authorities["la_name"])
    partial = compare(conn, "twenty_week_rate_excl", "2025")
    assert not partial.complete and partial.standing.rank is None and partial.standing.quartile is None
    # A full year has 152 authorities with this figure (the most in any one year; 2024 has 151, within 90%),
    # so the North West's 24 is incomplete.
    assert partial.standing.ranked_of == 24 and partial.standing.expected == 152
    assert len(compare(conn, "twenty_week_rate_excl", "2024").ranked) == 151
    view = benchmark_views.every_authority(partial)
    assert view.title == "2025 is not ranked: only 24 of 152 local authorities have a figure so far"
    assert "Rank" not in view.table.columns
    tile = next(h for h in benchmark_views.headlines(partial) if h.label.startswith("Rank among LAs"))
    assert tile.value == fmt.MISSING and "not ranked" in tile.delta and "partial release" in tile.help
    full = compare(conn, "twenty_week_rate_excl", "2024")
    assert full.complete and full.standing.rank is not None and full.standing.expected is None


@pytest.mark.parametrize(("rank", "of", "band"), [(1, 1, 1), (1, 2, 1), (2, 2, 3), (3, 3, 3)])
def test_quartile_bands_for_fewer_authorities_than_bands_start_at_the_top(rank, of, band):
    assert benchmarks.quartile(rank, of) == band


def test_a_release_file_under_the_name_it_arrived_with_is_recognised_by_its_columns(release_2026):
    new = release_2026 / "ehcp_2026"
    (new / "timeliness_20_week.csv").rename(new / "ehcp_timeliness_2026_v2.csv")
    (new / "contents.csv").write_text("sheet,description\nTable 1,Requests\n", encoding="utf-8")
    conn = duckdb.connect()
    report = load_published(conn, release_2026)
    files = {f.path: f for f in report.files}
    assert files["ehcp_2026/ehcp_timeliness_2026_v2.csv"].status == "loaded"
    newest = figure(conn, "twenty_week_rate_excl", "2024", LANCASHIRE)
    assert (newest["release_id"], newest["value"], newest["source_file"]) == (
        "ehcp_2026",
        17.4,
        "ehcp_2026/ehcp_timeliness_2026_v2.csv",
    )
    skipped = files["ehcp_2026/contents.csv"]
    assert skipped.status == "skipped" and skipped.message.startswith(
        "skipped: not recognised, as its columns match none of the release tables the dashboard reads"
    )
    assert "ehcp_2026/contents.csv: skipped: not recognised" in " ".join(report.problems)


def test_the_notes_on_a_figure_name_the_release_it_came_from(release_2026):
    conn = duckdb.connect()
    load_published(conn, release_2026)
    chosen = compare(conn, "twenty_week_rate_excl", "2024")
    releases = sorted(chosen.areas["release_label"].dropna().unique())
    words = benchmark_views.about(chosen.measure, releases)
    # The trend's years come from both releases, each named as loaded (the new one has no date on file).
    assert (
        "**Source:** Education, health and care plans 2025 (DfE, 26 June 2025); Education, health and care plans "
        "2026 (DfE)."
    ) in words.replace("\\", "")
    # No words on the page fix the release: the notes say 'the yearly releases', the sources name those loaded.
    assert "2025 release" not in words
    assert "Source: Education, health and care plans 2026 (DfE)." in benchmark_views.sources_words(chosen)
    assert not [m.key for m in MEASURES.values() if "2025 release" in m.notes + m.label]


def assert_the_mean_weeks_to_issue_a_plan_is_loaded_and_compared(conn, report) -> None:
    """The 2026 release adds the mean weeks to issue a plan (in the release_2026 fixture; MEAN_WEEKS by hand)."""
    assert report.file("ehcp_2025/timeliness_20_week.csv").status == "loaded"  # without the new columns
    assert report.file("ehcp_2026/timeliness_20_week.csv").warnings == []  # x is a symbol, not a bad number
    mine = figure(conn, "mean_weeks_to_plan_incl", "2024", LANCASHIRE)
    assert (mine["value"], mine["release_id"], mine["source_column"]) == (
        30.2,
        "ehcp_2026",
        "avg_weeks_issue_plan",
    )
    assert figure(conn, "mean_weeks_to_plan_excl", "2024", ENGLAND)["value"] == 24.1
    assert figure(conn, "mean_weeks_to_plan_excl", "2024", NORTH_WEST)["value"] == 21.5
    assert published.ehcp_release(2025).id not in set(
        conn.execute("select release_id from published_measures where measure like 'mean_weeks%'").df()[
            "release_id"
        ]
    )
    available = benchmarks.measures_with_figures(lambda name, params: queries.run(conn, name, params))
    assert {"mean_weeks_to_plan_incl", "mean_weeks_to_plan_excl"} <= set(available)

    incl = compare(conn, "mean_weeks_to_plan_incl", "2024")
    (year,) = incl.trend.to_dict("records")
    assert (year["period"], year["authority"], year["england"], year["region"]) == ("2024", 30.2, 25.3, 22.0)
    assert year["neighbour_mean"] == pytest.approx(22.45)
    assert (year["neighbour_low"], year["neighbour_high"], year["neighbours_with_figure"]) == (18.5, 26.4, 2)
    # Fewer weeks is better: Bury 18.5, Wigan 26.4, Lancashire 30.2 among the three with a figure.
    assert incl.standing.rank == 3 and incl.standing.ranked_of == 3
    view = benchmark_views.mean_weeks(incl)
    assert view.key == "benchmark_mean_weeks"
    assert view.title == "Mean weeks to issue a plan: Lancashire: 30.2 weeks in 2024; England 25.3 weeks"
    assert view.table.iloc[0]["Release (Lancashire)"] == "Education, health and care plans 2026 (DfE)"
    tile = benchmark_views.headlines(incl)[0]
    assert (tile.value, tile.delta) == ("30.2 weeks", "+4.9 weeks, worse")  # 30.2 - 25.3
    excl = compare(conn, "mean_weeks_to_plan_excl", "2024")
    assert (excl.summary.mean, excl.summary.with_figure) == (18.0, 1)
    assert benchmark_views.MEAN_WEEKS_FOR["twenty_week_rate_excl"] == "mean_weeks_to_plan_excl"


def test_without_a_release_that_publishes_it_the_mean_weeks_is_one_sentence_naming_that_release(conn):
    available = benchmarks.measures_with_figures(lambda name, params: queries.run(conn, name, params))
    assert "mean_weeks_to_plan_excl" not in available
    assert benchmark_views.mean_weeks_absent(MEASURES["mean_weeks_to_plan_excl"]) == (
        "Mean weeks to issue a plan is first published in Education, health and care plans 2026 (DfE): the "
        "releases loaded here do not include it yet."
    )
