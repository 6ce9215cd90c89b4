"""Concurrent box-office sales over HTTP against a production-settings server on loopback.

    .venv/bin/python benchmarks/box_office.py [--sellers 8] [--sales 300] [--workers 2]
        [--server "COMMAND"] [--profile FILE] [--floor] [--separate-completion] [--maps N]

Sets up (once) the organization `bench`, then for each run a fresh on-sale event, today's BCV
rate, one seller account per concurrent seller and a customer. Starts uvicorn with
project.settings.prod, and each seller loops: hold a seat with the customer (some seats are
wanted by several sellers on purpose), then "Cobrar y emitir factura" in the payment form: a cash
payment and the completion, with its idempotency key, in one request. With --separate-completion
the payment and the completion are two requests ("Agregar pago", then "Cobrar"), as when a
customer pays with several methods. Afterwards it checks the database and prints, one per line:

    sales_per_s: N
    request_ms_p95: N
    request_ms_p99: N
    double_sold: N      (seats with more than one valid ticket: must be 0)
    invoice_gaps: N     (missing numbers in the invoice sequence: must be 0)
    server_cpu_ms_per_sale: N, cores_server / cores_postgres / cores_loadgen / cores_other: N
    hold_ms_p50_p95, pay_and_complete_ms_p50_p95: N N (each step's requests; with
        --separate-completion, payments_ms_p50_p95 and complete_ms_p50_p95 instead of the last)

--maps N keeps N seat maps of the event open (websockets, in Spanish) during the run, as the
sellers' own screens would be, and prints `live_messages_per_map: N`. Without open maps the
server draws no live updates at all (core.consumers.listening_languages).

--floor measures the ceiling the framework itself sets instead: each seller holds one seat, then
sends, for each "sale", as many requests as a sale makes (two, or three with
--separate-completion) to the cheapest seller page (the customer search with two letters typed:
sign-in, organization and session through every middleware, a small fragment, no query of its
own). `sales_per_s` is then what the server would reach if a sale's requests did no more work
than that.

The machine's speed drifts a lot (a shared host): the last line, `reference_loop_ms: B A`, is the
CPU time of a fixed pure-Python loop just before and just after the run. Figures of two runs
compare only when their reference loops took about as long.
"""

import argparse
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks import use_production_settings  # noqa: E402

use_production_settings()

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from benchmarks.seatmap import bench_organization  # noqa: E402
from ticketing.accounts import services as accounts  # noqa: E402
from ticketing.accounts.roles import Role  # noqa: E402
from ticketing.customers.models import Customer  # noqa: E402
from ticketing.customers.services import create_customer  # noqa: E402
from ticketing.events.models import Event, Seat, Zone  # noqa: E402
from ticketing.events.services import save_event, save_zone  # noqa: E402
from ticketing.fiscal.models import Invoice  # noqa: E402
from ticketing.payments import services as money  # noqa: E402
from ticketing.sales.models import Ticket  # noqa: E402
from ticketing.venues.models import Venue  # noqa: E402

PASSWORD = "bench-seller-2026"


