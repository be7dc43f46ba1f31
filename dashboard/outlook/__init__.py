"""The demand and capacity outlook: a forecast of requests with its uncertainty, the backlog-clearance
simulator, and the command line that runs it (python -m dashboard.outlook).

forecast: statsmodels exponential smoothing of monthly requests, and its backtests.
simulator: the pure stock-and-flow model of the assessment pathway.
model: the inputs from bound-parameter queries, and one scenario's results.
"""
