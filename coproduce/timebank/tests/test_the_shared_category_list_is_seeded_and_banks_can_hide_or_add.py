import pytest
from django.utils import translation

from coproduce.timebank.categories import default_rows
from coproduce.timebank.models import Category

pytestmark = pytest.mark.django_db


def test_the_default_list_is_seeded_once_with_groups_and_sensitive_work():
    shared = Category.objects.filter(timebank=None)
    assert shared.count() == len(list(default_rows()))
    assert shared.get(slug="appointments").sensitive
    assert not shared.get(slug="gardening").sensitive
    assert shared.get(slug="gardening").group == shared.get(slug="diy").group == "home"


def test_a_bank_sees_shared_categories_minus_hidden_plus_its_own(ledger):
    bank = ledger.bank
    gardening = Category.objects.get(timebank=None, slug="gardening")
    bank.hidden_categories.add(gardening)
    own = Category.objects.create(timebank=bank, group="home", group_name="Home", slug="logs",
                                  name="Chopping logs")
    other_bank_own = Category.objects.create(timebank=ledger.other_bank, group="home", group_name="Home",
                                             slug="logs", name="Logs elsewhere")
    listed = set(Category.objects.for_bank(bank))
    assert own in listed and gardening not in listed and other_bank_own not in listed
    assert Category.objects.get(timebank=None, slug="diy") in listed


def test_unchanged_defaults_are_shown_translated_and_own_names_as_written(ledger):
    own = Category.objects.create(timebank=ledger.bank, group="x", group_name="X", slug="own", name="Own words")
    gardening = Category.objects.get(timebank=None, slug="gardening")
    with translation.override("de"):
        assert own.label == "Own words"
        assert gardening.label == translation.gettext("Gardening")
