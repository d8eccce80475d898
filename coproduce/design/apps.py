from django.apps import AppConfig


class DesignConfig(AppConfig):
    name = "coproduce.design"
    label = "design"
