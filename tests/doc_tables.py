"""The TOML block under a section of a Markdown document (docs/other-trainers.md): the tables the
conformance tests read their cases from, so a document cannot drift from what is tested."""
import tomllib


class TableError(Exception):
    """A document's table is missing or malformed (the test exits 2 naming the file)."""


def doc_toml_block(doc, section):
    """The first ```toml block after the heading `## {section}` in `doc`, parsed."""
    text = open(doc, encoding="utf-8").read()
    head = text.find(f"## {section}")
    if head < 0:
        raise TableError(f"{doc}: no section '{section}'")
    start = text.find("```toml\n", head)
    end = text.find("\n```", start + 1)
    if start < 0 or end < 0:
        raise TableError(f"{doc}: no ```toml block in '{section}'")
    try:
        return tomllib.loads(text[start + len("```toml\n"):end])
    except tomllib.TOMLDecodeError as e:
        raise TableError(f"{doc}: the block under '{section}': {e}")
