"""Views: one module per domain, each function answering one question as a dashboard.views.base.View.

Pages choose views and lay them out; Board slides and adviser snapshots render the same views, so a
number, its words and its chart are the same everywhere they appear.
"""
