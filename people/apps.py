from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and companies"

    def ready(self):
        from people import names

        names.connect_signals()
