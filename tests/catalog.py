"""Builders for catalog objects in the current schema (tests call them inside an organization)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ticketing.events import services
from ticketing.events.models import Event, Zone
from ticketing.venues.models import Venue


def make_venue(**fields) -> Venue:
    fields = {
        "name": "Teatro de Prueba",
        "address": "Av. Bolívar",
        "city": "Caracas",
        "capacity": 2000,
        **fields,
    }
    return Venue.objects.create(**fields)


def make_event(*, venue=None, status=Event.Status.DRAFT, **fields) -> Event:
    starts = timezone.now() + timedelta(days=20)
    fields = {
        "name": "Concierto de prueba",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=3),
        **fields,
    }
    venue = venue or Venue.objects.filter(name="Teatro de Prueba", city="Caracas").first() or make_venue()
    return Event.objects.create(venue=venue, status=status, **fields)


def make_numbered_zone(event, *, rows=5, seats_per_row=6, base_price="30.00", **fields) -> Zone:
    zone = Zone(
        event=event,
        name=fields.pop("name", "Platea"),
        kind=Zone.Kind.NUMBERED,
        base_price=Decimal(base_price),
        rows=rows,
        seats_per_row=seats_per_row,
        **fields,
    )
    return services.save_zone(zone=zone)


def make_general_zone(event, *, capacity=100, base_price="20.00", **fields) -> Zone:
    zone = Zone(
        event=event,
        name=fields.pop("name", "Pista"),
        kind=Zone.Kind.GENERAL,
        base_price=Decimal(base_price),
        capacity=capacity,
        **fields,
    )
    return services.save_zone(zone=zone)


def make_tables_zone(event, *, tables=3, chairs=4, base_price="50.00", **fields) -> Zone:
    zone = Zone(
        event=event,
        name=fields.pop("name", "Mesas"),
        kind=Zone.Kind.TABLES,
        base_price=Decimal(base_price),
        tables_count=tables,
        chairs_per_table=chairs,
        **fields,
    )
    return services.save_zone(zone=zone)
