#!/usr/bin/env python3
"""A real SMTP server for the channel tests, on aiosmtpd.

Listens on 127.0.0.1 (a free port), writes the port number to --port-file once it accepts connections, and saves
each message it receives as NNNN.eml (the DATA as received, dot-unstuffed) plus NNNN.json (envelope sender,
recipients, whether the session was TLS and authenticated, and the message as Python's email package parses it:
decoded subject, headers, text and HTML bodies, defects) in --dir.
"""
import argparse
import asyncio
import email
import email.policy
import json
import os
import signal
import ssl

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class SavingHandler:
    def __init__(self, folder, delay, implicit_tls, ack_delay=0):
        self.folder = folder
        self.implicit_tls = implicit_tls
        self.delay = delay
        self.ack_delay = ack_delay
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # Lets tests see a permanent refusal: any address whose local part starts with "rejected".
        if address.startswith("rejected"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.count += 1
        stem = os.path.join(self.folder, "%04d" % self.count)
        data = envelope.original_content or envelope.content
        with open(stem + ".eml.part", "wb") as out:
            out.write(data)
        with open(stem + ".json", "w") as out:
            json.dump({**parse(data),
                "mail_from": envelope.mail_from,
                "rcpt_tos": envelope.rcpt_tos,
                "tls": self.implicit_tls or session.ssl is not None,
                "authenticated": bool(session.authenticated),
            }, out)
        os.rename(stem + ".eml.part", stem + ".eml")
        if self.ack_delay:
            # Stored, then acknowledged late: the client cannot know the message arrived.
            await asyncio.sleep(self.ack_delay)
        return "250 OK saved"


def parse(data):
    message = email.message_from_bytes(data, policy=email.policy.default)
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    return {
        "subject": str(message["subject"]),
        "headers": [[name, str(value)] for name, value in message.items()],
        "content_type": message.get_content_type(),
        "text": text.get_content() if text is not None else None,
        "html": html.get_content() if html is not None else None,
        "defects": [type(defect).__name__ for defect in message.defects],
    }


def make_authenticator(expected):
    user, _, password = expected.partition(":")

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode() == user and auth_data.password.decode() == password)
        return AuthResult(success=ok, handled=False)

    return authenticate


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--starttls", action="store_true", help="offer STARTTLS and require it")
    parser.add_argument("--implicit-tls", action="store_true")
    parser.add_argument("--auth", help="user:password that AUTH must present")
    parser.add_argument("--delay", type=float, default=0, help="seconds to wait before answering DATA")
    parser.add_argument("--ack-delay", type=float, default=0,
                        help="seconds to wait after saving a message before acknowledging it")
    parser.add_argument("--port", type=int, default=0, help="listen on this port (default: any free one)")
    args = parser.parse_args()

    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    handler = SavingHandler(args.dir, args.delay, args.implicit_tls, args.ack_delay)
    options = {"hostname": "factorwatch-test", "ident": "factorwatch test server"}
    if args.starttls:
        options.update(tls_context=context, require_starttls=True)
    if args.auth:
        options.update(authenticator=make_authenticator(args.auth), auth_required=True,
                       auth_require_tls=bool(args.starttls or args.implicit_tls))

    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, loop=loop, **options), host="127.0.0.1", port=args.port,
                                      ssl=context if args.implicit_tls else None)
    port = server.sockets[0].getsockname()[1]
    with open(args.port_file + ".part", "w") as out:
        out.write(str(port))
    os.rename(args.port_file + ".part", args.port_file)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    # The test process may ignore SIGTERM; a server started from it must still stop on it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    asyncio.run(main())
