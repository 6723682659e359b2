"""Bolt listeners, thin: parse the payload, call a hub service, render, answer."""

from __future__ import annotations

from slack_bolt import App

from hub.wiring import Runtime
from slackapp.listeners import actions, commands, events, new_task, shortcuts


def register_listeners(app: App, rt: Runtime) -> None:
    actions.register(app, rt)
    commands.register(app, rt)
    events.register(app, rt)
    new_task.register(app, rt)
    shortcuts.register(app, rt)
