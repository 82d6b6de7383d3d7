"""Options and helpers every CLI module shares."""

from __future__ import annotations

import importlib
import os
import re
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table as RichTable

    from marsad.sources import FieldMap
    from marsad.store import Filters


class _Lazy(ModuleType):
    """A module imported on first use: `marsad --help` and a command load only what they use."""

    def __init__(self, name: str) -> None:
        super().__init__(name)

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self.__name__), attr)


def lazy(name: str) -> ModuleType:
    return _Lazy(name)


class _Console:
    """rich's Console, made on first use: importing rich costs more than all of `marsad --help` should."""

    def __init__(self, stderr: bool = False) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def get(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr)
        return self._console

    def __getattr__(self, attr: str):
        return getattr(self.get(), attr)


console = _Console()
err_console = _Console(stderr=True)


def escape(text: str) -> str:
    """Text with rich's markup escaped (rich imported only when something is printed)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def Table(**options) -> RichTable:  # noqa: N802 - stands for rich's Table, imported on first use
    from rich.table import Table as RichTable

    return RichTable(**options)


def progress_bar(label: str) -> Progress:
    """A transient progress bar on stderr: label, bar, done of total, time elapsed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    return Progress(*columns, console=err_console.get(), transient=True)


RTL_RUN = re.compile(r"[\u0600-\u06ff]")


def for_terminal(text: str) -> str:
    """Arabic joined and laid out right to left for a terminal; left as is when piped to a file.

    MARSAD_BIDI=logical keeps logical order on a terminal that does its own bidi layout.
    """
    if not text or not RTL_RUN.search(text) or not console.is_terminal:
        return text
    if os.environ.get("MARSAD_BIDI", "visual") == "logical":
        return text
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text))


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="MARSAD_DB",
        help="Database URL or SQLite file path (default: ./marsad.db).",
        show_default=False,
    ),
]


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form", param_hint=option) from None


SinceOption = Annotated[str | None, typer.Option("--since", help="Earliest event date, YYYY-MM-DD.")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Latest event date, YYYY-MM-DD.")]
PerpetratorOption = Annotated[
    str | None, typer.Option("--perpetrator", help="Actor id(s), comma-separated, e.g. isis.")
]
VictimOption = Annotated[
    str | None, typer.Option("--victim", help="Victim group id(s), e.g. syrian_government,pro_government_militias.")
]
Admin1Option = Annotated[str | None, typer.Option("--admin1", help="Governorate(s), e.g. Deir-ez-Zor,Ar-Raqqa.")]
CountryOption = Annotated[str | None, typer.Option("--country", help="ISO 3166-1 alpha-2 code(s), e.g. SY,IQ.")]
KindOption = Annotated[str | None, typer.Option("--kind", help="incident or tally.")]
EventTypeOption = Annotated[str | None, typer.Option("--event-type", help="ACLED event type.")]
TextOption = Annotated[str | None, typer.Option("--text", help="Words the report must contain.")]


def build_filters(
    since: str | None = None,
    until: str | None = None,
    perpetrator: str | None = None,
    victim: str | None = None,
    admin1: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    event_type: str | None = None,
    text: str | None = None,
) -> Filters:
    if kind and kind not in ("incident", "tally"):
        raise typer.BadParameter("must be 'incident' or 'tally'", param_hint="--kind")
    from marsad.store import Filters

    return Filters(
        since=parse_day(since, "--since"),
        until=parse_day(until, "--until"),
        perpetrator=perpetrator,
        victim=victim,
        admin1=admin1,
        country=country,
        kind=kind,
        event_type=event_type,
        text=text,
    )


FieldOption = Annotated[
    list[str] | None,
    typer.Option(
        "--field",
        help="Map a JSONL/CSV field to a role, ROLE=NAME (roles: text, title, id, url, source, published, "
        "lang), e.g. --field text=body. Defaults: the usual names (text, title, docno/id, published_iso/date…).",
    ),
]


def field_map(pairs: list[str] | None) -> FieldMap:
    from marsad.sources import FieldMap

    fields = FieldMap()
    for pair in pairs or []:
        role, _, name = pair.partition("=")
        if not name or role not in FieldMap.__dataclass_fields__:
            roles = ", ".join(FieldMap.__dataclass_fields__)
            raise typer.BadParameter(f"{pair!r}: expected ROLE=NAME with ROLE one of {roles}", param_hint="--field")
        setattr(fields, role, name)
    return fields


ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="A decision model written by `marsad train`, or 'shipped' (default: the one the database remembers, "
        "else the one shipped; also MARSAD_MODEL). An ingest with --model makes the database remember it.",
    ),
]


def use_model(path: str | None) -> None:
    """Make `path` the model of this process and of the workers it starts (they inherit MARSAD_MODEL)."""
    if path is None:
        return
    from marsad.extract.decide import SHIPPED, load_model

    if path == SHIPPED:
        os.environ["MARSAD_MODEL"] = path
        return
    try:
        load_model(path)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--model") from exc
    os.environ["MARSAD_MODEL"] = os.path.abspath(path)
