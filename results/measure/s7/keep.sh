# s7/keep.sh (sourced): a working database that outlives the session. Git-ignored files do not
# survive from one session to the next; tracked ones do. keep_start DB SNAP restores DB from the
# tracked SNAP when DB is missing, then copies DB into SNAP (sqlite .backup: consistent while
# runs write) every 10 minutes and when the calling script exits. The session commits SNAP, or,
# once its measurement has finished, SNAP.xz (xz -k; SNAP itself then git-ignored).
keep_snapshot() { [ -s "$1" ] && sqlite3 "$1" ".backup '$2.tmp'" && mv "$2.tmp" "$2"; }
keep_start() {
  local db=$1 snap=$2
  mkdir -p "$(dirname "$snap")"
  if [ ! -s "$db" ] && [ -s "$snap" ]; then cp "$snap" "$db"; echo "[keep] $db restored from $snap"
  elif [ ! -s "$db" ] && [ -s "$snap.xz" ]; then   # a finished measurement is tracked compressed
    xz -dc "$snap.xz" > "$db"; echo "[keep] $db restored from $snap.xz"; fi
  ( while sleep 600; do keep_snapshot "$db" "$snap"; done ) &
  KEEP_PIDS="${KEEP_PIDS:-} $!"
  KEEP_PAIRS="${KEEP_PAIRS:-} $db:$snap"
  trap 'for p in $KEEP_PIDS; do kill $p 2>/dev/null; done; for q in $KEEP_PAIRS; do keep_snapshot "${q%%:*}" "${q#*:}"; done' EXIT
}
