"""The invented names: services and their teams, councils, reviewers and the roles of people.

Reviewers are numbered, never named, and every role is a role: nothing
here could be read as a real person.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    code: str  # in case references
    description: str


# The first nine are the services of the sample content; the rest add variety.
SERVICES = (
    Service(
        "older-people",
        "Older People's Team",
        "OP",
        "Assessment, care management and long-term support for people aged 65 and over "
        "living in the community.",
    ),
    Service(
        "learning-disability",
        "Learning Disability Team",
        "LD",
        "Integrated with the NHS: social workers, community nurses and therapists work in "
        "one team under one manager.",
    ),
    Service(
        "mental-health",
        "Mental Health Social Work Team",
        "MH",
        "Social workers and approved mental health professionals in the community mental "
        "health teams.",
    ),
    Service(
        "physical-disabilities",
        "Physical Disabilities Team",
        "PD",
        "Adults of working age with physical disabilities or sensory impairments.",
    ),
    Service(
        "hospital",
        "Hospital Social Work Team",
        "HSW",
        "Social workers on the wards of the acute hospitals, planning safe discharge.",
    ),
    Service(
        "assessment",
        "Assessment Team",
        "AT",
        "First assessments, support planning and reviews for all adult client groups.",
    ),
    Service(
        "social-work",
        "Social Work Team",
        "SW",
        "Safeguarding enquiries, Court of Protection work and complex long-term casework.",
    ),
    Service(
        "long-term-support",
        "Long Term Support Team",
        "LTS",
        "Long-term social work with adults whose needs are ongoing.",
    ),
    Service(
        "access-assessment",
        "Access and Assessment Team",
        "AA",
        "First contact, information and advice, and first assessments for all adults.",
    ),
    Service(
        "transitions",
        "Transitions Team",
        "TR",
        "Young people moving from children's services to adult social care.",
    ),
    Service(
        "reablement",
        "Reablement Team",
        "RE",
        "Short-term support to regain independence after an illness or a hospital stay.",
    ),
    Service(
        "sensory-impairment",
        "Sensory Impairment Team",
        "SI",
        "Specialist assessment and support for people with sight or hearing loss.",
    ),
    Service(
        "substance-misuse",
        "Substance Misuse Social Work Team",
        "SM",
        "Social workers in the drug and alcohol services run with the NHS.",
    ),
    Service(
        "review",
        "Review Team",
        "RV",
        "Planned and unplanned reviews of care and support plans.",
    ),
)


# Services that take on the work of any team that closes.
GENERIC = ("assessment", "social-work", "long-term-support", "access-assessment")


# Invented councils and their short names; cycled, with a number, when more are needed.
BOROUGHS = (
    ("Ashworth Vale", "AV"),
    ("Brackenhurst", "BRK"),
    ("Coldwater", "CW"),
    ("Dunmere", "DUN"),
    ("Eastholme", "EH"),
    ("Fernleigh", "FL"),
    ("Greywell", "GW"),
    ("Hollinbrook", "HB"),
    ("Kestrel Heath", "KH"),
    ("Lydmoor", "LYD"),
    ("Marrowby", "MBY"),
    ("Northwold", "NW"),
)


# Reviewers by the role they review in; the lead is always one of the first.
LEADS = ("Reviewer 1", "Reviewer 2", "Reviewer 3", "Reviewer 4")


SPECIALISTS = (
    ("Reviewer 5", "capacity-specialist"),
    ("Reviewer 6", "capacity-specialist"),
    ("Reviewer 7", "safeguarding-specialist"),
    ("Reviewer 8", "safeguarding-specialist"),
    ("Reviewer 9", "independent"),
)


OWNERS = (
    "Team manager",
    "Team manager",
    "Team manager",
    "Service manager",
    "Principal social worker",
    "Practice development lead",
)


CHAIRS = (
    "Head of adult social care",
    "Head of community assessment and social work",
    "Principal social worker",
)


REPRESENTATIVE_ROLES = ("Social worker", "Senior social worker", "Senior practitioner")
