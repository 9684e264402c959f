"""Benchmark: are training recommendations grounded in what the employee's jabatan needs?

How the data is built: ``portal demo --no-serve`` (the whole demo city, 600 employees by default)
into a fresh SQLite file; a file that already holds the demo is reused (``--rebuild`` starts
over).

What is measured, over every active employee of the city and their top ``--limit``
recommendations (:func:`training.services.recommendations.recommendations_for`):

* **relevance** -- the share of recommended courses all of whose competencies belong to the
  employee's jabatan profile (:func:`training.profiles.jabatan_profile`: the manajerial and
  sosial-kultural core, leadership for structural posts, the teknis competencies of the
  jabatan's field; plus what the employee's lagging indicators need), and the looser share
  with at least one competency in it;
* **grounded gaps** -- of the recommendations explained by an indicator gap (INDICATOR_GAP),
  the share whose course develops a competency that the indicator's own text calls for
  (:func:`training.profiles.indicator_competencies`);
* examples of recommendations outside the profile.

Run:
    .venv/bin/python bench/recommendation_relevance.py [--employees 600] [--db PATH] [--rebuild]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from training_recommendations import build  # noqa: E402


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=600)
    parser.add_argument(
        "--db", default=str(Path(tempfile.gettempdir()) / "recommendation-relevance.sqlite")
    )
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--rebuild", action="store_true")
    return parser.parse_args()


async def run(limit: int) -> None:
    # imported here: the engine is built on import, after PORTAL_DATABASE_URL is set
    from portal.core.clock import today  # noqa: PLC0415
    from portal.people.services import directory as people  # noqa: PLC0415
    from portal.people.tables import Employee  # noqa: PLC0415
    from training import profiles  # noqa: PLC0415
    from training.services import recommendations as service  # noqa: PLC0415
    from training.services import signals  # noqa: PLC0415
    from training.tables import Competency, CourseCompetency  # noqa: PLC0415

    on = today()
    ids = [
        r["id"]
        for r in await Employee.select(Employee.id)
        .where(Employee.active == True)  # noqa: E712
        .order_by(Employee.id)
    ]
    themes = {
        r["code"]: tuple(r["themes"] if isinstance(r["themes"], list) else [])
        for r in await Competency.select(Competency.code, Competency.themes).output(load_json=True)
    }
    course_codes: dict[int, set[str]] = collections.defaultdict(set)
    for r in await CourseCompetency.select(
        CourseCompetency.course, CourseCompetency.competency.code.as_alias("code")
    ):
        course_codes[r["course"]].add(r["code"])
    total = fits_all = fits_any = gap_recs = gap_grounded = 0
    outside: collections.Counter[tuple[str, str]] = collections.Counter()
    for start in range(0, len(ids), 500):
        employees = [e for e in await people.employees_by_ids(ids[start : start + 500]) if e]
        found = await service.recommendations_for(employees, on, limit=limit)
        gaps = await signals.read_indicator_gaps([e.id for e in employees], on)
        for e in employees:
            needs = set().union(
                *(profiles.indicator_competencies(g.text, themes) for g in gaps.get(e.id, ()))
            )
            profile = profiles.jabatan_profile(e.jabatan_name, e.jabatan_kind) | needs
            for rec in found[e.id]:
                codes = course_codes.get(rec.course_id, set())
                total += 1
                fits_all += bool(codes) and codes <= profile
                fits_any += bool(codes & profile)
                if not (codes and codes <= profile):
                    outside[(e.jabatan_name, ",".join(sorted(codes - profile)))] += 1
                if any(r.code.value == "INDICATOR_GAP" for r in rec.reasons):
                    gap_recs += 1
                    gap_grounded += bool(codes & needs)
    print(f"today {on}; {len(ids)} active employees; {total} recommendations (top {limit})")
    if total:
        print(f"relevance (all competencies in the jabatan profile): {fits_all / total:.1%}")
        print(f"relevance (at least one competency in the profile): {fits_any / total:.1%}")
    if gap_recs:
        print(
            f"INDICATOR_GAP recommendations whose course serves a competency the indicator "
            f"needs: {gap_grounded}/{gap_recs} = {gap_grounded / gap_recs:.1%}"
        )
    print("most frequent recommendations outside the profile (jabatan, foreign competencies):")
    for (jabatan, codes), n in outside.most_common(5):
        print(f"  {n:5d}  {jabatan}: {codes}")


def main() -> None:
    args = parse()
    db = Path(args.db)
    print(f"database: {db}")
    built = build(db, args.employees, args.rebuild)
    print(f"build: {'reused existing demo' if built is None else f'{built:.0f} s'}")
    os.environ["PORTAL_DATABASE_URL"] = f"sqlite:///{db}"
    asyncio.run(run(args.limit))


if __name__ == "__main__":
    main()
