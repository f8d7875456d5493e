"""The published contract: schema, version, item fields and docs/output.md agree; lines validate."""

from __future__ import annotations

import json
import re
from importlib.resources import files

import pytest

from parkcrawl.items import SCHEMA_VERSION, output_fields
from tests.ops.conftest import DemoOutput
from tests.support import ROOT, SchemaViolation, validate_lines

DOC = ROOT / "docs" / "output.md"


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_schema_ships_in_the_package(article_schema: dict) -> None:
    # read the way a zipped egg or a wheel install reads it
    shipped = json.loads((files("parkcrawl") / "schema" / "article.schema.json").read_text("utf-8"))
    assert shipped == article_schema


def test_schema_version_is_the_items_version(article_schema: dict) -> None:
    major = SCHEMA_VERSION.split(".")[0]
    pattern = article_schema["properties"]["schema_version"]["pattern"]
    assert pattern == f"^{major}\\.[0-9]+$"
    assert re.fullmatch(r"\d+\.\d+", SCHEMA_VERSION)


def test_schema_describes_each_field_as_the_item_does(article_schema: dict) -> None:
    # The field docs live once, in items.py; itemadapter reads them off the dataclass.
    from itemadapter import ItemAdapter

    from parkcrawl.items import Article

    documented = ItemAdapter.get_json_schema(Article)["properties"]
    for name in output_fields():
        expected = documented[name]["description"].replace("``", "")
        assert article_schema["properties"][name]["description"] == expected, name


def _json_types(spec: dict) -> set[str]:
    """The JSON types a schema (or itemadapter) property allows."""
    if "enum" in spec:
        names = {str: "string", int: "integer", bool: "boolean", type(None): "null"}
        return {names[type(value)] for value in spec["enum"]}
    kind = spec["type"]
    return {kind} if isinstance(kind, str) else set(kind)


def test_schema_types_agree_with_the_item_annotations(article_schema: dict) -> None:
    # itemadapter turns the dataclass annotations into JSON types; the schema may be stricter
    # (title is never null in a written line) but never allow a type the item cannot hold.
    from itemadapter import ItemAdapter

    from parkcrawl.items import Article

    derived = ItemAdapter.get_json_schema(Article)["properties"]
    for name in output_fields():
        ours, theirs = article_schema["properties"][name], derived[name]
        assert _json_types(ours) <= _json_types(theirs), name
        if "items" in ours:
            inner = theirs["items"]
            if inner.get("type") == "object":
                # {"name", "role"} objects: every property's type is the item's value type
                values = _json_types(inner["additionalProperties"])
                for key, spec in ours["items"]["properties"].items():
                    assert _json_types(spec) <= values, f"{name}.{key}"
            else:
                assert _json_types(ours["items"]) <= _json_types(inner), name


def test_schema_1_3_fields_and_the_deprecated_column(article_schema: dict) -> None:
    props = article_schema["properties"]
    added = {name for name, spec in props.items() if spec.get("x-since") == "1.3"}
    assert added == {
        "channel", "canonical_url", "language", "authors", "description", "keywords",
        "modified_at", "breadcrumb_urls",
    }
    assert props["column"]["deprecated"] is True
    assert "removed in 2.0" in props["column"]["description"]
    assert props["authors"]["items"]["properties"]["role"]["enum"] == [
        "作者", "记者", "编辑", "通讯员", "摄影",
    ]


def test_schema_lists_the_output_fields_in_order(article_schema: dict) -> None:
    assert list(article_schema["properties"]) == output_fields()
    # every field but those a later minor version added (x-since) is required
    since = {name for name, spec in article_schema["properties"].items() if "x-since" in spec}
    assert since == {
        "site_name", "column", "site", "channel", "canonical_url", "language", "authors",
        "description", "keywords", "modified_at", "breadcrumb_urls",
    }
    assert article_schema["required"] == [name for name in output_fields() if name not in since]
    assert article_schema["additionalProperties"] is False


