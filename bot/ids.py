"""Every id Slack sends back to us: the slash command, events, actions, views.

`tests/test_manifest.py` checks these against `manifest.yml` and against what the
handlers register, so a listener cannot exist without its manifest entry.
"""

SLASH_COMMAND = "/mentor"

# Bot events the app subscribes to (manifest: settings.event_subscriptions.bot_events).
APP_HOME_OPENED = "app_home_opened"
MESSAGE_IM = "message.im"  # Bolt listens to "message" and keeps the DMs (channel_type "im")
USER_CHANGE = "user_change"  # a member left the workspace (deleted): out of every round
TEAM_JOIN = "team_join"  # someone joined the workspace: welcomed once, enrolled in nothing
APP_UNINSTALLED = "app_uninstalled"  # the workspace's data and tokens are deleted
TOKENS_REVOKED = "tokens_revoked"  # the bot token revoked: as uninstalled
MEMBER_JOINED_CHANNEL = "member_joined_channel"  # joining a program's channel joins the program
MEMBER_LEFT_CHANNEL = "member_left_channel"  # leaving it leaves the program
BOT_EVENTS = (
    APP_HOME_OPENED,
    MESSAGE_IM,
    USER_CHANGE,
    TEAM_JOIN,
    APP_UNINSTALLED,
    TOKENS_REVOKED,
    MEMBER_JOINED_CHANNEL,
    MEMBER_LEFT_CHANNEL,
)

# Bot scopes (manifest: oauth_config.scopes.bot), also asked for by the OAuth install flow.
BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "im:history",
    "mpim:write",
    "mpim:history",
    "users:read",
    "files:write",  # admins' charts and exports, uploaded to their DM
    "chat:write.public",  # rounds' figures in a public program channel Mentor was not invited to
    "channels:read",  # a public program channel: whether Mentor is in it, its members, who joins and leaves
    "groups:read",  # the same for a private program channel Mentor was invited to
)

# Actions (block_actions' action_id).
OPEN_PROFILE = "open_profile"
ACCEPT_ASK = "ask_accept"  # value: the ask's id
PASS_ASK = "ask_pass"  # value: the ask's id
CANCEL_ASK = "ask_cancel"  # value: the ask's id
PICK_ASK_SKILL = "ask_pick_skill"  # value: "<ask id>:<skill key>"
NAME_ASK_SKILL = "ask_name_skill"  # a text input; its block_id is "ask_skill:<ask id>"
SELECT_ASK_SKILL = "ask_select_skill"  # a select; each option's value: "<ask id>:<skill key>"
FIND_MENTOR = "find_mentor"  # value: a skill key
# An ask nobody could take (issue 20); value: the ask's id. The asker posts it in the program
# channel with their name or without, or tries again; anyone there may take it (CLAIM_ASK).
POST_ASK = "ask_post"
POST_ASK_ANONYMOUSLY = "ask_post_anonymously"
CLAIM_ASK = "ask_claim"
ASK_AGAIN = "ask_again"
ASK_OTHER_SKILL = "ask_other_skill"
ASK_ACTIONS = (
    OPEN_PROFILE,
    ACCEPT_ASK,
    PASS_ASK,
    CANCEL_ASK,
    PICK_ASK_SKILL,
    SELECT_ASK_SKILL,
    NAME_ASK_SKILL,
    FIND_MENTOR,
    POST_ASK,
    POST_ASK_ANONYMOUSLY,
    CLAIM_ASK,
    ASK_AGAIN,
    ASK_OTHER_SKILL,
)

# Views (callback_id) and the block ids of their inputs.
PROFILE_VIEW = "profile"
ASK_VIEW = "ask"  # private_metadata: the skill key
ASK_QUESTION = "question"  # block and action id of the ask modal's input
ASK_VIEWS = (PROFILE_VIEW, ASK_VIEW)


class ProfileField:
    """Block ids of the profile modal's inputs; each block's single element uses the same id."""

    OFFERS = "offers"
    WANTS = "wants"
    OBJECTIVES = "objectives"
    CAREER_STAGE = "career_stage"
    TEAM = "team"
    SPONSORING = "open_to_sponsoring"
    CAPACITY = "capacity"
    NEVER = "never_pair"  # people never to be paired with in rounds; private
    ROUNDS = "rounds"  # checkboxes: "coffee", "reverse"
    SITUATIONS = "situations"  # checkboxes: bot/members/model.py; private


