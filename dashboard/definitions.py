"""Words shown to users: each measure's one definition (from the data contract) and the glossary."""

from __future__ import annotations

MEASURES: tuple[tuple[str, str], ...] = (
    ("Requests received", "Requests for an EHC needs assessment with a received date in the period."),
    (
        "20-week timeliness",
        "Of EHC plans issued in the period (by issue date, as in SEN2), the share issued at most 140 days "
        "(20 weeks) after the request was received. Reported including and excluding cases where an exception "
        "under the SEND Regulations applies, as DfE does; the DfE headline excludes exceptions.",
    ),
    (
        "6-week decision timeliness",
        "Of decisions on whether to assess made in the period, the share made within 42 days of the request.",
    ),
    (
        "Open assessments",
        "Requests awaiting a decision, or agreed for assessment with no plan issued yet, at a date. Age is the "
        "weeks since the request was received. Overdue means older than 20 weeks. Due to breach means it will "
        "pass 20 weeks within the next N weeks unless a plan is issued.",
    ),
    (
        "EP advice timeliness",
        "Educational psychology advice completed within 42 days (six weeks) of being requested.",
    ),
    ("EP backlog", "EP advice requests open at a date, and how long they have waited."),
    (
        "Occupancy",
        "Occupied places divided by commissioned places at a snapshot; spare places are the difference. Above "
        "100% means more children than commissioned places.",
    ),
    (
        "Spend variance",
        "Actual minus budget, monthly and financial-year to date (April to March), over closed months only: a month "
        "is closed for a budget line once it has an actual and has ended by the as-of date. Forecast outturn (the "
        "headline) is actual to date plus budget for the months not yet closed; the run-rate forecast, shown beside "
        "it, scales each line's remaining budget by its actual-to-budget ratio so far.",
    ),
    (
        "Active EHC plans (caseload)",
        "Plans started on or before a date and not ceased by it (ehcp_plans.csv), by current placement, primary "
        "need, district and the child's age at the date. The extract holds no date of birth, so age at a date is "
        "the age when the plan started plus the whole years since. Growth is on the same date a year earlier. "
        "The published count (DfE SEN2, January census day) is drawn beside it for all of Lancashire.",
    ),
    (
        "Overdue annual reviews",
        "Active plans whose last annual review meeting on or before the date (or, with none, the plan's start) "
        "was more than 12 calendar months before it: a meeting on 10 March 2022 makes the review overdue from 11 "
        "March 2023. How long overdue is the time since the 12 months ran out: under three months, three to six, "
        "six to 12, or more than 12.",
    ),
    (
        "Review decisions within 4 weeks",
        "Of annual review meetings whose four weeks (28 days) are over by the date, the share whose decision was "
        "notified by day 28; a decision still pending after 28 days is late. By month of the meeting.",
    ),
    (
        "Amended plans within 12 weeks",
        "Of reviews decided 'amend' whose 12 weeks (84 days: four to notify, eight to issue) are over by the date, "
        "the share whose amended plan was finalised by day 84; one not yet issued is late.",
    ),
    (
        "Phase transfers",
        "Plans due to move in September (active on 15 February, aged four, 11 or 16 on 31 August: into reception, "
        "year 7 or post-16), and whether the new placement was named, by the amended plan's issue (or the decision "
        "to maintain) after a phase-transfer review, by 15 February (31 March for post-16).",
    ),
    ("Ceased plans", "Plans whose ceased date falls in the period, by the SEN2 reason recorded."),
    (
        "Red, amber, green",
        "A figure is on track (✔, green) when it is at or better than the level expected by now: the target, or for "
        "a target due later the straight line from its baseline to the target. It is at risk (▲, amber) when worse by "
        "no more than 10% of that level (for the high-needs forecast, 1% of the year's budget), and off track (✖, red) "
        "beyond that. After the due date the same bands read met, missed narrowly and missed. Whether higher or lower "
        "is better comes from reference/targets.csv. Every target is set for all of Lancashire, so under an area, "
        "need, age, request source or placement filter a figure is shown with its trend but not judged.",
    ),
    (
        "Period and figures at a date",
        "The period is a preset (the last 12 months, the default; this financial year; since the inspection; all "
        "months) or months chosen by hand, and it is kept in the page address. Counts and rates are over the period; "
        "figures at a date (open cases, backlogs, occupancy, forecasts) are at the end of the period, or at the data's "
        "date when that is earlier, and say which date. A month not over by the data's date is marked as incomplete.",
    ),
    (
        "Small-number suppression",
        "In anything that leaves the app (a download, a snapshot, a board pack), one step applies to a whole view: "
        "its table, chart, title, summary and accessible names. Primary suppression: a count of children from 1 "
        "to 4 is shown as c. Secondary suppression follows the rule DfE and ONS apply to tables with margins "
        "(the ONS disclosure control guidance for tables, and the GSS statement on confidentiality): every "
        "published sum that touches a hidden cell must have at least two unknowns, so none can be worked out by "
        "subtraction. The sums are the row and column totals, totals published in another table of the same "
        "output (each month's requests beside requests by source), stages that add up (the funnel), and nested "
        "counts whose rest is a count too (plans issued late are plans issued less those within 20 weeks, so "
        "the rest may not be 1 to 4 either). The next cell hidden is the smallest in the sum, so the least is "
        "lost. A percentage is c when its denominator is under 10, when its numerator or denominator is hidden, "
        "or when with its denominator it gives a numerator or a rest of 1 to 4. Words are written from the "
        "suppressed figures, and python -m dashboard.disclosure_audit FILE checks any file for counts of 1 to 4 "
        "shown or derivable. Published DfE numerators of 1 to 4 follow the same rule. Symbols: c confidential, "
        "x not available, z not applicable, low rounds to zero.",
    ),
    (
        "Demand forecast (Outlook)",
        "Monthly requests for an EHC needs assessment forecast 24 months ahead by statsmodels' exponential "
        "smoothing (ETS) state-space model, fitted to the logarithm of requests plus one for every whole month to the "
        "data's date: ETS(A,N,A) (level and 12-month season) or ETS(A,Ad,A) (with a damped trend), whichever has "
        "the lower AICc, the same one for the whole area and each locality. The centre line is the median; the "
        "80% and 95% prediction intervals are the model's own. Backtest: the same model fitted to a past month "
        "end, its next 12 months set against what happened, as the mean absolute percentage error (MAPE) and the "
        "share of months inside the 80% interval; one backtest is always across 2023, which no such model "
        "foresees. At least 25 months of history are needed.",
    ),
    (
        "Backlog-clearance simulator (Outlook)",
        "A month-by-month stock-and-flow model of open requests in three stages: awaiting a decision, agreed "
        "to assess and awaiting EP advice, and EP advice done and awaiting the plan. Each month up to the plans "
        "capacity leave with a plan, up to the EP capacity move on to drafting, and up to "
        "the decisions capacity are decided; the share of decisions going on towards a plan (decided to assess "
        "and not ended without one, last 12 months) moves to EP advice and the rest close. New requests follow "
        "the forecast, tilted by the growth control. It starts from the real open caseload at the last month "
        "end, each case with its received date; work is dated mid-month. Which cases a stage takes: a share of its "
        "capacity goes to the longest waits and the rest to every waiting case in proportion, the share (none to all, in tenths) "
        "that best replays the overdue caseload of the six months before the validation's. Overdue: waited more than 140 days at "
        "a month end. The backlog clears, and the 20-week rate reaches its target, in the first month from "
        "which it stays so for the rest of the 36 months projected; otherwise never at this capacity. The "
        "controls default to the last three whole months' actuals; growth to the last three months' requests "
        "against the same months a year before. Validation: started six months back with each month's actual "
        "flows, the projected open and overdue caseloads against the actual ones (mean absolute % error), on "
        "months the choice of order never saw.",
    ),
    (
        "Specialist places gap (Outlook)",
        "New specialist placements = forecast requests x the share of decisions going on towards a plan x the "
        "share of new plans naming a specialist placement (both last 12 months), split by need as those plans "
        "were; against spare places at the latest census in settings a plan can name plus planned places "
        "opening after it, by designation. Gap = placements forecast to the end of a school year less those "
        "places; places freed by leavers are not counted.",
    ),
    (
        "Health advice within six weeks",
        "Of advice for EHC needs assessments from a health service (every service but social care) completed in "
        "the period, the share completed within 42 days of the request: day 42 is within, day 43 late. By "
        "service and by provider. Social care advice within six weeks is the same for social care advice, "
        "shown beside it. Cancelled requests do not count.",
    ),
    (
        "Open advice and its age",
        "Health and social care advice requested on or before a date, not cancelled and not completed by it; "
        "its age is the time since the request (up to 6 weeks, 6 to 12, 12 to 20, over 20 weeks).",
    ),
    (
        "Which advice holds plans up",
        "For EHC plans issued in a month after 20 weeks (140 days), how many had late EP, late health and late "
        "social care advice (the input's slowest completed advice took more than 42 days; a plan can have "
        "several). The month's bottleneck is the input late on the most of those plans.",
    ),
    (
        "Neurodevelopmental waiting list",
        "Children and young people waiting for an autism or ADHD assessment at a month end, by pathway and ICB "
        "place: the sum of the extract's five bands of weeks waited. The share over 13 weeks is the list less "
        "those waiting up to 13 weeks, of the list (NICE quality standard QS51: an autism assessment should "
        "start within three months of referral). Months to clear = the latest list / the mean assessments "
        "completed a month over the latest three months.",
    ),
    (
        "Mean weeks to issue a plan (published)",
        "DfE's mean time, in weeks, from the request for an EHC needs assessment to the new EHC plan being "
        "issued, over the plans issued in the calendar year, including and excluding plans where an exception "
        "applies. Published by DfE from its 2026 release (avg_weeks_issue_plan, avg_weeks_issue_plan_exc); "
        "shown on the Benchmarks page only when a release loaded publishes it. Fewer weeks is better.",
    ),
)

