"""Inventing a team's reviews: ratings that drift with the team's latent quality,
each review dated exactly when the interval for the previous rating says, then
reviewers, notes, case audits and an action plan for each.

A rating of Inadequate, or of a critical standard at or below the
adequate-or-above line, needs an action; most actions due before the
programme ends are done by then.
"""

from __future__ import annotations

import datetime as dt
import random

from generator.score.schedule import next_review_due
from generator.workflow.synth.names import LEADS, OWNERS, SPECIALISTS
from generator.workflow.synth.records import Action, Case, Review, Team
from generator.workflow.synth.setting import Setting
from generator.workflow.synth.wording import DOMAIN_ACTIONS, HIGH_NOTES, LOW_NOTES, SINGLE_ACTIONS
from generator.workflow.synth.yaml_text import lowered

# Where teams' quality settles on average, as a share of the scale from the worst label.
_CENTRE = 0.5


def invent_reviews(setting: Setting, team: Team) -> None:
    """Every review of ``team`` from its first to the programme's end or its closing."""
    rng = team.rng
    top = len(setting.worst_first) - 1
    # A latent quality on the scale (0 the worst label) that drifts towards
    # the middle, with a trend of its own: some teams improve, some decline.
    centre = min(max(rng.gauss(top * _CENTRE, top * 0.17), 0.2), top - 0.2)
    quality = min(max(centre + rng.gauss(0, top * 0.1), 0.0), float(top))
    trend = rng.gauss(0.0, 0.04) * top
    fit = {s.id: rng.gauss(0, 0.3) for s in setting.standards}
    day = team.first
    while day <= setting.plan.end and (team.closed is None or day < team.closed):
        positions = {
            s.id: min(
                max(round(quality + setting.difficulty[s.id] + fit[s.id] + rng.gauss(0, 0.45)), 0),
                top,
            )
            for s in setting.standards
        }
        ratings = {sid: setting.worst_first[p] for sid, p in positions.items()}
        overall, limited_by = setting.overall(ratings)
        team.reviews.append(Review(day, positions, ratings, overall, limited_by))
        # A poor rating brings support, as well as an early re-review.
        quality += trend + 0.15 * (centre - quality) + rng.gauss(0, 0.07) * top
        if overall == setting.rules.lowest:
            quality += 0.1 * top
        quality = min(max(quality, 0.0), float(top))
        following = next_review_due(day, overall, setting.rules)
        if following is None:
            break
        day = following
    if team.closed is None and len(team.reviews) >= 2 and rng.random() < 0.1:
        team.reviews[-1].status = rng.choice(("completed", "draft"))
    for index, review in enumerate(team.reviews):
        later = team.reviews[index + 1].date if index + 1 < len(team.reviews) else None
        _fill_review(setting, team, review, later)


def _fill_review(setting: Setting, team: Team, review: Review, later: dt.date | None) -> None:
    rng = team.rng
    review.reviewers = [(rng.choice(LEADS), "lead")]
    review.reviewers += rng.sample(SPECIALISTS, rng.randint(0, 2))
    review.evidence = [e for e in setting.evidence if rng.random() < 0.85] or setting.evidence[:1]
    if review.status == "draft":
        review.blank = {s.id for s in setting.standards if rng.random() < 0.3}
    for standard_id in rng.sample(list(review.ratings), min(3, rng.randint(0, 3))):
        _note(setting, rng, review, standard_id)
    review.cases = _invent_cases(setting, team, review)
    review.actions = _invent_actions(setting, rng, review, later)


def _note(setting: Setting, rng: random.Random, review: Review, standard_id: str) -> None:
    if standard_id in review.blank:
        return
    place = review.positions[standard_id]
    notes = LOW_NOTES if place <= len(setting.worst_first) // 2 - 1 else HIGH_NOTES
    sources = [e for e in setting.by_id[standard_id].evidence if e in review.evidence]
    evidence = sorted(rng.sample(sources, min(len(sources), rng.randint(0, 2))))
    review.notes[standard_id] = (rng.choice(notes), evidence)


def _invent_cases(setting: Setting, team: Team, review: Review) -> list[Case]:
    rng = team.rng
    top = len(setting.worst_first) - 1
    others = [s.id for s in setting.standards if not s.critical]
    count = rng.randint(4, 10)
    # Case references run on through the year, so no two reviews share one.
    earlier = sum(
        len(r.cases)
        for r in team.reviews
        if r.date.year == review.date.year and r.date < review.date
    )
    cases = []
    for number in range(1, count + 1):
        size = rng.randint(3, 8)
        critical = rng.sample(
            setting.critical,
            rng.randint(min(2, len(setting.critical)), min(size, len(setting.critical))),
        )
        shown = critical + rng.sample(others, min(len(others), size - len(critical)))
        grades = {
            sid: setting.worst_first[
                min(max(round(review.positions[sid] + rng.gauss(0, 0.7)), 0), top)
            ]
            for sid in sorted(shown)
        }
        interviewed = ["worker"] + [
            who
            for who, chance in (("supervisor", 0.85), ("user", 0.7), ("carer", 0.4))
            if rng.random() < chance
        ]
        ref = f"{team.borough_code}-{team.code}-{review.date.year}-{earlier + number:02d}"
        cases.append(Case(ref, f"W{number:02d}", interviewed, rng.random() < 0.92, grades))
    return cases


def _invent_actions(
    setting: Setting, rng: random.Random, review: Review, later: dt.date | None
) -> list[Action]:
    rated = {sid: label for sid, label in review.ratings.items() if sid not in review.blank}
    needed = [sid for sid, label in rated.items() if setting.needs_action(sid, label)]
    groups: list[list[str]] = []
    for sid in needed:
        same = [g for g in groups if len(g) < 2 and setting.domain(g[0]) == setting.domain(sid)]
        if same:
            same[0].append(sid)
        else:
            groups.append([sid])
    # Now and then, an action on a standard that needed none.
    spare = [sid for sid in rated if sid not in needed and review.positions[sid] <= 1]
    if spare and rng.random() < 0.5:
        groups.append([rng.choice(spare)])
    actions = []
    for number, group in enumerate(groups, start=1):
        if len(group) == 1:
            title = lowered(setting.by_id[group[0]].title)
            text = rng.choice(SINGLE_ACTIONS).format(title)
        else:
            text = rng.choice(DOMAIN_ACTIONS).format(lowered(setting.domain(group[0])))
        due = review.date + dt.timedelta(days=rng.randint(30, 180))
        action = Action(f"A{number}", group, text, rng.choice(OWNERS), due)
        if review.status == "presented":
            follow_up(setting, rng, action, review.date, later)
        actions.append(action)
    return actions


def follow_up(
    setting: Setting, rng: random.Random, action: Action, day: dt.date, later: dt.date | None
) -> None:
    """Mark most actions due before the end done, by the next review or meeting."""
    end = setting.plan.end
    if action.due >= end or rng.random() >= 0.85:
        return
    done = action.due + dt.timedelta(days=rng.randint(-40, 25))
    done = min(done, later or end, end)
    action.status = "done"
    action.completed = max(done, day + dt.timedelta(days=1))
