from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and companies"

    def ready(self):
        from . import linking
        from .models import Company, Person

        for model in (Person, Company):
            for signal in (post_save, post_delete):
                signal.connect(
                    linking.names_changed,
                    sender=model,
                    dispatch_uid=f"linker_names_{signal is post_save}_{model._meta.model_name}",
                )
