"""Check a folder of extracts against the data contract and print the validation report.

    python -m dashboard.build.check DIR [--today YYYY-MM-DD] [--threshold 0.05]

Exits 0 when every file loads (rows may still be rejected), 1 when any file is missing or refused.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import duckdb

from dashboard import contract
from dashboard.build.loader import LoadOptions, load_folder


def main(argv: list[str] | None = None) -> int:
    """Run the check and return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.build.check", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "folder", type=Path, help="folder holding the extracts, CSV or Parquet (and reference/)"
    )
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=date.today(),
        help="the extract date: later dates are rejected as future (default: today)",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=contract.DEFAULT_REJECT_THRESHOLD,
        help="share of rejected rows above which a file is refused (default: 0.05)",
    )
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"{args.folder} is not a folder", file=sys.stderr)
        return 2
    connection = duckdb.connect()
    report = load_folder(
        connection, args.folder, LoadOptions(today=args.today, reject_threshold=args.threshold)
    )
    print(report.text())
    refused = [
        r.filename
        for r in [*report.files.values(), *report.references.values()]
        if r.status == "refused" or (r.status == "missing" and r.table not in contract.OPTIONAL_EXTRACTS)
    ]
    absent = [
        r.filename
        for r in report.files.values()
        if r.status == "missing" and r.table in contract.OPTIONAL_EXTRACTS
    ]
    if absent:
        print()
        print(f"Optional extracts not supplied (their pages say so): {', '.join(absent)}")
    print()
    print(f"REFUSED OR MISSING: {', '.join(refused)}" if refused else "All files loaded.")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
