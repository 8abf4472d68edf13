"""Who may see and do what to a ticket: the one place the staff side asks.

Seeing is one rule (`Visibility`), asked as a query by `Ticket.objects.visible_to(agent)` and
of a ticket in hand by `sees`; acting is
`can(agent, action, ticket)`; `explain` says why, in words, for the admin panel. Nothing
else in the code inspects roles or department access.

The rules (DESIGN.md, "Who may see and do what"):

- An active agent sees a ticket in a department where they hold a role with `view`
  (their primary department, or extended access), or one assigned to them or to an
  active team they belong to. A limited-access agent sees only the assigned ones.
- What they may do is the role they hold in the ticket's department. Where they hold
  none (they see it only through an assignment), the assignment lends them their
  primary role: an agent must be able to work what is assigned to them.
- `view` alone shows the ticket read-only.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from accounts.models import Agent, DepartmentAccess, Permission, Role, Team


@dataclass
class AgentAccess:
    """An agent's access, read once per agent object: roles by department and teams."""

    is_active: bool
    is_limited: bool
    primary_department_id: int
    primary_role: Role
    roles: dict[int, Role] = field(default_factory=dict)
    extended: dict[int, DepartmentAccess] = field(default_factory=dict)
    team_ids: frozenset[int] = frozenset()

    @property
    def viewable_department_ids(self) -> list[int]:
        if self.is_limited:
            return []
        return sorted(dept for dept, role in self.roles.items() if role.view and role.is_active)


def _build_access(agent: Agent, extended_rows, team_ids) -> AgentAccess:
    # A deactivated department takes no new tickets, but its open ones stay with the
    # people who work them: department activity does not change who sees what.
    extended = {row.department_id: row for row in extended_rows}
    roles = {row.department_id: row.role for row in extended.values()}
    # The primary department's role wins over an extended row for the same department.
    roles[agent.department_id] = agent.role
    access = AgentAccess(
        is_active=agent.user.is_active,
        is_limited=agent.is_limited_access,
        primary_department_id=agent.department_id,
        primary_role=agent.role,
        roles=roles,
        extended=extended,
        team_ids=frozenset(team_ids),
    )
    agent._access_cache = access
    return access


def access_of(agent: Agent) -> AgentAccess:
    """The agent's access, cached on the object (an agent object lives for one request)."""
    cached = getattr(agent, "_access_cache", None)
    if cached is not None:
        return cached
    return _build_access(
        agent,
        agent.extended_access.select_related("role", "department"),
        agent.teams.filter(is_active=True).values_list("pk", flat=True),
    )


def load_access(agents) -> list[Agent]:
    """These agents (with their user and role), each with its access read: two queries for
    all of them instead of two each, for pages and mail that ask about many agents."""
    agents = list(agents.select_related("user", "role"))
    ids = [agent.pk for agent in agents]
    rows: dict[int, list] = {pk: [] for pk in ids}
    for row in DepartmentAccess.objects.filter(agent_id__in=ids).select_related("role"):
        rows[row.agent_id].append(row)
    teams: dict[int, list] = {pk: [] for pk in ids}
    memberships = Team.members.through.objects.filter(agent_id__in=ids, team__is_active=True)
    for agent_id, team_id in memberships.values_list("agent_id", "team_id"):
        teams[agent_id].append(team_id)
    for agent in agents:
        _build_access(agent, rows[agent.pk], teams[agent.pk])
    return agents


def forget_access(agent: Agent) -> None:
    """Drop the cached access after the agent's roles or departments changed."""
    agent.__dict__.pop("_access_cache", None)


@dataclass(frozen=True)
class Visibility:
    """The one visibility rule, for one agent: as a query, and as a test of a ticket in hand.

    An agent sees the tickets assigned to them or to their active teams, and, unless they
    have limited access, those of the departments where a role lets them view.
    """

    agent_pk: int | None  # None: sees nothing (no agent, or an inactive one)
    team_ids: frozenset[int] = frozenset()
    department_ids: tuple[int, ...] = ()
    is_limited: bool = False

    def as_q(self) -> Q:
        if self.agent_pk is None:
            return Q(pk__in=[])
        assigned = Q(assignee_id=self.agent_pk)
        if self.team_ids:
            assigned |= Q(team_id__in=sorted(self.team_ids))
        if self.is_limited:
            return assigned
        return Q(department_id__in=self.department_ids) | assigned

    def matches(self, ticket) -> bool:
        if self.agent_pk is None:
            return False
        assigned = ticket.assignee_id == self.agent_pk or ticket.team_id in self.team_ids
        if self.is_limited:
            return assigned
        return assigned or ticket.department_id in self.department_ids


