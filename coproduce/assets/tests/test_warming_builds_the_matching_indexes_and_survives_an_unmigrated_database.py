"""Warming (what each `coproduce serve` worker, and nothing else, runs as it starts: `core.warmup`) builds the asset map's
cached matching indexes, so the first suggestion reuses them; with the database not migrated yet it
is skipped without an error, and the first request builds them as before."""

from django.core.management import call_command
from django.db import ProgrammingError

from coproduce.assets import matchindex
from coproduce.core import warmup


def test_warming_builds_both_indexes_and_the_first_request_reuses_them(amap):
    matchindex.clear_cache()
    assert warmup.run()["assets"] == "warm"
    assert set(matchindex._cache) == {matchindex.CAPABILITIES, matchindex.NEEDS}
    people, needs = matchindex._cache[matchindex.CAPABILITIES].data, matchindex._cache[matchindex.NEEDS].data
    assert matchindex.people() is people and matchindex.open_needs() is needs


def test_an_unmigrated_database_skips_the_warm_up_quietly(amap, monkeypatch):
    matchindex.clear_cache()

    def not_migrated(scope):
        raise ProgrammingError('relation "timebank_matchingversion" does not exist')

    monkeypatch.setattr(matchindex, "_version", not_migrated)
    outcome = warmup.run()
    assert outcome["assets"].startswith("skipped") and "does not exist" in outcome["assets"]
    assert matchindex._cache == {}


def test_nothing_is_built_while_no_change_was_ever_versioned(db):
    matchindex.clear_cache()
    assert matchindex.warm() == []  # such an index could not be cached: building it would be wasted
    assert matchindex._cache == {}


def test_the_warmer_is_registered_and_other_commands_never_run_it(amap):
    assert warmup._warmers["assets"] is matchindex.warm
    matchindex.clear_cache()
    call_command("check")
    call_command("migrate", check_unapplied=True, verbosity=0)
    assert matchindex._cache == {}  # loading the apps and running commands built nothing
