from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ticketing.accounts"
    label = "accounts"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .backends import user_changed
        from .models import User

        post_save.connect(user_changed, sender=User, dispatch_uid="signed-in-user-cache-save")
        post_delete.connect(user_changed, sender=User, dispatch_uid="signed-in-user-cache-delete")
