"""People search at scale: our bounded search vs the naive icontains query, per engine.

Builds BENCH_PEOPLE people (default 1,000,000) through the real migrations on SQLite (a temp
file) and, when TEST_DATABASE_URL is set, on PostgreSQL (a fresh database, dropped afterwards);
runs a fixed mix of queries and prints p50/p95/p99 in milliseconds. Prints figures; asserts no time.

    BENCH_PEOPLE=50000 .venv/bin/python benchmarks/search.py     # a quick run
"""

import http.client
import json
import os
import random
import sys
import tempfile
import threading
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PLANNER_VAR_DIR", tempfile.mkdtemp(prefix="planner-bench-var-"))
os.environ.setdefault("JWT_SECRET", "bench-" + "x" * 40)
os.environ.setdefault("BCRYPT_ROUNDS", "4")

from sqlalchemy import func, or_, select  # noqa: E402

from alembic import command  # noqa: E402
from backend_api import main as make_app  # noqa: E402
from backend_api.__main__ import alembic_config  # noqa: E402
from backend_api.auth.services import create_user  # noqa: E402
from backend_api.people.models import Person, search_keys  # noqa: E402
from backend_api.people.search import escape_like, search_people  # noqa: E402
from benchmarks.harness.databases import bulk_insert, fresh_postgres  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", 1_000_000))
LIMIT = 20
HTTP_QUERIES = 120
NOW = datetime(2026, 11, 24, tzinfo=UTC)

FIRST = """Anna Andreas Anders Ann-Marie Agnieszka Aleksander Alice Amelia Ana Ángel Astrid Ágnes Benjamin
Björn Bartosz Camille Carlos Charlotte Chloé Christian Dagmar Daniel Dorota Élodie Elena Elias Ella Emil Emma
Eva Filip François Freja Frederik Gabriel Grzegorz Hanna Hans Helena Henrik Ida Ingrid Isabel Jakub Jan Javier
Jens Jesús Johan Jonas Jorge José Julia Julien Karin Kasper Katarzyna Lars Laura Léa Lena Lucas Lucía Łukasz
Magnus Małgorzata Maria Marek Mathilde Matteo Mia Michał Mikkel Nicolás Nikola Noah Nora Olga Oliver Ólafur
Oskar Paula Paweł Pedro Peter Piotr Rasmus Renée Sara Sebastian Siobhán Sofia Søren Stefan Søs Thomas Tomás
Ulrik Victor Wojciech Zoë Zofia Žaneta Åsa Øystein""".split()
LAST = """Andersen Nielsen Hansen Pedersen Jensen Larsen Sørensen Rasmussen Jørgensen Petersen Madsen
Kristensen Olsen Thomsen Christiansen Poulsen Johansen Møller Mortensen Nowak Kowalski Wiśniewski Wójcik
Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Dąbrowski García Fernández González Rodríguez López
Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández Díaz Moreno Muñoz Álvarez Romero Müller Schmidt
Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder
Neumann Zimmermann Braun Krüger Hofmann Hartmann Lange Dubois Lefèvre Moreau Laurent Girard Bonnet Dupont
Lambert Fontaine Rousseau Vincent Müller-Lüdenscheidt O'Brien O'Connor Murphy Kelly Walsh Byrne Ryan Smith
Johnson Williams Brown Jones Miller Davis Wilson Taylor Anderson Thomas Moore Jackson White Harris Clark
Lewis Robinson Walker Young Allen King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts
Carter Phillips Evans Turner Torres Parker Collins Edwards Stewart Flores Morris Nguyen Murphy Rivera Cook
Rogers Morgan Peterson Cooper Reed Bailey Bell Kim Yılmaz Kaya Demir Şahin Çelik Öztürk Novák Svoboda Dvořák
Černý Procházková Kučera Horváth Nagy Tóth Szabó Kovács Virtanen Mäkinen Nieminen Hämäläinen Ström Åberg
Lindqvist Söderberg Ågren Van Dijk De Jong Jansen Bakker Visser Smit Meijer De Boer Mulder""".split()
SYLLABLES = """an bel ca dor el fa gar hel is jo ka lin mar nor os per quin ra sol tor ul vik wen xa yr zel
ber cho dal fen gri hal ják kel lør mö nie ová pío rüd sæ þór ún vés""".split()
LAST_ENDINGS = ["sen", "son", "ski", "ová", "ez", "berg", "mann", "ini", "ović", "ström", "dóttir", "ak"]
DOMAINS = ["acme.com", "example.org", "globex.dk", "initech.io", "umbrella-corp.eu"]


