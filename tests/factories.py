import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from lms.accounts.models import FieldOffice, User
from lms.accounts.roles import Role
from lms.accounts.services import user_roles_set

PASSWORD = "correct-horse-battery"


class FieldOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FieldOffice
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"office-{n}")
    name = factory.Sequence(lambda n: f"Office {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Awa"
    last_name = "Traoré"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        self.save()
        if extracted:
            user_roles_set(user=self, roles={Role(extracted)})


def totp_enable(user) -> str:
    """Give a user a TOTP authenticator; returns its secret so a test can compute codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for ``secret``, as a person would type it.

    allauth accepts the current period's code only and refuses a code used twice, so this
    waits for the next period when fewer than 5 seconds of the current one remain (the code
    could expire before the form is sent) or when this secret's code for the current period
    was already given (a second sign-in of the same person within 30 seconds).
    """
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    while True:
        now = time.time()
        counter, left = int(now) // period, period - now % period
        if left > 5 and _TOTP_GIVEN.get(secret) != counter:
            break
        time.sleep(left + 0.05)
    _TOTP_GIVEN[secret] = counter
    return format_hotp_value(hotp_value(secret, counter))


#: The period of the last code :func:`totp_code` gave for each secret.
_TOTP_GIVEN: dict[str, int] = {}
