"""Every page's ARIA and label references point at an element of the same page: a screen reader
reads a field's hint or error only through them, and a broken one is silent."""

import re

from tests.test_role_matrix import TENANT_ROUTES, concrete_path, sample_objects  # noqa: F401
from ticketing.accounts.roles import Role

REFERENCES = re.compile(r'\b(aria-describedby|aria-labelledby|aria-controls|for)="([^"]*)"')
IDS = re.compile(r'\bid="([^"]*)"')


def broken_references(html: str) -> list[str]:
    ids = set(IDS.findall(html))
    return [
        f'{attribute}="{target}"'
        for attribute, targets in REFERENCES.findall(html)
        for target in targets.split()
        if target not in ids
    ]


def test_every_reference_on_a_page_names_an_element_of_that_page(
    acme,
    staff_in,
    client_for,
    sample_objects,  # noqa: F811
):
    owner = client_for(acme, staff_in(acme, Role.OWNER))
    broken, pages = {}, 0
    for route, _view in TENANT_ROUTES:
        response = owner.get(concrete_path(route))
        html = response.content.decode(errors="replace") if response.status_code == 200 else ""
        if "<html" not in html:  # a fragment, a file, a redirect: its references live in its page
            continue
        pages += 1
        if missing := broken_references(html):
            broken[route] = missing

    assert broken == {}
    assert pages >= 20  # the panel's pages, not only the sign-in page
