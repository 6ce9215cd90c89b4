"""What "contains" searches over many rows need to use an index instead of reading every row.

pg_trgm's GIN indexes serve `LIKE '%…%'`. An index can only hold IMMUTABLE functions and
unaccent() is STABLE (its dictionary could be edited), so `immutable_unaccent` wraps it with the
dictionary named: searches that ignore accents (`__unaccented__icontains`, core/search.py) then
use an index on it. Both in the public schema, which every organization's search path includes."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE OR REPLACE FUNCTION public.immutable_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
"""

DROP = """
DROP FUNCTION IF EXISTS public.immutable_unaccent(text);
DROP EXTENSION IF EXISTS pg_trgm;
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0002_spanish_collation")]

    operations = [migrations.RunSQL(CREATE, reverse_sql=DROP)]
