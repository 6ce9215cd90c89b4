"""CPU and queries of one box-office sale, in process: steadier than sales/s on a shared machine.

    .venv/bin/python benchmarks/sale_cpu.py [--sales 150] [--instructions] [--separate-completion]

One seller signs in with Django's test client (production settings, Redis for the cache) and
sells --sales seats one by one through the counter's requests: hold a seat with the customer,
then "Cobrar y emitir factura" with a cash payment (or, with --separate-completion, the payment
and the completion as two requests). Prints, one per line:

    cpu_ms_per_sale: N        (this thread's CPU: Python and the client side of PostgreSQL/Redis)
    queries_per_sale: H + P = N  (hold, payment and completion; SET, BEGIN and COMMIT included)

--instructions runs the loop twice under valgrind's callgrind (a few sales, then 20 more) and
prints `instructions_per_sale: N M`, the difference over 20. Counted instructions do not drift
with the machine's speed, so they compare two commits reliably; the run takes a few minutes.
PostgreSQL's own CPU is not in these figures (box_office.py measures it), nor the drawing of
live map updates, since no map is open here (box_office.py --maps).
"""

import argparse
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks import use_production_settings  # noqa: E402

WARM_UP_SALES = 5
COUNTED_SALES = 20  # the sales --instructions counts


def sell(sales: int, separate_completion: bool = False) -> None:
    use_production_settings()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import ticketing.core.live as live
    from benchmarks.box_office import PASSWORD, prepare

    # Live map updates are drawn later on the server's event loop, which the test client has
    # not got: count them as coalesced (queued), as they are under load. No map is open, so none
    # is drawn (core.consumers.listening_languages); box_office.py --maps measures the drawing.
    live._coalescing = lambda: True
    # Both --instructions runs create the same seats (rows of 50), so that creating more seats for
    # the longer run does not pass for the cost of its sales.
    organization, event, customer, emails, seat_ids, _first_invoice = prepare(
        1, max(sales, WARM_UP_SALES + COUNTED_SALES) + WARM_UP_SALES + 50
    )
    connection.set_schema_to_public()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True)
    client = Client(HTTP_HOST=f"{organization.slug}.localhost")
    if client.post("/accounts/login/", {"login": emails[0], "password": PASSWORD}).status_code != 302:
        raise RuntimeError("the benchmark seller could not sign in")
    seats = iter(seat_ids)

    def one_sale(count_queries: bool) -> list[int]:
        counts = []

        def post(path, data):
            if not count_queries:
                return client.post(path, data, HTTP_HX_REQUEST="true")
            with CaptureQueriesContext(connection) as queries:
                response = client.post(path, data, HTTP_HX_REQUEST="true")
            counts.append(len(queries.captured_queries))
            return response

        hold = post(f"/panel/sales/events/{event.pk}/hold/", {"seat": next(seats), "customer": customer.pk})
        order_id = re.search(r"/panel/sales/orders/([0-9a-f-]{36})/payments/", hold.content.decode()).group(1)
        payment = {"method": "cash_usd", "payment-amount": "100", "customer": customer.pk}
        completion = {"completion_key": str(uuid.uuid4()), "customer": customer.pk}
        if separate_completion:
            post(f"/panel/sales/orders/{order_id}/payments/", payment)
            done = post(f"/panel/sales/orders/{order_id}/complete/", completion)
        else:  # "Cobrar y emitir factura" in the payment form
            done = post(
                f"/panel/sales/orders/{order_id}/payments/", {**payment, **completion, "then": "complete"}
            )
        if done.status_code != 204:
            raise RuntimeError(f"the sale did not complete: {done.status_code}")
        # The sale's page, which the browser loads next, reads the "sale completed" message
        # (box_office.py says why this matters).
        client.cookies.pop("messages", None)
        return counts

    for _ in range(WARM_UP_SALES):
        counts = one_sale(count_queries=True)
    started = time.thread_time()
    for _ in range(sales):
        one_sale(count_queries=False)
    elapsed = time.thread_time() - started
    print(f"cpu_ms_per_sale: {elapsed * 1000 / sales:.1f}")
    print(f"queries_per_sale: {' + '.join(map(str, counts))} = {sum(counts)}")


def instructions_per_sale(separate_completion: bool) -> None:
    """callgrind's instruction count of a run with a few sales and of one with COUNTED_SALES more,
    at once (one core each); the difference is those sales, without start-up and sign-in."""
    runs = {}
    for sales in (WARM_UP_SALES, WARM_UP_SALES + COUNTED_SALES):
        out = f"/tmp/sale_cpu.callgrind.{sales}"
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, __file__]
        runs[sales] = subprocess.Popen(
            [*command, "--sales", str(sales)] + (["--separate-completion"] if separate_completion else []),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    counted = {}
    for sales, run in runs.items():
        _out, err = run.communicate()
        match = re.search(r"Collected : (\d+)", err)
        if run.returncode != 0 or match is None:
            raise RuntimeError(f"callgrind run failed:\n{err[-2000:]}")
        counted[sales] = int(match.group(1))
    per_sale = (counted[WARM_UP_SALES + COUNTED_SALES] - counted[WARM_UP_SALES]) / COUNTED_SALES
    print(f"instructions_per_sale: {per_sale / 1e6:.1f} M")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=150)
    parser.add_argument("--instructions", action="store_true", help="count instructions with callgrind")
    parser.add_argument(
        "--separate-completion", action="store_true", help="payment and completion in two requests"
    )
    args = parser.parse_args()
    if args.instructions:
        instructions_per_sale(args.separate_completion)
    else:
        sell(args.sales, args.separate_completion)
