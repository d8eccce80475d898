"""`coproduce serve` has every gunicorn worker warm the per-process caches as it starts, in a background
thread that never holds up start-up; nothing else starts the warm-up."""

import threading

from django.core.management import call_command

from coproduce.core import warmup
from coproduce.core.management.commands import serve


def test_serve_gives_gunicorn_the_warm_up_hook_and_the_hook_starts_it(monkeypatch):
    options, started = {}, []
    monkeypatch.setattr(serve._Gunicorn, "run", lambda self: options.update(self.options))
    monkeypatch.setattr(warmup, "start", lambda: started.append(True))
    call_command("serve", no_collectstatic=True, workers=1)
    assert options["post_fork"] is warmup.post_fork and options["preload_app"] is True
    assert not started  # the master process does not warm
    options["post_fork"](None, None)  # what gunicorn calls in each new worker
    assert started == [True]


def test_start_returns_at_once_and_the_warmers_run_in_a_background_thread(monkeypatch):
    release, ran = threading.Event(), []

    def slow_warmer():
        release.wait(10)
        ran.append(threading.current_thread())

    monkeypatch.setattr(warmup, "_warmers", {"slow": slow_warmer})
    thread = warmup.start()
    assert thread.is_alive() and thread.daemon and not ran  # start-up goes on while it warms
    release.set()
    thread.join(10)
    assert ran == [thread] and thread is not threading.current_thread()