_SEES_NOTHING = Visibility(agent_pk=None)


def visibility(agent: Agent | None) -> Visibility:
    """What this agent sees (cached with their access for the request)."""
    if agent is None:
        return _SEES_NOTHING
    access = access_of(agent)
    if not access.is_active:
        return _SEES_NOTHING
    return Visibility(
        agent_pk=agent.pk,
        team_ids=access.team_ids,
        department_ids=tuple(access.viewable_department_ids),
        is_limited=access.is_limited,
    )


def visibility_filter(agent: Agent | None) -> Q:
    """A Q matching the tickets this agent may see; matches nothing for a non-agent."""
    return visibility(agent).as_q()


def _assigned_to(access: AgentAccess, agent: Agent, ticket) -> bool:
    return ticket.assignee_id == agent.pk or (
        ticket.team_id is not None and ticket.team_id in access.team_ids
    )


def sees(agent: Agent | None, ticket) -> bool:
    """Whether this agent may see this ticket in hand (no query): the same rule."""
    return visibility(agent).matches(ticket)


def role_for(agent: Agent, ticket) -> Role | None:
    """The role that decides what the agent may do to this ticket, or None."""
    access = access_of(agent)
    role = access.roles.get(ticket.department_id)
    if role is None and _assigned_to(access, agent, ticket):
        role = access.primary_role
    if role is not None and not role.is_active:
        return None
    return role


def can(agent: Agent | None, action: str, ticket) -> bool:
    """Whether the agent may take this action (a Permission value) on this ticket."""
    action = Permission(action).value
    if not sees(agent, ticket):
        return False
    if action == Permission.VIEW:
        return True
    role = role_for(agent, ticket)
    return role is not None and role.allows(action)


def departments_to_create_in(agent: Agent | None) -> list[int]:
    """Departments where the agent's role allows opening tickets for users."""
    if agent is None:
        return []
    access = access_of(agent)
    if not access.is_active:
        return []
    return sorted(
        dept for dept, role in access.roles.items() if role.is_active and role.allows("create")
    )


def explain(agent: Agent, ticket, action: str | None = None) -> str:
    """Why this agent can or cannot see (and, if asked, act on) this ticket, in words."""
    access = access_of(agent)
    name = agent.user.display_name
    first = name.split()[0]
    number = f"#{ticket.number}"
    department = ticket.department.name
    if not access.is_active:
        return f"{name} does not see {number}: the account is inactive."
    how = _how_seen(agent, access, ticket)
    if how is None:
        return f"{name} does not see {number}: {_why_not_seen(access, ticket)}."
    sentence = f"{name} sees {number} {how}"
    if action is None or action == Permission.VIEW:
        return sentence + "."
    action = Permission(action).value
    role = role_for(agent, ticket)
    if role is None:
        return f"{sentence}; {first} may not {action}: no active role applies in {department}."
    if role.allows(action):
        return f"{sentence}; {first} may {action}: role {role.name} grants '{action}'."
    return f"{sentence}; {first} may not {action}: the role lacks '{action}'."


def _how_seen(agent, access: AgentAccess, ticket) -> str | None:
    department = ticket.department.name
    dept_id = ticket.department_id
    if dept_id in access.viewable_department_ids:
        role = access.roles[dept_id]
        if dept_id == access.primary_department_id:
            return f"through the primary department {department} with role {role.name}"
        return f"through extended access to {department} with role {role.name}"
    if ticket.assignee_id == agent.pk:
        role = role_for(agent, ticket)
        lent = f", acting with role {role.name}" if role else ""
        return f"because it is assigned to them{lent}"
    if ticket.team_id is not None and ticket.team_id in access.team_ids:
        role = role_for(agent, ticket)
        lent = f", acting with role {role.name}" if role else ""
        return f"because it is assigned to their team {ticket.team.name}{lent}"
    return None


def _why_not_seen(access: AgentAccess, ticket) -> str:
    department = ticket.department.name
    if access.is_limited:
        return "limited access shows only tickets assigned to them or their teams"
    role = access.roles.get(ticket.department_id)
    if role is None:
        return f"no access to {department}, and it is not assigned to them or their teams"
    if not role.is_active:
        return f"role {role.name} in {department} is inactive"
    return f"role {role.name} in {department} lacks 'view'"
