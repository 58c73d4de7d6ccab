"""Reading inputs: every kind of bad input gets one clear line and the rest is still read."""

import json
from datetime import date

import pytest

from newsgraph.errors import InputError
from newsgraph.io import Defaults, decode, looks_binary, read_articles


def read(paths, **kwargs):
    problems = []
    articles = list(read_articles([str(p) for p in paths], on_problem=problems.append, **kwargs))
    return articles, problems


def test_txt_file_is_one_article_with_text_exactly_as_given(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfLine one.\r\nLine two.\n")
    (article,), problems = read([path])
    assert article.text == "Line one.\r\nLine two.\n"  # BOM dropped, no newline translation
    assert problems == []


def test_content_id_is_stable_and_given_ids_are_kept(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"id": "x-1", "text": "Hello."}) + "\n" + json.dumps({"text": "Hello."}) + "\n"
    )
    (first, second), _ = read([path])
    again, _ = read([path])
    assert first.id == "x-1"
    assert second.id == again[1].id and len(second.id) == 16


def test_defaults_fill_missing_metadata_only(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"text": "A.", "published": "2020-01-02", "source": "Wire"})
        + "\n"
        + json.dumps({"text": "B."})
        + "\n"
    )
    (a, b), _ = read([path], defaults=Defaults(source="Desk", published=date(2021, 5, 6)))
    assert (a.source, a.published) == ("Wire", date(2020, 1, 2))
    assert (b.source, b.published) == ("Desk", date(2021, 5, 6))


def test_missing_file_is_reported_and_others_still_read(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Fine text.")
    articles, problems = read([tmp_path / "nope.txt", good])
    assert len(articles) == 1
    assert problems == [f"error: {tmp_path / 'nope.txt'}: no such file"]


@pytest.mark.parametrize(
    "name,content",
    [("empty.txt", b""), ("blank.txt", b"  \n\n"), ("empty.jsonl", b"\n"), ("empty.csv", b"")],
)
def test_empty_files_are_reported(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    articles, problems = read([path])
    assert articles == [] and len(problems) == 1 and "empty file" in problems[0]


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    articles, problems = read([path])
    assert articles == [] and "binary" in problems[0]


def test_binary_detection_leaves_text_alone():
    assert not looks_binary("Zürich, café — «quoted»\n".encode())
    assert looks_binary(b"abc\x00def")


@pytest.mark.parametrize("encoding,label", [("cp1252", "Windows-1252"), ("latin-1", "Latin-1")])
def test_legacy_encodings_are_decoded_with_a_warning(encoding, label):
    problems = []
    raw = (
        "Caf\u00e9 owner Jos\u00e9 said \u201cno\u201d."
        if encoding == "cp1252"
        else "Caf\u00e9 \x81"
    )
    text = decode(raw.encode(encoding), "f.txt", problems.append)
    assert text == raw
    assert problems == [f"warning: f.txt: not valid UTF-8, decoded as {label}"]


def test_jsonl_bad_lines_are_skipped_and_good_ones_kept(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": "1", "text": "First."}),
                "{not json",
                json.dumps({"id": "3", "title": "no text"}),
                json.dumps(["a", "list"]),
                json.dumps({"id": "5", "text": "Fifth.", "published": "last tuesday"}),
            ]
        )
    )
    articles, problems = read([path])
    assert [a.id for a in articles] == ["1", "5"]
    assert articles[1].published is None
    assert [p.split(":")[2] for p in problems[:3]] == ["2", "3", "4"]
    assert "not valid JSON" in problems[0] and "no 'text'" in problems[1]
    assert "not a YYYY-MM-DD date" in problems[3]


def test_csv_reads_records_and_refuses_files_without_text_column(tmp_path):
    good = tmp_path / "a.csv"
    good.write_text('id,Text,source\nc1,"Hello, world.",Wire\nc2,,Wire\n')
    bad = tmp_path / "b.csv"
    bad.write_text("id,body\n1,Hello\n")
    articles, problems = read([good, bad])
    assert [(a.id, a.text, a.source) for a in articles] == [("c1", "Hello, world.", "Wire")]
    assert "no 'text'" in problems[0] and "no 'text' column" in problems[1]


def test_directory_is_read_recursively_in_sorted_order(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("B text.")
    (tmp_path / "sub" / "a.jsonl").write_text(json.dumps({"id": "a", "text": "A text."}))
    (tmp_path / "notes.md").write_text("ignored")
    articles, problems = read([tmp_path])
    assert [a.text for a in articles] == ["B text.", "A text."]
    assert problems == []


def test_stdin_is_text_or_sniffed_jsonl():
    import io

    texts = list(read_articles(["-"], stdin=io.BytesIO(b"Plain text article.")))
    records = list(read_articles(["-"], stdin=io.BytesIO(b'{"id": "s", "text": "From JSON."}\n')))
    assert texts[0].text == "Plain text article."
    assert (records[0].id, records[0].text) == ("s", "From JSON.")


def test_input_error_is_the_documented_exception():
    with pytest.raises(InputError):
        decode(b"\x00\x01", "x", print)
