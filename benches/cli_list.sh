#!/usr/bin/env bash
# Issue 12's figure: `cspdash customers list --output jsonl` over N customers (default 100,000),
# wall time and peak RSS, against curl following the same pages (`links.next` and its
# continuation token, found with jq) in the same run; and the CLI's peak RSS at a tenth of N, to
# show it stays flat. Medians of RUNS runs (default 5). Needs curl, jq and GNU time.
#
#   bash benches/cli_list.sh [N]
set -euo pipefail

N=${1:-100000}
RUNS=${RUNS:-5}
cd "$(dirname "$0")/.."
for tool in curl jq /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "cli_list: needs $tool (apt-get install -y curl jq time)"; exit 1; }
done
cargo build --release --quiet
BIN=$PWD/target/release/cspdash
WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

# Starts `cspdash serve` on a database of $1 customers; sets URL and TOKEN.
serve() {
    local count=$1 db="$WORK/db-$1"
    "$BIN" serve --db "$db" --demo "$count" --listen 127.0.0.1:0 --rate-limit 100000 \
        2>"$WORK/serve-$count.log" &
    PIDS+=($!)
    for _ in $(seq 600); do
        URL=$(grep -o 'listening on http://[0-9.:]*' "$WORK/serve-$count.log" | cut -d' ' -f3 || true)
        [ -n "$URL" ] && break
        sleep 0.1
    done
    [ -n "$URL" ] || { echo "cli_list: the server did not start"; cat "$WORK/serve-$count.log"; exit 1; }
    TOKEN=$("$BIN" token create --db "$db" --role global-admin)
}

# Every page of customers with curl, following links.next as a script would (one jq a page for
# the count, the next link and its continuation token).
curl_pages() {
    local next="$URL/v1/customers?size=1000" token_header="" count=0 n uri token
    : >"$WORK/pages.curl"
    while [ -n "$next" ]; do
        # Kept for curl_only: the same requests, for one curl process to replay (`next` keeps
        # each request's headers its own).
        if [ -s "$WORK/pages.curl" ]; then echo next >>"$WORK/pages.curl"; fi
        printf 'url = "%s"\nheader = "Authorization: Bearer %s"\n%boutput = "/dev/null"\n' \
            "$next" "$TOKEN" "${token_header:+header = \"$token_header\"\n}" >>"$WORK/pages.curl"
        { read -r n; read -r uri; read -r token; } < <(
            curl -sf -H "Authorization: Bearer $TOKEN" ${token_header:+-H "$token_header"} "$next" |
                jq -r '(.items | length), (.links.next.uri // ""),
                    ([.links.next.headers[]? | select(.key == "MS-ContinuationToken") | .value][0] // "")'
        )
        count=$((count + n))
        if [ -z "$uri" ]; then
            next=""
        else
            next="$URL/v1${uri#/v1}"
            token_header="MS-ContinuationToken: $token"
        fi
    done
    echo "$count" >"$WORK/curl-count"
}

# The floor: one curl process fetching the same pages, their links known beforehand (no parsing).
curl_only() {
    curl -sSf -K "$WORK/pages.curl"
}

# Runs "$@" RUNS times under GNU time; prints "median_seconds median_peak_kb".
measure() {
    local times=() rss=()
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >"$WORK/out" ||
            { echo "cli_list: $* failed" >&2; exit 1; }
        read -r t m <"$WORK/time"
        times+=("$t")
        rss+=("$m")
    done
    printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")" \
        "$(printf '%s\n' "${rss[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")"
}

# The CLI under test, run directly (so GNU time's peak RSS is its own).
cli_measure() {
    measure env CSPDASH_TOKEN="$TOKEN" XDG_CONFIG_HOME="$WORK/config" \
        "$BIN" customers list --backend "$URL" -o jsonl
}

export -f curl_pages curl_only
export BIN WORK

small=$((N / 10))
serve "$small"
export URL TOKEN
read -r small_time small_rss < <(cli_measure)
small_lines=$(wc -l <"$WORK/out")

serve "$N"
export URL TOKEN
read -r cli_time cli_rss < <(cli_measure)
cli_lines=$(wc -l <"$WORK/out")
read -r curl_time curl_rss < <(measure bash -c curl_pages)
curl_count=$(cat "$WORK/curl-count")
read -r floor_time floor_rss < <(measure bash -c curl_only)

[ "$cli_lines" -eq "$N" ] || { echo "cli_list: the CLI printed $cli_lines of $N customers"; exit 1; }
[ "$curl_count" -eq "$N" ] || { echo "cli_list: curl read $curl_count of $N customers"; exit 1; }
[ "$small_lines" -eq "$small" ] || { echo "cli_list: $small_lines of $small customers"; exit 1; }

echo "customers list --output jsonl, medians of $RUNS runs (loopback, release build, $(nproc) cores)"
printf '  %-44s %8ss  peak RSS %6d KB\n' "cspdash, $N customers" "$cli_time" "$cli_rss"
printf '  %-44s %8ss  peak RSS %6d KB (bash; curl and jq are children)\n' "curl | jq following 1000-row pages, $N" "$curl_time" "$curl_rss"
printf '  %-44s %8ss  peak RSS %6d KB (the HTTP floor: no parsing)\n' "one curl, the same $(grep -c '^url' "$WORK/pages.curl") requests known beforehand" "$floor_time" "$floor_rss"
printf '  %-44s %8ss  peak RSS %6d KB\n' "cspdash, $small customers" "$small_time" "$small_rss"
awk -v a="$cli_time" -v f="$floor_time" 'BEGIN {
    printf "  time ratio cspdash / the HTTP floor: %.2f (cspdash parses and writes every customer)\n", a / f
}'
awk -v a="$cli_time" -v b="$curl_time" -v r="$cli_rss" -v s="$small_rss" -v n="$N" -v m="$small" 'BEGIN {
    printf "  time ratio cspdash / curl: %.2f (target <= 1.5); peak RSS %d vs %d customers: %.2f x (target: flat, < 50 MB)\n", a / b, n, m, r / s
}'
