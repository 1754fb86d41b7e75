"""Work done off a Slack request: routing asks and carrying their answers (asks), the
follow-up and round jobs the scheduler runs (followups, rounds), the outbox that sends every
queued DM once (outbox; what each kind renders and does: deliveries; paced by pacing), which
of Slack's errors no retry fixes, for every sender (slack_errors), and the workers that do
commands' work after the ack, from the database (command_jobs)."""
