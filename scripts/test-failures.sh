#!/usr/bin/env bash
# Prints the failed tests in a `swift test` log, one line each with its first issue:
#   FAILED <test> — <first issue line>
# and the fatal lines of a test process that crashed. Prints nothing when the log has no failure.
# Usage: scripts/test-failures.sh LOG
set -euo pipefail
log=${1:?usage: test-failures.sh LOG}

# Swift Testing marks a failing test's lines with ✘: "✘ Test NAME recorded an issue at FILE:LINE:COL: TEXT"
# (the first such line per test is its first issue) and "✘ Test NAME failed after …". XCTest's
# "error: … : NAME : TEXT" lines and a crashed process's "Fatal error"/signal lines are reported too.
LC_ALL=C.UTF-8 awk '
  function clean(text) { gsub(/\033\[[0-9;]*m/, "", text); return text }
  {
    line = clean($0)
    if (match(line, /✘ Test .* recorded an issue/)) {
      name = substr(line, RSTART + length("✘ Test "), RLENGTH - length("✘ Test ") - length(" recorded an issue"))
      rest = substr(line, RSTART + RLENGTH)
      sub(/^ (with [0-9]+ arguments? .* )?at /, "", rest)
      if (!(name in first)) { first[name] = rest; order[++count] = name }
    } else if (match(line, /✘ Test .* failed after/)) {
      name = substr(line, RSTART + length("✘ Test "), RLENGTH - length("✘ Test ") - length(" failed after"))
      # The summary of a parameterised test ("NAME with 2 test cases") and of the whole run repeat
      # what their issue lines said.
      sub(/ with [0-9]+ test cases?$/, "", name)
      if (name ~ /^run with [0-9]+ tests?/) next
      if (!(name in first)) { first[name] = "(no issue line)"; order[++count] = name }
    } else if (line ~ /Fatal error|[Ee]xited with (unexpected )?signal|error: Exited with/) {
      fatal[++fatals] = line
    }
  }
  END {
    for (i = 1; i <= count; i++) printf "FAILED %s — %s\n", order[i], first[order[i]]
    for (i = 1; i <= fatals && i <= 5; i++) printf "CRASH %s\n", fatal[i]
  }
' "$log"
