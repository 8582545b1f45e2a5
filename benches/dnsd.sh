#!/usr/bin/env bash
# tiwire-dnsd vs Knot DNS, side by side on the same zone (loopback only): the bench plan
# libs/dns/tests/vectors/bench-provider.zoneplan.toml served by tiwire-dnsd, and the zone file `tiwire dns
# zonefile` emits from it served by knotd (udp-max-payload 1232, like ours). dnsperf query sets with EDNS(0):
#   srv   = the six per-site _isakmp._udp.ti-extern SRV sets + _regserver._tcp (answers ~0.5-1 KB with glue)
#   txt   = the 50 concentrators' txtvers=1 TXT records
#   mixed = SRV + TXT + A + AAAA with ~5% NXDOMAIN
#   srvall-tcp (with --tcp) = the 50-target SRV set over TCP
# --dnssec: both servers sign the zone (ECDSA P-256, one CSK, NSEC): tiwire-dnsd with a generated key in
# [dnssec], knotd with `dnssec-signing: on` and a single-type-signing policy; dnsperf sets DO=1 (-D), so every
# answer carries RRSIGs (NXDOMAIN/NODATA: NSEC proofs).
# Runs alternate between the servers (knot, tiwire, knot, tiwire, ...) so drift and a neighbour's load hit both;
# the server CPU per answered query comes from /proc/<pid>/stat (utime+stime of all threads). Compare ratios
# from one run only: the machine is shared and noisy.
# Run with: bash benches/dnsd.sh [--runs R] [--duration S] [--clients C] [--outstanding Q] [--sets srv,txt,mixed]
#                                [--tcp] [--udp-workers N] [--dnssec]
# Needs: knot (knotd), knot-dnsutils (kdig), dnsperf: apt-get install -y knot knot-dnsutils dnsperf
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=3 DURATION=5 CLIENTS=16 OUTSTANDING=100 SETS=srv,txt,mixed TCP=0 WORKERS=0 DNSSEC=0
KNOT_PORT=5363 DNSD_PORT=5364
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --clients) CLIENTS=$2; shift 2 ;;
    --outstanding) OUTSTANDING=$2; shift 2 ;;
    --sets) SETS=$2; shift 2 ;;
    --tcp) TCP=1; shift ;;
    --udp-workers) WORKERS=$2; shift 2 ;;
    --dnssec) DNSSEC=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
for t in knotd kdig dnsperf; do
  command -v $t >/dev/null || { echo "$t missing (apt-get install -y knot knot-dnsutils dnsperf)" >&2; exit 2; }
done
for p in $KNOT_PORT $DNSD_PORT; do
  if ss -Hlun "sport = :$p" | grep -q .; then echo "UDP port $p in use" >&2; exit 2; fi
done