def name_lists(rng: random.Random) -> tuple[list[str], list[str]]:
    """A few thousand first and last names: the real ones above plus invented ones in the same alphabet."""
    firsts, lasts = set(FIRST), set(LAST)
    while len(firsts) < 2000:
        firsts.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize())
    while len(lasts) < 4000:
        lasts.add(
            "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 2))).capitalize() + rng.choice(LAST_ENDINGS)
        )
    # Real names first: with Zipf-like weights below they are also the common ones.
    return FIRST + sorted(firsts - set(FIRST)), LAST + sorted(lasts - set(LAST))


def ascii_part(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


def people_rows(count: int, now):
    """Deterministic rows with every column, keys from the app's own search_keys()."""
    rng = random.Random(2026)
    firsts, lasts = name_lists(rng)
    first_weights = [1 / (rank + 1) for rank in range(len(firsts))]
    last_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(lasts))]
    first_picks = rng.choices(firsts, first_weights, k=count)
    last_picks = rng.choices(lasts, last_weights, k=count)
    for i in range(count):
        first, last = first_picks[i], last_picks[i]
        name = f"{first} {last}"
        email = f"{ascii_part(first)}.{ascii_part(last)}{i}@{DOMAINS[i % len(DOMAINS)]}"
        keys = search_keys(name, email)
        yield (now, now, 1, name, email, "", "", "", "[]", 36.0, "", i % 20 != 0, keys["name_key"], keys["email_key"])


COLUMNS = (
    "created_at, updated_at, version, name, email, phone, location, job_title, skills, "
    "weekly_capacity, notes, is_active, name_key, email_key"
)


def query_mix() -> list[tuple[str, str]]:
    """A fixed mix of (kind, q): 2-, 3- and 5-character prefixes and mid-word pieces, email-only
    pieces, non-ASCII, and queries that match nobody."""
    rng = random.Random(7)
    firsts, lasts = name_lists(random.Random(2026))
    common_firsts, common_lasts = firsts[:120], lasts[:200]

    def piece(word: str, size: int, middle: bool) -> str:
        start = rng.randint(1, max(1, len(word) - size)) if middle else 0
        return word[start : start + size]

    mix = []
    for _ in range(30):
        mix.append(("2 prefix", piece(rng.choice(common_firsts), 2, False)))
        mix.append(("2 word", piece(rng.choice(common_lasts), 2, False).upper()))
        mix.append(("3 prefix", piece(rng.choice(common_firsts), 3, False)))
        mix.append(("3 mid-word", piece(rng.choice(common_lasts), 3, True)))
        mix.append(("5 prefix", piece(rng.choice(firsts), 5, False) or "anna "))
        mix.append(("5 mid-word", piece(rng.choice(lasts), 5, True)))
        mix.append(("full name", f"{rng.choice(common_firsts)} {rng.choice(common_lasts)}".lower()))
        mix.append(
            (
                "email-only",
                rng.choice(
                    [
                        "acme",
                        "globex",
                        "@initech",
                        "mple.o",
                        "rp.eu",
                        ".dk",
                        f"{rng.randint(10, 99999)}@",
                        f"n{rng.randint(100, 9999)}",
                    ]
                ),
            )
        )
        mix.append(
            (
                "non-ascii",
                piece(
                    rng.choice([w for w in common_lasts + common_firsts if not w.isascii()]),
                    rng.choice([2, 3, 4]),
                    False,
                ),
            )
        )
        mix.append(("no match", "".join(rng.choice("qxzjvkw") for _ in range(rng.choice([2, 3, 5])))))
        mix.append(("no match", rng.choice(["zzzzz", "qqq@", "xyzzy", "100%", "a_b_c"])))
    return [(kind, q.strip() if len(q.strip()) >= 2 else q + "a") for kind, q in mix]


def naive(db, q: str) -> list:
    """The seed's icontains: LOWER LIKE '%q%' on name or email, ORDER BY name LIMIT 20."""
    needle = "%" + escape_like(q.lower()) + "%"
    return list(
        db.scalars(
            select(Person)
            .where(
                Person.is_active.is_(True),
                or_(
                    func.lower(Person.name).like(needle, escape="\\"),
                    func.lower(Person.email).like(needle, escape="\\"),
                ),
            )
            .order_by(Person.name, Person.id)
            .limit(LIMIT)
        )
    )


def timed(run, queries) -> tuple[list[float], int]:
    """Milliseconds per query, and how many results in all."""
    times, results = [], 0
    for _, q in queries:
        start = time.perf_counter()
        results += len(run(q))
        times.append((time.perf_counter() - start) * 1000)
    return times, results


