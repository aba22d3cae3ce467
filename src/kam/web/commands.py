"""The web application's commands, ``kam serve`` and ``kam demo``.

They live with the web application (the command line finds them by name, as
it finds every command), so that the command line never imports the web.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kam.i18n import N_
from kam.i18n import gettext as _
from kam.i18n.commands import command, option
from kam.settings import load_settings

if TYPE_CHECKING:
    from fastapi import FastAPI


def _settings(ctx: click.Context, data_dir: Path | None) -> dict[str, str]:
    flags = {"data_dir": str(data_dir) if data_dir else None}
    return load_settings(os.environ, ctx.meta.get("kam.settings_file"), flags)


#: The environment variable that hands the settings to the worker processes of ``kam serve``.
SETTINGS_VARIABLE = "KAM_SERVE_SETTINGS"


def default_workers() -> int:
    """One worker process per core, at most 4 (SQLite readers do not block each other)."""
    return max(1, min(os.cpu_count() or 1, 4))


def served_app() -> FastAPI:
    """The application of one worker process of ``kam serve --workers N`` (a factory).

    Each worker opens the book itself and holds its own caches.
    """
    from kam.services.book import open_book
    from kam.services.page_caches import fill_page_caches_in_background
    from kam.web.app import create_app

    settings: dict[str, str] = json.loads(os.environ[SETTINGS_VARIABLE])
    book = open_book(settings)
    fill_page_caches_in_background(book)
    return create_app(settings, book)


def listening_socket(host: str, port: int, *, shared_port: bool = False) -> socket.socket:
    """A socket listening on ``host:port`` for ``kam serve``.

    It is made TCP explicitly (``IPPROTO_TCP``): the connections it accepts inherit
    that, and asyncio turns Nagle's algorithm off only on sockets that say they are
    TCP; otherwise every answer on a kept-alive connection would wait some 40 ms for
    the client's delayed acknowledgement (as with uvicorn's own socket for several
    workers, uvicorn issue 3149). With ``shared_port`` each worker process binds its
    own socket to the same port (``SO_REUSEPORT``) and the kernel spreads the
    connections over them evenly; one socket shared by the workers hands a burst of
    connections to whichever worker wakes first.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if shared_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(settings: str, host: str, port: int) -> None:
    """One worker process of ``kam serve --workers N``: its own socket on the shared port."""
    import uvicorn

    os.environ[SETTINGS_VARIABLE] = settings
    config = uvicorn.Config(f"{__name__}:served_app", factory=True, log_level="warning")
    uvicorn.Server(config).run(sockets=[listening_socket(host, port, shared_port=True)])


def _serve_workers(settings: dict[str, str], host: str, port: int, workers: int) -> None:
    """Run ``workers`` processes on one port; a worker that dies is started again.

    SIGINT and SIGTERM stop every worker (each finishes its requests) and then this
    process.
    """
    import multiprocessing
    import signal
    import time

    listening_socket(host, port).close()  # a port already taken fails here, at once
    context = multiprocessing.get_context("spawn")
    payload = json.dumps(dict(settings))

    def start() -> multiprocessing.process.BaseProcess:
        process = context.Process(target=_worker, args=(payload, host, port))
        process.start()
        return process

    def stop(_signal: int, _frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    processes = [start() for _ in range(workers)]
    try:
        while True:
            time.sleep(0.5)
            processes = [p if p.is_alive() else start() for p in processes]
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=15)
            if process.is_alive():
                process.kill()


def _serve(settings: dict[str, str], host: str, port: int, workers: int = 1) -> None:
    import uvicorn

    from kam.services.book import open_book

    book = open_book(settings)  # once here: brings the schema up to date before any worker
    if workers > 1:
        book.close()
        _serve_workers(settings, host, port, workers)
        return
    from kam.services.page_caches import fill_page_caches_in_background
    from kam.web.app import create_app

    fill_page_caches_in_background(book)
    try:
        uvicorn.run(create_app(settings, book), host=host, port=port, log_level="warning")
    finally:
        book.close()


@command(help=N_("Serve the web application over the book (SQLite by default, PostgreSQL by URL)."))
@option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help=N_("The data directory [setting data_dir: ./kam-data, or KAM_DATA_DIR]."),
)
@option("--host", default="127.0.0.1", show_default=True, help=N_("Address to listen on."))
@option("--port", default=8000, show_default=True, help=N_("Port to listen on."))
@option(
    "--workers",
    type=click.IntRange(min=1),
    help=N_("Worker processes, each with its own caches [default: one per core, at most 4]."),
)
@click.pass_context
def serve(
    ctx: click.Context, /, data_dir: Path | None, host: str, port: int, workers: int | None
) -> None:
    """``kam serve``: see the help."""
    click.echo(_("kam serves http://{host}:{port}/ (Ctrl+C stops)").format(host=host, port=port))
    _serve(_settings(ctx, data_dir), host, port, workers or default_workers())


@command(
    help=N_(
        "Build a demo book from the real Northwind sample, classify it, and serve it.\n\n"
        "Clients with their contact people, products and order lines come from the sample; "
        "the sample's sales people are the account managers (each client is owned by who "
        "took most of its orders) and its vice president of sales the head of key accounts. "
        "The admin and viewer logins are demo logins; the account plans of the three largest "
        "clients and the prospect list are demo content, labelled (demo)."
    )
)
@option(
    "--data-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default="kam-demo",
    show_default=True,
    help=N_("Where to build the demo book (an earlier demo book there is replaced)."),
)
@option(
    "--samples",
    type=click.Path(path_type=Path, file_okay=False),
    help=N_("The samples folder [default: samples/ of the source checkout]."),
)
@option("--password", help=N_("One password for every demo login [default: random]."))
@option("--host", default="127.0.0.1", show_default=True, help=N_("Address to listen on."))
@option("--port", default=8000, show_default=True, help=N_("Port to listen on."))
@option("--serve/--no-serve", "and_serve", default=True, help=N_("Serve the book once built."))
@click.pass_context
def demo(
    ctx: click.Context,
    /,
    data_dir: Path,
    samples: Path | None,
    password: str | None,
    host: str,
    port: int,
    and_serve: bool,
) -> None:
    """``kam demo``: see the help."""
    from kam.services.demo import PERIODS, build_demo

    click.echo(
        _("Building the demo book in {data_dir} from the Northwind sample...").format(
            data_dir=data_dir
        )
    )
    book, logins = build_demo(data_dir, samples, password)
    book.close()
    click.echo(
        _("Classified {first} and {second}; three account plans and a prospect list.").format(
            first=PERIODS[0], second=PERIODS[1]
        )
    )
    click.echo("\n" + _("Logins:"))
    width = max(len(login.name) for login in logins)
    for login in logins:
        click.echo(
            f"  {login.name:<{width}}  {login.password:<14}  {login.role.value:<8} {login.who}"
        )
    if and_serve:
        click.echo(
            "\n" + _("Open http://{host}:{port}/ (Ctrl+C stops)").format(host=host, port=port)
        )
        _serve(_settings(ctx, data_dir), host, port)