PLAN=$PWD/libs/dns/tests/vectors/bench-provider.zoneplan.toml
DOMAIN=anbieter-vpn.example
SITES=(ham ber fra muc dus lei)
cargo build -q --release -p tiwire-dnsd --bin tiwire-dnsd
cargo build -q -p tiwire-cli --bin tiwire   # only writes the zone file for knot
W=$(mktemp -d /tmp/dnsd-bench.XXXXXX)
KNOT_PID="" DNSD_PID=""
cleanup() {
  for p in $KNOT_PID $DNSD_PID; do kill "$p" 2>/dev/null || true; done
  for p in $KNOT_PID $DNSD_PID; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the zone, both ways
mkdir -p "$W/knot/zones" "$W/knot/db" "$W/knot/run" "$W/q"
target/debug/tiwire dns zonefile "$PLAN" > "$W/knot/zones/$DOMAIN.zone"
cat > "$W/knot/knot.conf" <<EOF
server:
    rundir: "$W/knot/run"
    listen: [ 127.0.0.1@$KNOT_PORT ]
    udp-max-payload: 1232
log:
  - target: "$W/knot.log"
    any: warning
database:
    storage: "$W/knot/db"
template:
  - id: default
    storage: "$W/knot/zones"
    file: "%s.zone"
    zonefile-sync: -1
    journal-content: none
zone:
  - domain: $DOMAIN
EOF
cat > "$W/dnsd.toml" <<EOF
listen = ["127.0.0.1:$DNSD_PORT"]
plan = "$PLAN"
[limits]
udp_workers = $WORKERS
EOF
DIG_DO=() PERF_DO=()
if [ "$DNSSEC" = 1 ]; then
  DIG_DO=(+dnssec) PERF_DO=(-D)
  { sed '/^zone:/,$d' "$W/knot/knot.conf"; cat <<EOF
policy:
  - id: csk
    algorithm: ecdsap256sha256
    single-type-signing: on
    nsec3: off
zone:
  - domain: $DOMAIN
    dnssec-signing: on
    dnssec-policy: csk
EOF
  } > "$W/knot/knot.signed.conf"
  mv "$W/knot/knot.signed.conf" "$W/knot/knot.conf"
  target/release/tiwire-dnsd --generate-key "$W/dnssec.key.pem" 2>/dev/null
  printf '[dnssec]\nkey = "%s"\n' "$W/dnssec.key.pem" >> "$W/dnsd.toml"
fi
knotd -c "$W/knot/knot.conf" > "$W/knotd.out" 2>&1 &
KNOT_PID=$!
RUST_LOG=warn target/release/tiwire-dnsd -c "$W/dnsd.toml" > "$W/dnsd.out" 2>&1 &
DNSD_PID=$!
for port in $KNOT_PORT $DNSD_PORT; do
  for _ in $(seq 100); do
    kdig @127.0.0.1 -p $port +timeout=1 +retry=0 ${DIG_DO[@]+"${DIG_DO[@]}"} SOA $DOMAIN 2>/dev/null |
      grep -q "$([ "$DNSSEC" = 1 ] && echo 'RRSIG.*SOA' || echo hostmaster)" && break
    sleep 0.1
  done
done

# ---- query files
{ for s in "${SITES[@]}"; do echo "_isakmp._udp.ti-extern.$s.$DOMAIN. SRV"; done; echo "_regserver._tcp.$DOMAIN. SRV"; } > "$W/q/srv"
echo "_isakmp._udp.ti-extern.$DOMAIN. SRV" > "$W/q/srvall"
grep -E "^konz[0-9]+\.[a-z]+\.$DOMAIN\. [0-9]+ IN TXT" "$W/knot/zones/$DOMAIN.zone" | awk '{print $1}' > "$W/q/names"
sed 's/$/ TXT/' "$W/q/names" > "$W/q/txt"
{ cat "$W/q/srv" "$W/q/txt"; sed 's/$/ A/' "$W/q/names"; sed 's/$/ AAAA/' "$W/q/names"
  for i in $(seq 10); do echo "konz9$i.ham.$DOMAIN. A"; done; } > "$W/q/mixed"

# ---- same answers? (sizes, flags and sorted answer sections)
echo "# $(date -Is) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) knotd=$(knotd -V | awk '{print $NF}') dnsperf=$(dnsperf -h 2>&1 | awk '/Version/{print $2}')"
for qq in "_isakmp._udp.ti-extern.ham.$DOMAIN SRV" "_isakmp._udp.ti-extern.$DOMAIN SRV" "konz01.ham.$DOMAIN TXT" "konz91.ham.$DOMAIN A"; do
  set -- $qq
  for port in $KNOT_PORT $DNSD_PORT; do
    o=$(kdig @127.0.0.1 -p $port +notcp +ignore +bufsize=1232 +timeout=2 +retry=0 ${DIG_DO[@]+"${DIG_DO[@]}"} "$2" "$1" 2>&1 || true)
    [ $port = $KNOT_PORT ] && who=knot || who=tiwire
    printf 'size %-6s %-55s %s bytes=%s flags="%s"\n' "$who" "$1 $2" "$(echo "$o" | sed -n 's/.*status: \([A-Z]*\).*/\1/p' | head -1)" \
      "$(echo "$o" | sed -n 's/.*Received \([0-9]*\) B.*/\1/p')" "$(echo "$o" | sed -n 's/.*Flags: \([^;]*\);.*/\1/p' | head -1)"
  done
  a=$(kdig @127.0.0.1 -p $KNOT_PORT +tcp +noall +answer "$2" "$1" | sort); b=$(kdig @127.0.0.1 -p $DNSD_PORT +tcp +noall +answer "$2" "$1" | sort)
  [ "$a" = "$b" ] || echo "  DIFFERENT answer sections for $1 $2" >&2
done

HZ=$(getconf CLK_TCK)
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
median() { sort -n | awk '{a[NR]=$1} END{if(NR==0){print "nan"}else if(NR%2){print a[(NR+1)/2]}else{printf "%.6g\n",(a[NR/2]+a[NR/2+1])/2}}'; }
SETLIST=${SETS//,/ }; [ "$TCP" = 1 ] && SETLIST="$SETLIST srvall-tcp"
for s in $SETLIST; do
  f=$W/q/${s%-tcp}; extra=(); [ "$s" = srvall-tcp ] && extra=(-m tcp)
  for r in $(seq "$RUNS"); do
    for who in knot tiwire; do
      if [ $who = knot ]; then pid=$KNOT_PID port=$KNOT_PORT; else pid=$DNSD_PID port=$DNSD_PORT; fi
      c0=$(ticks $pid)
      out=$(timeout $((DURATION + 15)) dnsperf -s 127.0.0.1 -p $port -d "$f" -l "$DURATION" -c "$CLIENTS" -q "$OUTSTANDING" -t 2 -e ${PERF_DO[@]+"${PERF_DO[@]}"} ${extra[@]+"${extra[@]}"} 2>&1 || true)
      c1=$(ticks $pid)
      qps=$(echo "$out" | awk '/Queries per second/{printf "%.0f", $4}')
      done_q=$(echo "$out" | awk '/Queries completed/{print $3}')
      lost=$(echo "$out" | awk '/Queries lost/{print $3}')
      cpu=$(awk -v d=$((c1 - c0)) -v hz="$HZ" -v n="${done_q:-0}" 'BEGIN{ if (n>0 && d>0) printf "%.2f", d*1e6/hz/n; else print "na" }')
      echo "run set=$s server=$who run=$r qps=${qps:-0} lost=${lost:-?} server_cpu_us_per_query=$cpu"
      echo "${qps:-0} $cpu" >> "$W/$s-$who"
    done
  done
done
echo "== medians of $RUNS runs (dnssec=$DNSSEC; dnsperf -e ${PERF_DO[*]:-} -l $DURATION -c $CLIENTS -q $OUTSTANDING; $(nproc) shared cores) =="
for s in $SETLIST; do
  kq=$(awk '{print $1}' "$W/$s-knot" | median); tq=$(awk '{print $1}' "$W/$s-tiwire" | median)
  kc=$(awk '$2!="na"{print $2}' "$W/$s-knot" | median); tc=$(awk '$2!="na"{print $2}' "$W/$s-tiwire" | median)
  awk -v s="$s" -v kq="$kq" -v tq="$tq" -v kc="$kc" -v tc="$tc" 'BEGIN{
    printf "%-10s knot %7.0f q/s %6.2f us/q | tiwire-dnsd %7.0f q/s %6.2f us/q | tiwire/knot: q/s x%.2f, CPU/query x%.2f\n",
      s, kq, kc, tq, tc, (kq>0 ? tq/kq : 0), (kc>0 ? tc/kc : 0) }'
done
