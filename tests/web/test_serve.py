"""The sockets of ``kam serve``: TCP (so Nagle's algorithm is off) and one per worker."""

from __future__ import annotations

import asyncio
import socket

from kam.web.commands import listening_socket


def test_the_socket_says_it_is_tcp_so_asyncio_turns_nagle_off() -> None:
    sock = listening_socket("127.0.0.1", 0)
    try:
        assert sock.proto == socket.IPPROTO_TCP
        sock.listen()
        port = sock.getsockname()[1]

        async def accepted_nodelay() -> int:
            found: asyncio.Future[int] = asyncio.get_running_loop().create_future()

            def on_connection(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
                accepted = writer.get_extra_info("socket")
                found.set_result(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                writer.close()

            server = await asyncio.start_server(on_connection, sock=sock)
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            result = await found
            writer.close()
            server.close()
            return result

        assert asyncio.run(accepted_nodelay()) == 1
    finally:
        sock.close()


def test_each_worker_binds_its_own_socket_to_the_same_port() -> None:
    first = listening_socket("127.0.0.1", 0, shared_port=True)
    port = first.getsockname()[1]
    second = listening_socket("127.0.0.1", port, shared_port=True)
    try:
        assert second.getsockname()[1] == port
    finally:
        first.close()
        second.close()
