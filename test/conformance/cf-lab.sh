#!/usr/bin/env bash
# The conformance lab: four "droplets" (node-a, node-b, node-c, chaos) on which ship-gate's own
# phase scripts run unchanged against the simulated ai-memory, as they run on DigitalOcean.
#
#   cf-lab.sh up <dir> <repo>   start them and write <dir>/lab.json (<dir> must not be under /tmp or /var/log)
#   cf-lab.sh down <dir>        stop them and remove every namespace, link and file of the lab
#
# Each droplet has its own network namespace on a private bridge (10.<NET>.0.0/24, no route out),
# hostname (UTS), PID namespace (sshd is PID 1: `pkill -f 'ai-memory serve'` sees only the droplet's
# processes) and mount namespace: /root, /tmp and /var/log are the droplet's own folders, and
# /usr/local/bin and /opt are overlays, so what the scripts install or write there never reaches
# this machine. /usr/local/bin/ai-memory runs the built simulator, /usr/local/bin/docker plays the
# `docker compose` calls of phase 3 with the bundled PGlite (docker-shim.sh). The chaos droplet's
# /root/.ssh holds a key every droplet accepts, as ship-gate's workflow sets up.
#
# CONFORMANCE_LAB_PREFIX (default cf) names the bridge, namespaces and links; CONFORMANCE_LAB_NET
# (default 79) picks the subnet. Root only.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 up <dir> <repo> | down <dir>" >&2; exit 2; }
prefix=${CONFORMANCE_LAB_PREFIX:-cf}
net=${CONFORMANCE_LAB_NET:-79}
case "$net" in (*[!0-9]*|"") echo "CONFORMANCE_LAB_NET must be a number" >&2; exit 2 ;; esac
bridge="${prefix}-br0"
owner_file="/run/shipgate-conformance-${prefix}.owner"
sshd_bin=$(command -v sshd || echo /usr/sbin/sshd)
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
NAMES=(node-a node-b node-c chaos)

log() { echo "cf-lab: $*" >&2; }

cleanup_links() {
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${prefix}-(node-[abc]|chaos)$" || true); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  for link in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep -E "^${prefix}-v[0-9]+$" || true); do
    ip link del "$link" 2>/dev/null || true
  done
  ip link del "$bridge" 2>/dev/null || true
}

