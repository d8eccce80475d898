"""Every co-commissioning page, for every persona: who gets in (200), who is sent to log in (302)
and who is refused (403). The process belongs to the council: Ada (its administrator) runs it; Sam
works for a council service (not the council itself) and so cannot; citizens take part."""

import pytest

from coproduce.budgeting import services

PERSONAS = ["anonymous", "citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"]


def row(url, phase, *codes):
    return url, phase, dict(zip(PERSONAS, codes, strict=True))


MATRIX = [
    #                                              anon cit  other staff brok adm  plat
    row("/budgeting/", "collect", 200, 200, 200, 200, 200, 200, 200),
    # any organisation's administrators or commissioners may run a process (Otto for his residents)
    row("/budgeting/new/", "collect", 302, 403, 200, 403, 403, 200, 200),
    row("/budgeting/import-pabulib/", "collect", 302, 403, 200, 403, 403, 200, 200),
    row("/budgeting/{slug}/", "collect", 200, 200, 200, 200, 200, 200, 200),
    row("/budgeting/{slug}/edit/", "collect", 302, 403, 403, 403, 403, 200, 200),
    row("/budgeting/{slug}/budgets/new/", "collect", 302, 403, 403, 403, 403, 200, 200),
    row("/budgeting/{slug}/budgets/{budget}/edit/", "collect", 302, 403, 403, 403, 403, 200, 200),
    row("/budgeting/{slug}/propose/", "collect", 302, 200, 200, 200, 200, 200, 200),
    row("/budgeting/{slug}/propose/?on_behalf=1", "collect", 302, 403, 403, 403, 403, 200, 200),
    row("/budgeting/{slug}/proposals/import/", "collect", 302, 403, 403, 403, 403, 200, 200),
    row("/budgeting/{slug}/proposals/{proposal}/", "collect", 200, 200, 200, 200, 200, 200, 200),
    row("/budgeting/{slug}/proposals/{proposal}/pledge/", "collect", 302, 200, 200, 200, 200, 200, 200),
    # Carla proposed the skate park, but staff have reviewed it: only they may change it now
    row("/budgeting/{slug}/proposals/{proposal}/edit/", "collect", 302, 403, 403, 403, 403, 200, 200),
    row("/budgeting/{slug}/proposals/{proposal}/edit/", "vote", 302, 403, 403, 403, 403, 403, 403),
    # Carla proposed the skate park: she may withdraw it, staff running the process on her behalf
    row("/budgeting/{slug}/proposals/{proposal}/withdraw/", "collect", 302, 200, 403, 403, 403, 200, 200),
    row("/budgeting/{slug}/codes/", "collect", 302, 403, 403, 403, 403, 200, 200),
    row("/budgeting/{slug}/census/", "collect", 302, 403, 403, 403, 403, 200, 200),
    row("/budgeting/{slug}/budgets/{budget}/vote/", "vote", 200, 200, 200, 200, 200, 200, 200),
    row("/budgeting/{slug}/budgets/{budget}/paper/", "vote", 302, 403, 403, 403, 403, 200, 200),
    # results: staff only until the results phase, then everyone
    row("/budgeting/{slug}/budgets/{budget}/results/", "vote", 403, 403, 403, 403, 403, 200, 200),
    row("/budgeting/{slug}/budgets/{budget}/results/", "results", 200, 200, 200, 200, 200, 200, 200),
    row("/budgeting/{slug}/budgets/{budget}/results/count.json", "results", 200, 200, 200, 200, 200, 200, 200),
    row("/budgeting/{slug}/budgets/{budget}/results/ballots.pb", "vote", 403, 403, 403, 403, 403, 200, 200),
    row("/budgeting/{slug}/budgets/{budget}/results/ballots.pb", "results", 200, 200, 200, 200, 200, 200, 200),
]


@pytest.mark.parametrize("url,phase_name,expected", MATRIX, ids=[f"{r[0]}@{r[1]}" for r in MATRIX])
def test_page_access(url, phase_name, expected, personas, client_as, pb, phase):
    # personas in one test per page: the world is built once per page, not once per persona
    if phase_name == "results":
        services.set_phase(personas["org_admin"], pb.process, "results")
    else:
        phase(pb.process, phase_name)
    url = url.format(slug=pb.process.slug, budget=pb.city.pk, proposal=pb.proposals["Skate park"].pk)
    for persona in PERSONAS:
        response = client_as(personas[persona]).get(url)
        assert response.status_code == expected[persona], (persona, url, response.status_code)
        if expected[persona] == 302:
            assert response["Location"].startswith("/accounts/login/")


POSTS = [
    # (url, phase, data, personas allowed) — everyone else is refused (403) or sent to log in (302)
    ("/budgeting/{slug}/phase/", "collect", {"phase": "review"}, {"org_admin", "platform_admin"}),
    ("/budgeting/{slug}/proposals/{proposal}/review/", "review",
     {"decision": "infeasible", "reason": "No."}, {"org_admin", "platform_admin"}),
    ("/budgeting/{slug}/budgets/{budget}/count/", "vote", {}, {"org_admin", "platform_admin"}),
    ("/budgeting/{slug}/budgets/{budget}/edit/", "review", {"name": "Everywhere", "amount": "1000", "area": ""},
     {"org_admin", "platform_admin"}),
    ("/budgeting/{slug}/proposals/{proposal}/edit/", "review",
     {"title": "Skate park and pump track", "address": "Park Road", "channel": "web"},
     {"org_admin", "platform_admin"}),
    ("/budgeting/{slug}/proposals/{proposal}/withdraw/", "review", {"reason": "Withdrawn."},
     {"citizen", "org_admin", "platform_admin"}),
    ("/budgeting/{slug}/proposals/{proposal}/support/", "collect", {},
     {"citizen", "other_org", "staff", "broker", "org_admin", "platform_admin"}),
]


@pytest.mark.parametrize("url,phase_name,data,allowed", POSTS, ids=[p[0] for p in POSTS])
def test_actions_refuse_everyone_else(url, phase_name, data, allowed, personas, client_as, pb, phase):
    from coproduce.core.models import AuditEntry

    phase(pb.process, phase_name)
    url = url.format(slug=pb.process.slug, budget=pb.city.pk, proposal=pb.proposals["Skate park"].pk)
    # refusals first (they must change nothing), then one allowed persona
    for persona in [p for p in PERSONAS if p not in allowed] + [sorted(allowed)[0]]:
        before = AuditEntry.objects.count()
        response = client_as(personas[persona]).post(url, data)
        if persona in allowed:
            assert response.status_code == 302 and not response["Location"].startswith("/accounts/"), persona
            assert AuditEntry.objects.count() > before
        else:
            if persona == "anonymous":
                assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
            else:
                assert response.status_code == 403, (persona, response.status_code)
            assert AuditEntry.objects.count() == before


def test_draft_processes_are_seen_only_by_staff(pb, personas, client_as):
    from coproduce.budgeting.models import Process

    Process.objects.filter(pk=pb.process.pk).update(is_published=False)
    url = f"/budgeting/{pb.process.slug}/"
    assert client_as(None).get(url).status_code == 403
    assert client_as(personas["citizen"]).get(url).status_code == 403
    assert client_as(personas["org_admin"]).get(url).status_code == 200
    listed = client_as(personas["citizen"]).get("/budgeting/").context["page"]
    assert pb.process not in list(listed)
