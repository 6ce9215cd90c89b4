from django.apps import apps
from django.contrib import admin


def test_every_model_of_ours_is_in_the_django_admin():
    ours = [model for model in apps.get_models() if model.__module__.startswith("ticketing.")]
    missing = [model.__name__ for model in ours if not admin.site.is_registered(model)]
    assert len(ours) >= 20
    assert missing == []
