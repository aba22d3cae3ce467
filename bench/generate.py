"""Generate realistic synthetic sales lines as Parquet, for the benchmarks.

One DuckDB ``COPY (SELECT ... FROM range(N)) TO 'file.parquet'`` statement
streams the lines out in row groups, so 1e8 lines (and more) fit in a few
hundred MiB of memory. Every random draw is a hash of the line number, the
seed and a stream number, so a seed always gives the same lines.

The shape of the book:

- ``client_id``: ``C0000123`` (text), or the client number as BIGINT with
  ``--client-id int``; clients = lines / 100 by default. Lines go to
  clients by a heavy-tailed law that is the same at every size: the client at
  relative position ``y`` in [0, 1) gets lines with density proportional to
  ``(y + 0.0002) ** -0.97``, so the top 20% of clients hold about 80% of the
  lines (and of the value). Client numbers are a permutation of those
  positions, so the largest clients are not C0000000, C0000001, ...
  About 2% of the lines have no client id (null).
- ``date``: two years (2023-01-01 to 2024-12-31), busier around the turn of
  the year, with most weekend lines moved to the Friday or the Monday.
- ``order_id``: up to four orders per client and day (BIGINT).
- ``product_id``: ``P00042``, 5,000 products, the popular ones more often.
- ``quantity``: 1 and up (mean about 4); about 2% are credit notes (negative).
- ``price``: the product's list price (log-normal, median about 12) less a
  discount of up to 15%, in cents (two decimals).
- ``amount``: ``quantity * price`` rounded to cents, DOUBLE, or DECIMAL(18,2)
  with ``--amount decimal``.

The file is Parquet (zstd, row groups of 10^6 lines), or CSV with a header
with ``--format csv``. The same seed gives the same lines in every shape: only
the types of the client id and the amount and the file format differ.

Usage::

    .venv/bin/python bench/generate.py --lines 1e7 [--seed 0] [--clients N] [--output FILE]
        [--client-id text|int] [--amount double|decimal] [--format parquet|csv]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import Literal, get_args

ClientIdType = Literal["text", "int"]
AmountType = Literal["double", "decimal"]
FileFormat = Literal["parquet", "csv"]
CLIENT_ID_TYPES: tuple[ClientIdType, ...] = get_args(ClientIdType)
AMOUNT_TYPES: tuple[AmountType, ...] = get_args(AmountType)
FILE_FORMATS: tuple[FileFormat, ...] = get_args(FileFormat)

BENCH = Path(__file__).resolve().parent
DATA = BENCH / "data"

#: The heavy tail: density of lines at relative client position y is (y + C) ** -A.
TAIL_EXPONENT = 0.97
TAIL_OFFSET = 2e-4
NULL_CLIENT_RATE = 0.02
CREDIT_NOTE_RATE = 0.02
PRODUCTS = 5_000
DAYS = 731  # 2023-01-01 .. 2024-12-31
FIRST_DAY = "2023-01-01"
SEASONALITY = 0.35  # 0: flat; < 1: more lines around the turn of the year
WEEKEND_MOVED = 0.8
#: A prime larger than any client count used here: client number = position * P mod clients.
PERMUTATION_PRIME = 2_654_435_761


def parse_count(text: str) -> int:
    """A count written as ``10000000``, ``10_000_000`` or ``1e7``.

    Examples
    --------
    >>> parse_count("1e7")
    10000000
    >>> parse_count("12_345")
    12345
    """
    value = float(text.replace("_", ""))
    if value < 1 or value != int(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(value)


def count_label(count: int) -> str:
    """A count as a short label for file names: ``1e7`` for powers of ten, else the digits.

    Examples
    --------
    >>> count_label(10_000_000)
    '1e7'
    >>> count_label(25_000)
    '25000'
    """
    exponent = round(math.log10(count)) if count > 0 else 0
    return f"1e{exponent}" if 10**exponent == count else str(count)


def default_path(
    lines: int,
    seed: int,
    *,
    client_id: ClientIdType = "text",
    amount: AmountType = "double",
    file_format: FileFormat = "parquet",
) -> Path:
    """Where a generated file goes unless told.

    ``bench/data/sales-<lines>-s<seed>.parquet`` for text ids and DOUBLE
    amounts, else ``sales-<lines>-s<seed>-<client id>-<amount>.<format>``.

    Examples
    --------
    >>> default_path(10**6, 0).name
    'sales-1e6-s0.parquet'
    >>> default_path(10**6, 0, client_id="int", amount="decimal", file_format="csv").name
    'sales-1e6-s0-int-decimal.csv'
    """
    shape = "" if (client_id, amount) == ("text", "double") else f"-{client_id}-{amount}"
    return DATA / f"sales-{count_label(lines)}-s{seed}{shape}.{file_format}"


def _uniform(stream: int, seed: int, key: str = "i") -> str:
    """SQL for a uniform draw in [0, 1) from 53 bits of a hash of the key, seed and stream.

    DuckDB combines the hashes of several arguments with a multiply and an XOR,
    so two streams of ``hash(key, seed, stream)`` differ by a constant XOR and
    are strongly correlated; hashing that hash again mixes them apart.
    """
    return f"((hash(hash({key}, {seed}, {stream})) >> 11)::DOUBLE / 9007199254740992.0)"


def generation_sql(
    lines: int,
    clients: int,
    seed: int,
    *,
    client_id: ClientIdType = "text",
    amount: AmountType = "double",
) -> str:
    """The SELECT that yields ``lines`` sales lines (without the COPY around it).

    Columns: client_id, date, order_id, product_id, quantity, price, amount.
    ``client_id`` is text (``C0000123``) or the client number (BIGINT);
    ``amount`` is DOUBLE or DECIMAL(18,2).
    """
    if client_id not in CLIENT_ID_TYPES:
        raise ValueError(f"client_id must be one of {CLIENT_ID_TYPES}, not {client_id!r}")
    if amount not in AMOUNT_TYPES:
        raise ValueError(f"amount must be one of {AMOUNT_TYPES}, not {amount!r}")
    if clients < 1 or clients >= PERMUTATION_PRIME:
        raise ValueError(f"clients must be from 1 to {PERMUTATION_PRIME - 1:,}, not {clients:,}")
    width = max(7, len(str(clients - 1)))
    power = 1.0 - TAIL_EXPONENT
    low = TAIL_OFFSET**power
    high = (1.0 + TAIL_OFFSET) ** power
    # Inverse of the heavy-tailed law: relative position y of the line's client.
    position = (
        f"least(floor((({low!r} + {_uniform(1, seed)} * {high - low!r}) ** {1.0 / power!r}"
        f" - {TAIL_OFFSET!r}) * {clients}), {clients - 1})::BIGINT"
    )
    offset = seed * 7919 % clients
    season = f"{SEASONALITY!r} / (4 * pi()) * sin(4 * pi() * {_uniform(2, seed)})"
    client = (
        f"'C' || lpad(client_no::VARCHAR, {width}, '0')"
        if client_id == "text"
        else "client_no::BIGINT"
    )
    amount_type = "DECIMAL(18, 2)" if amount == "decimal" else "DOUBLE"
    z_price = (
        f"sqrt(-2 * ln(1 - {_uniform(10, seed, 'p')})) * cos(2 * pi() * {_uniform(11, seed, 'p')})"
    )
    return f"""