def percentiles(times: list[float]) -> tuple[float, float, float]:
    ordered = sorted(times)
    return tuple(ordered[round(p / 100 * (len(ordered) - 1))] for p in (50, 95, 99))


def build(url: str) -> None:
    start = time.perf_counter()
    command.upgrade(alembic_config(url), "head")
    # One transaction; on SQLite the migration's triggers fill the FTS5 tables row by row.
    stamp = NOW.strftime("%Y-%m-%d %H:%M:%S.%f") if url.startswith("sqlite") else NOW  # SQLAlchemy's format
    bulk_insert(url, [("people", COLUMNS, people_rows(PEOPLE, stamp))])
    print(f"  built {PEOPLE:,} people through the migrations in {time.perf_counter() - start:.0f} s", flush=True)


def http_times(app, queries) -> list[float]:
    """Wall time of GET /api/people/search/ over a real socket (waitress, keep-alive)."""
    import waitress

    reader, writer = app.registry.planner_sessions
    with writer() as db, db.begin():
        create_user(db, "bench", "bench-password-1", "", "user")
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    # A daemon thread: it ends with the process (closing waitress under a busy worker only adds noise).
    threading.Thread(target=server.run, daemon=True).start()
    port = server.socket.getsockname()[1]
    connection = http.client.HTTPConnection("127.0.0.1", port)
    try:
        body = json.dumps({"username": "bench", "password": "bench-password-1"})
        connection.request("POST", "/api/auth/token/", body, {"Content-Type": "application/json"})
        token = json.loads(connection.getresponse().read())["access"]
        headers = {"Authorization": f"Bearer {token}"}
        times = []
        for _, q in queries:
            start = time.perf_counter()
            connection.request("GET", "/api/people/search/?" + urlencode({"q": q}), headers=headers)
            response = connection.getresponse()
            response.read()
            times.append((time.perf_counter() - start) * 1000)
            assert response.status == 200, response.status
        return times
    finally:
        connection.close()


def bench(label: str, url: str) -> None:
    print(f"\n{label}", flush=True)
    build(url)
    app = make_app({}, database_url=url)
    reader, _ = app.registry.planner_sessions
    queries = query_mix()

    def ours(q):
        with reader() as db:
            return search_people(db, q, LIMIT)

    def theirs(q):
        with reader() as db:
            return naive(db, q)

    timed(ours, queries[:30])  # warm the caches for both
    timed(theirs, queries[:10])
    our_times, our_results = timed(ours, queries)
    naive_times, naive_results = timed(theirs, queries)
    print(f"  {len(queries)} queries, limit {LIMIT}; results returned: ours {our_results:,}, naive {naive_results:,}")
    print(f"  {'ms':<22}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}")
    ours_p, naive_p = percentiles(our_times), percentiles(naive_times)
    for name, p, times in (("naive icontains", naive_p, naive_times), ("search_people", ours_p, our_times)):
        print(f"  {name:<22}" + "".join(f"{v:9.2f}" for v in p) + f"{max(times):9.2f}")
    print(f"  {'ratio naive/ours':<22}" + "".join(f"{a / b:8.0f}x" for a, b in zip(naive_p, ours_p, strict=False)))
    by_kind: dict[str, list[float]] = {}
    for (kind, _), ms in zip(queries, our_times, strict=False):
        by_kind.setdefault(kind, []).append(ms)
    print(
        "  ours by kind (p50 / p95 / max ms): "
        + "; ".join(
            f"{kind} {percentiles(t)[0]:.2f}/{percentiles(t)[1]:.2f}/{max(t):.2f}" for kind, t in by_kind.items()
        )
    )
    rng = random.Random(3)
    h50, h95, h99 = percentiles(http_times(app, rng.sample(queries, min(HTTP_QUERIES, len(queries)))))
    print(
        f"  over HTTP (waitress, keep-alive, {min(HTTP_QUERIES, len(queries))} queries): "
        f"p50 {h50:.2f}  p95 {h95:.2f}  p99 {h99:.2f} ms",
        flush=True,
    )
    app.registry.planner_engine.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="planner-bench-") as directory:
        bench("SQLite", f"sqlite:///{directory}/search.db")
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        print("\nTEST_DATABASE_URL not set: PostgreSQL skipped")
        return
    with fresh_postgres(base) as url:
        if url:
            bench("PostgreSQL", url)


if __name__ == "__main__":
    main()
