#!/usr/bin/env bash
# Checks the CLI distribution that `mvn package` builds (grok-examples/target/grok-examples-*-dist.zip):
# unpacked into a temporary folder, with only a JRE (no Maven, no source tree on the classpath),
#  1. bin/grok --version prints the pom's version and the native platform of the build;
#  2. bin/grok inspect --help works;
#  3. bin/grok inspect on the shipped weights works with the native jars of ND4J and PyTorch removed
#     (a machine they were not built for) and with ND4J removed altogether, falling back to EJML.
# Called by .ci/run after `mvn -B verify`; alone: scripts/check-dist.sh [ZIP]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
zip="${1:-$(ls "$root"/grok-examples/target/grok-examples-*-dist.zip | head -1)}"
version="$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -1)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "check-dist: FAIL: $*" >&2; exit 1; }

home="$work/grok-metrics-$version"
if command -v unzip >/dev/null 2>&1; then
  (cd "$work" && unzip -q "$zip")
  [[ -x "$home/bin/grok" ]] || fail "no executable bin/grok in $zip"
else   # the JDK's jar tool (keeps no file modes)
  (cd "$work" && jar xf "$zip")
  [[ -f "$home/bin/grok" ]] || fail "no bin/grok in $zip"
  chmod +x "$home/bin/grok"
fi
[[ -f "$home/bin/grok.bat" ]] || fail "no bin/grok.bat in $zip"
[[ -f "$home/LICENSE" && -f "$home/NOTICE" ]] || fail "LICENSE or NOTICE missing"
cd "$work"   # not the source tree

out="$("$home/bin/grok" --version)"
[[ "$(head -1 <<<"$out")" == "grok-metrics $version" ]] || fail "--version printed: $out"
grep -q '^natives: ND4J ' <<<"$out" || fail "--version names no native platform: $out"
echo "check-dist: --version: $(tr '\n' ' ' <<<"$out")"

"$home/bin/grok" inspect --help | grep -q 'safetensors' || fail "inspect --help"

weights="$home/examples/mod31-mlp.safetensors"
inspect_without() {   # $1: what is removed, $2...: glob patterns of lib/ jars to remove
  local what="$1"; shift
  local lib="$work/lib-$RANDOM"
  cp -r "$home/lib" "$lib"
  for pattern in "$@"; do rm -f "$lib"/$pattern; done
  local report
  report="$(GROK_CLASSPATH="$lib/*" "$home/bin/grok" inspect --json "$weights" 2>"$work/err.txt")" \
    || fail "inspect without $what: $(cat "$work/err.txt")"
  grep -q '"embedding.weight"' <<<"$report" || fail "inspect without $what: no tensors in the report"
  grep -q 'ejml' <<<"$report" || fail "inspect without $what did not fall back to EJML"
  echo "check-dist: inspect without $what: ok ($(grep -o '"linear_algebra_choice" *: *"[^"]*"' <<<"$report" | head -1))"
  rm -rf "$lib"
}
# the platform jars of ND4J (nd4j-native, its preset, OpenBLAS, JavaCPP: classifier javacpp) and PyTorch's
javacpp="$(sed -n 's/^natives: ND4J \([^,]*\),.*/\1/p' <<<"$out")"
ls "$home"/lib/*-"$javacpp".jar >/dev/null 2>&1 || fail "no $javacpp jars in lib/"
inspect_without "ND4J and PyTorch natives" "*-$javacpp.jar" 'pytorch-native-*.jar'
inspect_without "ND4J and DL4J" 'nd4j-*.jar' 'deeplearning4j-*.jar' 'grok-metrics-dl4j-*.jar' 'javacpp-*.jar' \
  'openblas-*.jar' 'pytorch-native-*.jar'
echo "check-dist: $zip ok"
