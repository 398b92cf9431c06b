"""The reference packages of the conformance scripts (tests/hf_tokenizer_parity.py,
grpo_conformance.py, grpo_update_trl.py, grader_vs_math_verify.py; tools/make_hf_fixtures.py and
tools/tokenizer_ref_hf.py, which add tests/ to sys.path for this file): each imports what it is
compared against through require(), so a package missing from the environment, or one that fails
while importing, ends the script with one line on stderr naming it,

    <script>: reference package 'X' cannot be imported: ModuleNotFoundError: No module named 'X'

and exit status 2, never a traceback or a skip. 2 is docs/design.md's "bad input" (exactly one line
on stderr saying what is wrong, nothing judged); 1 stays what it means everywhere else, a verdict
that failed (a difference from the reference), so a broken environment is never read as a
conformance failure, nor the other way round. CTest conformance/reference_missing runs every script
with one package hidden (tests/reference_missing.sh) and checks the line and the status.

Standard library only: it must import where nothing else does.
"""
import importlib
import os
import sys

EXIT_STATUS = 2


def script_name():
    return os.path.splitext(os.path.basename(sys.argv[0] or "python"))[0]


def refuse(name, why):
    """Print the one line naming reference package `name` (`why`: an exception or a sentence) and exit 2."""
    text = why if isinstance(why, str) else f"{type(why).__name__}: {why}"
    print(f"{script_name()}: reference package '{name}' cannot be imported: {' '.join(text.split())}",
          file=sys.stderr, flush=True)
    sys.exit(EXIT_STATUS)


def require(*names):
    """The modules `names` (dotted names allowed: "safetensors.torch"), imported in order, or refuse()
    on the first that cannot be: one module for one name, else a list."""
    mods = []
    for name in names:
        try:
            mods.append(importlib.import_module(name))
        except Exception as e:  # ImportError, or any error a package raises while importing
            refuse(name, e)
    return mods[0] if len(mods) == 1 else mods
