"""Factories for users and API tokens."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from peerlearn.access.roles import Role
from peerlearn.accounts.models import User


class UserFactory(DjangoModelFactory[User]):
    """A user with an unusable password (fast to create); use ``client.force_login`` or
    an API token to act as them. ``UserFactory(role=Role.ADMIN)`` makes a platform admin."""

    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    name = factory.Faker("name")
    role = Role.PEER
    organisation = None
    is_staff = factory.LazyAttribute(lambda u: u.role == Role.ADMIN)
    is_superuser = factory.LazyAttribute(lambda u: u.role == Role.ADMIN)
    password = factory.django.Password(None)


def make_api_key(user: User, label: str = "test script") -> str:
    """A fresh bearer key for ``user``, created the way the website creates them."""
    from peerlearn.accounts.services import api_token_create

    _, key = api_token_create(user=user, label=label)
    return key