# Close the loop (follow-ups). Each outcome button has its own action id, as Slack wants
# action ids unique within a block; the value is the follow-up's id.
FOLLOWUP_CHOICES = {
    "helped": "followup_helped",
    "mixed": "followup_mixed",
    "didnt_help": "followup_didnt_help",
    "not_yet": "followup_not_yet",
    "not_relevant": "followup_not_relevant",
}
FOLLOWUP_ADD_NOTE = "followup_add_note"  # value: the follow-up's id; opens the note modal
FOLLOWUP_SEND_NOW = "followup_send_now"  # value: the follow-up's id; "Send without a note"
FOLLOWUP_SHARE = "followup_share"  # value: "<follow-up id>:yes" or ":no"
FOLLOWUP_REPLY = "followup_reply"  # value: the follow-up's id; the mentor's reply modal
ASK_HOW_IT_WENT = "followup_ask_how"  # value: the ask's id (group DM intro, Home tab)
FOLLOWUPS_OFF = "followups_off"
FOLLOWUPS_ON = "followups_on"
FOLLOWUP_ACTIONS = (
    *FOLLOWUP_CHOICES.values(),
    FOLLOWUP_ADD_NOTE,
    FOLLOWUP_SEND_NOW,
    FOLLOWUP_SHARE,
    FOLLOWUP_REPLY,
    ASK_HOW_IT_WENT,
    FOLLOWUPS_OFF,
    FOLLOWUPS_ON,
)
FOLLOWUP_NOTE_VIEW = "followup_note"  # private_metadata: the follow-up's id
FOLLOWUP_REPLY_VIEW = "followup_reply_view"  # private_metadata: the follow-up's id
NOTE_INPUT = "note"  # block and action id of the note and reply modals' text input
SHARE_INPUT = "share"  # block and action id of the note modal's checkbox

# Rounds (Home tab buttons).
JOIN_ROUND = "round_join"  # value: "coffee" or "reverse"
LEAVE_ROUND = "round_leave"  # value: "coffee" or "reverse"
PAUSE_ROUNDS = "rounds_pause"  # value: a duration such as "2w"
RESUME_ROUNDS = "rounds_resume"
SKIP_ROUND = "round_skip"  # value: "<kind>:<YYYY-MM-DD>" (the day-before notice)
UNSKIP_ROUND = "round_unskip"  # value: as SKIP_ROUND
# The halfway check-in in a group DM; value: the group's id.
CHECKIN_CHOICES = {"met": "checkin_met", "scheduled": "checkin_scheduled", "not_this_time": "checkin_not_this_time"}
# Month end of reverse mentoring, to each side; value: the group's id.
LEARNED_CHOICES = {
    "a_lot": "learned_a_lot",
    "something": "learned_something",
    "not_much": "learned_not_much",
    "did_not_meet": "learned_did_not_meet",
}
# Then, to a side who learned something: keep this partner for the next round, or not; value:
# the group's id.
KEEP_PARTNER = "reverse_keep_partner"
NEW_PARTNER = "reverse_new_partner"
# "Give us a question" under an introduction, and under each question it gave; value: the group's id.
ROUND_STARTER = "round_starter"
# "Say thanks" under a check-in answered "We met"; value: the group's id. Opens THANKS_VIEW.
SAY_THANKS = "round_say_thanks"
# A member's group in the category a program introduces by ("Office": NYC), one button per
# option in the join DM, the join reply and the Home tab; value: "<program key>:<option>".
# One action id per option, as Slack wants them unique within a block (at most ten options).
PICK_CATEGORY = tuple(f"program_pick_{number}" for number in range(10))
ROUND_ACTIONS = (
    JOIN_ROUND,
    LEAVE_ROUND,
    PAUSE_ROUNDS,
    RESUME_ROUNDS,
    SKIP_ROUND,
    UNSKIP_ROUND,
    *CHECKIN_CHOICES.values(),
    *LEARNED_CHOICES.values(),
    KEEP_PARTNER,
    NEW_PARTNER,
    ROUND_STARTER,
    SAY_THANKS,
    *PICK_CATEGORY,
)