WITH draws AS (
    SELECT
        i,
        {position} AS pos,
        least(floor(({_uniform(2, seed)} - {season}) * {DAYS}), {DAYS - 1})::INTEGER AS day,
        floor({PRODUCTS} * {_uniform(3, seed)} ** 2)::INTEGER AS p,
        {_uniform(4, seed)} AS u_discount,
        least(1 + floor(-ln(1 - {_uniform(5, seed)}) * 3.5), 500)::INTEGER AS qty,
        {_uniform(6, seed)} < {CREDIT_NOTE_RATE!r} AS credit,
        {_uniform(7, seed)} < {NULL_CLIENT_RATE!r} AS no_client,
        {_uniform(8, seed)} AS u_weekend,
        floor(4 * {_uniform(9, seed)})::INTEGER AS order_no
    FROM range({lines}) AS r(i)
), shaped AS (
    SELECT
        *,
        (pos * {PERMUTATION_PRIME} + {offset}) % {clients} AS client_no,
        DATE '{FIRST_DAY}' + day AS raw_date,
        greatest(round(exp(2.5 + 0.9 * {z_price}), 2), 0.5) AS list_price
    FROM draws
), dated AS (
    SELECT
        *,
        CASE
            WHEN u_weekend >= {WEEKEND_MOVED!r} THEN raw_date
            WHEN dayofweek(raw_date) = 6 THEN raw_date - 1
            WHEN dayofweek(raw_date) = 0 THEN raw_date + 1
            ELSE raw_date
        END AS d
    FROM shaped
)
SELECT
    CASE WHEN no_client THEN NULL ELSE {client} END AS client_id,
    d AS date,
    (hash(hash(client_no, d, order_no, {seed})) % 1000000000000)::BIGINT AS order_id,
    'P' || lpad(p::VARCHAR, 5, '0') AS product_id,
    CASE WHEN credit THEN -qty ELSE qty END AS quantity,
    greatest(round(list_price * (1 - 0.15 * u_discount), 2), 0.01) AS price,
    CAST(round((CASE WHEN credit THEN -qty ELSE qty END)
          * greatest(round(list_price * (1 - 0.15 * u_discount), 2), 0.01), 2)
         AS {amount_type}) AS amount
