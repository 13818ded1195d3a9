"""How long sign-in and registration take for an address with an account and one without, with the production
Argon2id parameters. The times should match: a difference would tell someone who has an account.

    .venv/bin/python benchmarks/sign_in_timing.py [--requests 15]

Prints the median and 90th percentile in milliseconds for each path. The tests prove each path does exactly one
hash or verification (tests/integration/test_sign_in_backoff.py); this shows what that costs and that it is even.
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from _common import build_app, percentile

from config import Config
from portal.auth.roles import Role
from portal.auth.services import create_user
from portal.extensions import db, limiter

PASSWORD = "river-stone-lantern-47"  # noqa: S105 - a benchmark account


def _timed(action, requests: int) -> list[float]:
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(f"sqlite:///{Path(folder) / 'timing.db'}")
        for name in ("ARGON2_TIME_COST", "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM"):
            app.config[name] = getattr(Config, name)
        app.config.update(BACKOFF_FREE_FAILURES=10**6)  # many wrong passwords in a row, on purpose
        from portal.auth import passwords

        passwords.init_app(app)  # the stand-in hash, with the production parameters
        with app.app_context():
            known = create_user("known@example.org", PASSWORD, Role.VICTIM, verified=True).email
            db.session.commit()
        limiter.enabled = False
        client = app.test_client()
        app.config["WTF_CSRF_ENABLED"] = False
        counter = iter(range(10**6))
        paths = {
            "sign in, known address, wrong password": lambda: client.post(
                "/login", data={"email": known, "password": "wrong-password-1"}),
            "sign in, unknown address": lambda: client.post(
                "/login", data={"email": "nobody@example.org", "password": "wrong-password-1"}),
            "register, address with an account": lambda: client.post(
                "/register", data={"email": known, "password": PASSWORD, "confirm_password": PASSWORD}),
            "register, new address": lambda: client.post(
                "/register", data={"email": f"new{next(counter)}@example.org", "password": PASSWORD,
                                   "confirm_password": PASSWORD}),
        }
        print(f"Argon2id time_cost={Config.ARGON2_TIME_COST} memory_cost={Config.ARGON2_MEMORY_COST} KiB "
              f"parallelism={Config.ARGON2_PARALLELISM}, {args.requests} requests each")
        for name, action in paths.items():
            action()  # warm up
            timings = _timed(action, args.requests)
            print(f"{name:42s} median {statistics.median(timings):7.1f} ms   p90 {percentile(timings, 0.9):7.1f} ms")


if __name__ == "__main__":
    main()