wait_port() { # ns host port seconds
  local deadline=$(( $(date +%s) + $4 ))
  while [ "$(date +%s)" -le "$deadline" ]; do
    ip netns exec "$1" bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

up() {
  local repo=${3:?repo}
  [ "$(id -u)" = 0 ] || { log "needs root (network, PID and mount namespaces)"; exit 1; }
  case "$dir" in (/tmp/*|/var/log/*) log "the lab folder must not be under /tmp or /var/log (the droplets hide those)"; exit 2 ;; esac
  [ -x "$repo/resources/bin/ai-memory" ] && [ -f "$repo/out/main/sim.js" ] || { log "no built simulator in $repo (npx electron-vite build)"; exit 1; }
  if [ -e "$owner_file" ] && kill -0 "$(cat "$owner_file")" 2>/dev/null; then
    log "the conformance lab $prefix is in use by pid $(cat "$owner_file")"; exit 1
  fi
  if ip netns list 2>/dev/null | grep -qE "^${prefix}-(node-[abc]|chaos)"; then
    log "removing a stale conformance lab with prefix $prefix"
    cleanup_links
  fi
  mkdir -p "$dir" /run/sshd
  chmod 700 "$dir"
  echo "${LAB_OWNER_PID:-$$}" > "$owner_file"
  local node; node=$(command -v node)
  mkdir -p "$dir/keys"
  ssh-keygen -q -t ed25519 -N '' -C cf-client -f "$dir/keys/id_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C cf-chaos -f "$dir/keys/chaos_ed25519"
  cat "$dir/keys/id_ed25519.pub" "$dir/keys/chaos_ed25519.pub" > "$dir/authorized_keys"
  chmod 600 "$dir/authorized_keys"
  : > "$dir/known_hosts"
  ip link add "$bridge" type bridge
  ip addr add "10.$net.0.1/24" dev "$bridge"
  ip link set "$bridge" up
  local hosts_json="" i=0
  for name in "${NAMES[@]}"; do
    i=$((i + 1))
    local d="$dir/$name" ns="${prefix}-${name}" addr="10.$net.0.$((10 + i))"
    mkdir -p "$d"/{root/.ssh,tmp,varlog,bin-upper,bin-work,opt-upper,opt-work}
    chmod 1777 "$d/tmp"
    # What the droplet finds in /usr/local/bin (over this machine's own, which it still sees).
    cat > "$d/bin-upper/ai-memory" <<EOF
#!/bin/sh
exec "$node" "$repo/out/main/sim.js" "\$@"
EOF
    cat > "$d/bin-upper/docker" <<EOF
#!/bin/sh
SHIPGATE_PGLITE="$repo/resources/bin/shipgate-pglite" SHIPGATE_NODE="$node" exec bash "$here/docker-shim.sh" "\$@"
EOF
    chmod 755 "$d/bin-upper/ai-memory" "$d/bin-upper/docker"
    # ship-gate copies the packaging/ tree to /opt/ai-memory-mcp; phase 3 names its compose file.
    mkdir -p "$d/opt-upper/ai-memory-mcp/packaging"
    cp "$here/docker-compose.postgres.yml" "$d/opt-upper/ai-memory-mcp/packaging/"
    if [ "$name" = chaos ]; then
      cp "$dir/keys/chaos_ed25519" "$d/root/.ssh/id_ed25519"
      cp "$dir/keys/chaos_ed25519.pub" "$d/root/.ssh/id_ed25519.pub"
      chmod 600 "$d/root/.ssh/id_ed25519"
    fi
    chmod 700 "$d/root" "$d/root/.ssh"
    ssh-keygen -q -t ed25519 -N '' -f "$d/host_ed25519"
    cat > "$d/sshd_config" <<EOF
ListenAddress 0.0.0.0
Port 22
HostKey $d/host_ed25519
AuthorizedKeysFile $dir/authorized_keys
PidFile $d/sshd.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxSessions 32
MaxStartups 64:30:128
AcceptEnv NODE_* SETTLE_SECS
EOF
    ip netns add "$ns"
    ip link add "${prefix}-v$i" type veth peer name eth0 netns "$ns"
    ip link set "${prefix}-v$i" master "$bridge" up
    ip netns exec "$ns" ip addr add "$addr/24" dev eth0
    ip netns exec "$ns" ip link set eth0 up
    ip netns exec "$ns" ip link set lo up
    # A checkout under a folder the droplets hide (/tmp, /var/log, /root) stays visible at its own path:
    # held aside before those folders are replaced, then bound back.
    local hold='' unhold=''
    case "$repo" in (/tmp/*|/var/log/*|/root/*)
      mkdir -p "$d/repo"
      hold="mount --bind $(printf %q "$repo") $d/repo;"
      unhold="mkdir -p $(printf %q "$repo"); mount --bind $d/repo $(printf %q "$repo");" ;;
    esac
    setsid ip netns exec "$ns" unshare --uts --pid --mount --fork --kill-child --mount-proc \
      sh -c "set -e; hostname $name
        $hold mount --bind $d/root /root; mount --bind $d/tmp /tmp; mount --bind $d/varlog /var/log
        $unhold
        mount -t overlay overlay -o lowerdir=/usr/local/bin,upperdir=$d/bin-upper,workdir=$d/bin-work /usr/local/bin
        mount -t overlay overlay -o lowerdir=/opt,upperdir=$d/opt-upper,workdir=$d/opt-work /opt
        exec $sshd_bin -D -f $d/sshd_config -E $d/sshd.log" \
      </dev/null >"$d/launcher.log" 2>&1 &
    echo $! > "$d/launcher.pid"
    wait_port "$ns" "$addr" 22 15 || { log "$name did not start: $(cat "$d/launcher.log" "$d/sshd.log" 2>/dev/null | tail -5)"; exit 1; }
    echo "$addr $(cut -d' ' -f1,2 "$d/host_ed25519.pub")" >> "$dir/known_hosts"
    hosts_json+="${hosts_json:+,}{\"name\": \"$name\", \"ns\": \"$ns\", \"address\": \"$addr\"}"
  done
  cp "$dir/known_hosts" "$dir/chaos/root/.ssh/known_hosts"
  cat > "$dir/lab.json" <<EOF
{"prefix": "$prefix", "dir": "$dir", "key": "$dir/keys/id_ed25519", "knownHosts": "$dir/known_hosts", "hosts": [$hosts_json]}
EOF
  log "up in $dir"
}

down() {
  [ -d "$dir" ] || exit 0
  for pidfile in "$dir"/*/launcher.pid; do
    [ -e "$pidfile" ] || continue
    local pid; pid=$(cat "$pidfile")
    # `unshare --fork` waits for its child: kill sshd (PID 1 of the droplet) and the kernel ends the rest.
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
  done
  cleanup_links
  rm -f "$owner_file"
  rm -rf "$dir"
  log "down"
}

case "$cmd" in
  up) up "$@" ;;
  down) down ;;
  *) echo "unknown command $cmd" >&2; exit 2 ;;
esac
