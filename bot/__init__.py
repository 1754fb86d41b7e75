"""Mentor's domain: profiles, skills and the messages the bot shows.

Nothing here imports Slack or SQLAlchemy; time and randomness are passed in.
"""