def cpu_seconds(select) -> float:
    """CPU time (user + system) of the live processes whose command line `select` accepts."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if select(pid, command):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def reference_loop_ms() -> float:
    """CPU milliseconds this machine takes, right now, for a fixed pure-Python loop."""
    started = time.process_time()
    total = 0
    for number in range(3_000_000):
        total += number
    return (time.process_time() - started) * 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(sellers: int, seats: int):
    from django.core.cache import cache
    from django.utils import timezone

    organization = bench_organization()
    with tenant_context(organization):
        venue, _ = Venue.objects.get_or_create(
            name="Bench Arena", city="Caracas", defaults={"address": "-", "capacity": 50000}
        )
        start = timezone.now() + timezone.timedelta(days=30)
        event = save_event(
            event=Event(
                venue=venue,
                name=f"Bench box office {uuid.uuid4().hex[:6]}",
                starts_at=start,
                ends_at=start + timezone.timedelta(hours=3),
                status=Event.Status.ON_SALE,
                max_seats_per_order=10,
            )
        )
        rows = max(1, seats // 50)
        save_zone(
            zone=Zone(
                event=event,
                name="Platea",
                kind=Zone.Kind.NUMBERED,
                base_price=Decimal("25"),
                rows=rows,
                seats_per_row=50,
            )
        )
        money.set_rate(
            on=money.today_in_caracas(), currency="USD", ves_per_unit=Decimal("100"), by=None, confirmed=True
        )
        customer = Customer.objects.filter(id_document="V-10000001").first() or create_customer(
            first_name="Cliente", last_name="Benchmark", id_document="V-10000001"
        )
        # allauth allows 30 sign-ins a minute from one address: runs back to back would reach it.
        cache.delete_pattern("allauth:rl:*")
        emails = []
        for index in range(sellers):
            email = f"bench-seller-{index}@bench.test"
            accounts.ensure_staff_account(
                email=email, full_name=f"Seller {index}", role=Role.SELLER, password=PASSWORD
            )
            emails.append(email)
        seat_ids = list(Seat.objects.filter(event=event).values_list("pk", flat=True))
        first_invoice = (
            Invoice.objects.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        # Fresh planner statistics, as autovacuum keeps them in production. Where it is off (it is
        # on this machine's PostgreSQL), tickets are never analyzed: completion's UPDATE of an
        # order's tickets is then planned over the whole live-seat index, and costs PostgreSQL
        # more with every run (1.5 ms a sale after 25,000 tickets instead of 0.1 ms).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return organization, event, customer, emails, seat_ids, first_invoice


class Seller:
    """One seller's browser: a keep-alive connection and its cookies. http.client rather than
    requests, because the load generator shares the 2 cores with the server: requests cost about
    five times more CPU per request, CPU the server then lacks."""

    def __init__(self, port: int, host: str, email: str):
        self.port, self.host = port, host
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.latencies: list[float] = []
        self.latencies_by_step: dict[str, list[float]] = {}
        page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = self.request(
            "POST", "/accounts/login/", {"csrfmiddlewaretoken": token, "login": email, "password": PASSWORD}
        )
        if response.status_code != 302:
            raise RuntimeError(f"login failed for {email}: {response.status_code}")

    def request(self, method: str, path: str, data: dict | None = None, headers: dict | None = None):
        headers = {"Host": self.host, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # The server closed this keep-alive connection while it sat idle (the other sellers
            # were still signing in): the request never reached it, so send it again.
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        text = response.read().decode()
        for header in response.headers.get_all("Set-Cookie") or ():
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""'):  # a deleted cookie (messages read, for one)
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return Response(response.status, text)

    def post(self, path: str, data: dict, step: str = ""):
        headers = {"X-CSRFToken": self.cookies.get("csrftoken", ""), "HX-Request": "true"}
        started = time.perf_counter()
        response = self.request("POST", path, data, headers)
        elapsed_ms = (time.perf_counter() - started) * 1000
        self.latencies.append(elapsed_ms)
        step = step or path.rstrip("/").rsplit("/", 1)[-1]  # hold, payments, complete
        self.latencies_by_step.setdefault(step, []).append(elapsed_ms)
        return response


class LiveMap:
    """An open seat map: a websocket to the event's live updates, read on a thread of its own."""

    def __init__(self, port: int, host: str, event_id: int):
        from websockets.sync.client import connect  # uvicorn[standard]'s websocket library

        self.messages = 0
        # The organization's host name in the URI (Host and Origin), over a socket to loopback.
        self.connection = connect(
            f"ws://{host}/ws/live/event-{event_id}/?lang=es",
            sock=socket.create_connection(("127.0.0.1", port)),
            origin=f"http://{host}",
        )
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        from websockets.exceptions import ConnectionClosed

        with self.connection as live:
            try:
                for _message in live:
                    self.messages += 1
            except ConnectionClosed:
                pass

    def close(self):
        self.connection.close()
        self.thread.join(timeout=5)


@dataclass
class Response:
    status_code: int
    text: str


