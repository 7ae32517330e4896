import factory
from django.contrib.auth.models import Group

from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-12345-word")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            group, _ = Group.objects.get_or_create(name=role)
            self.groups.add(group)
        if create:
            self.save()
