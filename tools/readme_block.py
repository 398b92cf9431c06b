"""readme_block.py: the one place a tool writes a generated table into a markdown file.

    from readme_block import replace_block
    replace_block("README.md", "results", "quick", text, tool="readme_results")

Replaces whatever stands between `<!-- KIND:NAME:begin -->` and `<!-- KIND:NAME:end -->` with a newline
and `text` (which ends in a newline), so that rerunning a tool on committed data rewrites the same
bytes and the README tests can tell a typed or stale table. A file that cannot be read or lacks the
markers is exit 2 with one line naming the tool, the file and the markers.
"""
import sys


def replace_block(path, kind, name, text, tool):
    begin, end = f"<!-- {kind}:{name}:begin -->", f"<!-- {kind}:{name}:end -->"
    try:
        with open(path, encoding="utf-8") as f:
            s = f.read()
    except OSError as e:
        print(f"{tool}: {path}: {e.strerror}", file=sys.stderr)
        sys.exit(2)
    i, j = s.find(begin), s.find(end)
    if i < 0 or j < i:
        print(f"{tool}: {path}: no {begin} ... {end} markers", file=sys.stderr)
        sys.exit(2)
    if not text.endswith("\n"):
        text += "\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(s[:i + len(begin)] + "\n" + text + s[j:])
