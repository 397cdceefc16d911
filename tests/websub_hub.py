"""A WebSub hub for the tests: a real HTTP server on a local port, in a thread, that
records every ping it is sent and answers with the statuses it is told to."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


@dataclass
class Ping:
    content_type: str
    form: list[tuple[str, str]]  # every field, in order, repeated ones kept
    status: int  # what the hub answered

    @property
    def mode(self) -> str | None:
        return dict(self.form).get("hub.mode")

    @property
    def topics(self) -> list[str]:
        return [value for name, value in self.form if name == "hub.url"]


@dataclass
class Hub:
    url: str
    pings: list[Ping] = field(default_factory=list)
    # Statuses to answer with, first to last; then 204 No Content.
    answers: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, ping_form, content_type) -> int:
        with self.lock:
            status = self.answers.pop(0) if self.answers else 204
            self.pings.append(Ping(content_type, ping_form, status))
            return status

    def accepted_topics(self) -> list[str]:
        """Topics of the pings the hub said yes to, in the order they came."""
        with self.lock:
            return [t for p in self.pings if 200 <= p.status < 300 for t in p.topics]

    def wait_for(self, count: int, timeout: float = 60) -> list[str]:
        """Wait until `count` pings were accepted (a worker sends them); return them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            topics = self.accepted_topics()
            if len(topics) >= count:
                return topics
            time.sleep(0.1)
        raise AssertionError(f"the hub got {self.accepted_topics()}, not {count} pings")


def start_hub() -> tuple[Hub, ThreadingHTTPServer]:
    hub = Hub(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode()
            status = hub.answer(
                parse_qsl(body, keep_blank_values=True), self.headers.get("Content-Type", "")
            )
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hub.url = f"http://127.0.0.1:{server.server_address[1]}/hub"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return hub, server
