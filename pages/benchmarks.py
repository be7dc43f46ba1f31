import streamlit as st

from dashboard import escape
from dashboard.app import page
from dashboard.measures import benchmarks as published
from dashboard.measures.benchmarks import MEASURES, SN_MODELS
from dashboard.views import benchmarks

store, ctx = page.start("Benchmarks", benchmarks.INTRO)
st.info(benchmarks.FILTERS_NOTE, icon="ℹ️")
files = published.published_files(ctx.run)
if problem := benchmarks.unusable_files(files):
    st.warning(problem, icon="⚠️")
names = published.authority_names(ctx.run)
measures = published.measures_with_figures(ctx.run)
if not names or not measures:
    st.error(benchmarks.NOTHING_LOADED, icon="🚫")
    st.stop()

controls = page.controls()
la_code = controls.selectbox(
    "Local authority",
    list(names),
    format_func=names.get,
    key="la",
    bind="query-params",
    index=benchmarks.index_of(list(names), published.DEFAULT_AUTHORITY),
    help="Any English local authority. Lancashire is the default.",
    width=280,
)
measure = controls.selectbox(
    "Measure",
    measures,
    format_func=lambda key: MEASURES[key].label,
    key="measure",
    bind="query-params",
    index=benchmarks.index_of(measures, published.DEFAULT_MEASURE),
    width=420,
)
period = controls.selectbox(
    "Year",
    published.periods(ctx.run, measure),
    key="year",
    bind="query-params",
    help=benchmarks.period_help(MEASURES[measure]),
    width=160,
)
model = controls.selectbox(
    "Statistical neighbours",
    list(SN_MODELS),
    format_func=SN_MODELS.get,
    key="neighbours",
    bind="query-params",
    index=benchmarks.index_of(list(SN_MODELS), published.DEFAULT_SN_MODEL),
    help=benchmarks.NEIGHBOURS_HELP,
    width=230,
)

chosen = published.compare(ctx.run, la_code, measure, period, model)
page.section(benchmarks.heading(chosen))
page.headlines(benchmarks.headlines(chosen))
page.notice(escape.markdown(benchmarks.sources_words(chosen)))
page.show(benchmarks.trend(chosen), ctx)
if weeks := benchmarks.MEAN_WEEKS_FOR.get(measure):
    if weeks in measures:
        latest = published.periods(ctx.run, weeks)[0]
        page.show(benchmarks.mean_weeks(published.compare(ctx.run, la_code, weeks, latest, model)), ctx)
    else:
        page.notice(escape.markdown(benchmarks.mean_weeks_absent(MEASURES[weeks])))
page.show(benchmarks.neighbours(chosen), ctx)
page.show(benchmarks.every_authority(chosen), ctx)

with st.expander("About this measure and the published sources"):
    st.markdown(benchmarks.about(chosen.measure, sorted(chosen.areas["release_label"].dropna().unique())))
    page.show(benchmarks.sources(files), ctx)
