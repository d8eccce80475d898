import pytest
from django.utils import translation

from coproduce.timebank import category_services
from coproduce.timebank.categories import default_rows
from coproduce.timebank.models import Category

pytestmark = pytest.mark.django_db


def test_the_default_list_is_seeded_once_with_groups_and_sensitive_work():
    shared = Category.objects.filter(timebank=None)
    assert shared.count() == len(list(default_rows()))
    assert shared.get(slug="appointments").sensitive
    assert not shared.get(slug="gardening").sensitive
    assert shared.get(slug="gardening").group == shared.get(slug="diy").group == "home"


def test_a_bank_sees_shared_categories_minus_hidden_plus_its_own(ledger, personas):
    bank, pat = ledger.bank, personas["platform_admin"]
    gardening = Category.objects.get(timebank=None, slug="gardening")
    category_services.hide_category(pat, bank, gardening)
    own = category_services.add_category(pat, bank, name="Chopping logs", group="home")
    other_bank_own = category_services.add_category(pat, ledger.other_bank, name="Chopping logs", group="home")
    listed = set(Category.objects.for_bank(bank))
    assert own in listed and gardening not in listed and other_bank_own not in listed
    assert Category.objects.get(timebank=None, slug="diy") in listed


def test_unchanged_defaults_are_shown_translated_and_own_names_as_written(ledger, personas):
    own = category_services.add_category(personas["platform_admin"], ledger.bank, name="Own words", group="home")
    gardening = Category.objects.get(timebank=None, slug="gardening")
    with translation.override("de"):
        assert own.label == "Own words"
        assert gardening.label == translation.gettext("Gardening")
