#!/usr/bin/env bash
# Host failure to all of its instances running again elsewhere, with real processes:
# a server and three agents (one per zone) on loopback, ten instances; each trial kill -9s the
# agent that holds the most, times until every instance runs again on another host, then
# restarts the killed agent. Prints one line per trial and the median and worst.
#   usage: scripts/bench-failover.sh [TRIALS] [PORT]      (needs python3 for the JSON)
set -euo pipefail
trials=${1:-20}
port=${2:-7450}
cd "$(dirname "$(readlink -f "$0")")/.."
./phare --version >/dev/null              # build once, before timing anything
export PHARE_NO_BUILD=1
dir=$(mktemp -d /tmp/phare-bench-failover.XXXXXX)
url=http://127.0.0.1:$port
pids=()
cleanup() { kill -9 "${pids[@]}" 2>/dev/null || true; pkill -9 -f "$dir" 2>/dev/null || true; }
trap cleanup EXIT
./phare server --data-dir "$dir/server" --listen 127.0.0.1:$port --admission zone >"$dir/server.log" 2>&1 &
pids+=($!)
until curl -sf "$url/readyz" >/dev/null; do sleep 0.1; done
start_agent() { # zone-letter
  ./phare agent --server "$url" --zone eu-west-2$1 --site eu-west-2$1-dc1 --cpus 8 --memory 16g \
      --data-dir "$dir/agent-$1" >>"$dir/agent-$1.log" 2>&1 &
  pids+=($!)
}
for z in a b c; do start_agent $z; done
count() { ./phare "$@" --server "$url" -o json; }
until [ "$(count host ls | python3 -c 'import json,sys; print(sum(h["state"]=="ready" for h in json.load(sys.stdin)))')" = 3 ]; do sleep 0.2; done
./phare vm run --image http-echo --type tinav5.c1r1 --count 10 --server "$url" >/dev/null
all_running_except() { # host-id: prints 1 when all 10 run on other hosts
  count vm ls | python3 -c "import json,sys; d=json.load(sys.stdin); print(int(len(d)==10 and all(i['state']=='running' and i['host']!='$1' for i in d)))"
}
until [ "$(all_running_except none)" = 1 ]; do sleep 0.2; done
results=()
for t in $(seq 1 "$trials"); do
  read -r host pid zone < <(count host ls | python3 -c "import json,sys; h=max(json.load(sys.stdin), key=lambda h: h['instances']); print(h['id'], h['pid'], h['zone'][-1])")
  n=$(count host ls | python3 -c "import json,sys; print(max(h['instances'] for h in json.load(sys.stdin)))")
  t0=$(date +%s.%N)
  kill -9 "$pid"
  until [ "$(all_running_except "$host")" = 1 ]; do sleep 0.1; done
  t1=$(date +%s.%N)
  s=$(echo "$t1 - $t0" | bc)
  results+=("$s")
  printf 'trial %2d: kill -9 agent of %s (%d instances) -> all running elsewhere after %.2f s\n' "$t" "$host" "$n" "$s"
  start_agent "$zone"
  until [ "$(count host ls | python3 -c "import json,sys; print(int(all(h['state']=='ready' for h in json.load(sys.stdin))))")" = 1 ]; do sleep 0.2; done
  sleep 2
done
printf '%s\n' "${results[@]}" | python3 -c "import sys,statistics as st; v=[float(x) for x in sys.stdin]; print(f'{len(v)} trials: median {st.median(v):.2f} s, worst {max(v):.2f} s, best {min(v):.2f} s')"
