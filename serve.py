"""Serve the dashboard (app.py) with its security headers: `streamlit run serve.py` (what `make run` does).

Streamlit finds the `app` below and serves app.py through it, with the middleware in
dashboard/app/security.py: a content security policy, X-Frame-Options and frame-ancestors on every answer,
/_stcore/metrics refused, and the Host allow-list of .streamlit/config.toml applied to every request.
`streamlit run app.py` still works, without those headers.
"""

import streamlit as st
from starlette.middleware import Middleware

from dashboard.app.security import SecurityHeaders

app = st.App("app.py", middleware=[Middleware(SecurityHeaders)])
