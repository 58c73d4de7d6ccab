"""The `newsgraph` command: thin commands over the library.

stdout carries data (reports or JSON); progress bars, warnings and errors go to stderr. No
traceback reaches the user: errors are one line, and the exit status is non-zero only when
nothing could be done (or the command line itself is wrong).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from . import __version__
from .analyze import PIPELINES
from .batch import BatchSummary, analyze_all, collect, ingest_articles
from .contract import analysis_to_dict
from .errors import NewsgraphError
from .io import FORMATS, Defaults
from .report import article_report, conflicts_report
from .store import Store

DEFAULT_DB = "news.db"


def _say(message: str) -> None:
    click.echo(message, err=True)


def _emit_json(record: Any, indent: int | None = None) -> None:
    click.echo(json.dumps(record, ensure_ascii=False, indent=indent))


def _parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def input_options(func):
    """Options shared by the commands that read articles."""
    func = click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="auto",
        show_default=True,
        help="Input format; 'auto' goes by file suffix (.jsonl/.json/.csv, else text) "
        "and sniffs stdin.",
    )(func)
    func = click.option(
        "--source", metavar="NAME", help="Source (outlet) for articles whose input names none."
    )(func)
    func = click.option(
        "--published",
        metavar="YYYY-MM-DD",
        callback=_parse_date,
        help="Publication date for articles whose input gives none; anchors relative dates.",
    )(func)
    func = click.argument("paths", nargs=-1, required=True, metavar="PATH...")(func)
    return func


def pipeline_option(func):
    return click.option(
        "--pipeline",
        type=click.Choice(PIPELINES),
        default=None,
        envvar="NEWSGRAPH_PIPELINE",
        show_envvar=True,
        help="accurate (default): MiniLM entity model via ONNX Runtime; fast: spaCy CNN, "
        "about twice the speed; baseline: en_core_web_sm's own recognizer.",
    )(func)


def db_option(func):
    return click.option(
        "--db",
        "db_path",
        metavar="FILE",
        default=DEFAULT_DB,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="SQLite store.",
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="newsgraph")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars.")
@click.pass_context
def cli(ctx: click.Context, quiet: bool) -> None:
    """Turn news articles into a record of who said what, who did what to whom, where and
    when, and where the sources disagree.

    \b
    Inputs: .txt files (one article each), .jsonl / .json / .csv records with a 'text'
    field (and optional id, source, published, title, url), directories of such files,
    or '-' for stdin. Lowercased, tokenized research-corpus text works as well as ordinary
    text.

    \b
    Start with:  newsgraph analyze article.txt --published 2017-10-14
                 newsgraph ingest corpus.jsonl --db news.db && newsgraph report --db news.db
    """
    ctx.obj = {"progress": not quiet}


@cli.command()
@input_options
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="One newsgraph.analysis/1 JSON object per article (JSON Lines), input order.",
)
@click.option("--indent", type=int, default=None, help="With --json: indent the JSON.")
@pipeline_option
@click.pass_context
def analyze(ctx, paths, published, source, fmt, as_json, indent, pipeline):
    """Analyze articles and print a report (or the JSON contract with --json)."""
    summary = BatchSummary()
    articles = collect(
        paths, defaults=Defaults(source, published), fmt=fmt, summary=summary, say=_say
    )
    for analysis in analyze_all(
        articles, summary=summary, progress=ctx.obj["progress"], say=_say, pipeline=pipeline
    ):
        summary.outcomes["analyzed"] += 1
        record = analysis_to_dict(analysis)
        if as_json:
            _emit_json(record, indent)
        else:
            click.echo(article_report(record) + "\n")
    if not summary.done:
        raise click.exceptions.Exit(1)


@cli.command()
@input_options
@db_option
@pipeline_option
@click.pass_context
def ingest(ctx, paths, published, source, fmt, db_path, pipeline):
    """Analyze articles and store them; articles already stored are left as they are."""
    summary = BatchSummary()
    articles = collect(
        paths, defaults=Defaults(source, published), fmt=fmt, summary=summary, say=_say
    )
    with Store(db_path) as store:
        ingest_articles(
            articles,
            store,
            summary=summary,
            progress=ctx.obj["progress"],
            say=_say,
            pipeline=pipeline,
        )
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.outcomes.items()))
    _say(f"newsgraph: {db_path}: {counts or 'nothing to ingest'}")
    if not summary.done:
        raise click.exceptions.Exit(1)


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the counts as a JSON object.")
def stats(db_path, as_json):
    """Count the stored records of each kind."""
    with Store(db_path, readonly=True) as store:
        counts = store.stats()
    if as_json:
        _emit_json(counts)
    else:
        for kind, n in counts.items():
            click.echo(f"{kind:<12} {n:>8}")


@cli.command()
@click.argument("article_id", metavar="ID")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the stored JSON contract object.")
def show(article_id, db_path, as_json):
    """Show one stored article (an unambiguous id prefix is enough)."""
    with Store(db_path, readonly=True) as store:
        record = store.analysis(article_id)
    if as_json:
        _emit_json(record)
    else:
        click.echo(article_report(record))


@cli.command()
@click.argument("query")
@db_option
@click.option("--limit", default=20, show_default=True, help="Most sentences to list.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per matching sentence.")
def search(query, db_path, limit, as_json):
    """Full-text search over stored sentences (SQLite FTS5 syntax, or plain words)."""
    with Store(db_path, readonly=True) as store:
        hits = store.search(query, limit=limit)
    for hit in hits:
        if as_json:
            _emit_json(hit)
        else:
            where = f"{hit['article']}#{hit['sentence']}"
            dated = f" {hit['published']}" if hit["published"] else ""
            click.echo(f"{where}{dated}: {hit['snippet']}")
    if not hits:
        _say(f"newsgraph: no sentence matches {query!r}")


@cli.command()
@db_option
def report(db_path):
    """Print a readable report of every stored article, the conflicts found within them and
    the conflicts between the articles of each story."""
    from .corpus import cross_conflicts

    with Store(db_path, readonly=True) as store:
        records = list(store.analyses())
        across = cross_conflicts(store)
    for record in records:
        click.echo(article_report(record) + "\n")
    click.echo(conflicts_report(records))
    click.echo(f"\n== Conflicting accounts across articles ({len(across)})")
    for conflict in across:
        click.echo(f"-- {conflict['topic']} (story {conflict['story']})")
        click.echo(f"   why: {conflict['reason']}")
    if not across:
        click.echo("   none found so far")


@cli.command()
@click.option(
    "--db",
    "db_path",
    metavar="FILE",
    default="demo.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="SQLite store to fill.",
)
@click.pass_context
def demo(ctx, db_path):
    """Ingest the built-in sample corpus and print the report."""
    from importlib import resources

    corpus = resources.files("newsgraph.demo").joinpath("corpus.jsonl")
    with resources.as_file(corpus) as path:
        ctx.invoke(
            ingest,
            pipeline=None,
            paths=(str(path),),
            published=None,
            source=None,
            fmt="auto",
            db_path=db_path,
        )
    ctx.invoke(report, db_path=db_path)


@cli.group(name="eval")
def eval_group():
    """Score newsgraph on gold data and print one table per task."""


def eval_options(data: str, data_help: str, *, split: bool = True):
    """The options every `eval` command takes: the gold folder, the portion, a document
    limit, the pipeline and JSON output."""

    def decorate(func):
        for option in reversed(
            [
                click.option(
                    "--data",
                    type=click.Path(path_type=Path),
                    default=Path(data),
                    show_default=True,
                    help=data_help,
                ),
                *(
                    [
                        click.option(
                            "--split",
                            type=click.Choice(["dev", "train", "test"]),
                            default="dev",
                            show_default=True,
                            help="Which portion of the gold set (dev unless said otherwise).",
                        )
                    ]
                    if split
                    else []
                ),
                click.option("--limit", type=int, default=None, help="Score only the first N."),
                pipeline_option,
                click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON."),
                click.pass_context,
            ]
        ):
            func = option(func)
        return func

    return decorate


#: The evaluations that score both text forms take this option.
form_option = click.option(
    "--form",
    "forms",
    type=click.Choice(["raw", "research"]),
    multiple=True,
    help="Score only this form (repeatable); default: both, as written and in research form.",
)


def _print_scores(results: dict, as_json: bool, format_table) -> None:
    if as_json:
        _emit_json(results, indent=2)
    else:
        click.echo(format_table(results))


@eval_group.command(name="ner")
@eval_options(
    "../shared/data/conll2003",
    "Folder with CoNLL-2003 (eng.testa ...) or WNUT-17 (emerging.*) files.",
)
def eval_ner(ctx, data, split, limit, pipeline, as_json):
    """Entity recognition, cased and lowercased, exact span and type (CoNLL-2003, WNUT-17)."""
    from .evaluate.ner import evaluate_ner, format_table

    results = evaluate_ner(
        data, split=split, limit=limit, progress=ctx.obj["progress"], pipeline=pipeline
    )
    _print_scores(results, as_json, format_table)


@eval_group.command(name="attribution")
@eval_options(
    "../shared/data/polnear",
    "The PolNeAR folder (with data/<split>/text and data/<split>/attributions).",
)
@form_option
def eval_attribution(ctx, data, split, limit, pipeline, as_json, forms):
    """Attribution: source, cue and content P/R/F1 (exact and word overlap) on PolNeAR,
    as written and in the research-corpus form (lowercased, quotes stripped, tokenized)."""
    from .evaluate.attribution import FORMS, evaluate_attribution, format_table

    results = evaluate_attribution(
        data,
        split=split,
        limit=limit,
        forms=tuple(forms) or FORMS,
        progress=ctx.obj["progress"],
        pipeline=pipeline,
    )
    _print_scores(results, as_json, format_table)


@eval_group.command(name="time")
@eval_options(
    "../shared/data/time",
    "Folder with TempEval-3 TimeML files (te3-platinum/*.tml).",
    split=False,
)
@click.option("--verbose", is_flag=True, help="With --json, list each document's mistakes.")
def eval_time(ctx, data, limit, pipeline, as_json, verbose):
    """Time expressions: TempEval-3 strict and relaxed span P/R/F1, type and value F1."""
    from .evaluate.timeml import evaluate_time, format_table

    results = evaluate_time(
        data, limit=limit, progress=ctx.obj["progress"], pipeline=pipeline, verbose=verbose
    )
    _print_scores(results, as_json, format_table)


@eval_group.command(name="geo")
@eval_options(
    "../shared/data/geo",
    "Folder with GeoWebNews (GeoWebNews_*.xml), TR-News or LGL XML files.",
    split=False,
)
@form_option
@click.option(
    "--verbose", is_flag=True, help="With --json, list every toponym missed or misplaced."
)
def eval_geo(ctx, data, limit, pipeline, as_json, forms, verbose):
    """Places: accuracy within 161 km, mean and median error, per corpus, as written and in
    the research-corpus form."""
    from .evaluate.geo import FORMS, evaluate_geo, format_table

    results = evaluate_geo(
        data,
        limit=limit,
        forms=tuple(forms) or FORMS,
        progress=ctx.obj["progress"],
        pipeline=pipeline,
        verbose=verbose,
    )
    _print_scores(results, as_json, format_table)


@cli.command()
@db_option
@click.option(
    "--by", "by", metavar="NAME", help="Only statements whose speaker is NAME (any alias)."
)
@click.option(
    "--about",
    "about",
    metavar="NAME",
    help="Only statements whose content names or refers to NAME.",
)
@click.option("--limit", type=int, default=None, help="Show at most N statements.")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one statement per line.")
def said(db_path, by, about, limit, as_json):
    """Who said what: stored statements with speaker, cue, content, article and date.

    \b
    newsgraph said --db news.db --by "Katrin Vollmer"
    newsgraph said --db news.db --about SDF --json
    """
    with Store(db_path, readonly=True) as store:
        found = store.statements(by=by, about=about, limit=limit)
    for record in found:
        if as_json:
            _emit_json(record)
            continue
        source = record["source"]
        speaker = source["name"] or source["text"] or "(no stated source)"
        if source["name"] and source["text"] and source["text"].lower() != source["name"].lower():
            speaker += f" ({source['text']})"
        dated = record["published"] or "undated"
        click.echo(f"{dated}  {record['article']}#{record['sentence']}  {record['kind']}")
        click.echo(f"  {speaker} | {record['cue']['text']} | {record['content']['text']}")
        if record["sentence_text"]:
            click.echo(f"  sentence: {record['sentence_text']}")
    if not found:
        wanted = " and ".join(f"{k} {v!r}" for k, v in (("by", by), ("about", about)) if v)
        _say(f"newsgraph: no statements{' ' + wanted if wanted else ''} in {db_path}")


@cli.command()
@db_option
@click.option("--entity", metavar="NAME", help="Only what names or refers to NAME (any alias).")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one dated item per line.")
def timeline(db_path, entity, as_json):
    """What happened when: dated expressions in time order, with their sentence and the
    statements made in it.

    \b
    newsgraph timeline --db news.db
    newsgraph timeline --db news.db --entity "Elbtor Terminals" --json
    """
    with Store(db_path, readonly=True) as store:
        items = store.timeline(entity=entity)
    for item in items:
        if as_json:
            _emit_json(item)
            continue
        click.echo(f"{item['value']:<16} {item['article']}#{item['sentence']}  {item['text']!r}")
        click.echo(f"  {' '.join(item['sentence_text'].split())}")
        for s in item["statements"]:
            who = s["source"]["name"] or s["source"]["text"] or "(no stated source)"
            click.echo(f"  - {who} [{s['cue']['text']}]: {s['content']['text']}")
    if not items:
        wanted = f" about {entity!r}" if entity else ""
        _say(f"newsgraph: no dated items{wanted} in {db_path}")


@eval_group.command(name="stance")
@eval_options(
    "../shared/data/fnc1",
    "The FNC-1 folder (train_bodies.csv, train_stances*.csv, splits/).",
    split=False,
)
@click.option(
    "--split",
    type=click.Choice(["holdout", "train", "test"]),
    default="holdout",
    show_default=True,
    help="holdout: the official body-disjoint dev split; test: the competition test files.",
)
def eval_stance(ctx, data, limit, pipeline, as_json, split):
    """Stance: FNC-1 weighted score (% of the maximum), per-class P/R/F1, confusion matrix."""
    from .evaluate.fnc import evaluate_stance, format_table

    results = evaluate_stance(data, split=split, limit=limit, progress=ctx.obj["progress"])
    _print_scores(results, as_json, format_table)


@eval_group.command(name="conflicts")
@click.option(
    "--data",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder with corpus.jsonl and conflicts.json (the conflicts a reader finds); "
    "default: the built-in demo corpus.",
)
@pipeline_option
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.pass_context
def eval_conflicts(ctx, data, pipeline, as_json):
    """Conflicting accounts: recall of the conflicts a reader finds in multi-source stories,
    and the share of reported conflicts that are real."""
    from importlib import resources

    from .evaluate.conflicts import evaluate_conflicts, format_table

    folder = resources.files("newsgraph.demo")
    with resources.as_file(folder) as demo:
        results = evaluate_conflicts(data or demo, progress=ctx.obj["progress"], pipeline=pipeline)
    _print_scores(results, as_json, format_table)


@cli.command()
@click.option(
    "--headlines",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="CSV with Headline,Body ID (a Stance column is ignored).",
)
@click.option(
    "--bodies",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="CSV with Body ID,articleBody.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Where to write Headline,Body ID,Stance.",
)
@click.pass_context
def stance(ctx, headlines, bodies, out):
    """Label each (headline, body) pair agree / disagree / discuss / unrelated, in the FNC-1
    format.

    \b
    newsgraph stance --headlines STANCES.csv --bodies BODIES.csv --out PRED.csv
    """
    from .evaluate.fnc import predict_stances, read_bodies, read_stances, write_predictions

    pairs = read_stances(headlines)
    texts = read_bodies(bodies)
    labels = predict_stances(pairs, texts, progress=ctx.obj["progress"])
    write_predictions(out, pairs, labels)
    counts = ", ".join(f"{label} {labels.count(label)}" for label in sorted(set(labels)))
    _say(f"newsgraph: {len(labels)} pairs -> {out} ({counts})")


def _who(statement: dict) -> str:
    source = statement["source"]
    return source.get("name") or source.get("text") or "(no stated source)"


@cli.command()
@db_option
@click.option("--story", metavar="ID", help="Only this story (ids from `newsgraph stories`).")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one conflict per line.")
def conflicts(db_path, story, as_json):
    """Where sources disagree: conflicting statements within an article and across the
    articles of a story, side by side, with why newsgraph thinks they conflict.

    \b
    newsgraph conflicts --db news.db
    newsgraph conflicts --db news.db --story s2 --json
    """
    from .corpus import all_conflicts

    with Store(db_path, readonly=True) as store:
        found = all_conflicts(store, story)
    for conflict in found:
        if as_json:
            _emit_json(conflict)
            continue
        where = conflict.get("article") or "across articles"
        click.echo(
            f"== {conflict['topic']}  [{conflict['id']}, story {conflict['story']}, {where}]"
        )
        click.echo(f"   why: {conflict['reason']}")
        for s in conflict["statements"]:
            dated = s.get("published") or "undated"
            click.echo(f"   - {dated} {s['article']}  {_who(s)} [{s['cue']['text']}]:")
            click.echo(f"       {' '.join(s['content']['text'].split())}")
    if not found:
        wanted = f" in story {story!r}" if story else ""
        _say(f"newsgraph: no conflicts{wanted} in {db_path}")


@cli.command()
@db_option
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one story per line.")
def stories(db_path, as_json):
    """Articles grouped into stories: the same event over days and sources.

    \b
    newsgraph stories --db news.db
    """
    from .corpus import all_conflicts
    from .corpus import stories as find_stories

    with Store(db_path, readonly=True) as store:
        found = find_stories(store)
        counts: dict[str, int] = {}
        for conflict in all_conflicts(store):
            counts[conflict["story"]] = counts.get(conflict["story"], 0) + 1
    for story in found:
        record = {
            "id": story.id,
            "title": story.title,
            "articles": story.articles,
            "entities": story.entities,
            "conflicts": counts.get(story.id, 0),
        }
        if as_json:
            _emit_json(record)
            continue
        days = [a["published"] for a in story.articles if a["published"]]
        span = f"{min(days)} .. {max(days)}" if days else "undated"
        click.echo(f"{story.id}  {story.title}")
        click.echo(
            f"    {len(story.articles)} article(s), {span}, {record['conflicts']} conflict(s); "
            f"about {', '.join(story.entities)}"
        )
        for a in story.articles:
            click.echo(f"    - {a['published'] or 'undated'}  {a['id']}  {a['source'] or ''}")
    if not found:
        _say(f"newsgraph: no articles in {db_path}")


@cli.command()
@click.argument("name")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print the entity as one JSON object.")
def entity(name, db_path, as_json):
    """One entity across articles (any of its names): aliases, mentions over time, what it
    said and what was said about it.

    \b
    newsgraph entity "Katrin Vollmer" --db news.db
    newsgraph entity HDWU --db news.db --json
    """
    from .corpus import entity_profile

    with Store(db_path, readonly=True) as store:
        profile = entity_profile(store, name)
    if profile is None:
        _say(f"newsgraph: no entity named {name!r} in {db_path}")
        raise SystemExit(1)
    if as_json:
        _emit_json(profile)
        return
    aliases = f" (also {', '.join(profile['aliases'])})" if profile["aliases"] else ""
    click.echo(f"{profile['name']}  {profile['type']}{aliases}")
    click.echo(f"  in {len(profile['articles'])} article(s)")
    for point in profile["mentions"]:
        click.echo(f"  {point['date']}  {'#' * min(point['count'], 40)} {point['count']}")
    for title, records in (("said", profile["said"]), ("said about it", profile["about"])):
        if records:
            click.echo(f"  {title}:")
        for s in records:
            click.echo(
                f"   - {s['published'] or 'undated'} {s['article']} [{s['cue']['text']}] "
                f"{' '.join(s['content']['text'].split())}"
            )


@cli.command()
@db_option
@click.option("--country", metavar="CC", help="Only places in this country (ISO code: SY, US).")
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one place per line.")
def places(db_path, country, as_json):
    """Where: every place the stored articles name, put on the map (GeoNames), with the
    names it was written as, its articles and the statements made where it is named.

    \b
    newsgraph places --db news.db
    newsgraph places --db news.db --country DE --json
    """
    with Store(db_path, readonly=True) as store:
        found = store.places(country=country)
    for item in found:
        if as_json:
            _emit_json(item)
            continue
        where = f"{item['lat']:.4f}, {item['lon']:.4f}"
        gid = f"  geonames:{item['geonames_id']}" if item["geonames_id"] else ""
        written = ", ".join(item["written"])
        click.echo(f"{item['name']} ({item['country'] or '-'})  {where}{gid}")
        click.echo(
            f"  {item['mentions']} mention(s) in {len(item['articles'])} article(s)"
            + (f"; written {written}" if written else "")
        )
        for s in item["statements"]:
            who = s["source"]["name"] or s["source"]["text"] or "(no stated source)"
            click.echo(f"  - {s['article']}  {who} [{s['cue']['text']}]: {s['content']['text']}")
    if not found:
        wanted = f" in {country!r}" if country else ""
        _say(f"newsgraph: no places{wanted} in {db_path}")


@cli.command()
@click.option("--repeat", default=5, show_default=True, help="Alternating rounds; best counts.")
@click.option(
    "--copies",
    default=8,
    show_default=True,
    help="How many times the sample corpus is repeated to make the workload.",
)
@click.option(
    "--pipeline",
    "pipelines",
    multiple=True,
    type=click.Choice(PIPELINES),
    help="Pipelines to measure (repeatable); default: accurate and fast.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def bench(repeat, copies, pipelines, as_json):
    """Throughput of full analysis against spaCy en_core_web_sm alone, as a ratio."""
    from .bench import benchmark, demo_articles, format_bench

    chosen = pipelines or ("accurate", "fast")
    result = benchmark(demo_articles() * copies, pipelines=chosen, repeat=repeat)
    if as_json:
        _emit_json(result)
    else:
        click.echo(format_bench(result))


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning every error into one line on stderr."""
    try:
        # Without standalone mode click returns the code of a `click.exceptions.Exit`.
        code = cli.main(args=argv, prog_name="newsgraph", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        # Click turns Ctrl-C into Abort; ingest has committed each article already stored.
        _say("newsgraph: interrupted")
        sys.exit(130)
    except NewsgraphError as exc:
        _say(f"newsgraph: error: {exc}")
        sys.exit(1)
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); stop quietly.
        sys.stderr.close()
        sys.exit(0)
    except KeyboardInterrupt:
        _say("newsgraph: interrupted")
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("NEWSGRAPH_DEBUG"):
            raise
        _say(
            f"newsgraph: internal error: {exc.__class__.__name__}: {exc} "
            "(set NEWSGRAPH_DEBUG=1 for a traceback)"
        )
        sys.exit(1)
    if isinstance(code, int) and code:
        sys.exit(code)


if __name__ == "__main__":
    main()
