"""A fake GOV.UK Notify on loopback, for testing the portal's real Notify client against it.

It answers the three endpoints the portal calls (send an email, a text message, a precompiled letter) as Notify
does: it checks the client's JSON Web Token against the API keys of its services (usual and neutral), refuses
what Notify refuses with Notify's error shapes, answers 201 with Notify's response shapes, and keeps every
message it accepted, with the service that sent it. It can be taken down (HTTP 500, or no server at all), told
to refuse a number at send time, or to report a failure in a later delivery receipt; and it writes delivery
receipts as Notify's callback does, either as payloads for a test client or POSTed to a callback URL.

What it cannot show: that the real Notify accepts these template ids, sender ids and keys, renders the
templates as expected, and delivers (README: "What the fake Notify verifies").
"""

import base64
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import requests

# Notify allows a token's "iat" to be this many seconds from its own clock, either way.
TOKEN_BOUND_SECONDS = 30
UK_MOBILE = re.compile(r"^(?:\+44|0044|44|0)7[0-9]{9}$")
PLACEHOLDER = re.compile(r"\(\(([^)]+)\)\)")
POSTAGE = {"first", "second", "economy", "europe", "rest-of-world"}


@dataclass
class Service:
    """One Notify service: its API key, its templates (by id) and its text message sender ids."""

    name: str
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    email_template_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    sms_template_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    sms_sender_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    sender_name: str = ""

    @property
    def api_key(self) -> str:
        """A key as Notify issues it: the key's name, the service id, then the secret."""
        return f"{self.name}-key-{self.service_id}-{self.secret}"

    def templates(self) -> dict[str, dict]:
        """Each template's id, type and content (what the portal writes fills the placeholders)."""
        return {self.email_template_id: {"type": "email", "subject": "((subject))", "body": "((body))"},
                self.sms_template_id: {"type": "sms", "body": "((body))"}}


@dataclass
class Accepted:
    """A message the fake accepted."""

    id: str
    service: str  # the Service's name: "usual" or "neutral"
    kind: str  # "email", "sms" or "letter"
    to: str
    reference: str | None
    payload: dict
    created_at: str


