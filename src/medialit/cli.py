"""The ``medialit`` command. Expected mistakes print one readable line to stderr and exit 2."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from medialit.errors import MedialitError

FORMATS = ("table", "csv", "json")
FIRST_NOTEBOOK = "00_contents.ipynb"


def emit(frame: pd.DataFrame, fmt: str, out=None) -> None:
    """Print a DataFrame as an aligned table, CSV or JSON records."""
    out = out or sys.stdout
    if fmt == "csv":
        frame.to_csv(out, index=False, lineterminator="\n")
    elif fmt == "json":
        json.dump(frame.to_dict(orient="records"), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        with pd.option_context(
            "display.max_colwidth",
            70,
            "display.width",
            200,
            "display.max_rows",
            None,
            "display.max_columns",
            None,
        ):
            out.write(frame.to_string(index=False) + "\n")


def cmd_scheme(args: argparse.Namespace) -> int:
    from medialit.scheme import load_scheme

    scheme = load_scheme(Path(args.file) if args.file else None)
    emit(scheme.to_frame(), args.format)
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    """Open JupyterLab on the course: the lessons' contents page, or a notebook or folder.

    Without a path, JupyterLab's file browser shows the whole kit, so a self-study learner
    reaches the lessons (``notebooks/``) and the exercises (``exercises/``) alike.
    """
    import importlib.util
    import subprocess
    from urllib.parse import quote

    if importlib.util.find_spec("jupyterlab") is None:
        raise MedialitError(
            "JupyterLab is not installed in this Python. Install the kit with "
            "'pip install -e .' (or 'pip install jupyterlab') and try again."
        )
    extra = list(args.extra)
    target = Path(extra.pop(0)) if extra and not extra[0].startswith("-") else None
    if extra[:1] == ["--"]:
        extra = extra[1:]
    if target is not None and args.dir:
        raise MedialitError("Give either --dir or a notebook or folder to open, not both.")
    if target is not None:
        root, first = _lab_target(target.expanduser().resolve())
    else:
        from medialit import paths

        folder = Path(args.dir) if args.dir else paths.notebooks_dir()
        first = _first_lesson(folder)
        root = folder if args.dir else folder.resolve().parent  # the kit: lessons and exercises
    if not _writable(first.parent):
        raise MedialitError(
            f"The course folder {first.parent} is read-only (an installed copy). "
            "Copy the lessons to a folder of your own with 'medialit copy-lessons DIR', "
            "then run 'medialit lab --dir DIR'."
        )
    page = first.resolve().relative_to(Path(root).resolve()).as_posix()
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.default_url=/lab/tree/{quote(page)}",
    ]
    if args.no_browser:
        command.append("--no-browser")
    command += extra
    print(f"Opening JupyterLab on {first} (stop it with Ctrl+C) ...", file=sys.stderr)
    return subprocess.call(command)


def _first_lesson(folder: Path) -> Path:
    """The notebook a folder of lessons opens on: its contents page, else its first lesson."""
    if not folder.is_dir():
        raise MedialitError(f"The course folder {folder} does not exist.")
    first = folder / FIRST_NOTEBOOK
    if first.is_file():
        return first
    candidates = sorted(folder.glob("00_*.ipynb"))
    if not candidates:
        raise MedialitError(f"No lesson notebooks in {folder}.")
    return candidates[0]


def _lab_target(path: Path) -> tuple[Path, Path]:
    """(JupyterLab's root folder, the notebook to open) for a notebook or folder.

    Inside the kit, the root is the kit's folder, so the lessons stay in reach beside an
    exercise; elsewhere it is the folder itself (or the notebook's folder).
    """
    from medialit import paths

    if not path.exists():
        raise MedialitError(
            f"{path} does not exist. Give a notebook (.ipynb) or a folder, for example "
            "'medialit lab exercises/a1_claims/a1_claims.ipynb'."
        )
    if path.is_file():
        if path.suffix != ".ipynb":
            raise MedialitError(f"{path} is not a notebook (a .ipynb file).")
        first = path
    else:
        first = path / FIRST_NOTEBOOK
        if not first.is_file():
            found = [
                p for p in sorted(path.rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts
            ]
            if not found:
                raise MedialitError(f"There are no notebooks (.ipynb) in {path}.")
            first = found[0]
    kit = paths.notebooks_dir().resolve().parent
    if first.is_relative_to(kit):
        return kit, first
    return (path if path.is_dir() else path.parent), first


def _writable(folder: Path) -> bool:
    import os

    return os.access(folder, os.W_OK)


def cmd_copy(args: argparse.Namespace) -> int:
    from medialit import paths

    target = Path(args.target)
    if target.exists():
        raise MedialitError(f"{target} already exists; choose a new folder name.")
    shutil.copytree(
        paths.notebooks_dir(),
        target,
        ignore=shutil.ignore_patterns("answers", ".ipynb_checkpoints", "__pycache__"),
    )
    print(f"Copied the lessons to {target}. Open them with: medialit lab --dir {target}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="medialit",
        description="medialit: a media-literacy course kit for JupyterLab.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser(
        "lab",
        help="open JupyterLab on the course (or on a notebook or folder)",
        description="Open JupyterLab on the course's contents page, with the lessons and the "
        "exercises in its file browser; or on a notebook or folder you name, for example "
        "'medialit lab exercises/a1_claims/a1_claims.ipynb'.",
    )
    p.add_argument("--dir", help="a folder of lesson notebooks to open instead of the kit's")
    p.add_argument("--no-browser", action="store_true", help="start the server only")
    p.add_argument(
        "extra",
        nargs=argparse.REMAINDER,
        metavar="[PATH] [-- OPTIONS]",
        help="a notebook or folder to open; after --, options passed to JupyterLab",
    )
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser(
        "copy-lessons",
        help="copy the lesson notebooks to a folder of your own",
        description="Copy the lesson notebooks to a new folder.",
    )
    p.add_argument("target", help="a folder that does not exist yet")
    p.set_defaults(func=cmd_copy)

    p = sub.add_parser(
        "scheme",
        help="print the tagging scheme",
        description="Print the five-layer tagging scheme, one row per label.",
    )
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.add_argument("--file", help="a scheme CSV to check and print instead of the kit's own")
    p.set_defaults(func=cmd_scheme)

    for register in _EXTENSIONS:
        register(sub)
    return parser


#: Other modules add subcommands here (article, reference, class-report, grading commands).
_EXTENSIONS: list[Callable[[argparse._SubParsersAction], None]] = []


def _load_extensions() -> None:
    import importlib

    for name in (
        "medialit.cli_article",
        "medialit.cli_reference",
        "medialit.cli_analysis",
        "medialit.cli_course",
    ):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        if module.register not in _EXTENSIONS:
            _EXTENSIONS.append(module.register)


def main(argv: list[str] | None = None) -> int:
    _load_extensions()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except MedialitError as exc:
        print(f"medialit: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("medialit: stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
