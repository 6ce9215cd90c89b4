from django.db import models
from django.utils.translation import gettext_lazy as _


class Venue(models.Model):
    name = models.CharField(_("nombre"), max_length=150)
    address = models.CharField(_("dirección"), max_length=255)
    city = models.CharField(_("ciudad"), max_length=100)
    capacity = models.PositiveIntegerField(_("aforo"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recinto")
        verbose_name_plural = _("recintos")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "city"], name="venue_name_city_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"
