import streamlit as st

from dashboard import contract, escape, fmt
from dashboard.app import page, sidebar, state
from dashboard.measures import kpis
from dashboard.outputs import slides
from dashboard.views import overview
from dashboard.views.base import Context

store = state.store()
ctx = Context(state.runner(store), sidebar.from_url(store), state.as_of(store))
st.html(page.BASE_CSS)
st.html(page.PRESENTATION_CSS)
number = (
    st.session_state.get("present_number")
    or slides.current_slide(st.query_params.get(slides.SLIDE_KEY)).number
)


def move(step: int) -> None:
    st.session_state["present_number"] = slides.step(number, step)
    st.query_params[slides.SLIDE_KEY] = str(st.session_state["present_number"])


with st.container(key="present_controls", horizontal=True, vertical_alignment="center"):
    st.button(
        "Previous",
        icon=":material/arrow_back:",
        shortcut="Left",
        on_click=move,
        args=(-1,),
        key="present_previous",
        disabled=number == 1,
        type="tertiary",
    )
    st.button(
        "Next",
        icon=":material/arrow_forward:",
        shortcut="Right",
        on_click=move,
        args=(1,),
        key="present_next",
        disabled=number == len(slides.SLIDES),
        type="tertiary",
    )
slide = slides.SLIDES[number - 1]

with st.container(key="present_slide"):
    st.markdown(
        f"**Slide {slide.number} of {len(slides.SLIDES)}** · {escape.markdown(slide.question)} · "
        f"Data as of {fmt.day(ctx.as_of)}"
    )
    missing = [t for t in slide.tables if not store.usable(t)]
    view = None if slide.build is None or missing else slide.build(ctx)
    if slide.build is None:
        st.title(escape.markdown(slide.question), anchor=False)
        tiles = overview.tiles(ctx, store.usable)
        page.board_slide([t for t in tiles if t.key in kpis.IMPROVEMENT_NOTICE_TILES], ctx)
    elif missing and all(
        t in contract.OPTIONAL_EXTRACTS and store.report.files[t].status == "missing" for t in missing
    ):
        st.title(escape.markdown(slide.question), anchor=False)
        st.info(
            f"The {', '.join(page.TABLE_LABELS[t] for t in missing)} extract is optional and not supplied, so "
            "this slide has nothing to show."
        )
    elif missing:
        st.title(escape.markdown(slide.question), anchor=False)
        words = ", ".join(page.TABLE_LABELS[t] for t in missing)
        optional = all(
            store.report.files[t].optional and store.report.files[t].status == "missing" for t in missing
        )
        if optional:
            # Optional extracts this deployment does not supply: not a fault.
            st.info(
                f"This deployment does not supply the {words} extract(s), so this slide has nothing to show."
            )
        else:
            st.error(f"The {words} extract is not available for this slide.")
    elif view is None:
        st.title(escape.markdown(slide.question), anchor=False)
        st.info(
            "There is nothing to show on this slide yet: its commitment has not started, or its target is not "
            "in reference/targets.csv."
        )
    else:
        page.slide(view)
    st.caption(
        f"Source: {escape.markdown(slide.source)}. {escape.markdown(ctx.filters.describe())}."
        + (" Synthetic sample data." if store.is_sample else "")
    )
