from django.apps import AppConfig


class BudgetingConfig(AppConfig):
    name = "coproduce.budgeting"
    label = "budgeting"
