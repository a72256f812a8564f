#!/usr/bin/env bash
# A lab of real SSH hosts on this machine, for the tests and the benchmark.
#
#   lab.sh up <dir> <count>   start <count> "droplets" and write <dir>/lab.json
#   lab.sh down <dir>         stop them and remove every namespace, link and file of the lab
#
# Each droplet is a network namespace on a private bridge (10.77.0.0/24 by default, no default route) with its
# own OpenSSH server, host keys, hostname (UTS namespace) and PID namespace (sshd is PID 1 there,
# so `ps`/`pkill` see only the droplet's processes and orphans are reaped) and its own empty /root
# (a mount namespace), like a fresh droplet rather than this machine's root. Without namespaces
# (no root), it falls back to one sshd per loopback address 127.0.0.(10+i).
#
# LAB_PREFIX (default "sg") names the bridge, namespaces and links, and LAB_NET (default 77) picks the
# subnet 10.<LAB_NET>.0.0/24, so several labs (parallel checkouts) can coexist.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 up <dir> <count> | down <dir>" >&2; exit 2; }
prefix=${LAB_PREFIX:-sg}
bridge="${prefix}-br0"
net=${LAB_NET:-77}
case "$net" in (*[!0-9]*|"") echo "LAB_NET must be a number" >&2; exit 2 ;; esac
sshd_bin=$(command -v sshd || echo /usr/sbin/sshd)
sftp_server=/usr/lib/openssh/sftp-server
[ -x "$sftp_server" ] || sftp_server=/usr/libexec/openssh/sftp-server

log() { echo "lab: $*" >&2; }

wait_port() { # host port seconds [netns]
  local host=$1 port=$2 deadline=$(( $(date +%s) + $3 )) ns=${4:-}
  while [ "$(date +%s)" -le "$deadline" ]; do
    if [ -n "$ns" ]; then
      ip netns exec "$ns" bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null && return 0
    else
      bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null && return 0
    fi
    sleep 0.05
  done
  return 1
}

fingerprint() { ssh-keygen -lf "$1" | awk '{print $2}'; }