FROM dated
"""


def generate(
    path: Path,
    lines: int,
    *,
    clients: int | None = None,
    seed: int = 0,
    threads: int | None = None,
    memory_limit: str = "4GB",
    row_group_size: int = 1_000_000,
    client_id: ClientIdType = "text",
    amount: AmountType = "double",
    file_format: FileFormat = "parquet",
) -> Path:
    """Write ``lines`` synthetic sales lines to the file ``path``; returns the path.

    The file is written next to its final place and renamed when complete.
    ``clients`` defaults to ``max(1, lines // 100)``. ``client_id``,
    ``amount`` and ``file_format`` choose the file's shape (see
    :func:`generation_sql`); a CSV file has a header and ``,`` between values.
    """
    if file_format not in FILE_FORMATS:
        raise ValueError(f"file_format must be one of {FILE_FORMATS}, not {file_format!r}")
    import duckdb

    clients = clients or max(1, lines // 100)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": memory_limit}
    if threads:
        config["threads"] = threads
    con = duckdb.connect(config=config)
    try:
        con.execute(f"SET temp_directory = '{path.parent / '.duckdb-tmp'}'")
        query = generation_sql(lines, clients, seed, client_id=client_id, amount=amount)
        target = str(partial).replace("'", "''")
        options = (
            f"FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {row_group_size}"
            if file_format == "parquet"
            else "FORMAT csv, HEADER true"
        )
        con.execute(f"COPY ({query}) TO '{target}' ({options})")
    finally:
        con.close()
    partial.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    """Command line: generate a file and print its path, size and time taken."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--lines",
        type=parse_count,
        default=10**7,
        help="number of sales lines, e.g. 1e6, 1e7, 1e8 [default: 1e7]",
    )
    parser.add_argument(
        "--clients", type=parse_count, help="number of clients [default: lines / 100]"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed [default: 0]")
    parser.add_argument(
        "--client-id",
        choices=CLIENT_ID_TYPES,
        default="text",
        help="client ids as text (C0000123) or as BIGINT client numbers [default: text]",
    )
    parser.add_argument(
        "--amount",
        choices=AMOUNT_TYPES,
        default="double",
        help="amounts as DOUBLE or DECIMAL(18,2) [default: double]",
    )
    parser.add_argument(
        "--format",
        dest="file_format",
        choices=FILE_FORMATS,
        default="parquet",
        help="Parquet (zstd) or CSV with a header [default: parquet]",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="the file [default: bench/data/sales-<lines>-s<seed>[-<client id>-<amount>].<format>]",
    )
    parser.add_argument("--threads", type=int, help="DuckDB threads [default: all cores]")
    parser.add_argument("--memory-limit", default="4GB", help="DuckDB memory limit [4GB]")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    args = parser.parse_args(argv)
    shape = {"client_id": args.client_id, "amount": args.amount, "file_format": args.file_format}
    path = args.output or default_path(args.lines, args.seed, **shape)
    if path.exists() and not args.force:
        print(f"{path} exists; keeping it (use --force to write it again)", file=sys.stderr)
        print(path)
        return 0
    started = time.perf_counter()
    generate(
        path,
        args.lines,
        clients=args.clients,
        seed=args.seed,
        threads=args.threads,
        memory_limit=args.memory_limit,
        **shape,
    )
    seconds = time.perf_counter() - started
    size = path.stat().st_size / 2**20
    print(
        f"wrote {args.lines:,} lines to {path} ({size:,.1f} MiB) in {seconds:.1f} s",
        file=sys.stderr,
    )
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
