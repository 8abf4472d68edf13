from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts import emails
from helpdesk.validators import validate_timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        """The address as accounts.emails stores it (NFKC, IDNA domain); raises
        emails.RefusedAddress for a look-alike (invisible or mixed-script characters)."""
        return emails.normalise(email or "")

    def with_email(self, email: str):
        """The user with this address in any case (normalised as stored: the unicode and
        punycode forms of a domain are one), found through the lower(email) unique index
        (`email__iexact` compares upper() and cannot use it). A refused address finds nobody."""
        normalised = emails.normalise_or_none(email or "")
        if normalised is None:
            return self.none()
        return self.alias(email_lower=Lower("email")).filter(
            email_lower=Lower(models.Value(normalised))
        )

    def get_by_natural_key(self, email):
        # People type their address in any case; one address is one person.
        return self.with_email(email).get()

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Everybody who signs in or writes to the helpdesk: end users and agents alike.

    End users who only submit tickets have no usable password; agents have an Agent row.
    """

    # unique=True for Django's auth checks; the Lower() constraint below is the real rule.
    email = models.EmailField("email address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    is_active = models.BooleanField(default=True)
    # When mail to this address last came back undeliverable (a bounce); nothing is sent to
    # a bouncing address until the user writes to us again.
    email_bounced_at = models.DateTimeField(null=True, blank=True)
    # Reaching Django's own admin; never set for ordinary agents.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    @property
    def display_name(self) -> str:
        return self.full_name or self.email.split("@", 1)[0]

    @property
    def is_agent(self) -> bool:
        return hasattr(self, "agent")


def unique_name(constraint: str, thing: str):
    """Names are unique ignoring case: "Level 2" and "level 2" are one team."""
    return models.UniqueConstraint(
        Lower("name"),
        name=constraint,
        violation_error_message=f"{thing} with this name already exists.",
    )


class Organization(models.Model):
    """The company an end user belongs to; optional."""

    name = models.CharField(max_length=128)

    class Meta:
        ordering = ["name"]
        constraints = [unique_name("accounts_organization_name_ci_unique", "An organization")]

    def __str__(self):
        return self.name


class Permission(models.TextChoices):
    VIEW = "view", "View tickets"
    REPLY = "reply", "Post replies"
    NOTE = "note", "Post internal notes"
    EDIT = "edit", "Edit priority, topic, SLA and fields"
    ASSIGN = "assign", "Assign"
    TRANSFER = "transfer", "Transfer to another department"
    CLOSE = "close", "Resolve and close"
    CREATE = "create", "Open tickets for users"
    # No "delete" or "merge": a role offers only what the helpdesk can do. Tickets are
    # never deleted (they are closed), and merging is not built yet.


def _permission_field(permission: Permission):
    return models.BooleanField(permission.label, default=False)


class Role(models.Model):
    """A named set of permissions, held by an agent in a department.

    One column per permission, so that "departments where the agent may view" is a
    plain filter in SQL on every database.
    """

    name = models.CharField(max_length=64)
    is_active = models.BooleanField("active", default=True)
    view = _permission_field(Permission.VIEW)
    reply = _permission_field(Permission.REPLY)
    note = _permission_field(Permission.NOTE)
    edit = _permission_field(Permission.EDIT)
    assign = _permission_field(Permission.ASSIGN)
    transfer = _permission_field(Permission.TRANSFER)
    close = _permission_field(Permission.CLOSE)
    create = _permission_field(Permission.CREATE)

    class Meta:
        ordering = ["name"]
        constraints = [unique_name("accounts_role_name_ci_unique", "A role")]

    def __str__(self):
        return self.name

    def allows(self, permission: str) -> bool:
        return bool(getattr(self, Permission(permission).value))

    @property
    def permissions(self) -> list[str]:
        return [p.value for p in Permission if getattr(self, p.value)]


class Agent(models.Model):
    """A user who works tickets in the staff control panel.

    What they may do to a ticket is the role they hold in that ticket's department: the
    primary department's role here, or an extended access row's (DepartmentAccess).
    Whether they may sign in at all is the user's is_active.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="agent")
    is_admin = models.BooleanField("administrator", default=False)
    is_limited_access = models.BooleanField(
        "limited access",
        default=False,
        help_text="Sees only tickets assigned to them or their teams.",
    )
    department = models.ForeignKey(
        "tickets.Department",
        verbose_name="primary department",
        on_delete=models.PROTECT,
        related_name="primary_agents",
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="primary_agents")
    # Added below every response the agent posts.
    signature = models.TextField(blank=True)
    # Where the agent works: the staff panel shows every time in this zone.
    timezone = models.CharField(
        "time zone", max_length=64, default=settings.TIME_ZONE, validators=[validate_timezone]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__full_name"]

    def __str__(self):
        return self.user.display_name


class DepartmentAccess(models.Model):
    """Extended access: an agent's role in a department other than their primary one."""

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="extended_access")
    department = models.ForeignKey(
        "tickets.Department", on_delete=models.CASCADE, related_name="extended_access"
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="extended_access")

    class Meta:
        ordering = ["department__name"]
        verbose_name_plural = "department access"
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "department"], name="accounts_access_agent_department_unique"
            )
        ]

    def __str__(self):
        return f"{self.agent} in {self.department} as {self.role}"


class Team(models.Model):
    """Agents who share tickets assigned to the team, across departments."""

    name = models.CharField(max_length=64)
    is_active = models.BooleanField("active", default=True)
    lead = models.ForeignKey(
        Agent, on_delete=models.SET_NULL, null=True, blank=True, related_name="led_teams"
    )
    members = models.ManyToManyField(Agent, related_name="teams", blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [unique_name("accounts_team_name_ci_unique", "A team")]

    def __str__(self):
        return self.name
