"""The data-quality views, on a folder worked out by hand: the loader tests' good extracts, one request with an
impossible date (line 5) and one EP advice request for a request that is not in the requests extract."""

from __future__ import annotations

import duckdb

from dashboard.build.loader import LoadOptions, load_folder
from dashboard.views import quality
from tests.build.test_loader import EP_HEADER, GOOD_EP, TODAY, make_folder, with_row


def checked(tmp_path):
    requests = with_row("ehcp_requests", "B1,C9,2024-02-30,parent,7,Burnley,ASD,pending,,,,false,,false")
    ep = "\n".join([EP_HEADER, *GOOD_EP, "E3,R404,2024-02-04,,open,agency,Burnley"]) + "\n"
    folder = make_folder(tmp_path, ehcp_requests=requests, ep_assessments=ep)
    return load_folder(duckdb.connect(), folder, LoadOptions(today=TODAY, reject_threshold=1.0))


def test_each_extract_with_its_version_latest_date_and_rows(tmp_path):
    view = quality.extracts(checked(tmp_path))
    requests = view.table.set_index("File").loc["ehcp_requests.csv"]
    # 4 rows read, 1 rejected (25.0%); G1-G3 received 2, 3 and 4 January 2024.
    assert (requests["Rows read"], requests["Rows loaded"], requests["Rows rejected"]) == (4, 3, 1)
    assert requests["Rejected (%)"] == 25.0 and requests["Latest date"] == "2024-01-04"
    assert len(requests["Version (SHA-256, first 12)"]) == 12
    # Requests 4, EP 3, places 2, spending 2, plans 2 and reviews 3 rows read, 1 rejected: 1 / 16 = 6.25%,
    # shown 6.2%; the two health extracts are optional and not in the folder.
    assert view.title == "6 of 6 extracts loaded (2 optional not supplied); 1 of 16 rows rejected (6.2%)"


def test_rejections_grouped_by_rule_with_example_lines_and_no_values(tmp_path):
    view = quality.rejections_by_rule(checked(tmp_path))
    assert view.table.to_dict("records") == [
        {
            "File": "ehcp_requests.csv",
            "Column": "received_date",
            "Rule": "not a real calendar date",
            "Rows": 1,
            "Example lines": "5",
        }
    ]
    assert "2024-02-30" not in view.table.to_csv()
    assert view.title == "Most rejections: ehcp_requests.csv, not a real calendar date (1 row)"


def test_orphans_between_extracts(tmp_path):
    view = quality.orphans(checked(tmp_path))
    assert view.table.iloc[0][["Rows", "Of"]].tolist() == [1, 3]
    assert view.title == "1 EP advice request refers to no request in the requests extract"


def test_trend_across_archived_versions():
    def entry(version, read, rejected, outcome="live"):
        q = {"ehcp_requests.csv": {"sha256": "ab" * 32, "rows_read": read, "rows_rejected": rejected}}
        return {"version": version, "time": "2026-11-01T09:00:00", "outcome": outcome, "quality": q}

    view = quality.trend([entry("a", 1000, 10), entry("b", 500, 100, "refused"), entry("c", 1100, 22)])
    assert list(view.table["Rejected (%)"]) == [1.0, 20.0, 2.0]
    assert view.title == (
        "3 checked versions in the archive; rows rejected from ehcp_requests.csv went from 1.0% in the first "
        "to 2.0% in the latest"
    )
    assert quality.trend([]).title == "No trend yet: the archive holds no checked versions"
