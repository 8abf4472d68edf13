"""The one way templates ask what an agent may do: {% can_act agent "reply" ticket as may %}."""

from django import template

from tickets.permissions import can

register = template.Library()


@register.simple_tag
def can_act(agent, action, ticket) -> bool:
    return can(agent, action, ticket)