class NotifyError(Exception):
    """An error answer, in Notify's shape."""

    def __init__(self, status: int, error: str, message: str):
        super().__init__(message)
        self.status, self.error, self.message = status, error, message

    def body(self) -> dict:
        return {"status_code": self.status, "errors": [{"error": self.error, "message": self.message}]}


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class FakeNotify:
    """The fake. `url` is its base URL, for NOTIFY_BASE_URL; `settings()` gives the portal's NOTIFY_* settings."""

    def __init__(self) -> None:
        self.services = {name: Service(name, sender_name=sender) for name, sender in
                         (("usual", "Report a crime"), ("neutral", "Online account"))}
        self.accepted: list[Accepted] = []
        self.requests = 0  # every request that reached a send endpoint, accepted or not
        self.down = False  # answer every request with HTTP 500, as Notify does when it is broken
        self._refused: dict[str, str] = {}  # recipient -> the ValidationError message to answer with
        self._failing: dict[str, str] = {}  # recipient -> the status its next receipt gives
        self._receipted: set[str] = set()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # --- running --------------------------------------------------------------------------------------------

    def start(self, port: int = 0) -> "FakeNotify":
        """Listen on 127.0.0.1 (a free port unless one is given, e.g. to come back on the same one)."""
        self._server = ThreadingHTTPServer(("127.0.0.1", port or self.port), _handler(self))
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        # A short poll: shutdown() waits up to one poll for the loop to notice (half a second by default).
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01},
                                        name="fake-notify", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening: the client's connections are refused until start() again."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def settings(self) -> dict[str, str]:
        """The portal's NOTIFY_* settings for this fake's two services."""
        usual, neutral = self.services["usual"], self.services["neutral"]
        return {"NOTIFY_BASE_URL": self.url,
                "NOTIFY_API_KEY": usual.api_key, "NOTIFY_NEUTRAL_API_KEY": neutral.api_key,
                "NOTIFY_EMAIL_TEMPLATE_ID": usual.email_template_id,
                "NOTIFY_SMS_TEMPLATE_ID": usual.sms_template_id,
                "NOTIFY_SMS_SENDER_ID": usual.sms_sender_id,
                "NOTIFY_NEUTRAL_EMAIL_TEMPLATE_ID": neutral.email_template_id,
                "NOTIFY_NEUTRAL_SMS_TEMPLATE_ID": neutral.sms_template_id,
                "NOTIFY_NEUTRAL_SMS_SENDER_ID": neutral.sms_sender_id}

    # --- switches -------------------------------------------------------------------------------------------

    def refuse(self, recipient: str, message: str = "phone_number Not a UK mobile number") -> None:
        """Answer 400 ValidationError for this number or address at send time."""
        self._refused[recipient] = message

    def fail_next(self, recipient: str, status: str = "permanent-failure") -> None:
        """The next receipt for a message to this recipient gives this status instead of delivered."""
        self._failing[recipient] = status

    # --- what it holds --------------------------------------------------------------------------------------

    def by_reference(self, reference: str) -> list[Accepted]:
        with self._lock:
            return [one for one in self.accepted if one.reference == reference]

    def receipt(self, accepted: Accepted, status: str | None = None) -> dict:
        """The JSON body of Notify's delivery-status callback for one message."""
        status = status or self._failing.pop(accepted.to, "delivered")
        done = _now_iso()
        return {"id": accepted.id, "reference": accepted.reference, "to": accepted.to, "status": status,
                "created_at": accepted.created_at, "completed_at": done, "sent_at": done,
                "notification_type": accepted.kind,
                "template_id": accepted.payload.get("template_id"), "template_version": 1}

    def receipts(self) -> list[dict]:
        """A receipt for every accepted message that has had none yet."""
        with self._lock:
            waiting = [one for one in self.accepted if one.id not in self._receipted]
            self._receipted.update(one.id for one in waiting)
        return [self.receipt(one) for one in waiting]

    def send_receipts(self, callback_url: str, token: str) -> list[int]:
        """POST each waiting receipt to the callback as Notify does; the HTTP status of each answer."""
        return [self.post_receipt(callback_url, token, body) for body in self.receipts()]

    @staticmethod
    def post_receipt(callback_url: str, token: str, body: dict) -> int:
        """POST one receipt body to the callback with the bearer token; the HTTP status of the answer."""
        return requests.post(callback_url, json=body, headers={"Authorization": f"Bearer {token}"},
                             timeout=10).status_code

    # --- answering ------------------------------------------------------------------------------------------

    def _service_for(self, authorization: str | None) -> Service:
        """The service whose key signed the token, checked as Notify checks it."""
        if not authorization or not authorization.startswith("Bearer "):
            raise NotifyError(401, "AuthError", "Unauthorized: authentication token must be provided")
        token = authorization.removeprefix("Bearer ")
        try:
            issuer = jwt.decode(token, options={"verify_signature": False}, algorithms=["HS256"]).get("iss")
        except jwt.PyJWTError:
            raise NotifyError(403, "AuthError", "Invalid token: signature, api token not found") from None
        service = next((one for one in self.services.values() if one.service_id == issuer), None)
        if service is None:
            raise NotifyError(403, "AuthError", "Invalid token: service not found")
        try:
            claims = jwt.decode(token, key=service.secret, algorithms=["HS256"],
                                options={"require": ["iss", "iat"], "verify_iat": False})
        except jwt.PyJWTError:
            raise NotifyError(403, "AuthError", "Invalid token: signature, api token is not valid") from None
        if abs(int(time.time()) - int(claims["iat"])) > TOKEN_BOUND_SECONDS:
            raise NotifyError(403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds")
        return service

    def handle(self, path: str, authorization: str | None, raw: bytes) -> tuple[int, dict]:
        """One request: the status and the JSON body to answer with."""
        kinds = {"/v2/notifications/email": "email", "/v2/notifications/sms": "sms",
                 "/v2/notifications/letter": "letter"}
        with self._lock:
            self.requests += 1
        if self.down:
            return 500, NotifyError(500, "Exception", "Internal server error").body()
        if path not in kinds:
            return 404, NotifyError(404, "BadRequestError", "Resource not found").body()
        try:
            service = self._service_for(authorization)
            try:
                payload = json.loads(raw)
            except ValueError:
                raise NotifyError(400, "BadRequestError", "Invalid JSON supplied in POST data") from None
            if not isinstance(payload, dict):
                raise NotifyError(400, "ValidationError", "payload is not of type object")
            accepted, answer = getattr(self, f"_{kinds[path]}")(service, payload)
        except NotifyError as error:
            return error.status, error.body()
        with self._lock:
            self.accepted.append(accepted)
        return 201, answer

    def _template(self, service: Service, payload: dict, kind: str) -> tuple[str, dict]:
        template_id = payload.get("template_id")
        if not isinstance(template_id, str):
            raise NotifyError(400, "ValidationError", "template_id is a required property")
        try:
            uuid.UUID(template_id)
        except ValueError:
            raise NotifyError(400, "ValidationError", "template_id is not a valid UUID") from None
        template = service.templates().get(template_id)
        if template is None or template["type"] != kind:
            raise NotifyError(400, "BadRequestError", "Template not found")
        personalisation = payload.get("personalisation") or {}
        if not isinstance(personalisation, dict):
            raise NotifyError(400, "ValidationError", "personalisation is not of type object")
        filled = {}
        for part, text in template.items():
            if part == "type":
                continue
            missing = [name for name in PLACEHOLDER.findall(text) if name not in personalisation]
            if missing:
                raise NotifyError(400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}")
            filled[part] = PLACEHOLDER.sub(lambda match: str(personalisation[match.group(1)]), text)
        return template_id, filled

    def _reference(self, payload: dict, required: bool = False) -> str | None:
        reference = payload.get("reference")
        if reference is None and required:
            raise NotifyError(400, "ValidationError", "reference is a required property")
        if reference is not None and (not isinstance(reference, str) or len(reference) > 1000):
            raise NotifyError(400, "ValidationError", "reference is not a valid string")
        return reference

    def _refusal(self, recipient: str) -> None:
        if recipient in self._refused:
            raise NotifyError(400, "ValidationError", self._refused[recipient])

    def _record(self, service: Service, kind: str, to: str, payload: dict) -> Accepted:
        return Accepted(id=str(uuid.uuid4()), service=service.name, kind=kind, to=to,
                        reference=payload.get("reference"), payload=payload, created_at=_now_iso())

    def _email(self, service: Service, payload: dict) -> tuple[Accepted, dict]:
        address = payload.get("email_address")
        if not isinstance(address, str) or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", address):
            raise NotifyError(400, "ValidationError", "email_address Not a valid email address")
        template_id, filled = self._template(service, payload, "email")
        reference = self._reference(payload)
        self._refusal(address)
        accepted = self._record(service, "email", address, payload)
        return accepted, {
            "id": accepted.id, "reference": reference,
            "content": {"subject": filled["subject"], "body": filled["body"],
                        "from_email": f"{service.name}@notifications.service.gov.uk",
                        "one_click_unsubscribe_url": None},
            "uri": f"{self.url}/v2/notifications/{accepted.id}",
            "template": {"id": template_id, "version": 1, "uri": f"{self.url}/v2/template/{template_id}"},
            "scheduled_for": None}

    def _sms(self, service: Service, payload: dict) -> tuple[Accepted, dict]:
        number = payload.get("phone_number")
        if not isinstance(number, str) or not UK_MOBILE.match(re.sub(r"[\s()-]", "", number)):
            raise NotifyError(400, "ValidationError", "phone_number Not a UK mobile number")
        template_id, filled = self._template(service, payload, "sms")
        reference = self._reference(payload)
        sender_id = payload.get("sms_sender_id")
        if sender_id is not None and sender_id != service.sms_sender_id:
            raise NotifyError(400, "BadRequestError",
                              f"sms_sender_id {sender_id} does not exist in database for service id "
                              f"{service.service_id}")
        self._refusal(number)
        accepted = self._record(service, "sms", number, payload)
        return accepted, {
            "id": accepted.id, "reference": reference,
            "content": {"body": filled["body"], "from_number": service.sender_name},
            "uri": f"{self.url}/v2/notifications/{accepted.id}",
            "template": {"id": template_id, "version": 1, "uri": f"{self.url}/v2/template/{template_id}"},
            "scheduled_for": None}

    def _letter(self, service: Service, payload: dict) -> tuple[Accepted, dict]:
        if "template_id" in payload:
            raise NotifyError(400, "BadRequestError", "this fake takes precompiled letters only")
        reference = self._reference(payload, required=True)
        content = payload.get("content")
        if not isinstance(content, str):
            raise NotifyError(400, "ValidationError", "content is a required property")
        try:
            pdf = base64.b64decode(content, validate=True)
        except ValueError:
            raise NotifyError(400, "ValidationError", "Cannot decode letter content (base64)") from None
        if not pdf.startswith(b"%PDF-"):
            raise NotifyError(400, "ValidationError", "Letter content is not a valid PDF")
        postage = payload.get("postage", "second")
        if postage not in POSTAGE:
            raise NotifyError(400, "ValidationError", f"postage invalid. It must be one of {sorted(POSTAGE)}")
        accepted = self._record(service, "letter", "Provided as PDF", payload)
        return accepted, {"id": accepted.id, "reference": reference, "postage": postage}


def _handler(fake: FakeNotify) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        """Hands each POST to the fake; quiet."""

        def do_POST(self):  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            status, body = fake.handle(self.path, self.headers.get("Authorization"), self.rfile.read(length))
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):  # noqa: A002 - http.server's signature
            pass

    return Handler
