"""Time the staff task queue with many open tasks.

Run by hand from the project root; it is not part of the test suite:

    .venv/bin/python benchmarks/task_queue.py [--tasks 100000] [--cases 20000] [--requests 30]

It builds a throwaway SQLite file, generates --cases cases (the generator also raises and finishes some tasks),
then adds open tasks until --tasks are owed, spread over the cases, the kinds and the officers (a third not yet
taken, a tenth overdue), and times --requests GETs of each queue page as an officer: p50, p95 and max in
milliseconds and SQL statements per request. The target is a p95 of at most 50 ms in process.
"""

import argparse
import random
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import build_app, generate, sign_in, time_page  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from portal.auth.roles import Role  # noqa: E402
from portal.auth.services import create_user  # noqa: E402
from portal.cases.models import Report  # noqa: E402
from portal.clock import utcnow  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.tasks.due_times import DUE_TIMES, due_at  # noqa: E402
from portal.tasks.enums import OWED, Asker, TaskStatus, TaskType  # noqa: E402
from portal.tasks.models import Task  # noqa: E402

PAGES = ("/staff/tasks/", "/staff/tasks/?page=200", "/staff/tasks/?show=mine", "/staff/tasks/?show=overdue",
         "/staff/tasks/?type=call_back&show=unassigned", "/staff/tasks/?team=review&page=20")


def add_open_tasks(target: int, officers: list[int], seed: int = 1) -> int:
    """Insert open tasks until `target` are owed; return how many are owed."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not a secret
    report_ids = list(db.session.scalars(select(Report.id)))
    owed = db.session.scalar(select(func.count()).select_from(Task).where(Task.status.in_(OWED))) or 0
    now = utcnow()
    rows = []
    for _ in range(max(0, target - owed)):
        task_type = rng.choice(list(TaskType))
        raised = now - timedelta(hours=rng.uniform(0, 24 * 40 if rng.random() < 0.1 else 24))
        acknowledge, due = due_at(task_type, raised)
        rows.append({"report_id": rng.choice(report_ids), "type": task_type, "asker": Asker.VICTIM,
                     "raised_by_id": None, "team": DUE_TIMES[task_type].team,
                     "assignee_id": rng.choice(officers) if rng.random() > 0.33 else None,
                     "status": TaskStatus.OPEN, "decided_by_id": None, "request_note": None, "raised_at": raised,
                     "acknowledge_by": acknowledge, "acknowledged_at": None, "due_at": due, "completed_at": None,
                     "completed_by_id": None, "outcome": None, "reminded_at": None, "escalated_at": None})
        if len(rows) == 10_000:
            db.session.execute(insert(Task), rows)
            rows = []
    if rows:
        db.session.execute(insert(Task), rows)
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(Task).where(Task.status.in_(OWED)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(f"sqlite:///{Path(folder) / 'tasks.db'}")
        with app.app_context():
            officers = [create_user(f"officer{n}@example.org", "river-stone-lantern-47", Role.OFFICER,
                                    verified=True).id for n in range(20)]
            db.session.commit()
            generate(args.cases, quiet=True)
            owed = add_open_tasks(args.tasks, officers)
        client = sign_in(app, officers[0])
        print(f"{owed} open tasks on {args.cases} cases; {args.requests} requests each")
        for page in PAGES:
            figures = time_page(app, client, page, args.requests)
            print(f"{page:48s} p50 {figures['p50']:7.1f} ms  p95 {figures['p95']:7.1f} ms  "
                  f"max {figures['max']:7.1f} ms  statements {figures['statements']}")


if __name__ == "__main__":
    main()
