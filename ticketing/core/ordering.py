"""Names in Spanish alphabetical order, whatever the database's own collation (C, which sorts by
byte: "Álvarez" after "Zambrano", "ñ" after "z"). The collation is created by
core/migrations/0002_spanish_collation."""

from django.db.models import Expression
from django.db.models.functions import Collate

SPANISH = "spanish"


def in_spanish(expression: Expression | str) -> Collate:
    """`expression` (or a field name) ordered as a Spanish reader expects."""
    return Collate(expression, SPANISH)