GLOSSARY: tuple[tuple[str, str], ...] = (
    (
        "EHC plan",
        "Education, health and care plan: a legal document describing a child or young person's "
        "special educational needs, the support they need and the outcomes sought, for ages 0 to 25.",
    ),
    (
        "EHC needs assessment",
        "The statutory assessment a local authority carries out to decide whether an "
        "EHC plan is needed. The plan must normally be issued within 20 weeks of the request.",
    ),
    (
        "EP",
        "Educational psychologist. EP advice is a required part of every EHC needs assessment and is due "
        "within six weeks of being requested.",
    ),
    ("SEND", "Special educational needs and disabilities."),
    ("SENDIAS", "SEND Information, Advice and Support Service: free, impartial advice for families."),
    (
        "SEN2",
        "The DfE's annual statutory data collection on EHC plans from local authorities; person-level "
        "since 2023, which is a break in the published series.",
    ),
    (
        "Exceptions",
        "Circumstances in the SEND Regulations 2014 (for example, a child out of the area for four "
        "weeks) under which the 20-week limit does not apply.",
    ),
    ("INMSS", "Independent and non-maintained special schools: the most expensive placements."),
    (
        "ICB",
        "Integrated Care Board: the NHS body that commissions health services; here NHS Lancashire and "
        "South Cumbria ICB, a partner in the local area partnership.",
    ),
    (
        "Improvement Notice",
        "A formal notice from the DfE requiring a local area to improve, with commitments "
        "it is held to; Lancashire's was published on 5 June 2025.",
    ),
    (
        "High needs block",
        "The part of the dedicated schools grant that funds provision for children with high-cost SEND.",
    ),
    (
        "Resourced provision",
        "Places in a mainstream school with extra specialist staff and facilities for "
        "children with a particular type of need.",
    ),
    (
        "Statistical neighbours",
        "The ten local authorities most like this one on DfE's measures, used for benchmarking.",
    ),
    ("Tribunal", "The First-tier Tribunal (SEND), where families can appeal local authority decisions."),
)
