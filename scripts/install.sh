#!/usr/bin/env bash
# Builds factorwatch and installs it: a stripped release binary (Swift runtime linked statically), the man page,
# bash/zsh/fish completions, /etc/factorwatch with the shipped rules, their tests (passing where installed) and
# commented channel examples, and a logrotate file. As root with no DESTDIR it also creates the `factorwatch`
# system user owning /var/lib/factorwatch and /var/log/factorwatch (the Debian package does that in postinst).
#
#   PREFIX=/usr/local (default)  DESTDIR=/tmp/root (a staging root)  SYSCONFDIR=/etc
#   BINARY=path  install this binary instead of building one
# Existing files under SYSCONFDIR/factorwatch are kept (the new ones are written beside them as *.new).
set -euo pipefail
cd "$(dirname "$0")/.."

PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
SYSCONFDIR=${SYSCONFDIR:-/etc}
root="$DESTDIR"
etc="$root$SYSCONFDIR/factorwatch"
share="$root$PREFIX/share"

binary=${BINARY:-}
if [ -z "$binary" ]; then
    swift build -c release --static-swift-stdlib --product factorwatch
    binary=.build/release/factorwatch
fi

install -d "$root$PREFIX/bin"
install -m 0755 "$binary" "$root$PREFIX/bin/factorwatch"
strip --strip-unneeded "$root$PREFIX/bin/factorwatch"
fw="$root$PREFIX/bin/factorwatch"

# Configuration: never overwrite what the administrator changed.
put() { # put SOURCE TARGET MODE
    install -d "$(dirname "$2")"
    if [ -e "$2" ] && ! cmp -s "$1" "$2"; then install -m "$3" "$1" "$2.new"; else install -m "$3" "$1" "$2"; fi
}
put packaging/factorwatch.yaml "$etc/factorwatch.yaml" 0644
for rule in rules/*.yaml; do put "$rule" "$etc/rules/$(basename "$rule")" 0644; done
put packaging/log-channel.yaml "$etc/channels/log.yaml" 0644
for channel in channels/email.yaml channels/sms.yaml; do
    put "$channel" "$etc/channels/$(basename "$channel").example" 0644
done

# Rule tests, with the data they read installed beside the binary's share and their paths pointed at it.
data="$PREFIX/share/factorwatch/test-data"
install -d "$root$data"
cp -R examples/demo/data "$root$data/demo-data"
cp -R examples/demo/calendar "$root$data/calendar"
cp -R Tests/FactorWatchTests/Checks/Fixtures/series Tests/FactorWatchTests/Checks/Fixtures/nocode "$root$data/"
install -d "$etc/rules/tests"
cp -R rules/tests/fixtures "$etc/rules/tests/"
# Relative, so that the tests also pass in a DESTDIR staging root: up from SYSCONFDIR/factorwatch/rules/tests.
up=$(echo "${SYSCONFDIR#/}/factorwatch/rules/tests" | sed 's#[^/][^/]*#..#g')
rel="$up${data}"
for test in rules/tests/*.yaml; do
    # A test without routes of its own keeps the ones it was written for, not /etc/factorwatch's.
    builtin=()
    grep -q '^routes:' "$test" || builtin=(-e "/^rule_files:/i # The routes these tests were written for. Delete \\
# the next line to test with this configuration's routes (notify: lists must then name its channels).\\
routes: builtin")
    sed -e "s#\.\./\.\./examples/demo/data#$rel/demo-data#g" \
        -e "s#\.\./\.\./examples/demo/calendar#$rel/calendar#g" \
        -e "s#\.\./\.\./Tests/FactorWatchTests/Checks/Fixtures/#$rel/#g" "${builtin[@]}" "$test" \
        > "$etc/rules/tests/.tmp"
    put "$etc/rules/tests/.tmp" "$etc/rules/tests/$(basename "$test")" 0644
    rm "$etc/rules/tests/.tmp"
done

install -D -m 0644 packaging/logrotate "$root$SYSCONFDIR/logrotate.d/factorwatch"
install -D -m 0644 packaging/factorwatch.1 "$share/man/man1/factorwatch.1"
gzip -9nf "$share/man/man1/factorwatch.1"

# Completions where each shell looks on Debian.
install -d "$share/bash-completion/completions" "$share/zsh/vendor-completions" "$share/fish/vendor_completions.d"
"$fw" --generate-completion-script bash > "$share/bash-completion/completions/factorwatch"
"$fw" --generate-completion-script zsh > "$share/zsh/vendor-completions/_factorwatch"
"$fw" --generate-completion-script fish > "$share/fish/vendor_completions.d/factorwatch.fish"

if [ -z "$DESTDIR" ] && [ "$(id -u)" -eq 0 ]; then
    bash packaging/postinst configure
fi
echo "installed factorwatch $("$fw" --version) under ${DESTDIR:-/}$PREFIX"
