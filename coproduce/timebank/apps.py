from django.apps import AppConfig


class TimebankConfig(AppConfig):
    name = "coproduce.timebank"
    label = "timebank"
