import factory
from allauth.account.models import EmailAddress

from ticketing.accounts.models import User
from ticketing.accounts.roles import Role

PASSWORD = "secreto-de-prueba-1"


class StaffFactory(factory.django.DjangoModelFactory):
    """A staff account in the current schema, with a verified e-mail and a known password."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"staff{n}@example.test")
    full_name = factory.Faker("name", locale="es")
    role = Role.SELLER
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def email_address(obj, create, extracted, **kwargs):
        obj.save()
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)
