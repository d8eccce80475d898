"""When the service function refuses a service form (a maximum age below the minimum age), the page
shows the error next to the field and nothing changes – on creating and on editing a service."""

from coproduce.assessment.models import Service

FORM = {"name": "Home Care", "description": "Help at home.", "status": "active", "open311_type": "realtime",
        "minimum_age": "60", "maximum_age": "18"}


def test_editing_with_ages_the_wrong_way_round_is_refused_next_to_the_field(personas, client_as, care):
    response = client_as(personas["staff"]).post("/services/home-care/edit/", FORM)
    assert response.status_code == 200
    assert response.context["form"].errors["maximum_age"] == ["The maximum age is below the minimum age."]
    assert 'id="id_maximum_age_error"' in response.content.decode()
    care.refresh_from_db()
    assert (care.minimum_age, care.maximum_age) == (None, None)


def test_creating_with_ages_the_wrong_way_round_is_refused_next_to_the_field(personas, client_as, world):
    response = client_as(personas["staff"]).post("/services/new/social-care/", FORM | {"name": "Day centre"})
    assert response.status_code == 200
    assert "maximum_age" in response.context["form"].errors
    assert not Service.objects.filter(name="Day centre").exists()
