"""The fake Slack takes files the way slack_sdk's `files_upload_v2` sends them, and refuses them as Slack would."""

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.support.fake_slack import DEFAULT_TOKEN, FakeSlack, UploadedFile, manifest_scopes

# Not valid UTF-8, so the bytes must come through untouched.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
CSV = "name,skill\nAna,SQL\nBen,Python\n"


def started(scopes: frozenset[str]):
    fake = FakeSlack(scopes=scopes).start()
    return fake, WebClient(token=DEFAULT_TOKEN, base_url=fake.api_url)


@pytest.fixture
def slack():
    # The manifest may not grant files:write yet; these tests are about the fake, not the manifest.
    fake, client = started(manifest_scopes() | {"files:write"})
    yield fake, client
    fake.stop()


def test_bytes_arrive_exactly_with_their_name_title_channel_and_comment(slack):
    fake, client = slack
    response = client.files_upload_v2(
        channel="DUANA", file=PNG, filename="chart.png", title="Skills chart", initial_comment="Here it is"
    )

    [uploaded] = fake.uploaded()
    assert uploaded == UploadedFile(
        id=response["file"]["id"],
        filename="chart.png",
        title="Skills chart",
        channel_id="DUANA",
        initial_comment="Here it is",
        content=PNG,
    )
    assert response["files"] == [{"id": uploaded.id, "title": "Skills chart", "name": "chart.png"}]
    [asked] = fake.calls("files.getUploadURLExternal")
    assert (asked.args["filename"], int(asked.args["length"])) == ("chart.png", len(PNG))
    assert [call.args for call in fake.calls("upload")] == [{"file_id": uploaded.id, "size": len(PNG)}]


def test_a_file_from_a_path_keeps_its_name_and_text(slack, tmp_path):
    fake, client = slack
    path = tmp_path / "mentors.csv"
    path.write_text(CSV, encoding="utf-8")

    client.files_upload_v2(channel="CROUND", file=str(path), title="Mentors")

    [uploaded] = fake.uploaded()
    assert (uploaded.filename, uploaded.title, uploaded.content) == ("mentors.csv", "Mentors", CSV.encode())
    assert (uploaded.channel_id, uploaded.initial_comment) == ("CROUND", None)


def test_uploads_slack_cannot_find_or_size_are_refused(slack):
    fake, client = slack
    with pytest.raises(SlackApiError) as unsized:
        client.api_call("files.getUploadURLExternal", params={"filename": "a.txt"})
    assert unsized.value.response["error"] == "invalid_arguments"

    ticket = client.files_getUploadURLExternal(filename="a.txt", length=1)
    with pytest.raises(SlackApiError) as never_sent:  # the bytes never went to the upload URL
        client.files_completeUploadExternal(files=[{"id": ticket["file_id"]}], channel_id="DUANA")
    assert never_sent.value.response["error"] == "file_not_found"

    client.files_upload_v2(channel="DUANA", content="x", filename="b.txt")
    [done] = fake.uploaded()
    with pytest.raises(SlackApiError) as twice:  # "This method can only be called once"
        client.files_completeUploadExternal(files=[{"id": done.id}], channel_id="DUANA")
    assert twice.value.response["error"] == "file_not_found"
    assert fake.files == [done]


def test_without_files_write_the_upload_is_refused_for_missing_scope():
    fake, client = started(manifest_scopes() - {"files:write"})
    try:
        with pytest.raises(SlackApiError) as refused:
            client.files_upload_v2(channel="DUANA", file=PNG, filename="chart.png")
    finally:
        fake.stop()

    assert (refused.value.response["error"], refused.value.response["needed"]) == ("missing_scope", "files:write")
    assert fake.missing_scopes == [("files.getUploadURLExternal", "files:write")]
    assert fake.files == [] and fake.calls("upload") == []
