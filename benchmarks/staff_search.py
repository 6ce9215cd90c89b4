"""The searches staff type into, over an organization's seasons of data: the customer search at the
counter (it runs at each keystroke) and the list of sales with its search (it narrows as a manager
types).

    .venv/bin/python benchmarks/staff_search.py [--customers 50000] [--sales 100000] [--verbose]

Uses (and fills once, straight in SQL) the organization `bench-search`: --customers customers with
Venezuelan names, cédulas, mobile numbers and e-mails, and --sales completed sales with their
invoices, spread over half a year and over those customers. Then its owner signs in with Django's
test client (production settings) and each search below is asked a few times. Prints, one per line:

    customer_search_ms_p50_max: N N   (the counter's search, over the typed queries below)
    sales_search_ms_p50_max: N N      (the list of sales, first page, searched the same ways)
    sales_list_ms: N                  (the list of sales, first page, no search)
    customers_list_ms: N              (the list of customers, first page, no search)

--verbose prints each query's time too. Without their indexes (core/search.py and the customers
and fiscal migrations) each search reads every customer or every sale: tens of milliseconds a
keystroke at 50,000 customers, growing with the organization.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import use_production_settings  # noqa: E402

use_production_settings()

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from benchmarks.seatmap import bench_organization  # noqa: E402
from ticketing.customers.models import Customer  # noqa: E402
from ticketing.events.models import Event  # noqa: E402
from ticketing.sales.models import Order  # noqa: E402
from ticketing.venues.models import Venue  # noqa: E402

SLUG = "bench-search"
OWNER = ("owner@bench-search.test", "bench-password-2026")
TIMES = 5  # each query, the median kept

FIRST_NAMES = [
    "María", "José", "Luis", "Ana", "Carlos", "Carmen", "Pedro", "Rosa", "Jesús", "Andreína",
    "Gabriel", "Valentina", "Ramón", "Yolanda", "Ángel", "Daniela", "Óscar", "Isabel", "Jhonny",
    "Yusmary", "Francisco", "Mariela", "Héctor", "Lucía",
]  # fmt: skip
SURNAMES = [
    "Pérez", "González", "Rodríguez", "Hernández", "García", "Martínez", "López", "Díaz",
    "Sánchez", "Romero", "Ramírez", "Torres", "Suárez", "Rojas", "Álvarez", "Mendoza", "Castillo",
    "Blanco", "Silva", "Gutiérrez", "Briceño", "Urdaneta", "Chirinos", "Colmenares", "Quintero",
    "Villalobos", "Parra", "Montilla", "Peña", "Ñáñez",
]  # fmt: skip
# What sellers and managers type: cédula prefixes and whole ones, names without accents, phones
# as written locally, e-mail fragments, and queries that find nobody.
CUSTOMER_QUERIES = [
    "V-123", "1234567", "V-12345678", "perez", "Peña", "maria rodriguez", "angel suarez", "0414",
    "0414-555", "04125551234", "gmail", "ana.diaz", "zzzz", "Ñañez",
]  # fmt: skip
SALES_QUERIES = [*CUSTOMER_QUERIES, "4521", "A-4521", "00-00004521", "99999999"]


def fill(customers: int, sales: int) -> None:
    """The organization's customers and sales, written once in SQL (services would take hours)."""
    if Customer.objects.count() >= customers and Order.objects.count() >= sales:
        return
    venue, _ = Venue.objects.get_or_create(
        name="Teatro Teresa Carreño", city="Caracas", defaults={"address": "Los Caobos", "capacity": 2400}
    )
    event, _ = Event.objects.get_or_create(
        name="Temporada 2026", venue=venue,
        defaults={"starts_at": timezone.now(), "ends_at": timezone.now(), "status": Event.Status.CLOSED},
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE fiscal_invoice, sales_order, customers_customer RESTART IDENTITY CASCADE")
        cursor.execute(
            """
            INSERT INTO customers_customer (first_name, last_name, id_document, phone, email,
                opt_in_email, opt_in_sms, opt_in_whatsapp, created_at, updated_at)
            SELECT f.name, s1.name || ' ' || s2.name, 'V-' || (4000000 + g * 397),
                CASE WHEN g %% 5 = 0 THEN '' ELSE '+58' || (ARRAY['412','414','416','424','426'])[1 + g %% 5]
                    || lpad((g * 7919 %% 10000000)::text, 7, '0') END,
                CASE WHEN g %% 3 = 0 THEN '' ELSE lower(unaccent(f.name || '.' || s1.name)) || g
                    || (ARRAY['@gmail.com','@hotmail.com','@cantv.net'])[1 + g %% 3] END,
                g %% 2 = 0, false, g %% 4 = 0, now(), now()
            FROM generate_series(1, %(customers)s) g
            JOIN unnest(%(first)s::text[]) WITH ORDINALITY f(name, i) ON f.i = 1 + g %% %(n_first)s
            JOIN unnest(%(surnames)s::text[]) WITH ORDINALITY s1(name, i) ON s1.i = 1 + (g / 7) %% %(n_sur)s
            JOIN unnest(%(surnames)s::text[]) WITH ORDINALITY s2(name, i) ON s2.i = 1 + (g / 3) %% %(n_sur)s
            """,
            {
                "customers": customers,
                "first": FIRST_NAMES,
                "surnames": SURNAMES,
                "n_first": len(FIRST_NAMES),
                "n_sur": len(SURNAMES),
            },
        )
        cursor.execute(
            """
            INSERT INTO sales_order (public_id, channel, status, expires_at, created_at, completed_at,
                draft_payments, currency, totals, event_id, customer_id, buyer_session, contact_email,
                total, total_ves)
            SELECT gen_random_uuid(), 'box_office', 'completed', at, at, at, '[]', 'USD', '{}', %s,
                1 + (g * 7919) %% %s, '', '', 25, 2500
            FROM generate_series(1, %s) g, LATERAL (SELECT now() - (g || ' minutes')::interval * 2 AS at) t
            """,
            [event.pk, customers, sales],
        )
        cursor.execute(
            """
            INSERT INTO fiscal_invoice (series, number, control_number, control_provider,
                control_range_text, issued_at, seller_name, seller_rif, seller_fiscal_address,
                buyer_name, buyer_id_document, buyer_address, totals, currency, exchange_rate,
                total_ves, order_id)
            SELECT 'A', o.id, '00-' || lpad(o.id::text, 8, '0'), 'range', '', o.created_at,
                'Benchmark', 'J-000000000', 'Caracas', c.first_name || ' ' || c.last_name,
                c.id_document, '', '{}', 'USD', 100, 2500, o.id
            FROM sales_order o JOIN customers_customer c ON c.id = o.customer_id
            """
        )
        cursor.execute("ANALYZE customers_customer; ANALYZE sales_order; ANALYZE fiscal_invoice")


def timed(client: Client, path: str, **params) -> float:
    times = []
    for _ in range(TIMES):
        started = time.perf_counter()
        response = client.get(path, params, HTTP_HX_REQUEST="true")
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} {params} answered {response.status_code}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=50_000)
    parser.add_argument("--sales", type=int, default=100_000)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    organization = bench_organization(slug=SLUG, owner=OWNER)
    with tenant_context(organization):
        fill(args.customers, args.sales)
    connection.set_schema_to_public()
    client = Client(HTTP_HOST=f"{organization.slug}.localhost")
    if client.post("/accounts/login/", {"login": OWNER[0], "password": OWNER[1]}).status_code != 302:
        raise RuntimeError("the benchmark owner could not sign in")
    figures = {}
    for name, path, queries in (
        ("customer_search", "/panel/customers/search/", CUSTOMER_QUERIES),
        ("sales_search", "/panel/sales/orders/", SALES_QUERIES),
    ):
        figures[name] = [timed(client, path, q=query) for query in queries]
        if args.verbose:
            for query, ms in zip(queries, figures[name], strict=True):
                print(f"  {name} {query!r}: {ms:.1f} ms")
    for name in ("customer_search", "sales_search"):
        print(f"{name}_ms_p50_max: {statistics.median(figures[name]):.1f} {max(figures[name]):.1f}")
    print(f"sales_list_ms: {timed(client, '/panel/sales/orders/'):.1f}")
    print(f"customers_list_ms: {timed(client, '/panel/customers/'):.1f}")


if __name__ == "__main__":
    main()