keys_and_config() { # dir
  local d=$1
  mkdir -p "$d/keys" && chmod 700 "$d" "$d/keys"
  ssh-keygen -q -t ed25519 -N '' -C lab-ed25519 -f "$d/keys/id_ed25519"
  ssh-keygen -q -t ecdsa -b 256 -N '' -C lab-ecdsa -f "$d/keys/id_ecdsa"
  ssh-keygen -q -t rsa -b 2048 -N '' -C lab-rsa -f "$d/keys/id_rsa"
  ssh-keygen -q -t ed25519 -N 'lab passphrase 7' -C lab-ed25519-encrypted -f "$d/keys/id_ed25519_encrypted"
  cat "$d"/keys/*.pub > "$d/authorized_keys"
  chmod 600 "$d/authorized_keys"
}

sshd_config() { # dir index listen port
  local d=$1 i=$2 listen=$3 port=$4
  local h="$d/d$i"
  mkdir -p "$h"
  ssh-keygen -q -t ed25519 -N '' -f "$h/host_ed25519"
  ssh-keygen -q -t ecdsa -b 256 -N '' -f "$h/host_ecdsa"
  cat > "$h/sshd_config" <<EOF
ListenAddress $listen
Port $port
HostKey $h/host_ed25519
HostKey $h/host_ecdsa
AuthorizedKeysFile $d/authorized_keys
PidFile $h/sshd.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxSessions 16
MaxStartups 64:30:128
LogLevel VERBOSE
Subsystem sftp $sftp_server
EOF
}

up() {
  local count=${3:-4}
  [ -e "$dir/lab.json" ] && { log "a lab is already up in $dir"; exit 1; }
  # A lab whose test run is still alive is in use (a second `vitest` while the suite runs): leave it.
  local owner_file="/run/shipgate-lab-${prefix}.owner"
  if [ -e "$owner_file" ] && kill -0 "$(cat "$owner_file")" 2>/dev/null; then
    log "the lab is in use by the test run with pid $(cat "$owner_file"); wait for it to finish"
    exit 1
  fi
  # Leftovers of a lab that was never taken down (a killed test run) would block this one.
  if [ "$(id -u)" = 0 ] && ip netns list 2>/dev/null | grep -qE "^${prefix}-d[0-9]+"; then
    log "removing a stale lab with prefix $prefix"
    for pid in $(pgrep -f "sshd -D -f .*/d[0-9]+/sshd_config" || true); do
      ip netns identify "$pid" 2>/dev/null | grep -qE "^${prefix}-d[0-9]+$" && kill -KILL "$pid" 2>/dev/null || true
    done
    cleanup_links
  fi
  mkdir -p "$dir" /run/sshd
  [ -n "${LAB_OWNER_PID:-}" ] && echo "$LAB_OWNER_PID" > "$owner_file" 2>/dev/null || true
  keys_and_config "$dir"
  local mode=netns
  if ! { [ "$(id -u)" = 0 ] && ip netns add "${prefix}-probe" 2>/dev/null && ip netns del "${prefix}-probe"; }; then
    mode=loopback
  fi
  local hosts_json="" known="$dir/known_hosts"
  : > "$known"
  if [ "$mode" = netns ]; then
    ip link show "$bridge" >/dev/null 2>&1 || {
      ip link add "$bridge" type bridge
      ip addr add "10.$net.0.1/24" dev "$bridge"
      ip link set "$bridge" up
    }
  fi
  for i in $(seq 1 "$count"); do
    local addr port ns="" pid
    if [ "$mode" = netns ]; then
      addr="10.$net.0.$((10 + i))"; port=22; ns="${prefix}-d$i"
      ip netns add "$ns"
      ip link add "${prefix}-v$i" type veth peer name eth0 netns "$ns"
      ip link set "${prefix}-v$i" master "$bridge" up
      ip netns exec "$ns" ip addr add "$addr/24" dev eth0
      ip netns exec "$ns" ip link set eth0 up
      ip netns exec "$ns" ip link set lo up
      sshd_config "$dir" "$i" 0.0.0.0 "$port"
      setsid ip netns exec "$ns" unshare --uts --pid --fork --kill-child --mount-proc \
        sh -c "hostname droplet$i; mkdir -p $dir/d$i/home && mount --bind $dir/d$i/home /root; exec $sshd_bin -D -f $dir/d$i/sshd_config -E $dir/d$i/sshd.log" \
        </dev/null >/dev/null 2>&1 &
      pid=$!
    else
      addr="127.0.0.$((10 + i))"; port=$([ "$(id -u)" = 0 ] && echo 22 || echo 2222)
      sshd_config "$dir" "$i" "$addr" "$port"
      setsid "$sshd_bin" -D -f "$dir/d$i/sshd_config" -E "$dir/d$i/sshd.log" </dev/null >/dev/null 2>&1 &
      pid=$!
    fi
    echo "$pid" > "$dir/d$i/launcher.pid"
    wait_port "$addr" "$port" 10 || { log "droplet $i did not start (see $dir/d$i/sshd.log)"; exit 1; }
    local hostpat=$addr
    [ "$port" = 22 ] || hostpat="[$addr]:$port"
    echo "$hostpat $(cut -d' ' -f1,2 "$dir/d$i/host_ed25519.pub")" >> "$known"
    echo "$hostpat $(cut -d' ' -f1,2 "$dir/d$i/host_ecdsa.pub")" >> "$known"
    hosts_json+="${hosts_json:+,}
    {\"name\": \"d$i\", \"hostname\": \"droplet$i\", \"ns\": \"$ns\", \"address\": \"$addr\", \"port\": $port, \"user\": \"$(id -un)\",
     \"hostKeys\": {\"ssh-ed25519\": \"$(fingerprint "$dir/d$i/host_ed25519.pub")\", \"ecdsa-sha2-nistp256\": \"$(fingerprint "$dir/d$i/host_ecdsa.pub")\"},
     \"sshdLog\": \"$dir/d$i/sshd.log\"}"
  done
  cp "$known" "$dir/known_hosts.hashed"
  ssh-keygen -q -H -f "$dir/known_hosts.hashed" >/dev/null 2>&1 && rm -f "$dir/known_hosts.hashed.old"
  cat > "$dir/lab.json" <<EOF
{
  "mode": "$mode",
  "prefix": "$prefix",
  "dir": "$dir",
  "bridge": "$([ "$mode" = netns ] && echo "$bridge" || echo "")",
  "gateway": "$([ "$mode" = netns ] && echo "10.$net.0.1" || echo 127.0.0.1)",
  "keys": {
    "ed25519": "$dir/keys/id_ed25519",
    "ecdsa": "$dir/keys/id_ecdsa",
    "rsa": "$dir/keys/id_rsa",
    "ed25519Encrypted": "$dir/keys/id_ed25519_encrypted"
  },
  "encryptedKeyPassphrase": "lab passphrase 7",
  "knownHosts": "$dir/known_hosts",
  "knownHostsHashed": "$dir/known_hosts.hashed",
  "hosts": [$hosts_json
  ]
}
EOF
  log "$count droplet(s) up ($mode) in $dir"
}

down() {
  [ -d "$dir" ] || exit 0
  for pidfile in "$dir"/d*/launcher.pid; do
    [ -e "$pidfile" ] || continue
    local pid; pid=$(cat "$pidfile")
    # `unshare --fork` ignores SIGTERM while it waits: stop its child (sshd, PID 1 of the droplet);
    # the kernel then kills everything else in that PID namespace.
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
  done
  [ "$(id -u)" = 0 ] && cleanup_links
  rm -f "/run/shipgate-lab-${prefix}.owner"
  rm -rf "$dir"
  log "down ($dir removed)"
}

cleanup_links() {
  if [ "$(id -u)" = 0 ]; then
    for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${prefix}-d[0-9]+$" || true); do
      ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
      ip netns del "$ns" 2>/dev/null || true
    done
    for link in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E "^${prefix}-v[0-9]+$" || true); do
      ip link del "$link" 2>/dev/null || true
    done
    ip link del "$bridge" 2>/dev/null || true
  fi
}

case "$cmd" in
  up) up "$@" ;;
  down) down ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
