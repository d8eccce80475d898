"""Time is offered in hours on the pledge form and counted in minutes by the service: a missing or
too small amount of time is refused next to the hours field (not as an error of the whole form), a
fraction of an hour is rounded to the nearest minute, and nothing is written when it is refused."""

from coproduce.budgeting.models import Pledge


def url(pb):
    return f"/budgeting/{pb.process.slug}/proposals/{pb.proposals['Skate park'].pk}/pledge/"


def test_time_errors_appear_next_to_the_hours_field(pb, personas, client_as):
    client = client_as(personas["citizen"])
    no_time = client.post(url(pb), {"kind": "hours", "hours": ""})
    assert no_time.status_code == 400
    form = no_time.context["form"]
    assert "Say how much time you offer." in form.errors["hours"] and not form.non_field_errors()
    too_little = client.post(url(pb), {"kind": "hours", "hours": "0.005"})
    assert too_little.context["form"].errors["hours"]
    assert not Pledge.objects.exists()


def test_a_fraction_of_an_hour_is_rounded_to_the_nearest_minute(pb, personas, client_as):
    client = client_as(personas["citizen"])
    response = client.post(url(pb), {"kind": "hours", "hours": "1.01"})
    assert response.status_code == 302
    assert Pledge.objects.get().minutes == 61  # 60.6 minutes: rounded, not cut down to 60
    Pledge.objects.all().delete()
    client.post(url(pb), {"kind": "hours", "hours": "0.01"})
    assert Pledge.objects.get().minutes == 1  # 0.6 minutes rounds up to one
