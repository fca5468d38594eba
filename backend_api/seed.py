"""Demo data for a realistic organisation: departments, people with skills and capacities,
projects in every status, twelve weeks of assignments (some people over-allocated), deliverables
and time off. Idempotent: every row is found by a natural key before it is created."""

import random
import unicodedata
from datetime import timedelta

from sqlalchemy import select

from .assignments.models import Assignment
from .core.timeutil import monday, now
from .deliverables.models import Deliverable
from .departments.models import Department
from .people.models import Person
from .projects.models import Project, ProjectStatus
from .timeoff.models import TimeOff

DEPARTMENTS = [
    "Architecture",
    "Structural Engineering",
    "MEP Engineering",
    "Interior Design",
    "Landscape",
    "Project Management",
    "Visualization",
    "Operations",
]
FIRST = [
    "Anna",
    "Ben",
    "Chloé",
    "Dmitri",
    "Elena",
    "Farid",
    "Grace",
    "Hiro",
    "Inès",
    "José",
    "Katarzyna",
    "Liam",
    "Maja",
    "Noah",
    "Olivia",
    "Paulo",
    "Quinn",
    "Rosa",
    "Sven",
    "Tomás",
    "Uma",
    "Viktor",
    "Wen",
    "Xavier",
    "Yara",
    "Zoë",
    "Łukasz",
    "Amélie",
    "Björn",
    "Nadia",
]
LAST = [
    "Andersen",
    "Brown",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Hansen",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "López",
    "Müller",
    "Nakamura",
    "O'Brien",
    "Petrović",
    "Quintero",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Ulrich",
    "Virtanen",
    "Wójcik",
    "Xu",
    "Yilmaz",
    "Zimmermann",
]
TITLES = {
    "Architecture": ["Architect", "Senior architect", "Associate"],
    "Structural Engineering": ["Structural engineer", "Senior engineer"],
    "MEP Engineering": ["Mechanical engineer", "Electrical engineer"],
    "Interior Design": ["Interior designer"],
    "Landscape": ["Landscape architect"],
    "Project Management": ["Project manager", "Project coordinator"],
    "Visualization": ["3D artist", "BIM specialist"],
    "Operations": ["Office manager", "IT specialist"],
}
SKILLS = [
    "Revit",
    "AutoCAD",
    "Rhino",
    "Grasshopper",
    "SketchUp",
    "Navisworks",
    "Enscape",
    "BIM",
    "Structural analysis",
    "Lighting",
    "Sustainability",
    "Client management",
    "Python",
]
LOCATIONS = ["Copenhagen", "Berlin", "Lisbon", "Warsaw", "London"]
CLIENTS = [
    "Nordic Housing",
    "City of Aarhus",
    "Baltic Ports",
    "Greenfield Schools",
    "Harbour Hotels",
    "Internal",
    "Museum Trust",
    "Metro Transit",
]
PROJECT_NAMES = [
    "Harbour Bath",
    "North Campus",
    "Riverside Library",
    "Metro Line 4 Stations",
    "Old Mill Lofts",
    "Green Roof Pilot",
    "Tower B Refit",
    "Science Park",
    "Seaside Hotel",
    "Children's Museum",
    "City Hall Annex",
    "Timber Housing",
    "Airport Lounge",
    "School Extension",
    "Data Centre",
    "Market Hall",
    "Concert Pavilion",
    "Hospital Wing",
    "Office Fit-out",
    "Bridge Promenade",
    "Innovation Hub",
    "Sports Arena",
    "Waterfront Masterplan",
    "Heritage Restoration",
    "Internal Tools",
]


def ascii_email(first: str, last: str, n: int) -> str:
    """first.last<n>@planner.example in plain ASCII, as real companies' addresses are: "Łukasz
    Müller" → lukasz.muller3 (accents dropped; Ł has no decomposition, so it is mapped)."""
    local = f"{first}.{last}{n}".replace("Ł", "L").replace("ł", "l").replace("'", "")
    local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode()
    return f"{local}@planner.example".lower()


def _get_or_create(db, model, where: dict, values: dict):
    row = db.scalar(select(model).filter_by(**where))
    if row is None:
        row = model(**where, **values)
        db.add(row)
        db.flush()
        return row, True
    return row, False


