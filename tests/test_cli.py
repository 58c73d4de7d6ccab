"""The command line as a user meets it: reports, JSON, the store, and bad input (uses the model)."""

import json

import pytest

pytestmark = pytest.mark.model

ARTICLE = (
    "Harbour master Lena Vogt said on Monday that the port of Hamburg would reopen. "
    "The union disagreed.\n"
)


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "port.txt"
    path.write_text(ARTICLE)
    return path


def test_analyze_prints_a_readable_report(run, article_file):
    result = run("analyze", str(article_file), "--published", "2024-03-04")
    assert result.code == 0
    assert "Lena Vogt" in result.out and "Entities" in result.out and "2024-03-04" in result.out


def test_analyze_json_prints_one_contract_object_per_article_in_input_order(run, tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(
        "\n".join(json.dumps({"id": f"a{i}", "text": f"Report {i} from Paris."}) for i in range(3))
    )
    result = run("analyze", str(path), "--json", "--source", "Desk")
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert [r["article"]["id"] for r in lines] == ["a0", "a1", "a2"]
    assert all(r["schema"] == "newsgraph.analysis/1" for r in lines)
    assert lines[0]["article"]["source"] == "Desk"


def test_stdin_is_read_with_a_dash(run):
    result = run("analyze", "-", "--json", stdin=ARTICLE.encode())
    assert json.loads(result.out)["article"]["text"] == ARTICLE


def test_sample_article_json(run, seed_text):
    from conftest import SEED

    result = run("analyze", str(SEED), "--published", "2017-10-14", "--json")
    record = json.loads(result.out)
    assert result.code == 0
    assert record["article"]["form"] == "caseless"
    assert record["article"]["published"] == "2017-10-14"
    assert record["article"]["text"] == seed_text


def test_bad_inputs_get_one_line_each_and_good_ones_are_still_processed(
    run, tmp_path, article_file
):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "old.txt").write_bytes(
        "Caf\u00e9 owners in Lyon said prices rose.".encode("cp1252")
    )
    (tmp_path / "mixed.jsonl").write_text('{"id": "ok", "text": "Fine."}\n{broken\n{"id": "x"}\n')
    result = run(
        "analyze",
        str(tmp_path / "missing.txt"),
        str(tmp_path / "empty.txt"),
        str(tmp_path / "blob.txt"),
        str(tmp_path / "old.txt"),
        str(tmp_path / "mixed.jsonl"),
        str(article_file),
        "--json",
    )
    assert result.code == 0
    ids = [json.loads(line)["article"]["id"] for line in result.out.splitlines()]
    assert len(ids) == 3 and "ok" in ids
    err = result.err.splitlines()
    assert len(err) == 6, err
    assert all(line.startswith("newsgraph: ") for line in err)
    assert "Traceback" not in result.err
    for needle in (
        "no such file",
        "empty file",
        "binary",
        "Windows-1252",
        "not valid JSON",
        "no 'text'",
    ):
        assert any(needle in line for line in err), needle


def test_nothing_to_do_exits_non_zero_without_traceback(run, tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = run("analyze", str(tmp_path / "empty.txt"), str(tmp_path / "absent.txt"))
    assert result.code == 1
    assert result.out == "" and "Traceback" not in result.err
    assert len(result.err.splitlines()) == 2


def test_bad_published_date_is_a_usage_error(run, article_file):
    result = run("analyze", str(article_file), "--published", "14/10/2017")
    assert result.code == 2 and "YYYY-MM-DD" in result.err


def test_ingest_twice_changes_nothing_and_queries_work(run, tmp_path, article_file):
    db = str(tmp_path / "news.db")
    assert run("ingest", str(article_file), "--db", db).code == 0
    first = json.loads(run("stats", "--db", db, "--json").out)
    again = run("ingest", str(article_file), "--db", db)
    assert "1 unchanged" in again.err
    assert json.loads(run("stats", "--db", db, "--json").out) == first
    assert first["articles"] == 1 and first["entities"] >= 2 and first["sentences"] == 2
    article_id = run("search", "Hamburg", "--db", db, "--json").out
    hit = json.loads(article_id.splitlines()[0])
    assert "Hamburg" in hit["text"]
    shown = run("show", hit["article"][:6], "--db", db, "--json")
    assert json.loads(shown.out)["article"]["text"] == ARTICLE
    assert "Lena Vogt" in run("show", hit["article"], "--db", db).out
    assert "Conflicting accounts" in run("report", "--db", db).out


def test_queries_on_a_missing_store_say_so(run, tmp_path):
    result = run("stats", "--db", str(tmp_path / "none.db"))
    assert result.code == 1 and "no such database" in result.err
    assert "Traceback" not in result.err


def test_show_unknown_id_is_one_line(run, tmp_path, article_file):
    db = str(tmp_path / "news.db")
    run("ingest", str(article_file), "--db", db)
    result = run("show", "zzz", "--db", db)
    assert (
        result.code == 1
        and result.err.strip() == f"newsgraph: error: no article with id 'zzz' in {db}"
    )


def test_a_multi_megabyte_article_is_analyzed(run, tmp_path):
    paragraph = (
        "The minister said on Tuesday that talks in Geneva would resume. "
        "Officials in Paris disagreed.\n\n"
    )
    path = tmp_path / "big.txt"
    path.write_text(paragraph * (1_050_000 // len(paragraph) + 1))
    result = run("analyze", str(path), "--json", "--pipeline", "fast")  # size, not the model
    assert result.code == 0, result.err
    record = json.loads(result.out)
    assert len(record["article"]["text"]) > 1_000_000
    assert len(record["sentences"]) > 20_000
    assert record["entities"] and "Traceback" not in result.err


def test_help_explains_every_command(run):
    result = run("--help")
    for command in (
        "analyze",
        "ingest",
        "stats",
        "show",
        "search",
        "report",
        "demo",
        "eval",
        "bench",
    ):
        assert command in result.out
    assert "--published" in run("analyze", "--help").out


def test_interrupted_ingest_keeps_what_it_stored_and_resumes(run, tmp_path, monkeypatch):
    import newsgraph.batch

    path = tmp_path / "batch.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"id": f"a{i}", "text": f"Officials in Madrid said {i} buses left."})
            for i in range(5)
        )
    )
    db = str(tmp_path / "news.db")
    real = newsgraph.batch.default_pipeline()
    calls = []

    def interrupted(article):
        calls.append(article.id)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(article)

    monkeypatch.setattr(newsgraph.batch, "default_pipeline", lambda name=None: interrupted)
    stopped = run("ingest", str(path), "--db", db)
    assert stopped.code == 130 and "interrupted" in stopped.err
    monkeypatch.undo()
    assert json.loads(run("stats", "--db", db, "--json").out)["articles"] == 2
    resumed = run("ingest", str(path), "--db", db)
    assert "2 unchanged" in resumed.err and "3 added" in resumed.err
    counts = json.loads(run("stats", "--db", db, "--json").out)
    assert counts["articles"] == 5 and counts["sentences"] == 5
