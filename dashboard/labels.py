"""Every code in the data contract in words: the one table a page, chart, table or export reads labels from.

Codes are what the extracts and the URL hold (`early_years`, `special_maintained`, `OTH`); users only
ever see the words. The table is keyed by the contract column the codes belong to, and a test checks
that every allowed value of every enum column has a label here.
"""

from __future__ import annotations

from collections.abc import Iterable

NEEDS: dict[str, str] = {
    "ASD": "Autism (ASD)",
    "SEMH": "Social, emotional and mental health (SEMH)",
    "SLCN": "Speech, language and communication (SLCN)",
    "MLD": "Moderate learning difficulty (MLD)",
    "SLD": "Severe learning difficulty (SLD)",
    "PMLD": "Profound and multiple learning difficulty (PMLD)",
    "SPLD": "Specific learning difficulty (SpLD)",
    "PD": "Physical disability (PD)",
    "HI": "Hearing impairment (HI)",
    "VI": "Visual impairment (VI)",
    "MSI": "Multi-sensory impairment (MSI)",
    "OTH": "Other difficulty or disability",
    "NSA": "No specialist assessment of need",
}

LABELS: dict[str, dict[str, str]] = {
    "request_source": {
        "parent": "Parent or carer",
        "young_person": "Young person",
        "school": "School or college",
        "early_years": "Early years setting",
        "health": "Health service",
        "social_care": "Social care",
        "other": "Other",
    },
    "decision": {
        "assess": "Agreed to assess",
        "not_assess": "Not agreed",
        "withdrawn": "Withdrawn",
        "pending": "Awaiting decision",
        # After an annual review (annual_reviews.csv).
        "maintain": "Maintain the plan",
        "amend": "Amend the plan",
        "cease": "Cease the plan",
    },
    "outcome": {
        "plan_issued": "Plan issued",
        "plan_not_issued": "Plan not issued",
        "withdrawn": "Withdrawn",
        "ongoing": "Assessment ongoing",
    },
    "placement_type": {
        "mainstream": "Mainstream school",
        "resourced_provision": "Resourced provision or SEN unit",
        "special_maintained": "Special school (LA maintained)",
        "special_academy": "Special academy or free school",
        "independent_special": "Independent or non-maintained special school",
        "alternative_provision": "Alternative provision",
        "post16": "Post-16 college or training",
        "other": "Other",
    },
    "primary_need": NEEDS,
    "designation": {**NEEDS, "MIXED": "Mixed needs"},
    "status": {"completed": "Completed", "open": "Open", "cancelled": "Cancelled"},
    "provider": {"in_house": "In-house", "agency": "Agency", "locum": "Locum"},
    "setting_type": {
        "special_maintained": "Special school (LA maintained)",
        "special_academy": "Special academy or free school",
        "resourced_provision": "Resourced provision",
        "sen_unit": "SEN unit",
        "independent_special": "Independent or non-maintained special school",
        "alternative_provision": "Alternative provision",
    },
    "district": {"out_of_area": "Outside Lancashire"},
    "budget_line": {
        "special_school_topups": "Special school top-ups",
        "independent_special_placements": "Independent special placements",
        "resourced_provision": "Resourced provision",
        "mainstream_topups": "Mainstream top-ups",
        "alternative_provision": "Alternative provision",
        "post16_high_needs": "Post-16 high needs",
        "send_transport": "SEND transport",
        "ep_service": "Educational psychology service",
        "send_casework_staffing": "SEND casework staffing",
        "other_high_needs": "Other high needs",
    },
    "ceased_reason": {
        "moved_to_another_la": "Moved to another local authority",
        "needs_met": "Needs met without a plan",
        "adult_services_or_left_education": "Moved to adult services or left education or training",
        "other": "Other reason",
    },
    "service": {
        "community_paediatrics": "Community paediatrics",
        "speech_and_language": "Speech and language therapy",
        "occupational_therapy": "Occupational therapy",
        "physiotherapy": "Physiotherapy",
        "camhs": "Child and adolescent mental health (CAMHS)",
        "school_nursing": "School nursing",
        "designated_clinical_officer": "Designated clinical officer",
        "social_care": "Social care",
        "other_health": "Other health service",
    },
    "pathway": {
        "autism_under_5": "Autism assessment, under 5",
        "autism_5_to_18": "Autism assessment, 5 to 18",
        "adhd": "ADHD assessment",
    },
    # ICB places (reference/icb_places.csv): a place not listed here is shown by its code.
    "place": {
        "chorley_and_south_ribble": "Chorley and South Ribble",
        "east_lancashire": "East Lancashire",
        "greater_preston": "Greater Preston",
        "morecambe_bay": "Morecambe Bay (Lancaster)",
        "west_lancashire": "West Lancashire",
        "fylde_and_wyre": "Fylde and Wyre",
    },
    "funding_source": {
        "high_needs_block": "High needs block (DSG)",
        "council_general_fund": "Council general fund",
    },
}

# Values a query gives where the extract has none.
NOT_RECORDED = {"primary_need": "Need not yet recorded", "placement_type": "No plan issued"}
_NOT_RECORDED_CODES = {"Not yet known", "not_recorded", "No plan issued", None}


def label(kind: str, code: str | None) -> str:
    """The words for one code of a contract column (`kind`); a value with no label (a district) is shown as is."""
    if code in _NOT_RECORDED_CODES and kind in NOT_RECORDED:
        return NOT_RECORDED[kind]
    return LABELS.get(kind, {}).get(code, "" if code is None else str(code))


def labels(kind: str, codes: Iterable[str]) -> list[str]:
    """The words for several codes of one kind, in order."""
    return [label(kind, code) for code in codes]


def options(kind: str) -> dict[str, str]:
    """Every code of a kind and its words, in the contract's order (for selectboxes and legends)."""
    return dict(LABELS[kind])