# Program admins.
OPEN_SETTINGS = "admin_settings"  # Home tab: opens the settings modal
SEND_CHART = "admin_chart"  # Home tab: the charts, to the admin's DM; value: the period in days
SEND_EXPORT = "admin_export"  # Home tab: the CSV, to the admin's DM; value: the period in days
# Programs (issue 21), admins' side: the list of `/mentor programs` and the admin Home tab.
NEW_PROGRAM = "program_new"  # opens NEW_PROGRAM_VIEW
PAUSE_PROGRAM = "program_pause"  # value: the program's key
RESUME_PROGRAM = "program_resume"  # value: the program's key
ARCHIVE_PROGRAM = "program_archive"  # value: the program's key (Slack asks to confirm first)
ENROLL_CHANNEL = "program_enroll"  # value: the program's key; enrolls its channel's members
SKIP_ENROLL = "program_enroll_skip"  # value: the program's key; nobody enrolled
ADMIN_ACTIONS = (
    OPEN_SETTINGS,
    SEND_CHART,
    SEND_EXPORT,
    NEW_PROGRAM,
    PAUSE_PROGRAM,
    RESUME_PROGRAM,
    ARCHIVE_PROGRAM,
    ENROLL_CHANNEL,
    SKIP_ENROLL,
)
SETTINGS_VIEW = "program_settings"
NEW_PROGRAM_VIEW = "program_new"

# The "Say thanks" modal (private_metadata: the group's id) and its inputs' block and action ids.
THANKS_VIEW = "round_thanks"
THANKS_TO = "thanks_to"
THANKS_NOTE = "thanks_note"
THANKS_SHARE = "thanks_share"


class ProgramField:
    """Block ids of the new program modal's inputs; each block's single element uses the same id."""

    NAME = "program_name"
    KIND = "program_kind"
    CADENCE = "program_every_weeks"
    WEEKDAY = "program_weekday"
    GROUP_SIZE = "program_group_size"
    INTRO = "program_intro"
    CATEGORY = "program_category"  # TEAM_CATEGORY, an admin's category's key, or NEW_CATEGORY
    CATEGORY_NAME = "program_category_name"  # a new category's name ("Office")
    CATEGORY_OPTIONS = "program_category_options"  # its options, by commas ("NYC, London, Remote")
    MENTOR_SIDE = "program_mentor_side"  # mentoring: MENTOR_SIDES' index of the option that mentors
    HOUR = "program_round_hour"  # "00" to "23", or WORKSPACE_DEFAULT
    TIME_ZONE = "program_time_zone"  # an IANA name, or WORKSPACE_DEFAULT
    CHANNEL = "program_channel_id"


NEW_CATEGORY = "new"  # ProgramField.CATEGORY's option: the category named below it
WORKSPACE_DEFAULT = "workspace"  # ProgramField.HOUR's and TIME_ZONE's option: the workspace's, as it changes


class SettingsField:
    """Block ids of the settings modal's inputs; each block's single element uses the same id."""

    CADENCE = "coffee_every_weeks"
    GROUP_SIZE = "coffee_group_size"
    WEEKDAY = "coffee_weekday"
    HOUR = "round_hour"
    TIME_ZONE = "time_zone"
    FOLLOWUP_DAYS = "followup_days"
    ASK_TIMEOUT = "ask_timeout_hours"
    CHANNEL = "program_channel"
    REVERSE = "reverse_enabled"
    GUESTS = "guests_included"


# `/mentor forget`'s confirmation (value: "confirm"; whose data it is, the click says).
FORGET_ME = "forget_me"
FORGET_CANCEL = "forget_cancel"
FORGET_ACTIONS = (FORGET_ME, FORGET_CANCEL)

ACTIONS = (*ASK_ACTIONS, *FOLLOWUP_ACTIONS, *ROUND_ACTIONS, *ADMIN_ACTIONS, *FORGET_ACTIONS)
VIEWS = (*ASK_VIEWS, FOLLOWUP_NOTE_VIEW, FOLLOWUP_REPLY_VIEW, SETTINGS_VIEW, THANKS_VIEW, NEW_PROGRAM_VIEW)
