#!/usr/bin/env bash
# Makes sure PostgreSQL (127.0.0.1:5432, trust, database `test`) and Redis (127.0.0.1:6379) run,
# and that Chromium (/usr/bin/chromium, for the console's browser tests) and HAProxy are installed, from Debian's
# packages where absent. Idempotent; used by .ci/run and by developers.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }

if ! pg_up; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    apt_install postgresql
    version=$(ls /etc/postgresql | sort -V | tail -1)
    hba=/etc/postgresql/$version/main/pg_hba.conf
    as_root sed -i -E 's/^(local|host)(\s+.*)(peer|md5|scram-sha-256)$/\1\2trust/' "$hba"
  fi
  version=$(ls /etc/postgresql | sort -V | tail -1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
pg_up || { echo "PostgreSQL did not start" >&2; exit 1; }
if ! psql -h 127.0.0.1 -U postgres -d test -tAc 'select 1' >/dev/null 2>&1; then
  psql -h 127.0.0.1 -U postgres -d postgres -tAc 'create database test' >/dev/null
fi

if ! redis_up; then
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
fi
redis_up || { echo "Redis did not start" >&2; exit 1; }

# playwright-core drives Debian's browser; no browser is downloaded by npm.
[ -x /usr/bin/chromium ] || apt_install chromium
[ -x /usr/bin/chromium ] || { echo "Chromium did not install" >&2; exit 1; }
# HAProxy: the load balancer in front of replicas in the fault tests (test/replica-faults.test.ts).
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || apt_install haproxy
command -v haproxy >/dev/null || [ -x /usr/sbin/haproxy ] || { echo "HAProxy did not install" >&2; exit 1; }
echo "services: PostgreSQL and Redis are up, Chromium is installed"
