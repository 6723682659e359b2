"""The Slack front end: a sync slack-bolt App, its listeners, Block Kit renderers, routes.

Nothing imports this package except the composition root (hub/app.py), which mounts
`slackapp.routes.build_router(rt)`.
"""
