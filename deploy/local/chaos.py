#!/usr/bin/env python3
"""Chaos test for a local Mindspace cluster: write load on every gateway while silos are SIGKILLed.

    deploy/local/chaos.py                      # start a cluster, 60 s of load, kill a silo every 10 s
    DURATION=300 CONCURRENCY=32 deploy/local/chaos.py
    deploy/local/chaos.py --signal term        # graceful stops (SIGTERM) instead: should cost no write at all
    deploy/local/chaos.py --no-start --gateways http://127.0.0.1:5081   # against something already running

The cluster is deploy/local/cluster.sh's: Orleans silos and gateways (GATEWAY_ONLY=true, Orleans clients)
on a throwaway PostgreSQL, every Orleans connection mutual TLS with a development certificate.

Each worker registers and signs in its own user, then POSTs check-ins (POST /api/v1/entries) with a
unique text as fast as the gateway answers. A write counts as acknowledged only when it got 201 with
an id. A failed write (5xx, 4xx, timeout, connection error) is never retried: the next write has new
content. After the load every user's entries are read back (GET /api/v1/entries, all pages) and every
acknowledged write must be there with its text and mood; a single lost write fails the run (exit 1).

Python 3 standard library only. See deploy/local/README.md for what every number means.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlencode

HERE = os.path.dirname(os.path.abspath(__file__))
CLUSTER_SH = os.path.join(HERE, "cluster.sh")
PASSWORD = "chaos passphrase 1234"


def env(name: str, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return type(default)(value) if default is not None else value


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog="Each option can also be set in the environment: DURATION, CONCURRENCY, INTERVAL, RESTART_DELAY,\n"
                                       "MIN_ALIVE, CHAOS_TARGET, CHAOS_SIGNAL, REQUEST_TIMEOUT, FAILURE_BACKOFF, SEED, NO_START=1, KEEP_CLUSTER=1,\n"
                                       "GATEWAY_URLS, REPORT_JSON. cluster.sh settings (SILOS, GATEWAYS, ports, ...) pass through.\n"
                                       "Exit: 0 nothing acknowledged lost, 1 something was, 2 no verdict (setup or read-back failed), 130 interrupted.")
    p.add_argument("--duration", type=float, default=env("DURATION", 60.0), help="seconds of write load [60]")
    p.add_argument("--concurrency", type=int, default=env("CONCURRENCY", 16), help="concurrent writers, one user each [16]")
    p.add_argument("--interval", type=float, default=env("INTERVAL", 10.0), help="seconds between kills; 0 disables chaos [10]")
    p.add_argument("--restart-delay", type=float, default=env("RESTART_DELAY", 3.0), help="seconds from a kill to the restart [3]")
    p.add_argument("--min-alive", type=int, default=env("MIN_ALIVE", 2), help="never kill below this many running targets [2]")
    p.add_argument("--target", choices=["silo", "gateway"], default=env("CHAOS_TARGET", "silo"), help="what to kill [silo]")
    p.add_argument("--signal", choices=["kill", "term"], default=env("CHAOS_SIGNAL", "kill"),
                   help="kill: SIGKILL, a crash; term: SIGTERM, a graceful leave (cluster.sh stop-*, which waits for the exit) [kill]")
    p.add_argument("--request-timeout", type=float, default=env("REQUEST_TIMEOUT", 10.0), help="seconds before a request counts as failed [10]")
    p.add_argument("--failure-backoff", type=float, default=env("FAILURE_BACKOFF", 0.05), help="seconds a worker pauses after a failure [0.05]")
    p.add_argument("--seed", type=int, default=env("SEED", None), help="random seed for the choice of victims")
    p.add_argument("--no-start", action="store_true", default=env("NO_START", "0") == "1",
                   help="use a running cluster (cluster.sh state, or --gateways) and leave it running")
    p.add_argument("--keep-cluster", action="store_true", default=env("KEEP_CLUSTER", "0") == "1",
                   help="leave the cluster this run started running")
    p.add_argument("--gateways", default=env("GATEWAY_URLS", ""), help="comma-separated gateway URLs (default: from cluster.sh)")
    p.add_argument("--json", dest="json_path", default=env("REPORT_JSON", ""), help="also write the report as JSON to this file")
    args = p.parse_args()
    if args.concurrency < 1 or args.duration <= 0:
        p.error("--concurrency must be >= 1 and --duration > 0")
    return args


def log(start: float | None, message: str) -> None:
    stamp = f"[{time.monotonic() - start:7.2f}s] " if start is not None else ""
    print(f"{stamp}{message}", flush=True)


# ---------------------------------------------------------------- HTTP


class Abort(Exception):
    """The run cannot go on (no gateways, users cannot sign in): exit 2, not a verdict on durability."""


class Disconnected(ConnectionError):
    """The gateway closed the connection before a whole response arrived."""


class Http:
    """
    A lean HTTP/1.1 client: one keep-alive connection to one gateway, reopened after any failure.
    http.client costs ~5x more CPU per request, enough to steal a real share of a 2-core machine
    from the cluster under test; this one spends ~30 us per request.
    """

    def __init__(self, base_url: str, timeout: float):
        parts = urlsplit(base_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.timeout = timeout
        self.sock: socket.socket | None = None
        self.reader = None
        self.host_header = f"Host: {self.host}:{self.port}\r\n".encode()

    def close(self) -> None:
        for closable in (self.reader, self.sock):
            if closable is not None:
                try:
                    closable.close()
                except OSError:
                    pass
        self.sock = self.reader = None

    def request(self, method: str, path: str, body=None, token: str | None = None) -> tuple[int, object]:
        """Returns (status, parsed JSON or None). Raises OSError (timeouts included) on transport failure."""
        head = [f"{method} {path} HTTP/1.1\r\n".encode(), self.host_header, b"Accept: application/json\r\n"]
        data = b""
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode()
            head.append(b"Content-Type: application/json\r\nContent-Length: %d\r\n" % len(data))
        if token:
            head.append(b"Authorization: Bearer " + token.encode() + b"\r\n")
        head.append(b"\r\n")
        try:
            if self.sock is None:
                self.sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self.reader = self.sock.makefile("rb")
            self.sock.sendall(b"".join(head) + data)
            status, raw, close = self._read_response()
            if close:
                self.close()
        except BaseException:
            self.close()
            raise
        parsed = None
        if raw:
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = None
        return status, parsed

    def _line(self) -> bytes:
        line = self.reader.readline(65537)
        if not line.endswith(b"\n"):
            raise Disconnected("connection closed mid-response")
        return line

    def _read_response(self) -> tuple[int, bytes, bool]:
        status_line = self._line().split(None, 2)
        if len(status_line) < 2 or not status_line[0].startswith(b"HTTP/1."):
            raise Disconnected(f"not an HTTP response: {status_line!r}")
        status = int(status_line[1])
        length, chunked, close = None, False, status_line[0] == b"HTTP/1.0"
        while True:
            line = self._line()
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                close = b"close" in value.lower()
        if chunked:
            parts = []
            while True:
                size = int(self._line().split(b";", 1)[0], 16)
                if size == 0:
                    while self._line() not in (b"\r\n", b"\n"):  # trailers
                        pass
                    break
                chunk = self.reader.read(size + 2)
                if len(chunk) != size + 2:
                    raise Disconnected("connection closed mid-chunk")
                parts.append(chunk[:-2])
            raw = b"".join(parts)
        elif length is not None:
            raw = self.reader.read(length)
            if len(raw) != length:
                raise Disconnected("connection closed mid-body")
        elif status in (204, 304) or 100 <= status < 200:
            raw = b""
        else:
            raw, close = self.reader.read(), True
        return status, raw, close


TRANSPORT_ERRORS = (OSError, ValueError)  # ValueError: a garbled status line or length


def error_kind(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError) or "timed out" in str(exc):
        return "timeout"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, (ConnectionResetError, BrokenPipeError, Disconnected)):
        return "connection reset"
    return type(exc).__name__


# ---------------------------------------------------------------- cluster control


class Cluster:
    """Runs deploy/local/cluster.sh. After close() no new command starts and a running one is ended."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.started = False
        self.closed = False
        self.lock = threading.Lock()
        self.children: set[subprocess.Popen] = set()

    def run(self, *command: str, check: bool = True, capture: bool = False, extra_env: dict | None = None) -> subprocess.CompletedProcess:
        """Runs cluster.sh; with capture, its stdout and stderr come back together in .stdout instead of the terminal."""
        environment = dict(os.environ)
        environment.update(extra_env or {})
        with self.lock:
            if self.closed:
                raise Abort(f"cluster.sh {' '.join(command)}: the run is being stopped")
            child = subprocess.Popen(["bash", CLUSTER_SH, *command], env=environment, text=True,
                                     stdout=subprocess.PIPE if capture else None,
                                     stderr=subprocess.STDOUT if capture else None, stdin=subprocess.DEVNULL)
            self.children.add(child)
        try:
            output, _ = child.communicate()
        finally:
            with self.lock:
                self.children.discard(child)
        if check and child.returncode != 0:
            raise subprocess.CalledProcessError(child.returncode, ["cluster.sh", *command], output)
        return subprocess.CompletedProcess(child.args, child.returncode, output)

    def start(self) -> None:
        self.started = True  # even a failed start leaves something for stop to clean up
        self.run("start", extra_env={"OWNER_PID": str(os.getpid())})

    def facts(self) -> dict:
        output = subprocess.run(["bash", CLUSTER_SH, "env"], check=True, text=True, stdout=subprocess.PIPE,
                                stdin=subprocess.DEVNULL).stdout
        return dict(line.split("=", 1) for line in output.splitlines() if "=" in line)

    def close(self) -> None:
        """Ends a kill/start still running (an interrupted run), then stops the cluster if this run started it."""
        with self.lock:
            self.closed = True
            children = list(self.children)
        for child in children:
            if child.poll() is None:
                child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if children:
            time.sleep(0.5)  # a process launched just before has written its pid file by now
        if self.started and not self.args.keep_cluster:
            self.started = False
            subprocess.run(["bash", CLUSTER_SH, "stop"], check=False, stdin=subprocess.DEVNULL)
        elif children and self.args.no_start:
            print(f"note: a {self.args.target} may still be down: deploy/local/cluster.sh status", file=sys.stderr)


