"""Meta-tests (after NetBox's model-coverage test): every integrity model has a factory that builds a valid
row and an admin page, and every API viewset filters through a FilterSet."""

import importlib
import inspect
import pkgutil

import factory
import pytest
from django.apps import apps
from django.contrib import admin

import tests.integrity
from integrity.api.urls import router

MODELS = list(apps.get_app_config("integrity").get_models())


def _factories():
    """Model → factory, from every ``factories*`` module of tests/integrity (one per register)."""
    found = {}
    for module_info in pkgutil.iter_modules(tests.integrity.__path__):
        if not module_info.name.startswith("factories"):
            continue
        module = importlib.import_module(f"tests.integrity.{module_info.name}")
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, factory.django.DjangoModelFactory) and value._meta.model is not None:
                found.setdefault(value._meta.model, value)
    # A parent of multi-table inheritance (Declaration) is built by its children's factories.
    for model, model_factory in list(found.items()):
        for parent in model._meta.parents:
            found.setdefault(parent, model_factory)
    return found


FACTORIES = _factories()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_has_a_factory_that_builds_a_valid_row(db, model):
    row = FACTORIES[model]()
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_has_an_admin(model):
    assert admin.site.is_registered(model)


@pytest.mark.parametrize("viewset", [v for _prefix, v, _name in router.registry], ids=lambda v: v.__name__)
def test_every_api_viewset_has_a_filterset(viewset):
    assert viewset.filterset_class is not None
