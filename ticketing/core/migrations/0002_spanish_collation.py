"""The collation names are sorted with: "Álvarez" before "Báez" and "Ñáñez" after "Núñez".

The database's own collation here is C, which compares bytes and puts every accented capital
after "Z". ICU's Spanish where PostgreSQL was built with ICU (Debian's is); elsewhere (the
embedded fallback of `make run` may lack it) a copy of C, so queries work the same and sort as
before. In the public schema, which every organization's search path includes."""

from django.db import migrations

CREATE = """
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_collation WHERE collprovider = 'i') THEN
        CREATE COLLATION IF NOT EXISTS public.spanish (provider = icu, locale = 'es');
    ELSE
        CREATE COLLATION IF NOT EXISTS public.spanish FROM "C";
    END IF;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0001_unaccent_extension")]

    operations = [migrations.RunSQL(CREATE, reverse_sql="DROP COLLATION IF EXISTS public.spanish")]
