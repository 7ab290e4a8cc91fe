#!/usr/bin/env bash
# Installs the Debian package built from this tree and runs it the way a server does: Debian's cron daemon, an
# /etc/cron.d line (`* * * * *` eval as the factorwatch user), an SMTP password given by file (0640
# root:factorwatch), and a real SMTP server (aiosmtpd) on 127.0.0.1 that must receive the digest. Then the same
# with a second channel whose secret file is missing: email still delivers, the broken channel is named, exit 1.
# A heartbeat URL (by file) points at a real HTTP server: start and success on the first run, start and fail
# on the second. Before that, the installed rule tests and the logrotate file. Needs root. Removes everything
# it installed (dpkg -r, the cron.d file, the cron daemon it started), so it can run again. BINARY=path packages that binary instead of a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "deployment test: needs root" >&2; exit 2; }
for tool in cron dpkg-deb dpkg-shlibdeps fakeroot adduser logrotate pgrep strip python3; do
    command -v "$tool" >/dev/null || { echo "deployment test: $tool is missing" >&2; exit 2; }
done
python3 -c "import aiosmtpd" || { echo "deployment test: python3 aiosmtpd is missing" >&2; exit 2; }

# One deployment test at a time on a machine (it owns /etc/factorwatch and the package while it runs).
exec 9>/var/lock/factorwatch-deployment-test.lock
if ! flock -n 9; then
    # Who has it open besides this script, for the log of a run that waited.
    lock=$(readlink -f /var/lock/factorwatch-deployment-test.lock)
    for fd in /proc/[0-9]*/fd/*; do
        [ "$(readlink "$fd" 2>/dev/null)" = "$lock" ] || continue
        pid=${fd#/proc/}; pid=${pid%%/*}
        [ "$pid" = $$ ] || echo "time: waiting for the lock, open in $(ps -o pid=,args= -p "$pid" || echo "pid $pid")"
    done
    flock -w 480 9 || { echo "deployment test: another one holds the lock" >&2; exit 2; }
fi
# Where the time goes, one line per step ("time: STEP N s", seconds since the start), for a slow run's log.
mark() { echo "time: $1 ${SECONDS} s"; }
mark "lock taken"
work=$(mktemp -d)
cron_file=/etc/cron.d/factorwatch-deployment-test
started_cron=""
smtp_pid=""
http_pid=""
cleanup() {
    rm -f "$cron_file"
    # SIGKILL: a process started from a test runner may have SIGTERM blocked, and its children inherit that.
    for pid in $smtp_pid $http_pid $started_cron; do kill -KILL "$pid" 2>/dev/null || true; done
    dpkg -P factorwatch >/dev/null 2>&1 || true
    rm -rf /etc/factorwatch /var/lib/factorwatch /var/log/factorwatch "$work"
}
trap cleanup EXIT
cleanup_before() { rm -f "$cron_file"; dpkg -P factorwatch >/dev/null 2>&1 || true; rm -rf /etc/factorwatch; }
cleanup_before

deb=$(bash packaging/build-deb.sh)
mark "package built"
dpkg -i "$deb" >/dev/null
getent passwd factorwatch >/dev/null || { echo "FAIL: no factorwatch user" >&2; exit 1; }
[ "$(stat -c %U /var/lib/factorwatch)" = factorwatch ] || { echo "FAIL: /var/lib/factorwatch not owned" >&2; exit 1; }

# The installed rule tests pass where they are installed; the logrotate file is one logrotate accepts.
mark "package installed"
factorwatch test /etc/factorwatch/rules/tests/*.yaml | tail -1
mark "installed rule tests run"
# Read whole, then searched: `| grep -q` would close the pipe early and fail the pipeline with SIGPIPE.
rotation=$(logrotate --debug /etc/logrotate.d/factorwatch 2>&1)
grep -q 'rotating pattern: /var/log/factorwatch' <<< "$rotation" \
    || { echo "FAIL: logrotate does not read /etc/logrotate.d/factorwatch: $rotation" >&2; exit 1; }

mkdir -p "$work/mail"
python3 Tests/Servers/smtp_server.py --dir "$work/mail" --port-file "$work/port" --auth alerts:s3cret-smtp \
    9>&- >"$work/smtp.log" 2>&1 &
smtp_pid=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
# The heartbeat's dead man's switch.
mkdir -p "$work/pings"
python3 Tests/Servers/http_server.py --dir "$work/pings" --port-file "$work/http-port" 9>&- >"$work/http.log" 2>&1 &
http_pid=$!
for _ in $(seq 100); do [ -s "$work/http-port" ] && break; sleep 0.1; done
install -m 0640 -o root -g factorwatch /dev/stdin /etc/factorwatch/heartbeat.url \
    <<< "http://127.0.0.1:$(cat "$work/http-port")/ping/deployment"
printf 'heartbeat: { url_file: /etc/factorwatch/heartbeat.url, timeout: 5s }\n' >> /etc/factorwatch/factorwatch.yaml

install -m 0640 -o root -g factorwatch /dev/stdin /etc/factorwatch/smtp.password <<< "s3cret-smtp"
cat > /etc/factorwatch/channels/email.yaml <<YAML
type: smtp
url: smtp://127.0.0.1:$port
tls: none
username: alerts
password_file: /etc/factorwatch/smtp.password
from: factorwatch@localhost
to: [ops@localhost]
YAML
cat > /etc/factorwatch/rules/deployment.yaml <<'YAML'
rules:
  - alert: DeploymentCheck
    expr: collector_up{collector="disk"} == 1
    severity: critical
    summary: factorwatch runs under cron
YAML
sed -i 's/channels: \[log\]/channels: [log, email]/' /etc/factorwatch/factorwatch.yaml
factorwatch check >/dev/null

mark "servers started"
if ! pgrep -x cron >/dev/null; then
    rm -f /run/crond.pid
    cron 9>&- </dev/null >/dev/null 2>&1
    # The daemon is cron's child (the command itself exits at once): its pid is in /run/crond.pid.
    for _ in $(seq 50); do [ -s /run/crond.pid ] && break; sleep 0.1; done
    started_cron=$(cat /run/crond.pid)
    [ -n "$started_cron" ] || { echo "FAIL: cron did not start" >&2; exit 1; }
fi

# One case: a fresh state, the cron.d line, then wait (at most 150 s) for the digest and the exit line.
run_case() { # run_case NAME
    rm -f /var/lib/factorwatch/factorwatch.db* /var/log/factorwatch/eval.log
    rm -rf "$work/mail"/*.eml "$work/mail"/*.json "$work/pings"/*.json
    printf 'SHELL=/bin/sh\nPATH=/usr/bin:/bin\n* * * * * factorwatch /usr/bin/factorwatch eval --config /etc/factorwatch >> /var/log/factorwatch/eval.log 2>&1; echo "exit $?" >> /var/log/factorwatch/eval.log\n' > "$cron_file"
    chmod 0644 "$cron_file"
    touch /etc/cron.d
    for _ in $(seq 150); do
        grep -q '^exit ' /var/log/factorwatch/eval.log 2>/dev/null && ls "$work/mail"/*.eml >/dev/null 2>&1 && break
        sleep 1
    done
    rm -f "$cron_file"
    mark "cron ran case: $1"
    grep -q '^exit ' /var/log/factorwatch/eval.log 2>/dev/null || { echo "FAIL $1: cron never ran eval" >&2; exit 1; }
    ls "$work/mail"/*.eml >/dev/null 2>&1 || { echo "FAIL $1: no mail"; cat /var/log/factorwatch/eval.log; exit 1; } >&2
    grep -q DeploymentCheck "$work/mail"/*.json || { echo "FAIL $1: the digest lacks the alert" >&2; exit 1; }
    [ "$(stat -c %U /var/lib/factorwatch/factorwatch.db)" = factorwatch ] || { echo "FAIL $1: state not the user's" >&2; exit 1; }
}
# The paths the heartbeat server saw, in order, without the query.
pings() { python3 -c 'import glob, json, sys
print(" ".join(json.load(open(f))["path"].split("?")[0] for f in sorted(glob.glob(sys.argv[1] + "/*.json"))))' "$work/pings"; }

run_case "secret by file"
grep -qx 'exit 0' /var/log/factorwatch/eval.log || { echo "FAIL: eval did not exit 0"; cat /var/log/factorwatch/eval.log; exit 1; } >&2
[ "$(pings)" = "/ping/deployment/start /ping/deployment" ] || { echo "FAIL: heartbeat pings: $(pings)" >&2; exit 1; }
echo "ok   cron ran eval as factorwatch; the SMTP server received the digest; the heartbeat saw start and success"

cat > /etc/factorwatch/channels/chat.yaml <<'YAML'
type: webhook
url: http://127.0.0.1:9/hook
password_file: /etc/factorwatch/chat.password
YAML
sed -i 's/channels: \[log, email\]/channels: [log, email, chat]/' /etc/factorwatch/factorwatch.yaml
run_case "one secret missing"
grep -qx 'exit 1' /var/log/factorwatch/eval.log || { echo "FAIL: eval did not exit 1"; cat /var/log/factorwatch/eval.log; exit 1; } >&2
grep -q 'channel chat cannot send' /var/log/factorwatch/eval.log || { echo "FAIL: chat not reported" >&2; exit 1; }
grep -q ChannelBroken "$work/mail"/*.json || { echo "FAIL: no ChannelBroken alert by email" >&2; exit 1; }
[ "$(pings)" = "/ping/deployment/start /ping/deployment/fail" ] || { echo "FAIL: heartbeat pings: $(pings)" >&2; exit 1; }
grep -l '/ping/deployment/fail' "$work/pings"/*.json | xargs grep -q '"body": "exit 1' || { echo "FAIL: the heartbeat's fail ping lacks the exit code" >&2; exit 1; }
echo "ok   with chat's secret missing, email still delivered, chat reported, exit 1, the heartbeat saw fail"
