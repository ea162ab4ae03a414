"""A stand-in for OpenSSH's `ssh` where it is not installed: the same few uses, one process.

    python -m tests.ssh_client PORT USER KEYFILE [-N | -tt | COMMAND...]

`-tt`: a PTY session, stdin to the app, the app to stdout (EOF on stdin is sent on);
`-N`: connect and hold the connection; a COMMAND: run it, its output to stdout.
"""

from __future__ import annotations

import asyncio
import sys

import asyncssh


async def main(port: int, user: str, key: str, args: list[str]) -> int:
    async with asyncssh.connect("127.0.0.1", port, username=user, client_keys=[key],
                                known_hosts=None, agent_path=None) as conn:
        if args == ["-N"]:
            await conn.wait_closed()
            return 0
        if args == ["-tt"]:
            proc = await conn.create_process(term_type="xterm", term_size=(80, 24),
                                             encoding=None, stdout=sys.stdout.buffer)
            loop = asyncio.get_running_loop()
            while data := await loop.run_in_executor(None, sys.stdin.buffer.read1, 65536):
                proc.stdin.write(data)
            proc.stdin.write_eof()  # as OpenSSH does when its stdin ends
        else:
            proc = await conn.create_process(" ".join(args), encoding=None,
                                             stdout=sys.stdout.buffer)
        await proc.wait_closed()
        return proc.exit_status or 0


if __name__ == "__main__":
    port, user, key, *rest = sys.argv[1:]
    sys.exit(asyncio.run(main(int(port), user, key, rest)))
