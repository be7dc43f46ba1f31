"""The data contract: the CSV extracts (four core, two optional) and reference files, as data the loader enforces.

This module is the single source for column names, types, allowed values and row rules
(see docs/data-contract.md). The loader, the sample generator, the validation
report and the Data and methodology page all read it, so they cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["text", "enum", "int", "number", "date", "bool"]

NEED_CODES: tuple[str, ...] = (
    "ASD",
    "SEMH",
    "SLCN",
    "MLD",
    "SLD",
    "PMLD",
    "SPLD",
    "PD",
    "HI",
    "VI",
    "MSI",
    "OTH",
    "NSA",
)
REQUEST_SOURCES = ("parent", "young_person", "school", "early_years", "health", "social_care", "other")
DECISIONS = ("assess", "not_assess", "withdrawn", "pending")
OUTCOMES = ("plan_issued", "plan_not_issued", "withdrawn", "ongoing")
PLACEMENT_TYPES = (
    "mainstream",
    "resourced_provision",
    "special_maintained",
    "special_academy",
    "independent_special",
    "alternative_provision",
    "post16",
    "other",
)
SPECIALIST_PLACEMENT_TYPES = (
    "resourced_provision",
    "special_maintained",
    "special_academy",
    "independent_special",
)
EP_STATUSES = ("completed", "open", "cancelled")
EP_PROVIDERS = ("in_house", "agency", "locum")
SETTING_TYPES = (
    "special_maintained",
    "special_academy",
    "resourced_provision",
    "sen_unit",
    "independent_special",
    "alternative_provision",
)
DESIGNATIONS = NEED_CODES + ("MIXED",)
BUDGET_LINES = (
    "special_school_topups",
    "independent_special_placements",
    "resourced_provision",
    "mainstream_topups",
    "alternative_provision",
    "post16_high_needs",
    "send_transport",
    "ep_service",
    "send_casework_staffing",
    "other_high_needs",
)
FUNDING_SOURCES = ("high_needs_block", "council_general_fund")
# SEN2's reasons an EHC plan ceased (ehcp_plans.csv).
CEASED_REASONS = ("moved_to_another_la", "needs_met", "adult_services_or_left_education", "other")
# Decisions after an annual review meeting (annual_reviews.csv).
REVIEW_DECISIONS = ("maintain", "amend", "cease", "pending")
# Advice for an EHC needs assessment from partners other than educational psychology (issue 17).
ADVICE_SERVICES = (
    "community_paediatrics",
    "speech_and_language",
    "occupational_therapy",
    "physiotherapy",
    "camhs",
    "school_nursing",
    "designated_clinical_officer",
    "social_care",
    "other_health",
)
SOCIAL_CARE_SERVICE = "social_care"
HEALTH_SERVICES = tuple(s for s in ADVICE_SERVICES if s != SOCIAL_CARE_SERVICE)
ADVICE_STATUSES = ("completed", "open", "cancelled")
ND_PATHWAYS = ("autism_under_5", "autism_5_to_18", "adhd")
# The open neurodevelopmental waiting list at a month end, in bands of weeks waited since referral. The list
# is the sum of the five bands (an optional waiting_total column, if sent, must equal it).
ND_WAIT_BANDS = ("waiting_0_13", "waiting_13_26", "waiting_26_52", "waiting_52_104", "waiting_over_104")
OUT_OF_AREA = "out_of_area"

# SEN2 age bands (age at request); the age-group filter uses these labels.
AGE_GROUPS: tuple[tuple[str, int, int], ...] = (
    ("Under 5", 0, 4),
    ("5 to 10", 5, 10),
    ("11 to 15", 11, 15),
    ("16 to 19", 16, 19),
    ("20 to 25", 20, 25),
)

# A file carrying any of these columns is refused whole: the dashboard must never hold them. Header names
# are compared after normalising case, punctuation, spaces and underscores ("Child's name", "post_code",
# "D.O.B", "U.P.N." and "FirstName" all match; see looks_like_identifier in dashboard/build/loader.py).
DIRECT_IDENTIFIERS = (
    "name",
    "forename",
    "surname",
    "first_name",
    "last_name",
    "full_name",
    "dob",
    "date_of_birth",
    "upn",
    "uln",
    "nhs_number",
    "nhs_no",
    "postcode",
    "address",
    "email",
    "phone",
    "ni_number",
)
# Short words that make a header an identifier wherever they appear in it as words ("Pupil UPN", "NHS No",
# "zip"), after the header is split into lower-case words. Longer ones are IDENTIFIER_STEMS below, which
# match anywhere in the header.
IDENTIFIER_WORDS = frozenset({"dob", "upn", "uln", "nhs", "zip", "tel", "nino"})
# Headers that are identifiers once their words are run together, for spellings that dot or squash them:
# "D.O.B", "U.P.N.", "N.I. No", "NHSNo".
IDENTIFIER_SQUASHED = frozenset(
    {*(i.replace("_", "") for i in DIRECT_IDENTIFIERS), "dob", "upn", "uln", "nino", "nhsno"}
)
# Parts that make a header an identifier wherever they appear once its words are run together: "Date of
# Birth", "birthdate", "Unique Pupil Number", "National Insurance No", "AddressLine1", "e-mail". (Only parts
# of five letters or more, so "vulnerable" is not taken for a ULN.)
IDENTIFIER_STEMS = (
    "birth",
    "postcode",
    "postalcode",
    "address",
    "forename",
    "surname",
    "firstname",
    "lastname",
    "fullname",
    "givenname",
    "familyname",
    "middlename",
    "maidenname",
    "pupilnumber",
    "learnernumber",
    "nhsnumber",
    "insurancenumber",
    "insuranceno",
    "email",
    "phone",
    "mobile",
)
# A header holding the word "name" names a person, and is refused, unless it names one of these instead
# ("setting_name", "School Name", "LA name"): a setting's, district's or provider's name is not a person's.
NON_PERSON_NAMES = frozenset(
    {
        "setting",
        "school",
        "establishment",
        "provider",
        "provision",
        "district",
        "locality",
        "area",
        "region",
        "la",
        "authority",
        "council",
        "ward",
        "trust",
        "academy",
        "service",
        "team",
        "budget",
        "line",
        "funding",
        "file",
        "measure",
        "metric",
        "need",
        "designation",
        "placement",
        "source",
    }
)
# Words that make a "name" header a person's whatever else it says ("Child's school name" is refused too:
# the rule errs on the side of refusing).
PERSON_WORDS = frozenset(
    {
        "child",
        "childs",
        "children",
        "pupil",
        "pupils",
        "student",
        "learner",
        "person",
        "persons",
        "young",
        "parent",
        "parents",
        "carer",
        "carers",
        "guardian",
        "mother",
        "father",
        "first",
        "last",
        "full",
        "given",
        "family",
        "middle",
        "preferred",
        "maiden",
        "legal",
        "known",
        "sur",
        "fore",
    }
)

# A text cell that starts with one of these, once trimmed as it is stored, could run as a formula when a
# file is opened in Excel or LibreOffice (CSV injection). Such cells are refused in every text column of
# every extract and reference file, and in every published file; a plain number ("-4", "+1.5") is a
# number, not a formula, and an EES symbol ("-") is a symbol.
FORMULA_RULE = (
    "the cell starts with =, +, -, @, tab or carriage return, like a spreadsheet formula; such cells are "
    "refused because they can run when a file holding them is opened in Excel"
)
# The same two tests as regular expressions (RE2 and Python read them alike), for the SQL checks.
FORMULA_START_PATTERN = r"^[=+\-@\t\r]"
PLAIN_NUMBER_PATTERN = r"^[+-]?(\d[\d,]*(\.\d*)?|\.\d+)%?$"
_FORMULA_START = re.compile(FORMULA_START_PATTERN)
_PLAIN_NUMBER = re.compile(PLAIN_NUMBER_PATTERN)


def stored_text(cell: str) -> str:
    """A text cell as the loader stores it: spaces trimmed from both ends (what DuckDB's trim() does)."""
    return cell.strip(" ")


def looks_like_formula(cell: str | None) -> bool:
    """True for a cell that, trimmed as it is stored, starts like a spreadsheet formula and is not a number."""
    if cell is None:
        return False
    text = stored_text(cell)
    return bool(_FORMULA_START.match(text)) and not _PLAIN_NUMBER.match(text)


NULL_STRINGS = ("", "NULL", "N/A", "n/a", "-")
TRUE_STRINGS = ("true", "1", "y", "yes")
FALSE_STRINGS = ("false", "0", "n", "no")
EARLIEST_DATE = "2014-09-01"
DEFAULT_REJECT_THRESHOLD = 0.05


@dataclass(frozen=True)
class Column:
    """One column of an extract: its type, whether it must be filled, and its allowed values."""

    name: str
    kind: Kind
    required: bool
    description: str
    values: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    not_after_extract: bool = False
    not_before: str | None = None
    reference: str | None = None  # enum values come from a reference file instead of `values`
    extra_values: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowRule:
    """A rule across columns: `violated` is SQL over the typed row that is true when it is broken."""

    column: str
    violated: str
    rule: str


@dataclass(frozen=True)
class Extract:
    """One CSV extract of the contract."""

    table: str
    filename: str
    description: str
    grain: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    row_rules: tuple[RowRule, ...] = field(default_factory=tuple)
    date_columns_for_as_of: tuple[str, ...] = ()
    # An optional extract may be left out of a deployment: the pages that need it say so, the rest work, and
    # `python -m dashboard.build.check` does not count its absence as a failure.
    optional: bool = False

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def parquet_filename(self) -> str:
        """The extract as a Parquet file, accepted in place of the CSV file (never beside it)."""
        return self.filename.removesuffix(".csv") + ".parquet"

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Columns that must be present in the header (conditional ones included)."""
        return tuple(c.name for c in self.columns if c.required or c.name in _HEADER_REQUIRED)


# Columns whose cells may be empty on some rows but whose header must always be present,
# because a rule on other rows depends on them.
_HEADER_REQUIRED = {
    "decision_date",
    "outcome",
    "plan_issued_date",
    "placement_type",
    "completed_date",
    "primary_need",
    "request_id",
    "ceased_date",
    "ceased_reason",
    "amended_plan_issued_date",
    "phase_transfer",
}


EHCP_REQUESTS = Extract(
    table="ehcp_requests",
    filename="ehcp_requests.csv",
    description="Requests for an EHC needs assessment, their decision and outcome.",
    grain="one row per request for an EHC needs assessment",
    key=("request_id",),
    columns=(
        Column("request_id", "text", True, "Unique request reference."),
        Column("child_id", "text", True, "Pseudonymous child reference; a child may have several requests."),
        Column(
            "received_date",
            "date",
            True,
            "Date the request was received.",
            not_after_extract=True,
            not_before=EARLIEST_DATE,
        ),
        Column("request_source", "enum", True, "Who made the request.", values=REQUEST_SOURCES),
        Column(
            "age_at_request",
            "int",
            True,
            "Age in whole years when the request was received.",
            minimum=0,
            maximum=25,
        ),
        Column("district", "enum", True, "District of residence.", reference="districts"),
        Column(
            "primary_need",
            "enum",
            False,
            "Primary type of need (SEN2 code); empty while not yet known.",
            values=NEED_CODES,
        ),
        Column("decision", "enum", True, "Decision on whether to assess.", values=DECISIONS),
        Column(
            "decision_date",
            "date",
            False,
            "Date of the decision; required unless pending.",
            not_after_extract=True,
        ),
        Column(
            "outcome",
            "enum",
            False,
            "Outcome of the assessment; required when decision = assess.",
            values=OUTCOMES,
        ),
        Column(
            "plan_issued_date", "date", False, "Date the final EHC plan was issued.", not_after_extract=True
        ),
        Column(
            "exception_20wk", "bool", False, "An exception to the 20-week limit applies (SEND Regulations)."
        ),
        Column(
            "placement_type", "enum", False, "Placement named in the plan on issue.", values=PLACEMENT_TYPES
        ),
        Column(
            "appeal_lodged",
            "bool",
            False,
            "A SEND Tribunal appeal was registered against a decision on this request.",
        ),
    ),
    row_rules=(
        RowRule(
            "decision_date",
            "decision <> 'pending' and decision_date is null",
            "decision_date is required unless decision is pending",
        ),
        RowRule(
            "decision_date",
            "decision = 'pending' and decision_date is not null",
            "a pending request cannot have a decision_date",
        ),
        RowRule(
            "decision_date",
            "decision_date < received_date",
            "decision_date must be on or after received_date",
        ),
        RowRule(
            "outcome",
            "decision = 'assess' and outcome is null",
            "outcome is required when decision is assess",
        ),
        RowRule(
            "outcome",
            "decision <> 'assess' and outcome is not null",
            "outcome is only allowed when decision is assess",
        ),
        RowRule(
            "plan_issued_date",
            "outcome = 'plan_issued' and plan_issued_date is null",
            "plan_issued_date is required when outcome is plan_issued",
        ),
        RowRule(
            "plan_issued_date",
            "coalesce(outcome, '') <> 'plan_issued' and plan_issued_date is not null",
            "plan_issued_date is only allowed when outcome is plan_issued",
        ),
        RowRule(
            "plan_issued_date",
            "plan_issued_date < decision_date",
            "plan_issued_date must be on or after decision_date",
        ),
        RowRule(
            "placement_type",
            "outcome = 'plan_issued' and placement_type is null",
            "placement_type is required when outcome is plan_issued",
        ),
    ),
    date_columns_for_as_of=("received_date", "decision_date", "plan_issued_date"),
)

EP_ASSESSMENTS = Extract(
    table="ep_assessments",
    filename="ep_assessments.csv",
    description="Requests for educational psychology (EP) advice for EHC needs assessments.",
    grain="one row per request for EP advice",
    key=("ep_request_id",),
    columns=(
        Column("ep_request_id", "text", True, "Unique EP advice request reference."),
        Column("request_id", "text", True, "The EHC needs assessment request this advice is for."),
        Column(
            "requested_date",
            "date",
            True,
            "Date EP advice was requested.",
            not_after_extract=True,
            not_before=EARLIEST_DATE,
        ),
        Column(
            "completed_date",
            "date",
            False,
            "Date the advice was completed; required when completed.",
            not_after_extract=True,
        ),
        Column("status", "enum", True, "Where the request stands.", values=EP_STATUSES),
        Column("provider", "enum", True, "Who provided or is providing the advice.", values=EP_PROVIDERS),
        Column("district", "enum", True, "District of the child.", reference="districts"),
    ),
    row_rules=(
        RowRule(
            "completed_date",
            "status = 'completed' and completed_date is null",
            "completed_date is required when status is completed",
        ),
        RowRule(
            "completed_date",
            "status = 'open' and completed_date is not null",
            "an open request cannot have a completed_date",
        ),
        RowRule(
            "completed_date",
            "completed_date < requested_date",
            "completed_date must be on or after requested_date",
        ),
    ),
    date_columns_for_as_of=("requested_date", "completed_date"),
)

SPECIALIST_PLACES = Extract(
    table="specialist_places",
    filename="specialist_places.csv",
    description="Commissioned, occupied and planned specialist places by setting, at termly snapshots.",
    grain="one row per setting per snapshot",
    key=("snapshot_date", "setting_id"),
    columns=(
        Column(
            "snapshot_date",
            "date",
            True,
            "Date of the snapshot (termly: October, January, May).",
            not_after_extract=True,
            not_before=EARLIEST_DATE,
        ),
        Column("setting_id", "text", True, "The setting's URN."),
        Column("setting_name", "text", True, "The setting's name."),
        Column("setting_type", "enum", True, "Kind of setting.", values=SETTING_TYPES),
        Column(
            "district",
            "enum",
            True,
            "District of the setting, or out_of_area.",
            reference="districts",
            extra_values=(OUT_OF_AREA,),
        ),
        Column(
            "designation", "enum", True, "Primary need the places are designated for.", values=DESIGNATIONS
        ),
        Column("commissioned_places", "int", True, "Places commissioned at the snapshot.", minimum=0),
        Column(
            "occupied_places",
            "int",
            True,
            "Places occupied at the snapshot (may exceed commissioned).",
            minimum=0,
        ),
        Column("planned_places", "int", False, "Extra places in the pipeline for this setting.", minimum=0),
        Column(
            "planned_open_date",
            "date",
            False,
            "When the planned places open; required when planned_places > 0.",
        ),
    ),
    row_rules=(
        RowRule(
            "planned_open_date",
            "coalesce(planned_places, 0) > 0 and planned_open_date is null",
            "planned_open_date is required when planned_places is more than 0",
        ),
    ),
    date_columns_for_as_of=("snapshot_date",),
)

SPENDING = Extract(
    table="spending",
    filename="spending.csv",
    description="High-needs budget and actual spend by month and budget line.",
    grain="one row per month per budget line",
    key=("month", "budget_line"),
    columns=(
        Column("month", "date", True, "First day of the month."),
        Column("budget_line", "enum", True, "Budget line.", values=BUDGET_LINES),
        Column("funding_source", "enum", True, "Where the money comes from.", values=FUNDING_SOURCES),
        Column("budget_gbp", "number", True, "The month's share of the approved budget, in pounds."),
        Column("actual_gbp", "number", False, "Actual spend in pounds; empty for months not yet closed."),
    ),
    row_rules=(RowRule("month", "day(month) <> 1", "month must be the first day of a month"),),
)

EHCP_PLANS = Extract(
    table="ehcp_plans",
    filename="ehcp_plans.csv",
    description="EHC plans the authority maintains, or has ceased since 2018.",
    grain="one row per EHC plan",
    key=("plan_id",),
    columns=(
        Column("plan_id", "text", True, "Unique plan reference."),
        Column("child_id", "text", True, "Pseudonymous child reference, as in ehcp_requests.csv."),
        Column(
            "request_id",
            "text",
            False,
            "The request the plan was issued on; empty for plans older than the requests extract. When given "
            "it should match a request whose outcome is plan_issued (checked as a data-quality warning).",
        ),
        Column(
            "start_date",
            "date",
            True,
            "Date the plan was first issued (or the statement was transferred to it).",
            not_after_extract=True,
            not_before=EARLIEST_DATE,
        ),
        Column("district", "enum", True, "District of residence.", reference="districts"),
        Column("primary_need", "enum", True, "Primary type of need (SEN2 code).", values=NEED_CODES),
        Column(
            "age_at_start",
            "int",
            True,
            "Age in whole years when the plan started.",
            minimum=0,
            maximum=25,
        ),
        Column(
            "placement_type",
            "enum",
            True,
            "Current placement (the last one, once ceased).",
            values=PLACEMENT_TYPES,
        ),
        Column(
            "ceased_date",
            "date",
            False,
            "Date the plan ceased; empty while it is maintained.",
            not_after_extract=True,
        ),
        Column(
            "ceased_reason",
            "enum",
            False,
            "SEN2's reason the plan ceased; required when ceased_date is given.",
            values=CEASED_REASONS,
        ),
    ),
    row_rules=(
        RowRule(
            "ceased_reason",
            "ceased_date is not null and ceased_reason is null",
            "ceased_reason is required when ceased_date is given",
        ),
        RowRule(
            "ceased_reason",
            "ceased_date is null and ceased_reason is not null",
            "ceased_reason is only allowed when ceased_date is given",
        ),
        RowRule(
            "ceased_date",
            "ceased_date < start_date",
            "ceased_date must be on or after start_date",
        ),
    ),
    date_columns_for_as_of=("start_date", "ceased_date"),
    optional=True,
)

ANNUAL_REVIEWS = Extract(
    table="annual_reviews",
    filename="annual_reviews.csv",
    description="Annual reviews of EHC plans: the meeting, the decision and any amended plan.",
    grain="one row per annual review",
    key=("review_id",),
    columns=(
        Column("review_id", "text", True, "Unique review reference."),
        Column(
            "plan_id",
            "text",
            True,
            "The plan reviewed; should match ehcp_plans.plan_id (orphans load, counted as a data-quality warning).",
        ),
        Column(
            "review_meeting_date",
            "date",
            True,
            "Date of the annual review meeting.",
            not_after_extract=True,
            not_before=EARLIEST_DATE,
        ),
        Column(
            "decision", "enum", True, "The authority's decision after the review.", values=REVIEW_DECISIONS
        ),
        Column(
            "decision_date",
            "date",
            False,
            "Date the decision was notified; required unless pending.",
            not_after_extract=True,
        ),
        Column(
            "amended_plan_issued_date",
            "date",
            False,
            "Date the amended plan was finalised; only when decision = amend, empty until issued.",
            not_after_extract=True,
        ),
        Column(
            "phase_transfer",
            "bool",
            False,
            "The review names the next school or college at a key phase transfer (default false).",
        ),
    ),
    row_rules=(
        RowRule(
            "decision_date",
            "decision <> 'pending' and decision_date is null",
            "decision_date is required unless decision is pending",
        ),
        RowRule(
            "decision_date",
            "decision = 'pending' and decision_date is not null",
            "a pending review cannot have a decision_date",
        ),
        RowRule(
            "decision_date",
            "decision_date < review_meeting_date",
            "decision_date must be on or after review_meeting_date",
        ),
        RowRule(
            "amended_plan_issued_date",
            "decision <> 'amend' and amended_plan_issued_date is not null",
            "amended_plan_issued_date is only allowed when decision is amend",
        ),
        RowRule(
            "amended_plan_issued_date",
            "amended_plan_issued_date < decision_date",
            "amended_plan_issued_date must be on or after decision_date",
        ),
    ),
    date_columns_for_as_of=("review_meeting_date", "decision_date", "amended_plan_issued_date"),
    optional=True,
)

ADVICE_REQUESTS = Extract(
    table="advice_requests",
    filename="advice_requests.csv",
    description=(
        "Requests for health and social care advice for EHC needs assessments (every partner but educational "
        "psychology, whose advice is in ep_assessments.csv). Optional: without it the Health page says so."
    ),
    grain="one row per request for advice from one service",
    key=("advice_request_id",),
    columns=(
        Column("advice_request_id", "text", True, "Unique advice request reference."),
        Column(
            "request_id",
            "text",
            True,
            "The EHC needs assessment request this advice is for (one not in ehcp_requests.csv is a warning).",
        ),
        Column("service", "enum", True, "The service asked for advice.", values=ADVICE_SERVICES),
        Column(
            "requested_date",
            "date",
            True,
            "Date the advice was requested.",
            not_after_extract=True,
            not_before=EARLIEST_DATE,
        ),
        Column(
            "completed_date",
            "date",
            False,
            "Date the advice was received; required when completed.",
            not_after_extract=True,
        ),
        Column("status", "enum", True, "Where the request stands.", values=ADVICE_STATUSES),
        Column(
            "provider",
            "enum",
            True,
            "The NHS trust or council team giving the advice (a code in reference/health_providers.csv).",
            reference="health_providers",
        ),
    ),
    row_rules=EP_ASSESSMENTS.row_rules,
    date_columns_for_as_of=("requested_date", "completed_date"),
    optional=True,
)

_BAND_SUM = " + ".join(ND_WAIT_BANDS)
ND_WAITS = Extract(
    table="neurodevelopmental_waits",
    filename="neurodevelopmental_waits.csv",
    description=(
        "Referrals, assessments completed and the waiting list for neurodevelopmental (autism and ADHD) "
        "assessment, by month, pathway and ICB place. Optional: without it the Health page says so."
    ),
    grain="one row per month per pathway per ICB place",
    key=("month", "pathway", "place"),
    columns=(
        Column("month", "date", True, "First day of the month.", not_before=EARLIEST_DATE),
        Column("pathway", "enum", True, "Assessment pathway.", values=ND_PATHWAYS),
        Column(
            "place",
            "enum",
            True,
            "ICB place (a place in reference/icb_places.csv).",
            reference="icb_places",
        ),
        Column(
            "referrals_received", "int", True, "Referrals accepted onto the pathway in the month.", minimum=0
        ),
        Column("assessments_completed", "int", True, "Assessments completed in the month.", minimum=0),
        Column(
            "waiting_0_13", "int", True, "Waiting at month end: up to 13 weeks since referral.", minimum=0
        ),
        Column("waiting_13_26", "int", True, "Waiting at month end: over 13, up to 26 weeks.", minimum=0),
        Column("waiting_26_52", "int", True, "Waiting at month end: over 26, up to 52 weeks.", minimum=0),
        Column("waiting_52_104", "int", True, "Waiting at month end: over 52, up to 104 weeks.", minimum=0),
        Column(
            "waiting_over_104", "int", True, "Waiting at month end: over 104 weeks (two years).", minimum=0
        ),
        Column(
            "waiting_total",
            "int",
            False,
            "Optional: the waiting list at month end; if given it must equal the sum of the five bands.",
            minimum=0,
        ),
    ),
    row_rules=(
        RowRule("month", "day(month) <> 1", "month must be the first day of a month"),
        RowRule(
            "waiting_total",
            f"waiting_total <> {_BAND_SUM}",
            "waiting_total must equal the sum of the five waiting bands (waiting_0_13 to waiting_over_104)",
        ),
    ),
    date_columns_for_as_of=("month",),
    optional=True,
)

EXTRACTS: tuple[Extract, ...] = (
    EHCP_REQUESTS,
    EP_ASSESSMENTS,
    SPECIALIST_PLACES,
    SPENDING,
    EHCP_PLANS,
    ANNUAL_REVIEWS,
    ADVICE_REQUESTS,
    ND_WAITS,
)
# Extracts a deployment may lack: their pages say so, and nothing else depends on them.
OPTIONAL_EXTRACTS = tuple(e.table for e in EXTRACTS if e.optional)


@dataclass(frozen=True)
class ReferenceFile:
    """A static reference file shipped in data/reference/."""

    table: str
    filename: str
    description: str
    columns: tuple[str, ...]
    code: str | None = None  # the column holding the codes an extract's enum column refers to


DISTRICTS = ReferenceFile(
    "districts", "districts.csv", "The districts and the locality each belongs to.", ("district", "locality")
)
TARGETS = ReferenceFile(
    "targets",
    "targets.csv",
    "Improvement Notice and partnership targets the dashboard judges against.",
    ("metric", "label", "target", "unit", "due_date", "baseline", "baseline_date", "polarity", "source"),
)
EVENTS = ReferenceFile(
    "events", "events.csv", "Milestones drawn on time-series charts.", ("date", "label", "source")
)
HEALTH_PROVIDERS = ReferenceFile(
    "health_providers",
    "health_providers.csv",
    "The NHS trusts and council teams that give advice for EHC needs assessments, by short code.",
    ("provider", "provider_name", "kind"),
    code="provider",
)
ICB_PLACES = ReferenceFile(
    "icb_places",
    "icb_places.csv",
    "The ICB place (sub-ICB location) each district is in, for neurodevelopmental waits.",
    ("district", "place", "sub_icb_code"),
    code="place",
)
REFERENCE_FILES: tuple[ReferenceFile, ...] = (DISTRICTS, TARGETS, EVENTS, HEALTH_PROVIDERS, ICB_PLACES)

POLARITIES = ("higher_is_better", "lower_is_better")


def extract_by_table(table: str) -> Extract:
    """Return the extract whose table is `table`."""
    return next(e for e in EXTRACTS if e.table == table)


def _check_identifiers() -> None:
    """Every table and column name is a plain identifier, so SQL built from them cannot be subverted."""
    names = [e.table for e in EXTRACTS] + [c.name for e in EXTRACTS for c in e.columns]
    names += [r.table for r in REFERENCE_FILES] + [c for r in REFERENCE_FILES for c in r.columns]
    bad = [n for n in names if not n.replace("_", "").isalnum() or not n.islower()]
    if bad:
        raise ValueError(f"contract identifiers must be lowercase [a-z0-9_]: {bad}")


_check_identifiers()
