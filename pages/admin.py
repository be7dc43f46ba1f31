import pandas as pd
import streamlit as st

from dashboard import escape, refresh
from dashboard.app import admin, page
from dashboard.serving.store import state_dir_from_env

store, ctx = page.start(
    "Refresh the data",
    "Admins submit new extracts here. Each is checked against the data contract and the new data is built "
    "before it goes live; nothing is lost, and every file is kept in the archive.",
)

if not admin.enabled():
    st.info(admin.TURN_ON, icon="🔒")
    st.stop()
user = st.user.to_dict()
if not user.get("is_logged_in"):
    st.markdown("Sign in with your organisation's account to refresh the data. Viewers do not need to.")
    if st.button("Sign in", key="admin_login", icon=":material/login:"):
        st.login()
    st.stop()
if not admin.is_admin(user):
    st.error(
        "**Your account is not on the list of admins**, so it cannot refresh the data. Ask the team that runs "
        "the dashboard to add it.",
        icon="🚫",
    )
    st.button("Sign out", key="admin_logout", on_click=st.logout)
    st.stop()

email = str(user.get("email"))
st.caption(f"Signed in as {escape.markdown(email)}.")
st.button("Sign out", key="admin_logout", on_click=st.logout)

page.section("Submit new extracts")
uploads = st.file_uploader(
    "New extracts, each named as the file it replaces (ehcp_requests.csv, spending.parquet...), or the CSV "
    "tables of a new DfE release (recognised by their columns)",
    type=["csv", "parquet"],
    accept_multiple_files=True,
    key="admin_files",
)
accept = st.checkbox(
    "Accept a file with far fewer rows or an earlier latest date (confirm a real change)",
    key="admin_accept_shrink",
)
if st.button("Check and refresh", type="primary", key="admin_submit", disabled=not uploads):
    with st.spinner("Checking the files and building the new data…"):
        code, report = admin.submit([(u.name, u.getvalue()) for u in uploads], email, accept)
    if code == 0:
        st.success("The new data is live.", icon="✅")
    else:
        st.error("Nothing was changed: the live data is as it was. The report says why.", icon="🚫")
    # Plain text: names and values in the report are shown exactly as written.
    st.text(report)

page.section("History")
folders = refresh.Folders(store.data_dir, state_dir_from_env())
entries = refresh.history(folders)
if not entries:
    st.info("No refresh has been recorded yet.")
else:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Version": e["version"],
                    "When": e["time"].replace("T", " "),
                    "By": e["by"],
                    "Outcome": e["outcome"],
                    "Files": ", ".join(f"{f['name']} ({f['size']:,} bytes)" for f in e.get("files", [])),
                    "Note": e.get("note") or "",
                }
                for e in reversed(entries)
            ]
        ),
        hide_index=True,
        key="admin_history",
    )
    live = [e["version"] for e in reversed(entries) if e["outcome"] == "live"]
    chosen = st.selectbox("Restore the files of a version that was live", live, key="admin_restore_version")
    if st.button("Restore this version", key="admin_restore", disabled=not live):
        code = refresh.restore(chosen, store.data_dir, state_dir_from_env(), None, email, out=lambda _: None)
        if code == 0:
            st.success(f"Version {escape.markdown(chosen)} is live again.", icon="✅")
        else:
            st.error("The restore was refused; nothing was changed.", icon="🚫")
