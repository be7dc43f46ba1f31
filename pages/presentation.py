import streamlit as st

from dashboard import fmt
from dashboard.app import ui
from dashboard.measures import kpis
from dashboard.outputs import slides as presentation
from dashboard.views import legacy as views

store = ui.store()
filters = ui.filters_from_url(store)
run = ui.runner(store)
as_of = store.as_of or filters.period_end
at = min(filters.period_end, as_of)

ui.presentation_style()
number = st.session_state.get(presentation.SLIDE_KEY) or presentation.current_slide(
    st.query_params.get(presentation.SLIDE_KEY)).number


def move(step: int) -> None:
    st.session_state[presentation.SLIDE_KEY] = presentation.step(number, step)


with st.container(key="present_controls", horizontal=True, vertical_alignment="center"):
    st.button("Previous", icon=":material/arrow_back:", shortcut="Left", on_click=move, args=(-1,),
              key="present_previous", disabled=number == 1)
    st.button("Next", icon=":material/arrow_forward:", shortcut="Right", on_click=move, args=(1,),
              key="present_next", disabled=number == len(presentation.SLIDES))
    # Plain numbers as options, so the address reads ?slide=3 and a bookmark opens that slide.
    chosen = st.selectbox("Slide", list(range(1, len(presentation.SLIDES) + 1)), key=presentation.SLIDE_KEY,
                          bind="query-params", help=" · ".join(map(presentation.slide_label,
                                                                  range(1, len(presentation.SLIDES) + 1))))
    ui.page_link("pages/overview.py", "Leave presentation", ui.filter_link_params())
slide = presentation.SLIDES[chosen - 1]

with st.container(key="present_slide"):
    st.title(slide.title)
    st.markdown(f"**Slide {slide.number} of {len(presentation.SLIDES)}** · Data as of {fmt.day(as_of)} · "
                f"{filters.describe()}")
    if slide.key == "overview":
        tiles = kpis.board_kpis(run, filters, at, store.usable, as_of)
        for row in (tiles[:5], tiles[5:]):
            for column, kpi in zip(st.columns(5), row, strict=False):
                with column:
                    ui.kpi_tile(kpi, ui.filter_link_params(), large=True)
    else:
        needed = [t for t in slide.tables if not store.usable(t)]
        if needed:
            st.error(f"The {', '.join(ui.TABLE_LABELS[t] for t in needed)} extract is not available for this slide.")
        else:
            shown = [view for build in presentation.slide_views(slide.key) if (view := build(run, filters, at))]
            if not shown:
                st.info("There is nothing to show on this slide yet: its commitment has not started, or its target "
                        "is not in reference/targets.csv.")
            for column, view in zip(st.columns(max(len(shown), 1)), shown, strict=False):
                with column:
                    ui.show(views.for_presentation(view))
    st.caption(f"Source: {slide.source}. Synthetic sample data." if store.is_sample else f"Source: {slide.source}.")
