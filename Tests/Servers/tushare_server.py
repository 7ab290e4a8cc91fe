#!/usr/bin/env python3
"""A local stand-in for Tushare's HTTP API, answering `trade_cal` as api.tushare.pro does.

Listens on 127.0.0.1 (a free port) and writes the port to --port-file once it accepts connections. A POST body
{"api_name": "trade_cal", "token": ..., "params": {"exchange", "start_date", "end_date"}, "fields": "..."} is
answered with {"code": 0, "msg": "", "data": {"fields": [...], "items": [[...], ...]}}, newest day first, is_open
as 0/1 and pretrade_date the previous open day, as Tushare returns them. Weekends and the --holidays (YYYYMMDD,
one per line) are closed. Each request is saved as NNNN.json in --dir.

--token is the only accepted token (another gets code -2001 and Tushare's message). --published-until YYYYMMDD cuts
the answer there (an exchange that has not published next year yet). --mode: ok, error (code 40203, rate limit),
http500, garbage (not JSON), empty (no items).
"""
import argparse
import datetime
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def day(text):
    return datetime.datetime.strptime(text, "%Y%m%d").date()


def calendar(exchange, start, end, holidays):
    """Rows from start to end inclusive, oldest first: (exchange, cal_date, is_open, pretrade_date)."""
    rows = []
    previous_open = None
    # Find the open day before `start` so the first row has its pretrade_date.
    probe = start - datetime.timedelta(days=1)
    for _ in range(30):
        if probe.weekday() < 5 and probe not in holidays:
            previous_open = probe
            break
        probe -= datetime.timedelta(days=1)
    current = start
    while current <= end:
        is_open = 1 if current.weekday() < 5 and current not in holidays else 0
        rows.append([exchange, current.strftime("%Y%m%d"), is_open,
                     previous_open.strftime("%Y%m%d") if previous_open else None])
        if is_open:
            previous_open = current
        current += datetime.timedelta(days=1)
    return rows


def make_handler(args, holidays):
    counter = {"n": 0}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *unused):
            pass

        def answer(self, status, text):
            body = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            with lock:
                counter["n"] += 1
                stem = os.path.join(args.dir, "%04d" % counter["n"])
            with open(stem + ".part", "w") as out:
                json.dump({"path": self.path, "headers": dict(self.headers.items()),
                           "body": raw.decode("utf-8", "replace")}, out)
            os.rename(stem + ".part", stem + ".json")
            if args.mode == "http500":
                return self.answer(500, "<html>Internal Server Error</html>")
            if args.mode == "garbage":
                return self.answer(200, "<html>maintenance</html>")
            try:
                request = json.loads(raw)
            except ValueError:
                return self.answer(200, json.dumps({"code": 40001, "msg": "bad request", "data": None}))
            if request.get("token") != args.token:
                return self.answer(200, json.dumps({"code": -2001, "msg": "您的token不对，请确认。", "data": None},
                                                   ensure_ascii=False))
            if args.mode == "error":
                message = "抱歉，您每分钟最多访问该接口200次"
                return self.answer(200, json.dumps({"code": 40203, "msg": message, "data": None},
                                                   ensure_ascii=False))
            if request.get("api_name") != "trade_cal":
                return self.answer(200, json.dumps({"code": 40101, "msg": "unknown api", "data": None}))
            params = request.get("params") or {}
            exchange = params.get("exchange") or "SSE"
            start = day(params.get("start_date") or "19900101")
            end = day(params.get("end_date") or "20991231")
            if args.published_until:
                end = min(end, day(args.published_until))
            rows = [] if args.mode == "empty" else calendar(exchange, start, end, holidays)
            rows.reverse()
            fields = (request.get("fields") or "exchange,cal_date,is_open,pretrade_date").split(",")
            order = ["exchange", "cal_date", "is_open", "pretrade_date"]
            items = [[row[order.index(name)] for name in fields if name in order] for row in rows]
            names = [name for name in fields if name in order]
            document = {"request_id": "local", "code": 0, "msg": "",
                        "data": {"fields": names, "items": items, "has_more": False}}
            return self.answer(200, json.dumps(document, ensure_ascii=False))

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--holidays")
    parser.add_argument("--published-until")
    parser.add_argument("--mode", default="ok", choices=["ok", "error", "http500", "garbage", "empty"])
    args = parser.parse_args()
    holidays = set()
    if args.holidays:
        with open(args.holidays) as source:
            holidays = {day(line.strip()) for line in source if line.strip()}
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(args, holidays))
    server.daemon_threads = True
    with open(args.port_file + ".part", "w") as out:
        out.write(str(server.server_address[1]))
    os.rename(args.port_file + ".part", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