SIGNALS = {"kill": ("SIGKILL", "kill"), "term": ("SIGTERM", "stop")}  # --signal -> (name, cluster.sh verb)


class Chaos(threading.Thread):
    """Every INTERVAL seconds SIGKILLs (or SIGTERMs) a random running target and restarts it RESTART_DELAY later."""

    def __init__(self, cluster: Cluster, count: int, args: argparse.Namespace, start: float, end: float, stop: threading.Event):
        super().__init__(name="chaos", daemon=True)
        self.cluster, self.count, self.args, self.t0, self.end, self.stop = cluster, count, args, start, end, stop
        self.random = random.Random(args.seed)
        self.down: set[int] = set()
        self.events: list[dict] = []
        self.errors: list[str] = []

    def run(self) -> None:
        try:
            self.loop()
        except Abort:
            pass  # interrupted: the main thread is stopping the cluster

    def loop(self) -> None:
        next_kill = self.t0 + self.args.interval
        while not self.stop.wait(max(0.0, next_kill - time.monotonic())):
            if time.monotonic() >= self.end:
                break
            next_kill += self.args.interval
            alive = [n for n in range(1, self.count + 1) if n not in self.down]
            if len(alive) - 1 < self.args.min_alive:
                log(self.t0, f"chaos: skip kill, only {len(alive)} {self.args.target}(s) running (MIN_ALIVE={self.args.min_alive})")
                continue
            victim = self.random.choice(alive)
            signal_name, verb = SIGNALS[self.args.signal]
            killed_at = time.monotonic()
            # kill-* returns at once; stop-* returns once the process has left and exited.
            result = self.cluster.run(f"{verb}-{self.args.target}", str(victim), check=False, capture=True)
            if result.returncode != 0:
                self.errors.append(f"{verb}-{self.args.target} {victim} failed")
                log(self.t0, f"chaos: {verb}-{self.args.target} {victim} FAILED:\n{result.stdout}")
                continue
            self.down.add(victim)
            exited = time.monotonic() - killed_at
            log(self.t0, f"chaos: {signal_name} {self.args.target}-{victim}"
                         + (f", exited after {exited:.1f}s" if self.args.signal == "term" else ""))
            event = {"target": f"{self.args.target}-{victim}", "signal": signal_name, "killed_at": killed_at - self.t0}
            if self.args.signal == "term":
                event["exited_after"] = exited
            self.events.append(event)
            # The restart happens even when the load has ended, so the read-back sees a whole cluster.
            time.sleep(max(0.0, killed_at + self.args.restart_delay - time.monotonic()))
            self.restart(victim, event)

    def restart(self, victim: int, event: dict) -> None:
        begun = time.monotonic()
        result = self.cluster.run(f"start-{self.args.target}", str(victim), check=False, capture=True)
        ready = time.monotonic()
        if result.returncode == 0:
            self.down.discard(victim)
            event["restarted_at"] = begun - self.t0
            event["ready_after"] = ready - begun
            log(self.t0, f"chaos: {self.args.target}-{victim} restarted, ready after {ready - begun:.1f}s")
        else:
            self.errors.append(f"start-{self.args.target} {victim} failed")
            log(self.t0, f"chaos: restart of {self.args.target}-{victim} FAILED:\n{result.stdout}")

    def restore(self) -> None:
        """After the load: bring back anything still down (a restart that failed)."""
        for victim in sorted(self.down):
            self.restart(victim, {"target": f"{self.args.target}-{victim}", "killed_at": None})


