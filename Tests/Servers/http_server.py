#!/usr/bin/env python3
"""A real HTTP server for the webhook tests.

Listens on 127.0.0.1 (a free port), writes the port number to --port-file once it accepts connections, and records
each request as NNNN.json in --dir: method, path (with query), headers and body (text). --routes names a JSON file
mapping a path (without query) to {"status": 200, "body": "...", "delay": 0}; unknown paths answer 200 {"ok":true}.
With --cert and --key it serves HTTPS.
"""
import argparse
import json
import os
import signal
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def make_handler(folder, routes):
    counter = {"n": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            with lock:
                counter["n"] += 1
                stem = os.path.join(folder, "%04d" % counter["n"])
            record = {
                "method": self.command,
                "path": self.path,
                "headers": {k: v for k, v in self.headers.items()},
                "body": body.decode("utf-8", "replace"),
            }
            with open(stem + ".part", "w") as out:
                json.dump(record, out)
            os.rename(stem + ".part", stem + ".json")
            route = routes.get(self.path.split("?")[0], {})
            if route.get("delay"):
                time.sleep(route["delay"])
            answer = route.get("body", '{"ok":true}').encode()
            self.send_response(route.get("status", 200))
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--routes")
    parser.add_argument("--cert", help="serve HTTPS with this certificate (and --key)")
    parser.add_argument("--key")
    args = parser.parse_args()
    routes = {}
    if args.routes:
        with open(args.routes) as source:
            routes = json.load(source)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(args.dir, routes))
    server.daemon_threads = True
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(args.port_file + ".part", "w") as out:
        out.write(str(server.server_address[1]))
    os.rename(args.port_file + ".part", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    # The test process may ignore SIGTERM; a server started from it must still stop on it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    main()
