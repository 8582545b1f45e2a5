#!/usr/bin/env bash
# Instruction counts (callgrind) of chain validation and OCSP response verification, as ratios to the raw
# signature verifications they contain. Deterministic enough to compare across runs on a noisy machine.
# Run with: bash benches/instructions.sh   (needs valgrind)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release -p tiwire-benches --bin pki-instructions
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for alg in brainpool p256 rsa; do
  valgrind --tool=callgrind --callgrind-out-file="$out/$alg.cg" target/release/pki-instructions "$alg" 2>/dev/null
  callgrind_annotate --inclusive=yes --threshold=100 "$out/$alg.cg" 2>/dev/null >"$out/$alg.txt"
  count() { grep -E "pki_instructions::$1( |$|\[)" "$out/$alg.txt" | head -1 | awk '{gsub(",", "", $1); print $1}'; }
  python3 - "$alg" "$(count chain_raw)" "$(count chain_validate)" "$(count ocsp_raw)" "$(count ocsp_verify)" <<'PY'
import sys
alg, chain_raw, chain_val, ocsp_raw, ocsp_ver = sys.argv[1], *map(int, sys.argv[2:])
print(f"{alg:10} chain of 3: {chain_val / chain_raw:5.3f}x of 2 raw verifications ({chain_val // 20:,} vs {chain_raw // 20:,} instructions)")
print(f"{alg:10} OCSP:       {ocsp_ver / ocsp_raw:5.3f}x of 2 raw verifications ({ocsp_ver // 20:,} vs {ocsp_raw // 20:,} instructions)")
PY
done
valgrind --tool=callgrind --callgrind-out-file="$out/passport.cg" target/release/pki-instructions passport 2>/dev/null
callgrind_annotate --inclusive=yes --threshold=100 "$out/passport.cg" 2>/dev/null >"$out/passport.txt"
raw=$(grep -E "pki_instructions::passport_raw( |$|\[)" "$out/passport.txt" | head -1 | awk '{gsub(",", "", $1); print $1}')
ver=$(grep -E "pki_instructions::passport_verify( |$|\[)" "$out/passport.txt" | head -1 | awk '{gsub(",", "", $1); print $1}')
python3 -c "import sys; r, v = int(sys.argv[1]), int(sys.argv[2]); print(f'passport   token:      {v / r:5.3f}x of 1 raw ES256 verification ({v // 20:,} vs {r // 20:,} instructions)')" "$raw" "$ver"
