"""The demo partnership's events, strategy, actions, communications plan and directory.

The alliance met (75+ representatives) in three workshops: strategic priorities; how to talk
with young people and adults; how partners collaborate to prevent youth violence and knife
crime. What was said (made up for the demo, attributed to organisations, never people) feeds
the strategy: an adopted 2025/26 strategy with three priorities, interventions with their YEF
Toolkit approaches, the standard outcome measures with the Home Office core measures, actions
(one overdue, one due soon) traced back to the workshop notes they came from, a
communications plan and a partner directory.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from alliance.voice.screening import find_personal_data
from alliance.web.accounts.models import Organisation, Partnership
from alliance.web.actions.models import Action
from alliance.web.actions.services import link
from alliance.web.comms.models import Activity, Audience, Channel, Message
from alliance.web.directory.models import Service
from alliance.web.events.models import Event, Note, Workshop
from alliance.web.events.services import said_in_note
from alliance.web.strategy.measures import add_catalogue
from alliance.web.strategy.models import Intervention, Measure, Objective, Priority, Strategy

POLICE, FIRE, YJS = ("Northamptonshire Police", "Northamptonshire Fire and Rescue Service",
                     "Northamptonshire Youth Justice Service")
PROBATION, ICB = "Probation Service (East Midlands)", "NHS Northamptonshire Integrated Care Board"
NORTH, WEST = "North Northamptonshire Council", "West Northamptonshire Council"
VCS = "Northamptonshire Community Foundation"

#: (title, question, facilitator, notes as (organisation or other group, text))
WORKSHOPS: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    ("Strategic priorities", "What should the partnership's priorities be for the next three "
     "years?", "Partnership manager", (
         (POLICE, "Knife carrying among teenagers in Northampton town centre is rising and "
                  "must be a priority."),
         (YJS, "Most children we see for knife offences were excluded from school first: "
               "prevent exclusions."),
         (ICB, "A&E sees young people with stab wounds who never reach any service: a "
               "navigator in the emergency department would reach them."),
         (WEST, "Violence clusters in the night-time economy on Friday and Saturday nights."),
         (NORTH, "Corby and Kettering need the same attention as Northampton, not less."),
         ("Youth club network", "Young people want safe places to go after school and in "
                                "the evenings."),
         (PROBATION, "Men leaving prison for violent offences need support in the first "
                     "weeks."),
         (FIRE, "Deliberate fires and antisocial behaviour are early signs in the same "
                "neighbourhoods."),
     )),
    ("How to talk with young people and adults", "How should the partnership talk with young "
     "people, parents and the wider public about violence and knife crime?", "Youth worker", (
         ("Youth club network", "Young people trust youth workers and each other more than "
                                "posters: use peer messengers."),
         (VCS, "Parents want plain advice on what to do if they think their child carries a "
               "knife."),
         (WEST, "Scare stories about knives make young people more likely to carry one for "
                "protection."),
         (POLICE, "Social media is where incidents start; we should be there with positive "
                  "messages too."),
         ("Secondary school heads", "Schools can reach every pupil aged 11 to 16 through "
                                    "assemblies and lessons."),
         (ICB, "Local radio and the press reach parents and grandparents."),
     )),
    ("How partners collaborate to prevent youth violence and knife crime", "How should "
     "partners work together, and who provides what?", "Community safety manager", (
         (YJS, "Referral routes between schools, youth justice and early help are unclear."),
         (ICB, "Share A&E assault data every month so that hot spots are seen early."),
         (POLICE, "Focused deterrence needs partners at the table, not just the police."),
         (VCS, "Small community groups can mentor young people but need stable funding."),
         (NORTH, "A directory of who does what, and where, would stop duplication."),
         (PROBATION, "Joint case meetings on the small group driving violence would help."),
     )),
)


def _org(orgs: dict[str, Organisation], name: str) -> tuple[Organisation | None, str]:
    return (orgs[name], "") if name in orgs else (None, name)


def seed(partnership: Partnership, orgs: dict[str, Organisation], *, today: date,
         users: dict[str, Any]) -> None:
    """Create the demo's events, strategy, actions, communications plan and directory."""
    event = Event.objects.create(
        partnership=partnership, title="Serious Violence Alliance partnership event",
        date=today - timedelta(days=120), place="Northampton Guildhall", attendees=78,
        agenda="Welcome and the Strategic Needs Assessment\nWorkshop 1: strategic priorities"
               "\nWorkshop 2: how to talk with young people and adults\nWorkshop 3: how "
               "partners collaborate\nNext steps",
        other_organisations="Youth club network\nSecondary school heads",
        created_by=users["administrator"])
    event.organisations.set(orgs.values())
    notes: list[Note] = []
    for number, (title, question, facilitator, said) in enumerate(WORKSHOPS, start=1):
        w = Workshop.objects.create(event=event, number=number, title=title,
                                    question=question, facilitator=facilitator)
        for who, text in said:
            said_by, other = _org(orgs, who)
            notes.append(Note.objects.create(
                workshop=w, text=text, organisation=said_by, organisation_other=other,
                flagged=", ".join(find_personal_data(text)), created_by=users["analyst"]))
    strategy = Strategy.objects.create(
        partnership=partnership, period="2025/26", starts=date(2025, 7, 1), version=1,
        status=Strategy.Status.ADOPTED, adopted_at=timezone.now(),
        adopted_by=users["administrator"], created_by=users["analyst"],
        vision="Fewer young people harmed by violence, in every part of Northamptonshire, "
               "with partners and communities working as one.")
    p1 = Priority.objects.create(strategy=strategy, number=1,
                                 title="Fewer young people carrying and harmed by knives",
                                 description="Prevent knife carrying and reach young people "
                                             "harmed by violence at the moments that matter.")
    p2 = Priority.objects.create(strategy=strategy, number=2,
                                 title="Safer town centres at night",
                                 description="Less violence in the night-time economy.")
    p3 = Priority.objects.create(strategy=strategy, number=3,
                                 title="Keep children in school and connected",
                                 description="Fewer exclusions; safe places and trusted adults.")
    for p, texts in ((p1, ("Reach every young person admitted with a stab wound",
                           "Fewer knife offences by under-25s")),
                     (p2, ("Fewer assaults in Northampton town centre on weekend nights",)),
                     (p3, ("Fewer permanent exclusions", "More young people in positive "
                                                         "activities"))):
        for text in texts:
            Objective.objects.create(priority=p, text=text)
    west = "E06000062"
    north = "E06000061"
    Intervention.objects.create(
        priority=p1, title="A&E navigators at Northampton General Hospital",
        approach="A&E navigators", partner=orgs[ICB], cost=Decimal(180000), reach=300,
        cohort="Young people aged 11 to 24 attending after an assault", places=[west],
        start=date(2025, 7, 1), comparison=north,
        outputs="Young people seen by a navigator\nReferrals made",
        outcomes="Fewer repeat attendances for assault\nFewer knife offences")
    Intervention.objects.create(
        priority=p1, title="Focused deterrence with the groups driving violence",
        approach="Focused deterrence", partner=orgs[POLICE], cost=Decimal(250000), reach=60,
        cohort="The small number of people driving serious violence",
        outputs="Call-ins held\nSupport offers taken up", outcomes="Less group violence")
    Intervention.objects.create(
        priority=p2, title="Hot spots policing and street marshals",
        approach="Hot spots policing", partner=orgs[POLICE], reach=None,
        cohort="Night-time economy", places=[west], start=date(2025, 9, 1),
        outputs="Patrol hours in hot spots", outcomes="Fewer assaults on weekend nights")
    Intervention.objects.create(
        priority=p3, title="Mentoring for children at risk of exclusion",
        approach="Mentoring", partner=orgs[VCS], cost=Decimal(90000), reach=120,
        cohort="Children aged 10 to 16 at risk of exclusion",
        outputs="Children mentored weekly", outcomes="Fewer exclusions")
    Intervention.objects.create(
        priority=p3, title="Parenting support for families of children at risk",
        approach="Parenting programmes", partner=orgs[NORTH], reach=80,
        cohort="Parents of children aged 8 to 14", outputs="Families completing the course",
        outcomes="Fewer children in contact with youth justice")
    add_catalogue(strategy, categories=None)
    Measure.objects.filter(strategy=strategy, key="l1-sv").update(
        priority=p1, baseline_period="2025-Q2", target=Decimal("35.0"),
        target_period="2025/26")
    Measure.objects.filter(strategy=strategy, key="l3-robbery").update(
        priority=p2, baseline_period="2025-Q2", target=Decimal("1.3"), target_period="2025/26")
    Measure.objects.filter(strategy=strategy, key__startswith="c").update(priority=p1)
    Measure.objects.filter(strategy=strategy, key="l12-weapons").update(priority=p3)

    def note(start: str) -> Note:
        return next(n for n in notes if n.text.startswith(start))

    overdue = Action.objects.create(
        strategy=strategy, priority=p1, title="Agree the A&E data-sharing schedule",
        organisation=orgs[ICB], due=today - timedelta(days=10), status="in_progress",
        created_by=users["analyst"])
    soon = Action.objects.create(
        strategy=strategy, priority=p3, title="Publish the partner directory to schools",
        organisation=orgs[WEST], owner=users["partner_lead"], due=today + timedelta(days=5),
        status="not_started", created_by=users["analyst"])
    Action.objects.create(
        strategy=strategy, priority=p2, title="Street marshals on Friday and Saturday nights",
        organisation=orgs[POLICE], due=today - timedelta(days=30), status="done",
        created_by=users["analyst"])
    for action, text in ((overdue, "Share A&E assault data every"),
                         (soon, "A directory of who does what,")):
        s = said_in_note(note(text))
        link(action, source=s.source, kind=s.kind, said=s.said, where=s.where,
             organisations=s.organisations, user=users["analyst"])
    s = said_in_note(note("Young people want safe places"))
    link(p3, source=s.source, kind=s.kind, said=s.said, where=s.where,
         organisations=s.organisations, user=users["analyst"])
    young = Audience.objects.create(partnership=partnership, kind="young_people",
                                    age_band="11 to 15")
    older = Audience.objects.create(partnership=partnership, kind="young_people",
                                    age_band="16 to 24")
    parents = Audience.objects.create(partnership=partnership, kind="parents")
    Audience.objects.create(partnership=partnership, kind="professionals",
                            description="teachers, youth workers, health staff")
    schools = Channel.objects.create(partnership=partnership, kind="schools")
    clubs = Channel.objects.create(partnership=partnership, kind="youth_clubs")
    social = Channel.objects.create(partnership=partnership, kind="social_media",
                                    name="Instagram and TikTok")
    press = Channel.objects.create(partnership=partnership, kind="local_press",
                                   name="BBC Radio Northampton")
    m1 = Message.objects.create(partnership=partnership, audience=young,
                                text="Most young people never carry a knife.")
    m2 = Message.objects.create(partnership=partnership, audience=parents,
                                text="Worried your child carries a knife? Here is who to talk to.")
    for title, when, owner, audience, channel, message, planned, reached in (
            ("Peer messenger sessions in secondary schools", today - timedelta(days=40), VCS,
             young, schools, m1, 2000, 1450),
            ("Youth club summer programme", today + timedelta(days=20), NORTH, older, clubs,
             m1, 600, None),
            ("Positive messages campaign", today + timedelta(days=10), POLICE, older, social,
             m1, 15000, None),
            ("Parents' advice feature", today + timedelta(days=30), ICB, parents, press, m2,
             30000, None)):
        Activity.objects.create(partnership=partnership, title=title, date=when,
                                organisation=orgs[owner], audience=audience, channel=channel,
                                message=message, planned_reach=planned, reach=reached,
                                created_by=users["analyst"])
    for provider, name, kind, approach, who, ages, places, refer in (
            (ICB, "A&E youth navigators", "intervention", "A&E navigators",
             "Young people attending A&E after an assault", (11, 24), [west],
             "Emergency department staff refer directly."),
            (YJS, "Pre-court diversion", "service", "Pre-court diversion",
             "Children who have offended for the first time", (10, 17), [],
             "Police refer at the point of arrest."),
            (VCS, "Community mentoring", "intervention", "Mentoring",
             "Children at risk of exclusion", (10, 16), [north, west],
             "Schools and early help refer through the online form."),
            (NORTH, "Family support and parenting courses", "service",
             "Parenting programmes", "Families with children at risk", (8, 14), [north],
             "Early help front door."),
            (FIRE, "Fire cadets", "service", "", "Young people who want to volunteer",
             (13, 17), [], "Self-referral."),
            (POLICE, "Schools liaison officers", "service", "Police in schools",
             "Secondary schools", (11, 16), [], "Schools ask their neighbourhood team.")):
        Service.objects.create(partnership=partnership, organisation=orgs[provider], name=name,
                               kind=kind, approach=approach, who=who, age_from=ages[0],
                               age_to=ages[1], places=places, how_to_refer=refer)
