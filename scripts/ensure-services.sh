#!/usr/bin/env bash
# Starts the local PostgreSQL and NATS (JetStream) when they are installed here but not running.
# Used by .ci/run and `npm start`; on machines without them (or with DATABASE_URL/NATS_URL
# pointing elsewhere) it only reports.
set -u

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() {
  for _ in $(seq 1 60); do port_open "$1" && return 0; sleep 0.5; done
  return 1
}

if [ -z "${DATABASE_URL:-}" ] && ! port_open 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "ensure-services: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    wait_for_port 5432 || echo "ensure-services: PostgreSQL did not come up on 127.0.0.1:5432" >&2
  else
    echo "ensure-services: no PostgreSQL on 127.0.0.1:5432 and none installed here; set DATABASE_URL" >&2
  fi
fi

if [ -z "${NATS_URL:-}" ] && ! port_open 4222; then
  if [ -x /usr/sbin/nats-server ]; then
    echo "ensure-services: starting NATS with JetStream"
    mkdir -p /var/lib/nats-server
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
      -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || true
    wait_for_port 4222 || echo "ensure-services: NATS did not come up on 127.0.0.1:4222" >&2
  else
    echo "ensure-services: no NATS on 127.0.0.1:4222 and none installed here; set NATS_URL" >&2
  fi
fi
exit 0
