import pandas as pd
import streamlit as st

from dashboard.app import ui
from dashboard.charts import ranking as benchmark_charts
from dashboard.measures import benchmarks
from dashboard.measures.benchmarks import MEASURES
from dashboard.outputs.downloads import safe_csv_bytes

store, filters, run = ui.start_page(
    "Benchmarks",
    "How an authority compares with England, its region and its ten DfE statistical neighbours on the "
    "published DfE and ESFA figures, with its rank among all local authorities and the direction of good.",
    requires=())
st.info("**The sidebar filters do not apply on this page.** They narrow the local extracts; every figure here is "
        "a published national statistic for a whole local authority, chosen with the controls below.", icon="ℹ️")

authorities = run("benchmark_authorities", {})
available = run("benchmark_measures", {})
sources = run("benchmark_sources", {})
refused = sources[sources["status"] != "loaded"]
if not refused.empty:
    st.warning("**Some published files could not be used**, so the figures they hold are missing here: "
               + "; ".join(f"{row.path} ({row.message})" for row in refused.itertuples()), icon="⚠️")
if authorities.empty or available.empty:
    st.error("**No published figures are loaded.** The data/published folder is missing or could not be read; "
             "the Data and methodology page lists the problem.", icon="🚫")
    st.stop()

names = dict(zip(authorities["new_la_code"], authorities["la_name"], strict=True))
codes = list(names)
measure_keys = [key for key in MEASURES if key in set(available["measure"])]

controls = st.columns([2, 3, 1.4, 2])
with controls[0]:
    la_code = st.selectbox("Local authority", codes, format_func=names.get, key="la", bind="query-params",
                           index=codes.index(benchmarks.DEFAULT_AUTHORITY)
                           if benchmarks.DEFAULT_AUTHORITY in codes else 0,
                           help="Any English local authority. Lancashire is the default.")
with controls[1]:
    measure_key = st.selectbox("Measure", measure_keys, format_func=lambda key: MEASURES[key].label,
                               key="measure", bind="query-params",
                               index=measure_keys.index(benchmarks.DEFAULT_MEASURE)
                               if benchmarks.DEFAULT_MEASURE in measure_keys else 0)
measure = MEASURES[measure_key]
periods = run("benchmark_periods", {"measure": measure_key})
with controls[2]:
    period = st.selectbox("Year", list(periods["period"]), key="year", bind="query-params",
                          help=f"Periods are {measure.period_type}s. Newest first.")
with controls[3]:
    model = st.selectbox("Statistical neighbours", list(benchmarks.SN_MODELS), format_func=benchmarks.SN_MODELS.get,
                         index=list(benchmarks.SN_MODELS).index(benchmarks.DEFAULT_SN_MODEL),
                         key="neighbours", bind="query-params",
                         help="DfE's children's services statistical neighbour model: the ten authorities most "
                              "like the chosen one. May 2025 is the current model.")

authority = authorities.set_index("new_la_code").loc[la_code]
la_name, region_name = authority["la_name"], authority["region_name"]
params = {"measure": measure_key, "period": period, "la_code": la_code, "sn_model": model}
values = run("benchmark_authority_values", params)
trend = run("benchmark_trend", params)
neighbours = run("benchmark_neighbours", params)

ranked = benchmarks.rank_authorities(values, measure)
standing = benchmarks.standing(ranked, la_code)
table = benchmarks.trend_table(trend)


def figure_at(role: str) -> pd.Series | None:
    rows = trend[(trend["role"] == role) & (trend["period"] == period)]
    return rows.iloc[0] if len(rows) else None


def value_of(row: pd.Series | None) -> float | None:
    return None if row is None or pd.isna(row["value"]) else float(row["value"])


def source_of(row: pd.Series | None) -> str:
    if row is None:
        return "No published figure."
    text = f"Source: {row['release_label']}, file {row['source_file']}."
    if pd.notna(row["numerator"]) and pd.notna(row["denominator"]):
        text += f" {row['numerator']:,.0f} of {row['denominator']:,.0f}."
    if row["derived"]:
        text += " Derived here by summing the region's authorities (the table publishes no regional figure)."
    return text


mine, england, region = figure_at("authority"), figure_at("england"), figure_at("region")
my_value, england_value, region_value = value_of(mine), value_of(england), value_of(region)
summary = benchmarks.neighbour_summary(values[values["sn_rank"].notna()], total=len(neighbours))
releases = sorted({row["release_label"] for row in (mine, england, region) if row is not None})

st.header(f"{measure.label}: {period}")
when = benchmarks.short_period(period)
delta_colour = {"higher_is_better": "normal", "lower_is_better": "inverse", "neutral": "off"}[measure.polarity]
tiles = st.columns([1.4, 1, 1.1, 1.2, 1.2])
with tiles[0]:
    gap = benchmarks.difference(my_value, england_value, measure)
    verdict = benchmarks.judgement(my_value, england_value, measure)
    st.metric(f"{la_name}, {when}", measure.format(my_value), border=True,
              delta=f"{gap}, {verdict}" if gap and verdict else gap, delta_color=delta_colour,
              delta_description="vs England" if gap else None,
              help=source_of(mine) + (" The difference from England is in percentage points (pts)."
                                      if measure.unit == "percent" else ""))
with tiles[1]:
    st.metric(f"England, {when}", measure.format(england_value), border=True, help=source_of(england))
with tiles[2]:
    st.metric(f"{region_name}, {when}", measure.format(region_value), border=True,
              delta=f"{la_name}'s region", delta_color="off", delta_arrow="off", help=source_of(region))
