"""The invented wording: notes on ratings, actions, and what governance boards discussed.

Each text with ``{}`` takes a standard's or a domain's title, lowered to sit
inside a sentence.
"""

from __future__ import annotations

LOW_NOTES = (
    "Practice was inconsistent across the team.",
    "Not evidenced in most of the records we read.",
    "Several of the audited cases fell short of the standard.",
    "Managers knew of the gap but had no plan to close it.",
    "Workers described good intentions that the records did not bear out.",
)


HIGH_NOTES = (
    "A clear strength, consistent in every case we audited.",
    "People we met spoke highly of the team on this.",
    "Well evidenced in the records and in interviews with workers.",
    "Improved since the last review and now part of everyday practice.",
)


SINGLE_ACTIONS = (
    "Improve practice so that {}.",
    "Audit five cases a month until {}.",
    "Run a practice workshop, then re-audit, so that {}.",
    "Agree in each worker's supervision how to make sure that {}.",
)


DOMAIN_ACTIONS = (
    "Improve practice in {}, auditing five cases a month and reporting to the service manager.",
    "Agree a team improvement plan for {} and re-audit in three months.",
    "Arrange practice development sessions on {} for every worker.",
)


BOARD_SUMMARIES = (
    "The family raised concerns about {}; the worker asked the board for a view.",
    "A complex case in which {} was disputed between the team and a partner agency.",
    "The case audit found weaknesses in {}; brought to the board for learning.",
    "An update on a case considered before, on progress with {}.",
)


BOARD_DECISIONS = (
    "The service manager to review the case within four weeks and report back.",
    "Refer to the principal social worker for a practice review and share the learning.",
    "No further action by the board: the team's plan is sound.",
    "The capacity specialist to support the worker; report to the next meeting.",
    "Escalate to the head of service and the partner agency's lead.",
)


DEVELOPMENT = (
    ("Overview assessment form", "Shortened after consultation with practitioners."),
    ("Supervision policy", "Revised to a four-weekly standard with a reflective template."),
    ("Case recording guidance", "New guidance on chronologies agreed."),
    ("Carers' assessments", "Joint work with the carers' centre to offer more of them."),
    ("Direct payments", "The support service was re-procured; uptake to be reported quarterly."),
    ("Practice week", "Managers to observe practice and give feedback in every team."),
    ("Mental Capacity Act training", "Refresher training booked for all practitioners."),
    ("Caseload weighting", "A weighting tool is being piloted in two teams."),
)


BOARD_ACTIONS = (
    "Report the outcome of the case to the board.",
    "Share the learning from the case discussion with every team.",
    "Update the practice guidance in the light of the case.",
)