def seed(db, people: int = 60) -> dict[str, int]:
    rng = random.Random(2026)
    created = {"departments": 0, "people": 0, "projects": 0, "assignments": 0, "deliverables": 0, "time off": 0}
    this_week = monday(now().date())
    weeks = [this_week + timedelta(weeks=i) for i in range(12)]

    departments = []
    for name in DEPARTMENTS:
        row, new = _get_or_create(db, Department, {"name": name}, {"description": f"The {name.lower()} team."})
        departments.append(row)
        created["departments"] += new

    staff = []
    for i in range(people):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
        department = departments[i % len(departments)]
        email = ascii_email(first, last, i)
        # Databases seeded before the addresses were ASCII: the same person, renamed, not a second one.
        legacy = db.scalar(
            select(Person).filter_by(email=f"{first}.{last}{i}@planner.example".lower().replace("'", ""))
        )
        if legacy is not None and legacy.email != email:
            legacy.email = email
            db.flush()
        row, new = _get_or_create(
            db,
            Person,
            {"email": email},
            {
                "name": f"{first} {last}",
                "department_id": department.id,
                "job_title": rng.choice(TITLES[department.name]),
                "location": rng.choice(LOCATIONS),
                "skills": rng.sample(SKILLS, rng.randint(2, 4)),
                "weekly_capacity": rng.choice([36, 36, 37.5, 40, 30, 20]),
                "hire_date": this_week - timedelta(days=rng.randint(60, 4000)),
                "phone": f"+45 {rng.randint(20000000, 99999999)}",
            },
        )
        staff.append(row)
        created["people"] += new
    for department in departments:
        if department.manager_id is None:
            department.manager_id = next(p.id for p in staff if p.department_id == department.id)

    projects = []
    for i, name in enumerate(PROJECT_NAMES):
        status = list(ProjectStatus)[i % len(ProjectStatus)] if i % 3 else ProjectStatus.ACTIVE
        start = this_week - timedelta(weeks=rng.randint(4, 40))
        row, new = _get_or_create(
            db,
            Project,
            {"project_number": f"P-{2400 + i}"},
            {
                "name": name,
                "client": CLIENTS[i % len(CLIENTS)],
                "status": status,
                "start_date": start,
                "end_date": start + timedelta(weeks=rng.randint(20, 80)),
                "estimated_hours": rng.choice([400, 800, 1500, 3000]),
                "description": f"{name} for {CLIENTS[i % len(CLIENTS)]}.",
            },
        )
        projects.append(row)
        created["projects"] += new

    live = [p for p in projects if p.status in ("active", "planning")]
    for i, person in enumerate(staff):
        # Every fifth person is deliberately booked beyond capacity, so the dashboard has something to show.
        load = person.weekly_capacity * (1.25 if i % 5 == 0 else rng.uniform(0.4, 0.95))
        chosen = rng.sample(live, 2)
        shares = [0.6, 0.4]
        for project, share in zip(chosen, shares, strict=False):
            hours = {w.isoformat(): round(load * share * rng.uniform(0.8, 1.1)) for w in weeks[: rng.randint(6, 12)]}
            _, new = _get_or_create(
                db,
                Assignment,
                {"person_id": person.id, "project_id": project.id},
                {
                    "role_on_project": rng.choice(["Lead", "Designer", "Engineer", "Support", "Reviewer"]),
                    "weekly_hours": hours,
                },
            )
            created["assignments"] += new

    for project in live:
        for n, offset in enumerate((2, 6, 10)):
            _, new = _get_or_create(
                db,
                Deliverable,
                {"project_id": project.id, "description": f"Milestone {n + 1}"},
                {
                    "date": this_week + timedelta(weeks=offset, days=rng.randint(0, 4)),
                    "percentage": (n + 1) * 30,
                    "is_completed": False,
                },
            )
            created["deliverables"] += new

    for i, person in enumerate(staff[::4]):
        start = this_week + timedelta(weeks=rng.randint(0, 8), days=rng.randint(0, 2))
        _, new = _get_or_create(
            db,
            TimeOff,
            {"person_id": person.id, "start_date": start},
            {
                "end_date": start + timedelta(days=rng.randint(1, 9)),
                "kind": ("vacation", "holiday", "sick", "other")[i % 4],
            },
        )
        created["time off"] += new
    return created