with tiles[3]:
    spread = (f"range {measure.format(summary.lowest)} to {measure.format(summary.highest)}"
              if summary.with_figure else "no neighbour has a figure")
    st.metric(f"Neighbours' average, {when}", measure.format(summary.mean), border=True,
              delta=spread, delta_color="off", delta_arrow="off",
              help=f"Unweighted mean of the {summary.with_figure} of {summary.neighbours} statistical neighbours "
                   f"({benchmarks.SN_MODELS[model]}) with a figure. Lowest: {summary.lowest_name or '–'}; "
                   f"highest: {summary.highest_name or '–'}.")
with tiles[4]:
    band = benchmarks.quartile_words(standing.quartile, measure) if standing.quartile else "no quartile"
    st.metric(f"Rank among LAs, {when}",
              f"{benchmarks.ordinal(standing.rank)} of {standing.ranked_of}" if standing.rank else "–",
              border=True, delta=band, delta_color="off", delta_arrow="off",
              help=f"Rank among the {standing.ranked_of} local authorities with a figure. {measure.rank_rule()} "
                   "Ties share the better rank. Quartile bands split the ranking into four equal parts.")
st.caption(f"{measure.label}, {period} ({measure.period_type}). Source: {'; '.join(releases) or measure.source}. "
           f"Direction of good: {measure.polarity.replace('_', ' ')}. {measure.rank_rule()}")

# Trend
trend_figure = benchmark_charts.trend_chart(table, measure, la_name=la_name, region_name=region_name)
compared = f"{la_name} and" if measure.is_total else f"{la_name}, England, {region_name} and"
span = (f"{table['period'].iloc[0]} to {table['period'].iloc[-1]}. The shaded band is the neighbours' range."
        if len(table) > 1 else f"{period} only: the one period published by authority.")
trend_summary = (f"{measure.label} for {compared} the average of its statistical neighbours "
                 f"({benchmarks.SN_MODELS[model]}), {span}")
if measure.is_total:
    trend_summary += (f" England and {region_name} are totals many times any authority's size, so they are in "
                      "the table, not on the chart.")
if benchmarks.crosses_break(table, measure):
    trend_summary += f" Dashed line: break in the series. {benchmarks.SEN2_BREAK_NOTE}"
trend_table = pd.DataFrame({
    "Period": table["period"],
    la_name: table["authority"],
    "England": table["england"],
    region_name: table["region"],
    "Neighbours' average": table["neighbour_mean"].round(2),
    "Neighbours' lowest": table["neighbour_low"],
    "Neighbours' highest": table["neighbour_high"],
    "Neighbours with a figure": table["neighbours_with_figure"],
    f"Release ({la_name})": table["release"],
})
ui.chart_with_table(trend_figure, trend_table, key="benchmark_trend",
                    title=benchmarks.trend_title(table, measure, la_name), summary=trend_summary,
                    filename=f"benchmark_trend_{measure_key}_{la_code}.csv")

# Neighbours
group = benchmarks.neighbour_ranking(values, la_code, measure)
bars = benchmark_charts.neighbour_bars(group, measure, la_code=la_code, england=england_value,
                                       neighbour_mean=summary.mean)
missing = [n for code, n in zip(neighbours["sn_new_la_code"], neighbours["sn_la_name"], strict=True)
           if code not in set(group["new_la_code"])]
bars_summary = (f"{measure.label} in {period} for {la_name} (hatched, outlined and marked 'chosen') and its "
                f"statistical neighbours ({benchmarks.SN_MODELS[model]}), "
                + ("best first. " if measure.has_direction else "highest first. ")
                + (f"The line marks the neighbours' average ({measure.format(summary.mean)})." if measure.is_total
                   else f"Lines mark England ({measure.format(england_value)}) and the neighbours' average "
                        f"({measure.format(summary.mean)})."))
if missing:
    bars_summary += f" No figure for: {', '.join(missing)}."
bars_table = pd.DataFrame({
    "Rank in group": group["rank"],
    "Local authority": group["la_name"],
    f"{measure.short}, {period}": group["value"],
    "Chosen authority": group["is_selected"].map({True: "yes", False: ""}),
    "Neighbour rank (closeness)": group["sn_rank"].astype("Int64"),
    "Release": group["release_label"],
})
ui.chart_with_table(bars, bars_table, key="benchmark_neighbours",
                    title=benchmarks.neighbours_title(group, la_code, la_name, measure, period),
                    summary=bars_summary, filename=f"benchmark_neighbours_{measure_key}_{period}_{la_code}.csv")

# Every authority
st.subheader(f"Every local authority: {measure.short.lower()}, {period}")
all_table = benchmarks.table_for_download(ranked, measure, period)
st.caption(f"{len(ranked)} authorities with a figure. {measure.rank_rule()} Ties share the better rank. "
           "Click a column heading to sort.")
st.dataframe(all_table, hide_index=True, key="benchmark_all_table")
st.download_button("Download every authority (CSV)", data=safe_csv_bytes(all_table),
                   file_name=f"benchmark_all_authorities_{measure_key}_{period}.csv", mime="text/csv",
                   key="benchmark_all_download")

with st.expander("About this measure and the published sources"):
    st.markdown(f"**{measure.label}.** {measure.notes}\n\n"
                f"**Source:** {measure.source}.\n\n**Ranking:** {measure.rank_rule()} Ties share the better rank; "
                "the quartile band splits the ranked authorities into four equal parts (A or 1 is the first). "
                "The neighbours' average is the unweighted mean of the neighbours with a figure.\n\n"
                "**Releases:** where two releases publish the same year, the newer one's figure is shown; each "
                "figure's release is in the tables and downloads.\n\n"
                "Contains public sector information licensed under the Open Government Licence v3.0.")
    st.dataframe(sources.rename(columns=str.capitalize), hide_index=True, key="benchmark_sources_table")
