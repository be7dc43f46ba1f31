import streamlit as st

from dashboard import fmt
from dashboard.app import page, sidebar, state
from dashboard.outputs import slides
from dashboard.views import overview
from dashboard.views.base import Context

store = state.store()
ctx = Context(state.runner(store), sidebar.from_url(store), state.as_of(store))
st.html(page.PRESENTATION_CSS)
number = (
    st.session_state.get(slides.SLIDE_KEY)
    or slides.current_slide(st.query_params.get(slides.SLIDE_KEY)).number
)


def move(step: int) -> None:
    st.session_state[slides.SLIDE_KEY] = slides.step(number, step)


with st.container(key="present_controls", horizontal=True, vertical_alignment="center"):
    st.button(
        "Previous",
        icon=":material/arrow_back:",
        shortcut="Left",
        on_click=move,
        args=(-1,),
        key="present_previous",
        disabled=number == 1,
    )
    st.button(
        "Next",
        icon=":material/arrow_forward:",
        shortcut="Right",
        on_click=move,
        args=(1,),
        key="present_next",
        disabled=number == len(slides.SLIDES),
    )
    # Plain numbers as options, so the address reads ?slide=3 and a bookmark opens that slide.
    chosen = st.selectbox(
        "Slide",
        list(range(1, len(slides.SLIDES) + 1)),
        key=slides.SLIDE_KEY,
        bind="query-params",
        help=" · ".join(map(slides.slide_label, range(1, len(slides.SLIDES) + 1))),
    )
    page.link("Leave presentation", "pages/overview.py", page.current_scope())
slide = slides.SLIDES[chosen - 1]

with st.container(key="present_slide"):
    st.title(slide.title)
    st.markdown(
        f"**Slide {slide.number} of {len(slides.SLIDES)}** · Data as of {fmt.day(ctx.as_of)} · "
        f"{page.markdown_text(ctx.filters.describe())}"
    )
    if slide.key == "overview":
        page.kpi_tiles(overview.tiles(ctx, store.usable), ctx, large=True, links=False)
    elif needed := [t for t in slide.tables if not store.usable(t)]:
        st.error(
            f"The {', '.join(page.TABLE_LABELS[t] for t in needed)} extract is not available for this slide."
        )
    elif shown := [view for build in slides.slide_views(slide.key) if (view := build(ctx))]:
        for column, view in zip(st.columns(len(shown)), shown, strict=True):
            with column:
                page.show(view, ctx, large=True)
    else:
        st.info(
            "There is nothing to show on this slide yet: its commitment has not started, or its target is not "
            "in reference/targets.csv."
        )
    st.caption(f"Source: {slide.source}." + (" Synthetic sample data." if store.is_sample else ""))
