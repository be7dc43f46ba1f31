"""Every page of the app: its file, title, icon and address, in the order the navigation lists them.

app.py builds st.navigation from this list, and links between pages are written from it, so a link
always names a page that exists.
"""

from __future__ import annotations

from dataclasses import dataclass

PRESENT_KEY = "present"  # ?present=1 opens the Board presentation


@dataclass(frozen=True)
class PageInfo:
    """One page: where its script is, what it is called and where it is served."""

    file: str
    title: str
    icon: str
    url_path: str


OVERVIEW = PageInfo("pages/overview.py", "Overview", ":material/dashboard:", "overview")
EHCP = PageInfo("pages/ehcp.py", "EHC needs assessments and plans", ":material/assignment:", "ehcp")
EP = PageInfo(
    "pages/educational_psychology.py",
    "Educational psychology",
    ":material/psychology:",
    "educational-psychology",
)
PLACES = PageInfo("pages/specialist_places.py", "Specialist places", ":material/school:", "specialist-places")
SPENDING = PageInfo("pages/spending.py", "Spending", ":material/payments:", "spending")
PLANS = PageInfo(
    "pages/plans_reviews.py", "Plans and reviews", ":material/folder_shared:", "plans-and-reviews"
)
HEALTH = PageInfo("pages/health.py", "Health", ":material/health_and_safety:", "health")
BENCHMARKS = PageInfo("pages/benchmarks.py", "Benchmarks", ":material/leaderboard:", "benchmarks")
OUTLOOK = PageInfo("pages/outlook.py", "Demand and capacity outlook", ":material/trending_up:", "outlook")
SNAPSHOTS = PageInfo("pages/snapshots.py", "Snapshots", ":material/photo_camera:", "snapshots")
METHODOLOGY = PageInfo("pages/methodology.py", "Data and methodology", ":material/menu_book:", "methodology")
PRESENTATION = PageInfo("pages/presentation.py", "Board presentation", ":material/slideshow:", "present")
ADMIN = PageInfo("pages/admin.py", "Refresh the data", ":material/upload_file:", "admin")

PAGES: tuple[PageInfo, ...] = (
    OVERVIEW,
    EHCP,
    EP,
    PLACES,
    SPENDING,
    PLANS,
    HEALTH,
    BENCHMARKS,
    OUTLOOK,
    SNAPSHOTS,
    METHODOLOGY,
    PRESENTATION,
    ADMIN,
)
BY_FILE = {page.file: page for page in PAGES}
