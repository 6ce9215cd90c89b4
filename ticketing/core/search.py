"""Accent-blind "contains" searches that an index can serve (core migration 0003).

`name__unaccented__icontains="perez"` finds "Pérez", as Django's `__unaccent__icontains` does,
but through `immutable_unaccent`, so a trigram index on `Upper(Unaccented("name"))`
(`trigram_index`) answers it instead of a read of every row: a seller types a customer's name
into a search that runs at each keystroke, over tens of thousands of customers."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db.models import CharField, TextField, Transform
from django.db.models.functions import Upper


class Unaccented(Transform):
    bilateral = True  # the typed text loses its accents too
    lookup_name = "unaccented"
    function = "immutable_unaccent"
    output_field = TextField()


def register_lookups() -> None:
    CharField.register_lookup(Unaccented)
    TextField.register_lookup(Unaccented)


def trigram_index(field: str, *, name: str, unaccented: bool = False, upper: bool = True) -> GinIndex:
    """The index `field__icontains` (`upper`, Django's case-blind form), `field__contains`
    (not `upper`) or `field__unaccented__icontains` (`unaccented`) uses."""
    expression = Unaccented(field) if unaccented else field
    if upper or unaccented:
        expression = Upper(expression)
    return GinIndex(OpClass(expression, name="gin_trgm_ops"), name=name)
