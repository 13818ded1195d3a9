"""Locust users for benchmarks/load.py. Run only by that script (in its own process: locust patches the process
with gevent, so nothing else may import this file).

The driver passes, in the JSON file named by LOAD_PLAN: the session cookies of signed-in victims, officers and
a partner (it signs them in once, through the real log-in pages, before locust starts), the crime numbers each
victim may read, some cases and referral references for staff, a crime category id for the baseline page, and
the think time (LOAD_WAIT, "0" when saturating one endpoint, "1-3" for the realistic mix).

Every request is named after its endpoint, so the stats CSV has one row per endpoint.
"""

import json
import os
import random
import re
import sys
from pathlib import Path

from locust import HttpUser, between, constant, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.wizard import BIKE_THEFT  # noqa: E402

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text()) if os.environ.get("LOAD_PLAN") else {}
_low, _, _high = os.environ.get("LOAD_WAIT", "0").partition("-")
THINKING = bool(_high)
WAIT = between(float(_low), float(_high)) if THINKING else constant(0)
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

# The request names (table rows). The wizard's rows are shared by every step.
BASELINE = "baseline GET /benchmark/baseline/<id>"
START = "GET / (start page)"
WIZARD_BEGIN = "POST /report/start"
WIZARD_GET = "GET /report/<step>"
WIZARD_POST = "POST /report/<step>"
CHECK_ANSWERS = "GET /report/check-answers"
SUBMIT = "POST /report/check-answers (submit)"
CONFIRMATION = "GET /report/confirmation"
MY_CASES = "GET /cases/ (victim's cases)"
VICTIM_CASE = "GET /cases/<crime_number> (victim case)"
TRIAGE_QUEUE = "GET /staff/triage (triage queue)"
STAFF_CASE = "GET /staff/cases/<crime_number>"
PARTNER_INBOX = "GET /partner/referrals (partner inbox)"
PARTNER_REFERRAL = "GET /partner/referrals/<reference>"


class _PortalUser(HttpUser):
    """Shared: think time, and refusing anything but the expected status."""

    abstract = True
    wait_time = WAIT

    def get(self, url: str, name: str, status: int = 200) -> str:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != status:
                response.failure(f"{url}: {response.status_code}, not {status}")
            return response.text

    def post(self, url: str, name: str, data: dict, page: str) -> None:
        match = TOKEN.search(page)
        form = {**data, "csrf_token": match.group(1) if match else ""}
        with self.client.post(url, data=form, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"POST {url}: {response.status_code}, not a redirect")


class _SignedInUser(_PortalUser):
    """Takes one of the sessions the driver signed in for this role."""

    abstract = True
    role = ""

    def on_start(self) -> None:
        self.account = random.choice(PLAN["sessions"][self.role])  # noqa: S311 - load test choice
        for name, value in self.account["cookies"].items():
            self.client.cookies.set(name, value, domain="127.0.0.1", path="/")


class BaselineUser(_PortalUser):
    """The bare baseline page: one row by primary key, one small template, the same stack."""

    @task
    def read_baseline(self) -> None:
        self.get(f"/benchmark/baseline/{PLAN['baseline_id']}", BASELINE)


class StartPageUser(_PortalUser):
    """Anonymous: the service's start page."""

    weight = 15

    @task
    def read_start_page(self) -> None:
        self.get("/", START)


class WizardUser(_PortalUser):
    """Anonymous: a full report through the wizard, every step read and answered, then submitted."""

    weight = 10

    @task
    def submit_report(self) -> None:
        self.client.cookies.clear()
        page = self.get("/", START)  # the service's start page starts the report
        self.post("/report/start", WIZARD_BEGIN, {}, page)
        for slug, data in BIKE_THEFT:
            page = self.get(f"/report/{slug}", WIZARD_GET)
            self.post(f"/report/{slug}", WIZARD_POST, data, page)
            if THINKING:  # the think time between steps (none when saturating, so a stopping user completes)
                self.wait()
        page = self.get("/report/check-answers", CHECK_ANSWERS)
        self.post("/report/check-answers", SUBMIT, {"declaration": "y"}, page)
        self.get("/report/confirmation", CONFIRMATION)


class MyCasesUser(_SignedInUser):
    """A victim's list of their cases."""

    role = "victim"
    weight = 10

    @task
    def read_my_cases(self) -> None:
        self.get("/cases/", MY_CASES)


class VictimCaseUser(_SignedInUser):
    """A victim reading one of their cases."""

    role = "victim"
    weight = 20

    @task
    def read_case(self) -> None:
        self.get(f"/cases/{random.choice(self.account['cases'])}", VICTIM_CASE)  # noqa: S311


class TriageQueueUser(_SignedInUser):
    """An officer working the triage queue."""

    role = "officer"
    weight = 15

    @task
    def read_queue(self) -> None:
        self.get("/staff/triage", TRIAGE_QUEUE)


class StaffCaseUser(_SignedInUser):
    """An officer opening a case from the queue."""

    role = "officer"
    weight = 5

    @task
    def read_case(self) -> None:
        self.get(f"/staff/cases/{random.choice(PLAN['staff_cases'])}", STAFF_CASE)  # noqa: S311


class PartnerInboxUser(_SignedInUser):
    """A partner organisation reading its referrals inbox."""

    role = "partner"
    weight = 7

    @task
    def read_inbox(self) -> None:
        self.get("/partner/referrals", PARTNER_INBOX)


class PartnerReferralUser(_SignedInUser):
    """A partner opening one referral."""

    role = "partner"
    weight = 3

    @task
    def read_referral(self) -> None:
        self.get(f"/partner/referrals/{random.choice(PLAN['referrals'])}", PARTNER_REFERRAL)  # noqa: S311
