import pandas as pd
import streamlit as st

from dashboard import fmt
from dashboard.app import page
from dashboard.outputs import snapshot
from dashboard.serving.store import state_dir_from_env
from dashboard.views import overview

store, ctx = page.start(
    "Snapshots for advisers",
    "A snapshot freezes the current data, filters and headline figures in one HTML file that opens offline in any "
    "browser and prints for a board pack. Small numbers are suppressed in it, as in every download.",
)
folder = state_dir_from_env() / "snapshots"

page.section("Create a snapshot")
made_by = st.text_input(
    "Made by (name or role, shown in the snapshot)",
    key="snapshot_made_by",
    max_chars=80,
    placeholder="e.g. Head of SEND performance",
)
if st.button("Create snapshot", type="primary", key="snapshot_create", icon=":material/photo_camera:"):
    document, info = snapshot.build(
        title="SEND demand and capacity: Improvement Board snapshot",
        kpis=overview.tiles(ctx, store.usable),
        views=snapshot.views_for(ctx, store.usable),
        filters_words=ctx.filters.describe(),
        as_of=ctx.as_of,
        data_version=store.version,
        made_by=made_by.strip() or "not given",
        view_name="Overview and headline charts",
        is_sample=store.is_sample,
    )
    info = snapshot.save(folder, document, info)
    st.session_state["snapshot_latest"] = info.file
    st.success(f"Snapshot made: {info.file} (content hash {info.content_hash[:16]}…).", icon="✅")

latest = st.session_state.get("snapshot_latest")
if latest and (folder / latest).is_file():
    st.download_button(
        "Download the snapshot (HTML)",
        data=(folder / latest).read_bytes(),
        file_name=latest,
        mime="text/html",
        key="snapshot_download",
        icon=":material/download:",
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
    chosen = st.selectbox("Open a kept snapshot", [s.file for s in kept], key="snapshot_open")
    picked = next(s for s in kept if s.file == chosen)
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
    )
