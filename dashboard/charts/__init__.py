"""Pure Plotly chart builders: a DataFrame in, a Figure out, all on one accessible template.

template: the palette, the one order of dashes, markers and fill patterns, Series, marks (targets, due
dates, milestones, shaded spans) and the restyle for the Board's screen. One module per kind of chart:
lines (time series, progress to a target, sparklines), bars (stacked, grouped, ranked, diverging,
dated, funnel), money (budget against actual, variances, spend by year, unit costs) and ranking
(an authority against its comparators). Nothing here imports streamlit or reads data.
"""
