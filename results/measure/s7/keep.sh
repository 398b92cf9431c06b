# s7/keep.sh (sourced): a working database that outlives the session. Git-ignored files do not
# survive from one session to the next; tracked ones do. keep_start DB SNAP restores DB from the
# tracked SNAP.xz when DB is missing, then writes DB into SNAP.xz (sqlite .backup, consistent while
# runs write, then xz: a results database is mostly eval items and packs about tenfold) every 10
# minutes and when the calling script exits. The session commits SNAP.xz; SNAP itself is ignored.
keep_snapshot() {
  [ -s "$1" ] && sqlite3 "$1" ".backup '$2.tmp'" && xz -T1 -c "$2.tmp" > "$2.xz.tmp" && mv "$2.xz.tmp" "$2.xz" && rm -f "$2.tmp"
}
keep_start() {
  local db=$1 snap=$2
  mkdir -p "$(dirname "$snap")"
  if [ ! -s "$db" ] && [ -s "$snap.xz" ]; then xz -dc "$snap.xz" > "$db"; echo "[keep] $db restored from $snap.xz"; fi
  ( while sleep 600; do keep_snapshot "$db" "$snap"; done ) &
  KEEP_PIDS="${KEEP_PIDS:-} $!"
  KEEP_PAIRS="${KEEP_PAIRS:-} $db:$snap"
  trap 'for p in $KEEP_PIDS; do kill $p 2>/dev/null; done; for q in $KEEP_PAIRS; do keep_snapshot "${q%%:*}" "${q#*:}"; done' EXIT
}