class MembershipWatch(threading.Thread):
    """
    Polls Orleans' membership table (OrleansMembershipTable in the cluster's PostgreSQL) through one
    long-lived psql, to tell when each killed silo was declared dead and when its successor became
    Active. Best effort: without psql, or on any error, the report just leaves those figures out.
    """

    DEAD, ACTIVE = 6, 3  # Orleans' SiloStatus values
    QUERY = "SELECT port, generation, status FROM orleansmembershiptable;"

    def __init__(self, psql: str, database_url: str, t0: float, stop: threading.Event, period: float = 0.2):
        super().__init__(name="membership", daemon=True)
        self.psql, self.database_url, self.t0, self.stop, self.period = psql, database_url, t0, stop, period
        # (port, generation) -> {status: first time seen, seconds from t0}
        self.seen: dict[tuple[int, int], dict[int, float]] = {}
        self.error = ""
        self.lock = threading.Lock()

    def run(self) -> None:
        try:
            child = subprocess.Popen([self.psql, "-X", "-q", "-A", "-t", "-F", " ", self.database_url],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        except OSError as exc:
            self.error = f"psql: {exc}"
            return
        try:
            while not self.stop.is_set():
                child.stdin.write(self.QUERY + "\n\\echo __end__\n")
                child.stdin.flush()
                now = time.monotonic() - self.t0
                while True:
                    line = child.stdout.readline()
                    if not line:
                        self.error = f"psql ended (exit {child.wait()})"
                        return
                    line = line.strip()
                    if line == "__end__":
                        break
                    parts = line.split()
                    if len(parts) == 3 and all(p.lstrip("-").isdigit() for p in parts):
                        port, generation, status = map(int, parts)
                        with self.lock:
                            self.seen.setdefault((port, generation), {}).setdefault(status, now)
                self.stop.wait(self.period)
        except (OSError, ValueError) as exc:
            self.error = f"membership watch: {exc}"
        finally:
            try:
                child.stdin.close()
            except OSError:
                pass
            child.terminate()
            try:
                child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                child.kill()

    def annotate(self, kills: list[dict], port_of) -> None:
        """Adds declared_dead_after (seconds from the kill) and active_again_at to each silo kill it can match."""
        with self.lock:
            seen = {key: dict(value) for key, value in self.seen.items()}
        for event in kills:
            if event.get("killed_at") is None or not event["target"].startswith("silo-"):
                continue
            port = port_of(int(event["target"].split("-", 1)[1]))
            killed = event["killed_at"]
            # The generation that was Active when the signal went out: Active seen before the kill.
            before = [(g, st) for (p, g), st in seen.items() if p == port and st.get(self.ACTIVE, 1e9) <= killed]
            if before:
                _, statuses = max(before, key=lambda item: item[0])
                if self.DEAD in statuses and statuses[self.DEAD] >= killed:
                    event["declared_dead_after"] = statuses[self.DEAD] - killed
            after = [st[self.ACTIVE] for (p, g), st in seen.items() if p == port and st.get(self.ACTIVE, -1) > killed]
            if after:
                event["active_again_at"] = min(after)


# ---------------------------------------------------------------- load


@dataclass
class Worker:
    index: int
    base_url: str
    email: str
    token: str = ""
    # Texts are not kept (memory on long runs): entry_text() rebuilds one from its sequence number.
    acked: list = field(default_factory=list)       # (id, sequence, mood, latency_s, completed_at)
    failed: list = field(default_factory=list)      # (kind, started_at, latency_s, sequence)
    rejected: dict = field(default_factory=dict)    # 4xx status -> count
    # Longest run of consecutive failed writes: from the start of its first request to the end of the
    # next acknowledged write (or the end of the load when none came).
    streak_start: float | None = None
    streak_requests: int = 0
    longest_outage: float = 0.0
    longest_outage_at: float = 0.0
    longest_outage_requests: int = 0
    unrecovered: bool = False
    sequence: int = 0


def entry_text(run_id: str, worker: int, sequence: int) -> str:
    """Unique per write: run id, writer, sequence number."""
    return f"chaos {run_id} w{worker} #{sequence}"


def sign_in(http: Http, worker: Worker, deadline: float) -> None:
    """Register (if needed) and sign in, retrying while the cluster is unavailable: nothing is written here."""
    registered = False
    last = ""
    while time.monotonic() < deadline:
        try:
            if not registered:
                status, body = http.request("POST", "/api/v1/auth/register", {
                    "email": worker.email, "password": PASSWORD, "displayName": f"Chaos {worker.index}", "timeZone": "UTC"})
                if status in (201, 409):  # 409: an earlier attempt that failed on our side did register
                    registered = True
                else:
                    last = f"register: HTTP {status} {body}"
            if registered:
                status, body = http.request("POST", "/api/v1/auth/login", {"email": worker.email, "password": PASSWORD})
                if status == 200 and isinstance(body, dict) and body.get("accessToken"):
                    worker.token = body["accessToken"]
                    return
                last = f"login: HTTP {status} {body}"
        except TRANSPORT_ERRORS as exc:
            last = f"{error_kind(exc)}: {exc}"
        time.sleep(0.5)
    raise RuntimeError(f"worker {worker.index} could not sign in at {worker.base_url}: {last}")


def write_loop(worker: Worker, args: argparse.Namespace, run_id: str, t0: float, end: float, go: threading.Event) -> None:
    http = Http(worker.base_url, args.request_timeout)
    rng = random.Random(f"{run_id}-{worker.index}")
    go.wait()
    while True:
        now = time.monotonic()
        if now >= end:
            break
        worker.sequence += 1
        text = entry_text(run_id, worker.index, worker.sequence)
        mood = rng.randint(1, 5)
        started = time.monotonic()
        kind = None
        try:
            status, body = http.request("POST", "/api/v1/entries", {"text": text, "mood": mood}, worker.token)
            if status == 201 and isinstance(body, dict) and body.get("id"):
                done = time.monotonic()
                worker.acked.append((body["id"], worker.sequence, mood, done - started, done - t0))
                if worker.streak_start is not None:
                    outage = done - worker.streak_start
                    if outage > worker.longest_outage:
                        worker.longest_outage = outage
                        worker.longest_outage_at = worker.streak_start - t0
                        worker.longest_outage_requests = worker.streak_requests
                    worker.streak_start = None
                    worker.streak_requests = 0
                continue
            if status >= 500 or status == 201:
                kind = f"HTTP {status}"
            else:
                # A 4xx is the driver's or the configuration's fault, not the cluster's: counted apart.
                worker.rejected[status] = worker.rejected.get(status, 0) + 1
                kind = f"HTTP {status}"
                if status == 401:
                    sign_in(http, worker, time.monotonic() + 60)
        except TRANSPORT_ERRORS as exc:
            kind = error_kind(exc)
        except RuntimeError as exc:  # sign-in after a 401 failed
            kind = "sign-in failed"
            log(t0, str(exc))
        failed_at = time.monotonic()
        worker.failed.append((kind, started - t0, failed_at - started, worker.sequence))
        if worker.streak_start is None:
            worker.streak_start = started
        worker.streak_requests += 1
        if args.failure_backoff > 0:
            time.sleep(args.failure_backoff)
    if worker.streak_start is not None:  # still failing when the load ended
        outage = end - worker.streak_start
        if outage > worker.longest_outage:
            worker.longest_outage = outage
            worker.longest_outage_at = worker.streak_start - t0
            worker.longest_outage_requests = worker.streak_requests
            worker.unrecovered = True
    http.close()


def progress_loop(workers: list[Worker], t0: float, end: float, stop: threading.Event) -> None:
    last_acked = 0
    last_time = t0
    while not stop.wait(5.0):
        now = time.monotonic()
        acked = sum(len(w.acked) for w in workers)
        failed = sum(len(w.failed) for w in workers)
        log(t0, f"load: {acked} acknowledged ({(acked - last_acked) / (now - last_time):.0f}/s), {failed} failed")
        last_acked, last_time = acked, now
        if now >= end:
            break


# ---------------------------------------------------------------- read back


def read_back(worker: Worker, urls: list[str], args: argparse.Namespace) -> dict:
    """All of this user's entries, id -> entry. Reads are idempotent, so they are retried (other gateway too)."""
    deadline = time.monotonic() + 120
    attempt = 0
    while True:
        url = urls[(worker.index + attempt) % len(urls)]
        http = Http(url, max(args.request_timeout, 30.0))
        try:
            entries: dict = {}
            cursor = None
            while True:
                query = {"limit": "100"}
                if cursor:
                    query["cursor"] = cursor
                status, body = http.request("GET", "/api/v1/entries?" + urlencode(query), token=worker.token)
                if status == 401:
                    sign_in(http, worker, time.monotonic() + 60)
                    raise RuntimeError("token expired; signed in again")
                if status != 200 or not isinstance(body, dict):
                    raise RuntimeError(f"GET /api/v1/entries: HTTP {status} {body}")
                for item in body.get("items", []):
                    if item["id"] in entries:
                        entries.setdefault("__repeated__", []).append(item["id"])
                    entries[item["id"]] = item
                cursor = body.get("nextCursor")
                if not cursor:
                    return entries
        except (RuntimeError, *TRANSPORT_ERRORS) as exc:
            attempt += 1
            if time.monotonic() > deadline:
                raise RuntimeError(f"read-back of worker {worker.index} failed: {exc}") from exc
            time.sleep(min(2.0, 0.2 * attempt))
        finally:
            http.close()


def get_one(worker: Worker, urls: list[str], entry_id: str, args: argparse.Namespace) -> str:
    """GET /api/v1/entries/{id}: the status, or the last transport error after a few tries."""
    last = ""
    for attempt in range(5):
        http = Http(urls[attempt % len(urls)], max(args.request_timeout, 30.0))
        try:
            status, _ = http.request("GET", f"/api/v1/entries/{entry_id}", token=worker.token)
            if status < 500:
                return str(status)
            last = f"HTTP {status}"
        except TRANSPORT_ERRORS as exc:
            last = error_kind(exc)
        finally:
            http.close()
        time.sleep(0.5 * (attempt + 1))
    return last


# ---------------------------------------------------------------- report


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    rank = max(1, int(-(-p * len(sorted_values) // 100)))  # nearest rank
    return sorted_values[min(rank, len(sorted_values)) - 1]


def longest_gap(times, duration: float) -> tuple[float, float]:
    """Longest interval without an event in [0, duration] (both edges count): (length, start)."""
    best, best_at, previous = 0.0, 0.0, 0.0
    for t in sorted(t for t in times if t <= duration) + [duration]:
        if t - previous > best:
            best, best_at = t - previous, previous
        previous = t
    return best, best_at


def events_during(kills: list[dict], start: float, length: float) -> str:
    """The kills and restarts (silo ready again) within [start - 0.5 s, start + length], for the report."""
    events = []
    for k in kills:
        if k.get("killed_at") is not None:
            events.append((k["killed_at"], f"{k.get('signal', 'SIGKILL')} {k['target']}"))
        if "ready_after" in k:
            events.append((k["restarted_at"] + k["ready_after"], f"{k['target']} ready again"))
    inside = [f"{what} at {t:.2f}s" for t, what in sorted(events) if start - 0.5 <= t <= start + length]
    if not kills:
        return ""
    return "; during it: " + ", ".join(inside) if inside else "; no kill or restart during it"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def run(args: argparse.Namespace, cluster: Cluster) -> int:
    urls = [u.strip().rstrip("/") for u in args.gateways.split(",") if u.strip()]
    targets = 0
    if not args.no_start:
        log(None, "starting the cluster (deploy/local/cluster.sh start)")
        cluster.start()
    facts: dict = {}
    if not urls or not args.no_start or args.interval > 0:
        try:
            facts = cluster.facts()
        except subprocess.CalledProcessError:
            facts = {}
        if not urls:
            urls = [u for u in facts.get("GATEWAY_URLS", "").split(",") if u]
        targets = int(facts.get("SILOS" if args.target == "silo" else "GATEWAYS", "0") or 0)
    if not urls:
        raise Abort("no gateway URLs: start a cluster, or pass --gateways")

    run_id = uuid.uuid4().hex[:8]
    chaos_on = args.interval > 0 and targets > 0
    log(None, f"run {run_id}: {args.concurrency} writers on {', '.join(urls)} for {args.duration:.0f}s; "
              + (f"{SIGNALS[args.signal][0]} a random {args.target} every {args.interval:.0f}s, restart after {args.restart_delay:.0f}s, "
                 f"keep >= {args.min_alive} of {targets} running" if chaos_on else "no chaos"
                 + (" (no silos to kill: SILOS=0)" if args.interval > 0 and targets == 0 else "")))

    workers = [Worker(i, urls[i % len(urls)], f"chaos-{run_id}-{i}@example.com") for i in range(args.concurrency)]
    setup_deadline = time.monotonic() + 120
    errors: list[BaseException] = []

    def setup(w: Worker) -> None:
        try:
            sign_in(Http(w.base_url, args.request_timeout), w, setup_deadline)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=setup, args=(w,), daemon=True) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise Abort(f"sign-in failed: {errors[0]}")
    log(None, f"{len(workers)} users registered and signed in")

    cpu0 = os.times()
    go = threading.Event()
    t0 = time.monotonic()
    end = t0 + args.duration
    threads = [threading.Thread(target=write_loop, args=(w, args, run_id, t0, end, go), daemon=True, name=f"w{w.index}")
               for w in workers]
    for t in threads:
        t.start()
    stop = threading.Event()
    chaos = Chaos(cluster, targets, args, t0, end, stop) if chaos_on else None
    watch, watch_stop = None, threading.Event()
    if chaos and args.target == "silo" and facts.get("DATABASE_URL") and facts.get("PSQL"):
        watch = MembershipWatch(facts["PSQL"], facts["DATABASE_URL"], t0, watch_stop)
        watch.start()
    go.set()
    if chaos:
        chaos.start()
    progress = threading.Thread(target=progress_loop, args=(workers, t0, end, stop), daemon=True)
    progress.start()
    for t in threads:
        t.join()
    load_seconds = time.monotonic() - t0
    cpu1 = os.times()
    stop.set()
    log(t0, "load finished")
    if chaos:
        chaos.join()  # waits for a pending restart
        chaos.restore()
    watch_stop.set()  # after the last restart, so a late kill's death and rejoin are seen too

    # ---- read back
    log(t0, "reading back every user's entries")
    stored: dict[int, dict] = {}

    def fetch(w: Worker) -> None:
        try:
            stored[w.index] = read_back(w, urls, args)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=fetch, args=(w,), daemon=True) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        log(t0, f"READ-BACK FAILED: {errors[0]}")
        return 2

    acked_total = found = lost = mismatched = listed_only_by_id = 0
    stored_failed = unknown = repeated = 0
    lost_examples: list[str] = []
    texts_seen: dict[str, int] = {}
    for w in workers:
        entries = stored[w.index]
        repeated += len(entries.pop("__repeated__", []))
        by_text: dict[str, int] = {}
        for item in entries.values():
            by_text[item.get("text")] = by_text.get(item.get("text"), 0) + 1
        for text, n in by_text.items():
            if n > 1:
                texts_seen[text] = n
        acked_ids = set()
        for entry_id, sequence, mood, _, completed in w.acked:
            text = entry_text(run_id, w.index, sequence)
            acked_total += 1
            acked_ids.add(entry_id)
            item = entries.get(entry_id)
            if item is None:
                # Not in the list: ask for it by id, to tell a lost write from a listing bug.
                status = get_one(w, urls, entry_id, args)
                if status == "200":
                    listed_only_by_id += 1
                    lost_examples.append(f"{entry_id} ({w.email}) is not listed but GET by id finds it")
                else:
                    lost += 1
                    lost_examples.append(f"{entry_id} ({w.email}, acknowledged at {completed:.2f}s) is gone: GET by id -> {status}")
            elif item.get("text") != text or item.get("mood") != mood:
                mismatched += 1
                lost_examples.append(f"{entry_id} ({w.email}) stored as {item.get('text')!r}/{item.get('mood')} but acknowledged as {text!r}/{mood}")
            else:
                found += 1
        failed_texts = {entry_text(run_id, w.index, f[3]) for f in w.failed}
        for entry_id, item in entries.items():
            if entry_id in acked_ids:
                continue
            if item.get("text") in failed_texts:
                stored_failed += 1
            else:
                unknown += 1
    duplicated = sum(n - 1 for n in texts_seen.values())

    # ---- numbers
    latencies = sorted(a[3] for w in workers for a in w.acked)
    failures = [f for w in workers for f in w.failed]
    kinds: dict[str, int] = {}
    for f in failures:
        kinds[f[0]] = kinds.get(f[0], 0) + 1
    rejected: dict[int, int] = {}
    for w in workers:
        for status, n in w.rejected.items():
            rejected[status] = rejected.get(status, 0) + n

    worst = max(workers, key=lambda w: w.longest_outage)
    # Gaps between acknowledgements, over the time writers were sending (0 .. DURATION): writes still
    # in flight at the end may complete later, and that tail is not unavailability.
    cluster_gap, cluster_gap_at = longest_gap((a[4] for w in workers for a in w.acked), args.duration)
    stall, stall_at, stall_worker = 0.0, 0.0, workers[0]
    for w in workers:
        gap, at = longest_gap((a[4] for a in w.acked), args.duration)
        if gap > stall:
            stall, stall_at, stall_worker = gap, at, w

    cpu_seconds = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    passed = lost == 0 and mismatched == 0 and listed_only_by_id == 0 and duplicated == 0 and repeated == 0 and unknown == 0
    kills = chaos.events if chaos else []
    if watch:
        watch.join(timeout=5)
        base = int(facts.get("SILO_PORT_BASE", "11111") or 11111)
        watch.annotate(kills, lambda n: base + n - 1)
    dead_after = [e["declared_dead_after"] for e in kills if "declared_dead_after" in e]

    print()
    print("=" * 72)
    print(f"chaos run {run_id}: {len(workers)} writers, {load_seconds:.1f}s of load on {len(urls)} gateway(s)")
    if chaos:
        ready = [e["ready_after"] for e in kills if "ready_after" in e]
        print(f"  kills:                      {len(kills)} x {SIGNALS[args.signal][0]} {args.target}"
              + (f", restarted {args.restart_delay:.0f}s later, ready after {min(ready):.1f}-{max(ready):.1f}s" if ready else ""))
        for e in kills:
            print(f"    {e['killed_at']:7.2f}s  {e['target']}"
                  + (f"  exited after {e['exited_after']:.2f}s" if "exited_after" in e else "")
                  + (f"  declared dead after {e['declared_dead_after']:.2f}s" if "declared_dead_after" in e else "")
                  + (f"  (ready again at {e['restarted_at'] + e['ready_after']:.2f}s)" if "ready_after" in e else "  (NOT restarted)"))
        if dead_after:
            print(f"  declared dead (membership): {min(dead_after):.2f}-{max(dead_after):.2f}s after the signal"
                  f" ({len(dead_after)} of {len(kills)} seen; polled every {watch.period:.1f}s)")
        elif watch and watch.error:
            print(f"  declared dead (membership): not measured ({watch.error})")
        if chaos.errors:
            print(f"  chaos errors:               {'; '.join(chaos.errors)}")
    print(f"  writes attempted:           {acked_total + len(failures)}")
    print(f"  acknowledged (201):         {acked_total}  ({acked_total / load_seconds:.0f}/s)")
    print(f"  found on read-back:         {found}")
    print(f"  LOST (acked, not found):    {lost}")
    if mismatched or listed_only_by_id:
        print(f"  wrong content:              {mismatched}")
        print(f"  missing from list only:     {listed_only_by_id}")
    for line in lost_examples[:10]:
        print(f"    {line}")
    print(f"  failed writes:              {len(failures)}" + (f"  ({', '.join(f'{k}: {n}' for k, n in sorted(kinds.items()))})" if kinds else ""))
    if rejected:
        print(f"  of which 4xx (driver/config): {', '.join(f'{s}: {n}' for s, n in sorted(rejected.items()))}")
    print(f"  failed but stored anyway:   {stored_failed}  (outcome unknown to the client; allowed)")
    print(f"  duplicated / unknown:       {duplicated} / {unknown}" + (f"  (+{repeated} ids repeated across pages)" if repeated else ""))
    print(f"  write latency (201):        p50 {ms(percentile(latencies, 50))}, p99 {ms(percentile(latencies, 99))}, max {ms(latencies[-1]) if latencies else 'n/a'}")
    if failures:
        fl = sorted(f[2] for f in failures)
        print(f"  failed-write latency:       p50 {ms(percentile(fl, 50))}, max {ms(fl[-1])}")
    print(f"  longest worker outage:      {worst.longest_outage:.2f}s  (worker {worst.index} from {worst.longest_outage_at:.2f}s: "
          f"{worst.longest_outage_requests} failed request(s) in a row{', never recovered' if worst.unrecovered else ''}"
          f"{events_during(kills, worst.longest_outage_at, worst.longest_outage)})")
    print(f"  longest worker wait:        {stall:.2f}s  (worker {stall_worker.index} from {stall_at:.2f}s: no 201, whether failing or slow"
          f"{events_during(kills, stall_at, stall)})")
    print(f"  longest cluster-wide gap:   {cluster_gap:.2f}s  (from {cluster_gap_at:.2f}s: no 201 on any writer"
          f"{events_during(kills, cluster_gap_at, cluster_gap)})")
    print(f"  driver CPU:                 {cpu_seconds:.1f}s over {load_seconds:.1f}s = {100 * cpu_seconds / load_seconds:.0f}% of one core"
          + ("  (high: the driver may be the bottleneck)" if cpu_seconds / load_seconds > 0.8 else ""))
    print("=" * 72)
    summary = (f"CHAOS {'PASS' if passed else 'FAIL'}: acked={acked_total} found={found} lost={lost} "
               f"failed={len(failures)} kills={len(kills)} p50={percentile(latencies, 50) * 1000:.1f}ms "
               f"p99={percentile(latencies, 99) * 1000:.1f}ms worker_outage={worst.longest_outage:.2f}s worker_wait={stall:.2f}s "
               f"cluster_gap={cluster_gap:.2f}s"
               + (f" declared_dead_max={max(dead_after):.2f}s" if dead_after else "")
               + (" signal=SIGTERM" if args.signal == "term" and chaos else ""))
    print(summary, flush=True)

    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as f:
            json.dump({
                "run_id": run_id, "passed": passed, "writers": len(workers), "gateways": urls,
                "load_seconds": load_seconds, "acknowledged": acked_total, "found": found, "lost": lost,
                "wrong_content": mismatched, "missing_from_list": listed_only_by_id, "failed": len(failures),
                "failed_by_kind": kinds, "rejected_4xx": {str(k): v for k, v in rejected.items()},
                "failed_but_stored": stored_failed, "duplicated": duplicated, "unknown": unknown,
                "p50_ms": percentile(latencies, 50) * 1000, "p99_ms": percentile(latencies, 99) * 1000,
                "longest_worker_outage_s": worst.longest_outage, "longest_worker_wait_s": stall,
                "longest_cluster_gap_s": cluster_gap, "signal": SIGNALS[args.signal][0],
                "declared_dead_max_s": max(dead_after) if dead_after else None,
                "kills": kills, "driver_cpu_percent": 100 * cpu_seconds / load_seconds, "summary": summary,
            }, f, indent=2)
    return 0 if passed else 1


def main() -> int:
    args = parse_args()
    cluster = Cluster(args)

    def on_term(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_term)
    try:
        return run(args, cluster)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr, flush=True)
        return 130
    except Abort as exc:
        print(f"chaos: {exc}", file=sys.stderr, flush=True)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"chaos: {' '.join(exc.cmd[1:])} failed (exit {exc.returncode})", file=sys.stderr, flush=True)
        return 2
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not skip the clean-up
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        cluster.close()


if __name__ == "__main__":
    sys.exit(main())
