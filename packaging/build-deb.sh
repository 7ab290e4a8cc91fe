#!/usr/bin/env bash
# Builds dist/factorwatch_VERSION_ARCH.deb with dpkg-deb: scripts/install.sh into a staging root (PREFIX=/usr),
# conffiles for everything under /etc, a postinst creating the factorwatch user, and Depends computed from the
# binary: dpkg-shlibdeps for the linked libraries, libcurl4 from its symbols file for the functions loaded with
# dlopen. BINARY=path packages a binary already built (release, --static-swift-stdlib).
set -euo pipefail
cd "$(dirname "$0")/.."

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/root"
DESTDIR="$root" PREFIX=/usr SYSCONFDIR=/etc bash scripts/install.sh >/dev/null

version=$("$root/usr/bin/factorwatch" --version)
arch=$(dpkg --print-architecture)

# dpkg-shlibdeps wants a source tree: a minimal debian/control in the staging directory.
mkdir -p "$stage/debian"
printf 'Source: factorwatch\n\nPackage: factorwatch\nArchitecture: any\n' > "$stage/debian/control"
linked=$(cd "$stage" && dpkg-shlibdeps -O "root/usr/bin/factorwatch" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
# The libcurl functions the binary resolves at run time, and the oldest libcurl4 that has them all.
symbols=$(ls /var/lib/dpkg/info/libcurl4*.symbols 2>/dev/null | head -1)
curl_version=0
for function in curl_global_init curl_version_info curl_easy_init curl_easy_cleanup curl_easy_perform \
    curl_easy_strerror curl_slist_append curl_slist_free_all curl_easy_setopt curl_easy_getinfo; do
    found=$(sed -n "s/^ $function@CURL_OPENSSL_4 \([^ ]*\).*/\1/p" "$symbols")
    if dpkg --compare-versions "$found" gt "$curl_version"; then curl_version=$found; fi
done
depends="${linked:+$linked, }libcurl4 (>= $curl_version), adduser, tzdata"

mkdir -p "$root/DEBIAN"
install -m 0755 packaging/postinst "$root/DEBIAN/postinst"
(cd "$root" && find etc -type f | sort | sed 's#^#/#') > "$root/DEBIAN/conffiles"
cat > "$root/DEBIAN/control" <<CONTROL
Package: factorwatch
Version: $version
Architecture: $arch
Maintainer: factorwatch maintainers <root@localhost>
Section: admin
Priority: optional
Depends: $depends
Suggests: cron | systemd
Installed-Size: $(du -sk "$root" --exclude=DEBIAN | cut -f1)
Description: rule-driven alerting for a daily factor-model pipeline
 Collectors (Parquet factor files, disk, pipeline jobs, logs, system metrics), rules in a PromQL-like YAML
 language, SQLite alert state and notifications by SMTP, webhooks and log files through libcurl. Runs from
 cron or a systemd timer: "factorwatch cron --cron-d" and "factorwatch systemd" write the schedule.
CONTROL
mkdir -p dist
output="dist/factorwatch_${version}_${arch}.deb"
fakeroot dpkg-deb --build --root-owner-group "$root" "$output" >/dev/null
echo "$output"