def run(args) -> None:
    organization, event, customer, emails, seat_ids, first_invoice = prepare(args.sellers, args.sales * 2)
    port = free_port()
    host = f"{organization.slug}.localhost:{port}"
    env = dict(os.environ, SITE_PORT=str(port))
    # Production serves hashed, compressed static files: they must be collected first.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "project.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(args.workers),
        # uvicorn[standard]'s C event loop and HTTP parser: the server shares 2 cores with us.
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
        # As the Procfile: channels-redis can leave a closed map's consumer hanging (test_server_stop).
        "--timeout-graceful-shutdown",
        "5",
    ]
    if args.server:  # another server to compare, e.g. "gunicorn project.wsgi -b 127.0.0.1:{port}"
        command = args.server.format(port=port, workers=args.workers).split()
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        # The first worker answers while the others still boot (about 1.6 s each here); sellers
        # keep their connection, so connecting now would give every seller to that one worker
        # and leave a core idle for the whole run.
        time.sleep(3)
        sellers = [Seller(port, host, email) for email in emails]
        pool = list(seat_ids)
        random.shuffle(pool)
        lock = threading.Lock()
        sold = [0]

        def take_seat() -> int | None:
            with lock:
                if sold[0] >= args.sales or not pool:
                    return None
                # One in five picks a seat someone may be holding: the contention is deliberate.
                return random.choice(pool[:20]) if random.random() < 0.2 else pool.pop()

        requests_per_sale = 3 if args.separate_completion else 2

        def floor(seller: Seller):
            while take_seat() is not None:
                for _ in range(requests_per_sale):
                    started = time.perf_counter()
                    seller.request("GET", "/panel/customers/search/?q=ab", headers={"HX-Request": "true"})
                    seller.latencies.append((time.perf_counter() - started) * 1000)
                with lock:
                    sold[0] += 1

        def work(seller: Seller):
            while (seat := take_seat()) is not None:
                hold = seller.post(
                    f"/panel/sales/events/{event.pk}/hold/", {"seat": seat, "customer": customer.pk}
                )
                if hold.status_code != 200:
                    continue
                order_id = re.search(r"/panel/sales/orders/([0-9a-f-]{36})/payments/", hold.text).group(1)
                payment = {"method": "cash_usd", "payment-amount": "100", "customer": customer.pk}
                completion = {"completion_key": str(uuid.uuid4()), "customer": customer.pk}
                if args.separate_completion:
                    seller.post(f"/panel/sales/orders/{order_id}/payments/", payment)
                    done = seller.post(f"/panel/sales/orders/{order_id}/complete/", completion)
                else:  # "Cobrar y emitir factura" in the payment form
                    done = seller.post(
                        f"/panel/sales/orders/{order_id}/payments/",
                        {**payment, **completion, "then": "complete"},
                        step="pay_and_complete",
                    )
                if done.status_code == 204:
                    with lock:
                        sold[0] += 1
                # A browser follows HX-Redirect to the sale's page, which shows and consumes the
                # "sale completed" message; unread, the messages cookie would grow with every sale
                # and then spill into the session, a cost no real counter pays.
                seller.cookies.pop("messages", None)

        threads = [
            threading.Thread(target=floor if args.floor else work, args=(seller,)) for seller in sellers
        ]
        maps = [LiveMap(port, host, event.pk) for _ in range(args.maps)]
        profiler = None
        if args.profile:
            # Collapsed stacks of every server process, sampling only the thread that holds the
            # GIL: with WEB_THREADS per process, threads waiting for it would pass for work.
            # py-spy is not a project dependency (`.venv/bin/pip install py-spy`), and it slows
            # the server down: the figures of a profiled run are not comparable with others.
            profiler = subprocess.Popen(
                ["py-spy", "record", "--subprocesses", "--gil", "--format", "raw", "--rate", "100"]
                + ["--pid", str(server.pid), "--output", args.profile],
                stdout=subprocess.DEVNULL,
            )
            time.sleep(1)
        server_pids = {str(server.pid)} | set(
            subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
        )
        groups = {
            "server": lambda pid, command: pid in server_pids,
            "postgres": lambda pid, command: command.startswith("postgres"),
            "loadgen": lambda pid, command: pid == str(os.getpid()),
            "everything": lambda pid, command: True,
        }
        # Each server process is bound by its GIL to about one core: how the sellers' keep-alive
        # connections fall on the processes shows here.
        workers = subprocess.run(
            ["pgrep", "-P", str(server.pid), "-f", "spawn_main"], capture_output=True, text=True
        )
        for pid in workers.stdout.split():
            groups[f"worker {pid}"] = lambda candidate, command, pid=pid: candidate == pid
        reference_before = reference_loop_ms()
        cpu_before = {name: cpu_seconds(select) for name, select in groups.items()}
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        time.sleep(0.5)  # the last coalesced update
        for live_map in maps:
            live_map.close()
        cpu = {name: (cpu_seconds(select) - cpu_before[name]) / elapsed for name, select in groups.items()}
        reference_after = reference_loop_ms()
        if profiler is not None:
            profiler.send_signal(2)
            profiler.wait(timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=20)

    latencies = sorted(ms for seller in sellers for ms in seller.latencies)
    connection.close()
    with tenant_context(organization):
        double_sold = (
            Ticket.objects.filter(event=event, status=Ticket.Status.VALID, seat__isnull=False)
            .values("seat")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )
        numbers = sorted(Invoice.objects.filter(number__gte=first_invoice).values_list("number", flat=True))
    gaps = (numbers[-1] - numbers[0] + 1 - len(numbers)) if numbers else 0
    print(f"sales_per_s: {sold[0] / elapsed:.1f}")
    print(f"request_ms_p95: {statistics.quantiles(latencies, n=100)[94]:.1f}")
    print(f"request_ms_p99: {statistics.quantiles(latencies, n=100)[98]:.1f}")
    print(f"double_sold: {double_sold}")
    print(f"invoice_gaps: {gaps}")
    # Where the two cores went during the run (1.0 = one core busy the whole run), and the server's
    # CPU per completed sale: steadier than sales_per_s when something else shares the machine.
    print(f"server_cpu_ms_per_sale: {cpu['server'] * elapsed * 1000 / max(sold[0], 1):.0f}")
    print(f"cores_server: {cpu['server']:.2f}")
    print(f"cores_postgres: {cpu['postgres']:.2f}")
    print(f"cores_loadgen: {cpu['loadgen']:.2f}")
    print(f"cores_other: {cpu['everything'] - cpu['server'] - cpu['postgres'] - cpu['loadgen']:.2f}")
    workers = sorted((value for name, value in cpu.items() if name.startswith("worker ")), reverse=True)
    print(f"cores_per_server_process: {' '.join(f'{value:.2f}' for value in workers)}")
    # Which step is slow: the median and p95 of each kind of request.
    for step in ("hold", "payments", "complete", "pay_and_complete"):
        times = [ms for seller in sellers for ms in seller.latencies_by_step.get(step, [])]
        if len(times) >= 2:
            p95 = statistics.quantiles(times, n=100)[94]
            print(f"{step}_ms_p50_p95: {statistics.median(times):.1f} {p95:.1f}")
    if maps:
        print(f"live_messages_per_map: {statistics.mean(live_map.messages for live_map in maps):.0f}")
    print(f"reference_loop_ms: {reference_before:.0f} {reference_after:.0f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sellers", type=int, default=8)
    parser.add_argument("--sales", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--server", default="", help="another server command; {port} and {workers} filled in")
    parser.add_argument(
        "--profile", default="", help="write a py-spy profile (raw format) of the server here"
    )
    parser.add_argument("--maps", type=int, default=0, help="open seat maps (websockets) during the run")
    parser.add_argument(
        "--floor", action="store_true", help="trivial requests in place of each sale, as many as it makes"
    )
    parser.add_argument(
        "--separate-completion",
        action="store_true",
        help='"Agregar pago", then "Cobrar" in a request of its own (three requests per sale)',
    )
    run(parser.parse_args())
