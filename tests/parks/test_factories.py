import inspect

import factory
import pytest
from django.apps import apps

from tests.parks import factories

FACTORIES = {
    obj._meta.model: obj
    for _, obj in inspect.getmembers(factories, inspect.isclass)
    if issubclass(obj, factory.django.DjangoModelFactory)
    and obj._meta.model is not None
    and obj._meta.model._meta.app_label == "parks"
}


def test_every_parks_model_has_a_factory():
    missing = [m._meta.label for m in apps.get_app_config("parks").get_models() if m not in FACTORIES]
    assert not missing


@pytest.mark.parametrize("model", sorted(FACTORIES, key=lambda m: m._meta.label), ids=lambda m: m._meta.label)
def test_factory_builds_a_valid_row(db, model):
    instance = FACTORIES[model]()
    instance.full_clean()
