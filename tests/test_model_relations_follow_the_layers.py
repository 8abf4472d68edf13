"""Models follow the layers too: a lower app's model points to a higher app's only where
DESIGN.md puts it so. Import checks cannot see these relations ("tickets.Department" is a
string), so this test reads them from the models."""

from django.apps import apps

LAYERS = ["accounts", "sla", "tickets", "api"]  # lowest first

# An agent's primary department and extended access are people's access (accounts), to
# departments, which DESIGN.md places with the tickets they own.
ALLOWED_UPWARD = {
    ("accounts.Agent.department", "tickets.Department"),
    ("accounts.DepartmentAccess.department", "tickets.Department"),
}


def upward_relations() -> set[tuple[str, str]]:
    found = set()
    for model in apps.get_models():
        app = model._meta.app_label
        if app not in LAYERS:
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            target = field.related_model._meta
            if target.app_label in LAYERS and LAYERS.index(target.app_label) > LAYERS.index(app):
                found.add((f"{app}.{model.__name__}.{field.name}", target.label))
    return found


def test_no_model_points_up_a_layer_except_to_departments():
    assert upward_relations() == ALLOWED_UPWARD


def test_nothing_in_sla_points_to_a_ticket():
    sla_models = apps.get_app_config("sla").get_models()

    assert not any(
        field.related_model is apps.get_model("tickets", "Ticket")
        for model in sla_models
        for field in model._meta.get_fields()
        if field.is_relation and not field.auto_created  # not the reverse of Ticket.sla_plan
    )