# A line of each earlier minor version of major 1, as those releases wrote it (docs/output.md,
# "Versions"): an appended feed holds them beside today's lines, and the schema reads them all.
LINE_1_0 = {
    "url": "http://park.test/a1.html", "title": "园区召开会议", "body": "正文。",
    "published_at": "2024-10-01", "breadcrumb": ["首页", "动态要闻", "园区信息"],
    "participants": [{"name": "张伟", "role": "园区管委会主任"}], "source": None,
    "content_hash": "0" * 64, "fetched_at": "2024-10-02T00:00:00Z", "encoding": "utf-8",
    "script": "Hans", "quality_flags": [], "revision": 1,
    "first_seen_at": "2024-10-02T00:00:00Z", "media": [], "schema_version": "1.0",
}
LINE_1_1 = {**LINE_1_0, "site_name": "园区网", "column": "园区信息", "schema_version": "1.1"}
LINE_1_2 = {**LINE_1_1, "site": "demo", "schema_version": "1.2"}


@pytest.mark.parametrize("line", [LINE_1_0, LINE_1_1, LINE_1_2], ids=["1.0", "1.1", "1.2"])
def test_lines_of_every_earlier_minor_version_validate(line: dict) -> None:
    validate_lines([line])


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"schema_version": "2.0"}, "another major version is another schema"),
        ({"headline": "x"}, "an unknown field"),
        ({"authors": [{"name": "王敏", "role": "主编"}]}, "a role outside the five"),
        ({"breadcrumb_urls": ["/dtyw/index.html"]}, "a relative crumb URL"),
        ({"language": "zh-CN"}, "a language other than zh-Hans / zh-Hant"),
    ],
)
def test_other_majors_and_unknown_fields_are_refused(change: dict, why: str) -> None:
    with pytest.raises(SchemaViolation):
        validate_lines([{**LINE_1_1, **change}])


def test_doc_has_a_section_per_field_in_output_order(doc: str) -> None:
    documented = re.findall(r"^### `(\w+)`$", doc, flags=re.MULTILINE)
    assert documented == output_fields(), (
        "docs/output.md needs one '### `field`' section per output field, in output order"
    )


def test_doc_names_the_current_version(doc: str) -> None:
    assert f'`"{SCHEMA_VERSION}"`' in doc
    assert re.search(rf"^\| {re.escape(SCHEMA_VERSION)} \|", doc, flags=re.MULTILINE), (
        "docs/output.md's version table has no row for the current version"
    )


def test_doc_example_line_validates_and_keeps_field_order(doc: str) -> None:
    block = re.search(r"## Example line.*?```json\n(.*?)\n```", doc, flags=re.DOTALL)
    assert block, "docs/output.md has no ```json example line"
    lines = block.group(1).splitlines()
    assert len(lines) == 1, "the example is one JSONL line"
    example = json.loads(lines[0])
    validate_lines([example], "docs/output.md example")
    assert list(example) == output_fields()


def test_demo_output_validates(demo_output: DemoOutput) -> None:
    assert len(demo_output.run.items) == 29
    validate_lines(demo_output.run.items, demo_output.feed)  # run_crawl did it too
    assert {item["schema_version"] for item in demo_output.run.items} == {SCHEMA_VERSION}
    # what the schema cannot say: one link (or null) per breadcrumb item, channel = column
    for item in demo_output.run.items:
        assert len(item["breadcrumb_urls"]) == len(item["breadcrumb"]), item["url"]
        assert item["channel"] == item["column"], item["url"]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda item: item.update(published_at="2024年10月18日"), "published_at"),
        (lambda item: item.update(surprise="field"), "(the line)"),
        (lambda item: item.pop("schema_version"), "(the line)"),
        # a one-character name and no role key
        (
            lambda item: item.update(
                participants=[{"name": "沈一鸣", "role": None}, {"name": "李"}]
            ),
            "participants/1",
        ),
        (lambda item: item.update(schema_version="0.9"), "schema_version"),
    ],
)
def test_a_broken_line_is_named(demo_output: DemoOutput, change, where: str) -> None:
    item = json.loads(json.dumps(demo_output.run.items[0]))
    change(item)
    with pytest.raises(SchemaViolation, match=rf"feed:1: {re.escape(where)}: "):
        validate_lines([item], "feed")
