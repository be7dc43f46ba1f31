"""Project when the overdue assessment backlog clears and when the 20-week rate reaches its target.

Reads the extracts the app reads (SEND_DATA_DIR, else the bundled sample; built stores kept in
SEND_STATE_DIR), so it gives the figures the Outlook page gives for the same capacities. Each capacity
defaults to the last three whole months' actuals.
"""

from __future__ import annotations

import argparse
import math
import sys

from dashboard import fmt
from dashboard.outlook import model
from dashboard.outlook.simulator import Capacity
from dashboard.serving.store import open_store

NEVER = "never at this capacity"


def _amount(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or value < 0 or value > model.MAX_PER_MONTH:
        raise argparse.ArgumentTypeError(f"must be a number from 0 to {model.MAX_PER_MONTH:,}")
    return value


def _growth(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or not model.MIN_GROWTH <= value <= model.MAX_GROWTH:
        raise argparse.ArgumentTypeError(
            f"must be a percentage from {model.MIN_GROWTH} to {model.MAX_GROWTH}"
        )
    return value


def main(argv: list[str] | None = None) -> int:
    """Run the simulator on the current data and print its two dates."""
    parser = argparse.ArgumentParser(prog="python -m dashboard.outlook", description=__doc__.splitlines()[0])
    parser.add_argument("--ep-per-month", type=_amount, help="EP advice completed a month")
    parser.add_argument("--plans-per-month", type=_amount, help="EHC plans issued a month")
    parser.add_argument("--decisions-per-month", type=_amount, help="decisions whether to assess a month")
    parser.add_argument(
        "--growth", type=_growth, help="demand growth, %% a year (default: the recent actual)"
    )
    args = parser.parse_args(argv)
    store = open_store()
    try:
        if store.as_of is None or not (store.usable("ehcp_requests") and store.usable("ep_assessments")):
            print("The requests and EP advice extracts are needed and are not available.", file=sys.stderr)
            return 1
        outlook = model.prepare(store.query, store.as_of)
    finally:
        store.close()
    defaults = outlook.defaults
    capacity = Capacity(
        decisions=defaults.decisions if args.decisions_per_month is None else args.decisions_per_month,
        ep_advice=defaults.ep_advice if args.ep_per_month is None else args.ep_per_month,
        plans=defaults.plans if args.plans_per_month is None else args.plans_per_month,
        growth_pct=defaults.growth_pct if args.growth is None else args.growth,
    )
    result = model.scenario(outlook, capacity)
    print(f"Data as of {fmt.day(outlook.as_of)}; projected from {fmt.day(outlook.start)}.")
    print(
        f"Capacity a month: {fmt.decimal(capacity.decisions)} decisions, {fmt.decimal(capacity.ep_advice)} "
        f"EP advice, {fmt.decimal(capacity.plans)} plans issued; demand growth {fmt.decimal(capacity.growth_pct)}% a year."
    )
    print(f"Overdue backlog clears: {fmt.month_long(result.cleared) if result.cleared else NEVER}")
    if outlook.target is None:
        print("20-week target: none in reference/targets.csv")
    else:
        level = fmt.percent(outlook.target.target)
        print(f"20-week rate reaches {level}: {fmt.month_long(result.reached) if result.reached else NEVER}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
