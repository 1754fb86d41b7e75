"""Mentor's domain, one package per feature (asks, followups, rounds, members, program),
and what they share: Block Kit helpers, mrkdwn, ids, errors and the Home tab.

Nothing here imports Slack or SQLAlchemy; time and randomness are passed in.
"""
