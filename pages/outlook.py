from datetime import date

import streamlit as st

from dashboard import escape, fmt
from dashboard.app import page, state
from dashboard.dates import add_months, last_day
from dashboard.outlook import model
from dashboard.outputs import snapshot
from dashboard.serving.store import state_dir_from_env
from dashboard.views import outlook as views
from dashboard.views import overview
from dashboard.views.base import Headline

store, ctx = page.start(
    "Demand and capacity outlook", views.INTRO, requires=("ehcp_requests", "ep_assessments")
)
page.notice(views.FILTERS_NOTE)
outlook = state.outlook(store)
defaults = outlook.defaults

st.caption(
    "Each control starts at the last three whole months' actuals (to "
    f"{fmt.month_long(outlook.start)}). Demand follows the forecast at the default growth; "
    f"{fmt.percent(100 * outlook.carried_on)} of decisions go on towards a plan, as in the last 12 months; "
    f"{views.order_words(outlook.oldest_first)}, as the data shows (see Simulator validation)."
)
row = page.controls()
decisions = row.number_input(
    "Decisions a month",
    0.0,
    float(model.MAX_PER_MONTH),
    defaults.decisions,
    10.0,
    key="ol_decisions",
    bind="query-params",
    width=200,
)
ep = row.number_input(
    "EP advice completed a month",
    0.0,
    float(model.MAX_PER_MONTH),
    defaults.ep_advice,
    10.0,
    key="ol_ep",
    bind="query-params",
    width=200,
)
plans = row.number_input(
    "Plans issued a month",
    0.0,
    float(model.MAX_PER_MONTH),
    defaults.plans,
    10.0,
    key="ol_plans",
    bind="query-params",
    width=200,
)
growth = row.number_input(
    "Demand growth, % a year",
    model.MIN_GROWTH,
    model.MAX_GROWTH,
    defaults.growth_pct,
    1.0,
    key="ol_growth",
    bind="query-params",
    width=200,
)
chosen = views.chosen_capacity(defaults, decisions, ep, plans, growth)
result = model.scenario(outlook, chosen, "This scenario")
target = outlook.target
page.headlines(
    [
        Headline(
            "Overdue backlog clears",
            views.when(result.cleared),
            view="outlook_backlog",
            delta=f"{fmt.count(round(outlook.caseload.overdue()))} overdue at {fmt.day(outlook.start)}",
            help="The first month end from which no assessment is past 20 weeks, to the end of the 36 "
            "months projected.",
        ),
        Headline(
            f"20-week rate reaches {fmt.percent(target.target)}" if target else "20-week target",
            views.when(result.reached) if target else fmt.MISSING,
            view="outlook_rate",
            delta=f"target due {fmt.day(target.due_date)}" if target and target.due_date else None,
            help="The first month from which the projected share of plans issued within 20 weeks stays "
            "at or above the target in reference/targets.csv.",
        ),
    ]
)

