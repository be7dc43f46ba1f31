import streamlit as st

from dashboard import escape
from dashboard.app import page
from dashboard.dates import FinancialYear
from dashboard.measures import spending
from dashboard.views import spending as views

store, ctx = page.start("Spending", views.INTRO, requires=("spending",))
page.notice(views.WHERE_FILTERS_APPLY)
offered = spending.years_in_extract(ctx.run, ctx.at)
if not offered:
    st.info("The spending extract has no rows, so there is nothing to show.", icon="ℹ️")
    st.stop()

# The year follows the period's end until one is chosen, and again whenever the To month moves to another year.
year_labels, default = views.year_options(ctx, offered)
follows = year_labels[default]
if st.session_state.setdefault("_spend_fy_follows", follows) != follows:
    st.session_state["spend_fy"] = st.session_state["_spend_fy_follows"] = follows
controls = page.controls()
year = FinancialYear.parse(
    controls.selectbox(
        "Financial year",
        year_labels,
        key="spend_fy",
        bind="query-params",
        help=views.year_help(ctx),
        width=170,
        **({} if "spend_fy" in st.session_state else {"index": default}),
    )
)
method = views.METHOD_NAMES[
    controls.radio(
        "Forecast method",
        list(views.METHOD_NAMES),
        key="spend_method",
        bind="query-params",
        horizontal=True,
        captions=views.METHOD_CAPTIONS,
        help=views.METHOD_HELP,
        width=420,
    )
]
scope = views.SCOPE_NAMES[
    controls.selectbox(
        "Budget lines",
        list(views.SCOPE_NAMES),
        key="spend_funding",
        bind="query-params",
        help=views.SCOPE_HELP,
        width=260,
    )
]

ranked = spending.lines(ctx.run, year, ctx.at, method, spending.funding(scope))
independent = spending.independent_placement_costs(ctx.run, offered[0], offered[-1], ctx.at, method)
ep_costs = spending.ep_assessment_costs(ctx.run, offered[0], offered[-1], ctx.at)
staffing = spending.staffing_commitment(ctx.run, ctx.at)

st.markdown(views.as_at(ctx, year, scope))
page.headlines(views.headlines(ctx, year, method, scope, ranked, independent, ep_costs, staffing))
st.markdown(views.method_note(method))

section, tab = page.sections("pages/spending.py")
with tab:
    if section == "Month by month":
        line_names = views.line_options(ranked)
        line = line_names[
            st.columns([1, 2])[0].selectbox(
                "Budget line for this chart", list(line_names), key="spend_line", bind="query-params"
            )
        ]
        page.show(views.monthly(ctx, year, scope, line), ctx)
    elif section == "By budget line":
        page.show(views.lines(ctx, year, method, scope, ranked), ctx)
    elif section == "Year by year":
        page.show(views.years(ctx, method, scope), ctx)
    else:
        page.notice(views.UNIT_COSTS_NOTE)
        page.show(views.independent_unit_cost(ctx, method, independent), ctx)
        page.show(views.ep_unit_cost(ctx, ep_costs), ctx)
        staffing_view = views.staffing(ctx, staffing)
        if staffing_view is None:
            st.info(escape.markdown(views.staffing_gap(ctx, staffing)), icon="ℹ️")
        else:
            page.show(staffing_view, ctx)
