"""Binding `deps` to module-level listeners (handlers.listeners.bind) keeps Bolt's injection
of every other argument by name."""

import pytest
from slack_bolt.util.utils import get_arg_names_of_callable

from deps import Deps
from handlers.listeners import bind

DEPS = Deps(store=None)


def clicked(ack, body, context, *, deps):
    return ack, body, context, deps


def test_bolt_sees_every_parameter_but_deps_and_the_listener_gets_deps_too():
    bound = bind(clicked, DEPS)

    assert get_arg_names_of_callable(bound) == ["ack", "body", "context"]
    assert bound(ack="a", body="b", context="c") == ("a", "b", "c", DEPS)
    assert bound.__name__ == "clicked"  # Bolt names the listener's logger after it


def test_a_listener_whose_deps_bolt_would_try_to_inject_is_refused_at_registration():
    def positional(ack, deps):
        return deps

    with pytest.raises(TypeError, match="keyword-only parameter `deps`"):
        bind(positional, DEPS)
    with pytest.raises(TypeError, match="keyword-only parameter `installations`"):
        bind(clicked, DEPS, installations=None)