section, tab = page.sections("pages/outlook.py")
with tab:
    if section == "Demand forecast":
        page.section("Where demand for assessments is heading", anchor="outlook-demand")
        st.markdown(views.model_words(outlook))
        localities = [model.WHOLE_AREA, *sorted(k for k in outlook.forecasts if k != model.WHOLE_AREA)]
        locality = page.controls().selectbox(
            "Forecast for", localities, key="ol_locality", bind="query-params", width=260
        )
        if (view := views.forecast_view(outlook, locality or model.WHOLE_AREA)) is not None:
            page.show(view, ctx)
        for which in ("recent", "step"):
            if (view := views.backtest_view(outlook, which)) is not None:
                page.show(view, ctx)
    elif section == "Specialist places":
        page.section("Demand for specialist places to 2028", anchor="outlook-specialist")
        if (view := views.specialist_view(outlook)) is None:
            st.info(
                "There is no specialist places census, or no new plan named a specialist placement in the last 12 months."
            )
        else:
            page.show(view, ctx)
    elif section == "Backlog simulator":
        page.section("When the backlog clears at this capacity", anchor="outlook-simulator")
        page.show(views.backlog_view(outlook, result), ctx)
        page.show(views.rate_view(outlook, result), ctx)

        page.section("Scenarios side by side", anchor="outlook-scenarios")
        kept_text = st.query_params.get_all(views.SCENARIO_PARAM)[: views.MAX_SCENARIOS]
        kept = [views.parse_scenario(text) for text in kept_text]
        if any(k is None for k in kept):
            st.warning("A scenario in the address was not valid and is left out.", icon="⚠️")
        kept = [k for k in kept if k is not None]
        row = page.controls()
        row.text_input(
            "Name this scenario",
            key="ol_name",
            max_chars=40,
            placeholder="e.g. Two more EPs",
            width=260,
            help="Letters, digits, spaces and simple punctuation; up to 40 characters.",
        )

        def keep() -> None:
            text = (st.session_state.get("ol_name") or "").strip()
            st.session_state["ol_name_refused"] = not views.valid_name(text)
            if views.valid_name(text):
                # The controls as they are now (a callback runs before the script, so not `chosen`).
                held = st.session_state
                now = views.chosen_capacity(
                    defaults,
                    held.get("ol_decisions"),
                    held.get("ol_ep"),
                    held.get("ol_plans"),
                    held.get("ol_growth"),
                )
                chosen_now = views.ScenarioChoice(text, now).encoded()
                current = [
                    t for t in st.query_params.get_all(views.SCENARIO_PARAM) if t.split("~")[0] != text
                ]
                st.query_params[views.SCENARIO_PARAM] = [*current, chosen_now][-views.MAX_SCENARIOS :]
                st.session_state["ol_name"] = ""

        def clear() -> None:
            del st.query_params[views.SCENARIO_PARAM]

        row.button("Keep this scenario", key="ol_keep", on_click=keep)
        row.button("Clear kept scenarios", key="ol_clear", on_click=clear, disabled=not kept)
        if st.session_state.get("ol_name_refused"):
            st.caption(
                "To keep a scenario, give it a name of up to 40 characters that starts with a letter or digit and "
                "uses letters, digits, spaces and , . ( ) ' - only."
            )
        results = [result, *(model.scenario(outlook, k.capacity, k.name) for k in kept)]
        compared = views.compare_view(outlook, results)
        page.show(compared, ctx)
        if st.button("Snapshot these scenarios", key="ol_snapshot", icon=":material/photo_camera:"):
            document, info = snapshot.build(
                title="SEND demand and capacity: backlog outlook scenarios",
                kpis=overview.tiles(ctx, store.usable),
                views=[compared, views.backlog_view(outlook, result), views.rate_view(outlook, result)],
                filters_words=f"All of the area; data as of {fmt.day(outlook.as_of)}",
                as_of=ctx.as_of,
                data_version=store.version,
                made_by="the Outlook page",
                view_name=f"Outlook scenarios ({fmt.words([r.name for r in results])})",
                is_sample=store.is_sample,
            )
            info = snapshot.save(state_dir_from_env() / "snapshots", document, info)
            st.session_state["ol_snapshot_file"] = info.file
            st.success(
                f"Snapshot made: {escape.markdown(info.file)}; it is listed on the Snapshots page.", icon="✅"
            )
    elif section == "Reaching the target":
        page.section("What it would take to reach the 20-week target", anchor="outlook-reverse")
        months = [
            last_day(add_months(outlook.start.replace(day=1), n))
            for n in range(3, model.SIMULATED_MONTHS + 1)
        ]
        due = target.due_date if target and target.due_date else None
        default_by = (
            due if due in months else (last_day(due) if due and last_day(due) in months else months[11])
        )
        by = st.selectbox(
            "Reach the 20-week target by",
            [m.isoformat() for m in months],
            index=[m.isoformat() for m in months].index(default_by.isoformat()),
            format_func=lambda text: fmt.month_long(date.fromisoformat(text)),
            key="ol_by",
            bind="query-params",
            width=260,
        )
        by_date = date.fromisoformat(by) if by else default_by
        need = model.requirement(outlook, chosen, by_date)
        # Words made from figures and dates only (no text from the data), with their own bold.
        st.markdown(views.requirement_words(outlook, need, by_date, chosen))
        if (view := views.requirement_view(outlook, result, need, by_date)) is not None:
            page.show(view, ctx)
    else:
        page.section("Does the simulator track what happened?", anchor="outlook-validation")
        if (view := views.validation_view(outlook)) is None:
            st.info(
                "There are not yet six whole months of history after a month end to check the simulator on."
            )
        else:
            page.show(view, ctx)
