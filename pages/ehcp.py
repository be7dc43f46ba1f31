from dashboard.app import page
from dashboard.measures import ehcp
from dashboard.views import ehcp as views

store, ctx = page.start(
    "EHC needs assessments and plans",
    "How many requests for an EHC needs assessment arrive and from whom, how many are agreed, how long "
    "families wait for a plan, where it is worst, and which open cases will pass 20 weeks soon.",
    requires=("ehcp_requests",),
)

decisions = ehcp.decisions_by_month(ctx.run, ctx.filters, ctx.period)
timeliness = ehcp.timeliness_by_month(ctx.run, ctx.filters, ctx.period)
breach = ehcp.about_to_breach(ctx.run, ctx.filters, ctx.at)
page.headlines(views.headlines(ctx, decisions, breach))

section, tab = page.sections("pages/ehcp.py")
with tab:
    if section == "Demand and decisions":
        page.show(views.decisions(ctx, decisions), ctx)
        page.show(views.sources(ctx), ctx)
        page.show(views.funnel(ctx), ctx)
    elif section == "Timeliness":
        page.show(views.twenty_weeks(ctx, timeliness), ctx)
        page.show(views.weeks_bands(ctx, timeliness), ctx)
        page.show(views.weeks_to_plan(ctx, timeliness), ctx)
        page.show(views.decision_timeliness(ctx), ctx)
    elif section == "Waiting now":
        page.section(views.waiting_heading(ctx), "waiting")
        page.show(views.open_by_wait(ctx), ctx)
        page.show(views.caseload(ctx), ctx)
        page.show(views.about_to_breach(ctx, breach), ctx)
        page.show(views.breach_by_need(ctx, breach), ctx)
    else:
        controls = page.controls()
        dimension = controls.selectbox(
            "Break down by",
            list(views.BREAKDOWNS),
            key="breakdown",
            bind="query-params",
            format_func=views.BREAKDOWNS.get,
            width=300,
        )
        measure = controls.selectbox(
            "Measure",
            list(views.BREAKDOWN_MEASURES),
            key="breakdown_measure",
            bind="query-params",
            format_func=views.BREAKDOWN_MEASURES.get,
            width=340,
        )
        page.show(views.breakdown(ctx, dimension, measure), ctx)
