import pandas as pd
import streamlit as st

from dashboard import fmt
from dashboard.app import ui
from dashboard.measures import kpis
from dashboard.outputs import snapshot
from dashboard.serving.store import state_dir_from_env
from dashboard.views import legacy as views

store, filters, run = ui.start_page(
    "Snapshots for advisers",
    "A snapshot freezes the current data, filters and headline figures in one HTML file that opens offline in any "
    "browser and prints for a board pack. Small numbers are suppressed in it, as in every download.")

as_of = store.as_of or filters.period_end
at = min(filters.period_end, as_of)
folder = state_dir_from_env() / "snapshots"

VIEWS = (views.twenty_week_view, views.open_by_wait_view, views.about_to_breach_view, views.ep_commitment_view,
         views.places_commitment_view, views.spending_lines_view)
NEEDS = ("ehcp_requests", "ehcp_requests", "ehcp_requests", "ep_assessments", "specialist_places", "spending")

st.header("Create a snapshot")
made_by = st.text_input("Made by (name or role, shown in the snapshot)", key="snapshot_made_by", max_chars=80,
                        placeholder="e.g. Head of SEND performance")
if st.button("Create snapshot", type="primary", key="snapshot_create", icon=":material/photo_camera:"):
    shown = [build(run, filters, at) for build, table in zip(VIEWS, NEEDS, strict=True) if store.usable(table)]
    document, info = snapshot.build(
        title="SEND demand and capacity: Improvement Board snapshot",
        kpis=kpis.board_kpis(run, filters, at, store.usable, as_of), views=[v for v in shown if v is not None],
        filters_words=filters.describe(), as_of=as_of, data_version=store.version,
        made_by=made_by.strip() or "not given", view_name="Overview and headline charts", is_sample=store.is_sample)
    info = snapshot.save(folder, document, info)
    st.session_state["snapshot_latest"] = info.file
    st.success(f"Snapshot made: {info.file} (content hash {info.content_hash[:16]}…).", icon="✅")

latest = st.session_state.get("snapshot_latest")
if latest and (folder / latest).is_file():
    st.download_button("Download the snapshot (HTML)", data=(folder / latest).read_bytes(), file_name=latest,
                       mime="text/html", key="snapshot_download", icon=":material/download:")

st.header("Kept snapshots")
kept = snapshot.index(folder)
if not kept:
    st.info("No snapshots have been made yet.")
else:
    rows = pd.DataFrame([{
        "Made": s.made_at.replace("T", " "), "By": s.made_by, "What": s.view, "Filters": s.filters,
        "Data as of": s.as_of, "Data": "Current" if s.data_version == store.version else "⚠ Newer data exists",
        "Content hash": s.content_hash[:16] + "…", "File": s.file} for s in kept])
    st.dataframe(rows, hide_index=True, key="snapshot_index")
    chosen = st.selectbox("Open a kept snapshot", [s.file for s in kept], key="snapshot_open")
    picked = next(s for s in kept if s.file == chosen)
    if picked.data_version != store.version:
        st.warning(f"**This snapshot is older than the latest data.** It shows the data as of "
                   f"{fmt.day(pd.Timestamp(picked.as_of).date()) if picked.as_of else 'unknown'}; the dashboard now "
                   f"has data as of {fmt.day(as_of)}. Its figures may have changed since.", icon="⚠️")
    st.download_button("Download this snapshot (HTML)", data=(folder / picked.file).read_bytes(),
                       file_name=picked.file, mime="text/html", key="snapshot_download_kept")
