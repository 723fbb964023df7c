#!/usr/bin/env bash
# Regenerates the component catalogue in README.md (between the catalogue markers) from the
# registry that `forgather registry` prints, so the README never drifts from the code.
#   scripts/gen-catalogue.sh [path/to/forgather]
set -euo pipefail
cd "$(dirname "$0")/.."
fg=${1:-build/dev/src/cli/forgather}
catalogue=$(mktemp)
{
  echo "| Constructor | Aliases | What it builds | Arguments |"
  echo "|---|---|---|---|"
  "$fg" registry | sed -n 's/^\([^ ]*\) - \(.*\)$/\1\t\2/p' | while IFS=$'\t' read -r name summary; do
    details=$("$fg" registry "$name")
    aliases=$(echo "$details" | sed -n 's/^  alias: //p' | paste -sd ' ' | sed 's/ /, /g')
    args=$(echo "$details" | sed -n '/^  alias: /d; s/^  \(.*\)$/\1/p' | sed 's/|/\\|/g' | paste -sd $'\x1f' | sed 's/\x1f/<br>/g')
    printf '| `%s` | %s | %s | %s |\n' "$name" "${aliases:-}" "$summary" "${args:-none}"
  done
} >"$catalogue"
awk -v file="$catalogue" '
  /<!-- catalogue:begin -->/ { print; while ((getline line < file) > 0) print line; skip = 1; next }
  /<!-- catalogue:end -->/ { skip = 0 }
  !skip { print }
' README.md >README.md.new
mv README.md.new README.md
rm -f "$catalogue"
echo "gen-catalogue: $(grep -c '^| `' README.md) constructors"
