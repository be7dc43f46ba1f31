import logging

import pandas as pd
import streamlit as st

from dashboard import escape, fmt
from dashboard.app import page, sidebar
from dashboard.outputs import browser, snapshot
from dashboard.serving.store import state_dir_from_env, state_problem

store, ctx = page.start(
    "Snapshots for advisers",
    "A snapshot freezes the current data, filters and the chosen views in one HTML file that opens offline in any "
    "browser; the board pack is the same snapshot as an A4 landscape PDF. Small numbers are suppressed in both, in "
    "every table, chart and sentence, as in every download.",
)
folder = state_dir_from_env() / "snapshots"

page.section("Create a snapshot")
chosen = st.multiselect(
    "Sections",
    list(snapshot.BY_KEY),
    default=list(snapshot.BY_KEY),
    format_func=lambda key: snapshot.BY_KEY[key].label,
    key="snapshot_sections",
    help="The views after the Overview's key figures, in this order.",
)
made_by = st.text_input(
    "Made by (name or role, shown in the snapshot)",
    key="snapshot_made_by",
    max_chars=80,
    placeholder="e.g. Head of SEND performance",
)
if st.button("Create snapshot", type="primary", key="snapshot_create", icon=":material/photo_camera:"):
    document, info = snapshot.make(
        ctx,
        usable=store.usable,
        offered=sidebar.options(store),
        data_version=store.version,
        is_sample=store.is_sample,
        sections=chosen,
        made_by=made_by.strip() or "not given",
    )
    try:
        info = snapshot.save(folder, document, info)
    except OSError as error:
        logging.getLogger(__name__).exception("cannot save a snapshot in %s", folder)
        st.error(
            f"**The snapshot could not be saved: {state_problem(error)}.** Nothing was kept; the team that "
            "runs the dashboard can fix it. The figures on every page are unaffected.",
            icon="🚫",
        )
    else:
        st.session_state["snapshot_latest"] = info.file
        st.success(
            f"Snapshot made: {escape.markdown(info.file)} (content hash {info.content_hash[:16]}…).",
            icon="✅",
        )

latest = st.session_state.get("snapshot_latest")
if latest and (folder / latest).is_file():
    document = (folder / latest).read_text(encoding="utf-8")
    with page.controls():
        st.download_button(
            "Download the snapshot (HTML)",
            data=document.encode("utf-8"),
            file_name=latest,
            mime="text/html",
            key="snapshot_download",
            on_click="ignore",
            icon=":material/download:",
        )
        if not browser.available():
            st.info("The PDF board pack needs Chromium on the server (scripts/ensure-chromium installs it).")
        st.download_button(
            "Download the board pack (PDF)",
            data=lambda: snapshot.pdf(document, fmt.day(ctx.as_of)),
            file_name=latest.removesuffix(".html") + ".pdf",
            mime="application/pdf",
            key="snapshot_pdf",
            on_click="ignore",
            icon=":material/picture_as_pdf:",
            disabled=not browser.available(),
        )

page.section("Kept snapshots")
kept = snapshot.index(folder)
if not kept:
    st.info("No snapshots have been made yet.")
else:
    st.dataframe(
        pd.DataFrame([snapshot.index_row(s, store.version) for s in kept]),
        hide_index=True,
        key="snapshot_index",
    )
    picked_file = st.selectbox("Open a kept snapshot", [s.file for s in kept], key="snapshot_open")
    picked = next(s for s in kept if s.file == picked_file)
    if picked.data_version != store.version:
        st.warning(
            f"**This snapshot is older than the latest data.** It shows the data as of "
            f"{snapshot.as_of_words(picked)}; the dashboard now has data as of {fmt.day(ctx.as_of)}. Its "
            "figures may have changed since.",
            icon="⚠️",
        )
    st.download_button(
        "Download this snapshot (HTML)",
        data=(folder / picked.file).read_bytes(),
        file_name=picked.file,
        mime="text/html",
        key="snapshot_download_kept",
        on_click="ignore",
    )
