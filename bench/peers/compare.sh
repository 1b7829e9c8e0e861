#!/usr/bin/env bash
# Peer comparison of generated code (issue 13, part 3): Specgen vs NSwag 14.8 vs Kiota 1.38.
#
# For each document: generated C# lines (total, per operation, per schema) and the compile time of
# the generated code, compiled the same way for all three generators: a Release class library
# (net10.0) holding only the generated code plus the packages that code needs, built with
# `dotnet build --no-restore` after a warm-up build, 3 measured builds, median of the time of the
# Csc task alone (MSBuild's performance summary), with the compiler server warm. For Specgen a
# second figure, "in-project", is the Csc task of a project that runs the generator itself
# (generator + compile: what a Specgen user pays on every build; the peers generate ahead of time).
#
# Usage (from a clone with ../shared/specs beside it; nothing else heavy running, 2 cores):
#   bench/peers/compare.sh                      # the five default documents
#   PEERS_DOCS="petstore3 openai" bench/peers/compare.sh
# Settings (environment):
#   PEERS_WORK      working directory (default: a new mktemp dir under /tmp); tools, generated code,
#                   scratch projects and results.tsv land here, never in the repository
#   PEERS_SPECS     the shared specs folder (default: <repo>/../shared/specs)
#   PEERS_DOCS      names from the DOCS table below (default: all of them)
#   PEERS_TIMEOUT   seconds allowed per document, all generators and builds together (default 1800)
#   PEERS_RUNS      measured builds per project (default 3)
#   PEERS_GENERATORS which of specgen nswag kiota to run (default: all three)
#   PEERS_IN_PROJECT 1 (default) also times Specgen's generator project (generator + compile); 0 skips it
#   PEERS_SHARED_COMPILATION  false (default): a fresh csc per build; true: the warm compiler server
#   PEERS_QUIET_PERCENT, PEERS_QUIET_WAIT  before each timed build, wait (up to QUIET_WAIT s, default
#                   900) until other processes use at most QUIET_PERCENT (default 15) % of one core
#   SPECGEN_FROM    worktree (default: the repository's files as they are, without bin/obj) or
#                   head (git archive HEAD: the last commit only)
# Needs: dotnet SDK 10, python3 with PyYAML (operation and schema counts), the NuGet feed.
set -euo pipefail

say() { printf '[peers %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SPECS="${PEERS_SPECS:-$REPO/../shared/specs}"
[ -d "$SPECS" ] || die "specs folder not found: $SPECS (clone the repository beside ../shared, or set PEERS_SPECS)"
SPECS="$(cd "$SPECS" && pwd)"
WORK="${PEERS_WORK:-$(mktemp -d /tmp/specgen-peers.XXXXXX)}"
mkdir -p "$WORK"; WORK="$(cd "$WORK" && pwd)"
TIMEOUT="${PEERS_TIMEOUT:-1800}"
RUNS="${PEERS_RUNS:-3}"
SPECGEN_FROM="${SPECGEN_FROM:-worktree}"
IN_PROJECT="${PEERS_IN_PROJECT:-1}"
GENERATORS=" ${PEERS_GENERATORS:-specgen nswag kiota} "
# false: every build runs a fresh csc process (as CI without the compiler server, and as this
# machine is configured); true: the VBCSCompiler server, warm after the warm-up build.
SHARED="${PEERS_SHARED_COMPILATION:-false}"
QUIET="${PEERS_QUIET_PERCENT:-15}"       # "quiet": other processes use at most this % of one core
QUIET_WAIT="${PEERS_QUIET_WAIT:-900}"    # seconds to wait for quiet before measuring anyway
KIOTA_VERSION=1.38.0
NSWAG_VERSION=14.8.0
KIOTA_PKG_VERSION=2.1.6   # Microsoft.Kiota.* libraries the Kiota 1.38 output compiles against
TFM=net10.0

# name | file under specs/ | style (for the table)
DOCS_TABLE='petstore3|swagger-api/petstore3-openapi.yaml|3.0 YAML, small
museum|redocly/museum-openapi.yaml|3.1 YAML, small
netlify|netlify/swagger.yml|Swagger 2.0 YAML, medium
spotify|spotify/fixed-spotify-open-api.yml|3.0 YAML, medium
openai|openai/openapi.yaml|3.1 YAML, large
box|box/openapi.json|3.0 JSON, large
twilio|twilio/twilio_api_v2010.json|3.0 JSON, large'
DEFAULT_DOCS="petstore3 museum netlify spotify openai"
DOCS="${PEERS_DOCS:-$DEFAULT_DOCS}"

command -v dotnet >/dev/null || die "dotnet not on PATH"
command -v python3 >/dev/null || die "python3 not on PATH"
python3 -c 'import yaml' 2>/dev/null || die "python3 needs PyYAML (pip install pyyaml) to count operations and schemas"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export KIOTA_TUTORIAL_ENABLED=false KIOTA_OFFLINE_ENABLED=true

say "repository $REPO ($(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo 'not a git clone'), Specgen from $SPECGEN_FROM)"
say "work directory $WORK"

# Projects under $WORK must not inherit any Directory.Build.* from above.
for f in Directory.Build.props Directory.Build.targets Directory.Packages.props; do
  [ -f "$WORK/$f" ] || echo '<Project />' > "$WORK/$f"
done

# ---------------------------------------------------------------------------------------------
# Tools
TOOLS="$WORK/tools"
if [ ! -x "$TOOLS/kiota" ]; then
  say "installing Kiota $KIOTA_VERSION"
  dotnet tool install Microsoft.OpenApi.Kiota --version "$KIOTA_VERSION" --tool-path "$TOOLS" >"$WORK/tool-kiota.log" 2>&1 \
    || die "kiota install failed, see $WORK/tool-kiota.log"
fi
if [ ! -x "$TOOLS/nswag" ]; then
  say "installing NSwag $NSWAG_VERSION"
  dotnet tool install NSwag.ConsoleCore --version "$NSWAG_VERSION" --tool-path "$TOOLS" >"$WORK/tool-nswag.log" 2>&1 \
    || die "nswag install failed, see $WORK/tool-nswag.log"
fi

# ---------------------------------------------------------------------------------------------
# Specgen: a copy of generator/ and runtime/ (the repository's bin/obj are never touched).
SG="$WORK/specgen-src"
rm -rf "$SG"; mkdir -p "$SG"
if [ "$SPECGEN_FROM" = head ]; then
  git -C "$REPO" archive HEAD generator runtime spec Directory.Build.props Directory.Packages.props | tar -x -C "$SG"
else
  (cd "$REPO" && tar -c --exclude=bin --exclude=obj generator runtime spec Directory.Build.props Directory.Packages.props) | tar -x -C "$SG"
fi
SPECGEN_COMMIT="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ "$SPECGEN_FROM" != head ] && [ -n "$(git -C "$REPO" status --porcelain -- generator runtime 2>/dev/null)" ]; then
  SPECGEN_COMMIT="$SPECGEN_COMMIT+dirty"
fi

# ---------------------------------------------------------------------------------------------
# Helpers

# remaining seconds before the current document's deadline
left() { local n=$(( DEADLINE - $(date +%s) )); [ "$n" -gt 0 ] && echo "$n" || echo 1; }

# counts FILE... : "files lines code" (code: lines that are neither blank nor only a comment)
count_lines() {
  python3 - "$@" <<'PY'
import sys
files = lines = code = 0
for p in sys.argv[1:]:
    files += 1
    with open(p, encoding='utf-8-sig', errors='replace') as f:
        for line in f:
            lines += 1
            s = line.strip()
            if s and not s.startswith('//') and not s.startswith('/*') and not s.startswith('*'):
                code += 1
print(files, lines, code)
PY
}

# doc_counts SPEC : "operations schemas"
doc_counts() {
  python3 - "$1" <<'PY'
import sys, json, yaml
p = sys.argv[1]
with open(p, encoding='utf-8') as f:
    d = json.load(f) if p.endswith('.json') else yaml.load(f, Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader))
methods = {'get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'}
ops = sum(1 for item in (d.get('paths') or {}).values() if isinstance(item, dict) for m in item if m in methods)
schemas = len(((d.get('components') or {}).get('schemas')) or d.get('definitions') or {})
print(ops, schemas)
PY
}

# csc_ms LOG : milliseconds of the Csc task in an MSBuild performance summary (0 when absent)
csc_ms() { awk '/Task Performance Summary/{t=1} t && $2=="ms" && $3=="Csc" {print $1; f=1} END{if(!f) print 0}' "$1" | tail -1; }

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

# The machine must be quiet while a build is timed (2 cores: any other build or test run doubles
# a compile's time). busy_jiffies: CPU time used by everything so far, in clock ticks.
CLK="$(getconf CLK_TCK)"
busy_jiffies() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
# wait_quiet: until the machine uses less than QUIET% of one core over 3 s (at most QUIET_WAIT s)
wait_quiet() {
  local waited=0 b0 b1 pct
  while :; do
    b0=$(busy_jiffies); sleep 3; b1=$(busy_jiffies)
    pct=$(( (b1 - b0) * 100 / (3 * CLK) ))
    [ "$pct" -le "$QUIET" ] && return 0
    if [ "$waited" -ge "$QUIET_WAIT" ]; then say "machine still busy (${pct}% of a core) after ${QUIET_WAIT} s; measuring anyway"; return 0; fi
    [ "$waited" -eq 0 ] && say "waiting for the machine to be quiet (something else uses ${pct}% of a core)"
    sleep 10; waited=$((waited + 13))
  done
}

# timed_build DIR LOG : one build; sets T_WALL (ms) and T_OTHER (ms of CPU used by processes other
# than this build while it ran: a disturbed measurement when large)
timed_build() {
  local dir="$1" log="$2" b0 b1 s0 s1 mine
  b0=$(busy_jiffies); s0=$(date +%s%N)
  /usr/bin/time -f '%U %S' -o "$log.time" timeout "$(left)" dotnet build "$dir" -c Release --no-restore -nologo -nr:false -m:1 -v:q \
    -p:UseSharedCompilation="$SHARED" -clp:NoSummary -flp:"PerformanceSummary;Verbosity=minimal;LogFile=$log" >/dev/null 2>&1 || return 1
  s1=$(date +%s%N); b1=$(busy_jiffies)
  mine=$(awk '{printf "%d", ($1 + $2) * 1000}' "$log.time")
  T_WALL=$(( (s1 - s0) / 1000000 ))
  T_OTHER=$(( (b1 - b0) * 1000 / CLK - mine ))
}

# measure PROJECT_DIR LABEL : warm-up build, then $RUNS builds forced to recompile (a touched
# Stamp.cs), each after waiting for a quiet machine and done again (up to 3 times) when something
# else used more than 10% of the build's wall time in CPU meanwhile; prints
# "csc_median_ms wall_median_ms warnings redone" or fails
measure() {
  local dir="$1" label="$2" i try log cscs=() walls=() redone=0
  log="$dir/build-warmup.log"
  wait_quiet
  if ! timed_build "$dir" "$log"; then
    say "$label: warm-up build failed: $(grep -m1 -E 'error [A-Z]+[0-9]+' "$log" | sed 's/^ *//' | cut -c1-200 || true)"
    return 1
  fi
  for i in $(seq "$RUNS"); do
    log="$dir/build-$i.log"
    for try in 1 2 3 4; do
      wait_quiet
      touch "$dir/Stamp.cs"
      timed_build "$dir" "$log" || { say "$label: build $i failed"; return 1; }
      if [ "$T_OTHER" -le $(( T_WALL / 10 + 300 )) ] || [ "$try" -eq 4 ]; then break; fi
      say "$label: build $i disturbed (other processes used ${T_OTHER} ms of CPU in ${T_WALL} ms); again"
      redone=$((redone + 1))
    done
    walls+=("$T_WALL")
    cscs+=("$(csc_ms "$log")")
  done
  echo "$(median "${cscs[@]}") $(median "${walls[@]}") $(grep -cE 'warning [A-Z]+[0-9]+:' "$dir/build-1.log" || true) $redone"
}

redone_note() { [ "${redone:-0}" -gt 0 ] && echo " (${redone} disturbed runs redone)" || true; }

# lib_project DIR PACKAGES_XML REFERENCES_XML : the class library the generated code compiles in
lib_project() {
  cat > "$1/Lib.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>$TFM</TargetFramework>
    <ImplicitUsings>disable</ImplicitUsings>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
    <GenerateDocumentationFile>false</GenerateDocumentationFile>
    <EnableDefaultCompileItems>true</EnableDefaultCompileItems>
  </PropertyGroup>
  <ItemGroup>
$2
$3
  </ItemGroup>
</Project>
EOF
  echo '// touched before each measured build so that Csc runs again' > "$1/Stamp.cs"
}

RESULTS="$WORK/results.tsv"
KIOTA_PACKAGES=""
for p in Abstractions Serialization.Json Serialization.Text Serialization.Form Serialization.Multipart Http.HttpClientLibrary; do
  KIOTA_PACKAGES="$KIOTA_PACKAGES    <PackageReference Include=\"Microsoft.Kiota.$p\" Version=\"$KIOTA_PKG_VERSION\" />
"
done

say "building Specgen.Runtime (Release)"
dotnet build "$SG/runtime/Specgen.Runtime.csproj" -c Release -nologo -v:q -clp:NoSummary >"$WORK/runtime-build.log" 2>&1 \
  || die "Specgen.Runtime did not build, see $WORK/runtime-build.log"
RUNTIME_DLL="$(find "$SG/runtime/bin/Release" -name Specgen.Runtime.dll | head -1)"
[ -f "$RUNTIME_DLL" ] || die "Specgen.Runtime.dll not found under $SG/runtime/bin/Release"
SPECGEN_REFS="    <Reference Include=\"$RUNTIME_DLL\" />"
printf 'doc\tstyle\toperations\tschemas\tgenerator\tstatus\tfiles\tlines\tcode_lines\tcsc_ms\twall_ms\twarnings\tnote\n' > "$RESULTS"
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$RESULTS"; }

# ---------------------------------------------------------------------------------------------
# Phase 1, per document: generate with the three, count lines, write and restore the libraries.
# Nothing here is timed, so it runs whatever else the machine does; the builds are queued for phase 2.
JOBS="$WORK/jobs.tsv"; : > "$JOBS"
queue() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$doc" "$style" "$OPS" "$SCHEMAS" "$1" "$2" "$nf" "$nl" "$nc" "$3" >> "$JOBS"; }
for doc in $DOCS; do
  line="$(printf '%s\n' "$DOCS_TABLE" | awk -F'|' -v d="$doc" '$1==d')"
  [ -n "$line" ] || die "unknown document '$doc' (known: $(printf '%s\n' "$DOCS_TABLE" | cut -d'|' -f1 | tr '\n' ' '))"
  rel="$(cut -d'|' -f2 <<<"$line")"; style="$(cut -d'|' -f3 <<<"$line")"
  spec="$SPECS/$rel"
  [ -f "$spec" ] || { say "$doc: $spec not found, skipped"; continue; }
  DEADLINE=$(( $(date +%s) + TIMEOUT ))
  read -r OPS SCHEMAS < <(doc_counts "$spec" || echo "0 0")
  say "$doc: $rel ($OPS operations, $SCHEMAS schemas)"
  NS="Peers.$(tr '[:lower:]' '[:upper:]' <<<"${doc:0:1}")${doc:1}"
  CLIENT="$(tr '[:lower:]' '[:upper:]' <<<"${doc:0:1}")${doc:1}Client"
  D="$WORK/$doc"; rm -rf "$D"; mkdir -p "$D"

  if [[ "$GENERATORS" == *" specgen "* ]]; then  # (not indented: the section has a here-document)
  # --- Specgen: run the generator in a project (also the "in-project" timing), then compile its
  # output alone in a library that references Specgen.Runtime.dll.
  mkdir -p "$D/specgen-gen" "$D/specgen-lib"
  cp "$spec" "$D/specgen-gen/"
  cat > "$D/specgen-gen/Gen.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>$TFM</TargetFramework>
    <ImplicitUsings>disable</ImplicitUsings>
    <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
    <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
  </PropertyGroup>
  <Import Project="$SG/generator/build/Specgen.props" />
  <ItemGroup>
    <ProjectReference Include="$SG/generator/Specgen.Generator.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
    <ProjectReference Include="$SG/runtime/Specgen.Runtime.csproj" />
    <AdditionalFiles Include="$(basename "$spec")" SpecgenNamespace="$NS" SpecgenClientName="$CLIENT" />
  </ItemGroup>
</Project>
EOF
  echo '// touched before each measured build so that Csc runs again' > "$D/specgen-gen/Stamp.cs"
  say "$doc: Specgen generating (restore + build of the generator project)"
  if timeout "$(left)" dotnet restore "$D/specgen-gen" >"$D/specgen-gen/restore.log" 2>&1 && \
     timeout "$(left)" dotnet build "$D/specgen-gen" -c Release --no-restore -nologo -v:q -clp:NoSummary \
       -flp:"Verbosity=minimal;LogFile=$D/specgen-gen/build-gen.log" >/dev/null 2>&1; then
    gdir="$D/specgen-gen/obj/Release/$TFM/generated/Specgen.Generator"
    mapfile -t files < <(find "$gdir" -name '*.cs' | sort)
    if [ "${#files[@]}" -eq 0 ]; then
      row "$doc" "$style" "$OPS" "$SCHEMAS" specgen skipped 0 0 0 - - - "generator emitted no file: $(grep -m1 -oE 'SPEC0[0-9]+[^[]*' "$D/specgen-gen/build-gen.log" | cut -c1-150 || true)"
    else
      cp "${files[@]}" "$D/specgen-lib/"
      read -r nf nl nc < <(count_lines "${files[@]}")
      lib_project "$D/specgen-lib" "" "$SPECGEN_REFS"
      timeout "$(left)" dotnet restore "$D/specgen-lib" >"$D/specgen-lib/restore.log" 2>&1 || true
      say "$doc: Specgen: $nf files, $nl lines"
      queue specgen "$D/specgen-lib" ""
      [ "$IN_PROJECT" != 1 ] || queue specgen-in-project "$D/specgen-gen" "generator runs inside Csc"
    fi
  else
    row "$doc" "$style" "$OPS" "$SCHEMAS" specgen skipped 0 0 0 - - - "generator project failed: $(grep -m1 -E 'error' "$D/specgen-gen/build-gen.log" "$D/specgen-gen/restore.log" 2>/dev/null | cut -c1-150 || true)"
  fi
  fi

  if [[ "$GENERATORS" == *" nswag "* ]]; then  # (not indented: the section has a here-document)
  # --- NSwag: one C# file, System.Text.Json
  mkdir -p "$D/nswag-lib"
  say "$doc: NSwag generating"
  nswag_gen() {  # INPUT
    timeout "$(left)" "$TOOLS/nswag" openapi2csclient "/input:$1" "/output:$D/nswag-lib/$CLIENT.cs" \
      "/namespace:$NS" "/classname:$CLIENT" /OperationGenerationMode:SingleClientFromOperationId /JsonLibrary:SystemTextJson >"$D/nswag-gen.log" 2>&1 && [ -s "$D/nswag-lib/$CLIENT.cs" ]
  }
  nswag_note=""
  if ! nswag_gen "$spec" && [[ "$spec" == *.y*ml ]] && grep -q 'While scanning' "$D/nswag-gen.log"; then
    # NSwag's YAML reader (YamlDotNet) rejects some valid YAML (the OpenAI document's line 63266,
    # aaubry/YamlDotNet#523); the same document converted to JSON by PyYAML reads.
    say "$doc: NSwag cannot read the YAML ($(grep -m1 'While scanning' "$D/nswag-gen.log" | cut -c1-120)); trying it as JSON"
    cp "$D/nswag-gen.log" "$D/nswag-gen-yaml.log"
    python3 -c 'import sys, json, yaml; json.dump(yaml.load(open(sys.argv[1], encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), open(sys.argv[2], "w"), default=str)' \
      "$spec" "$D/$doc.json"
    nswag_note="input converted to JSON: NSwag's YAML reader fails"
    nswag_gen "$D/$doc.json" || true
  fi
  if [ -s "$D/nswag-lib/$CLIENT.cs" ]; then
    read -r nf nl nc < <(count_lines "$D/nswag-lib/$CLIENT.cs")
    lib_project "$D/nswag-lib" "" ""
    timeout "$(left)" dotnet restore "$D/nswag-lib" >"$D/nswag-lib/restore.log" 2>&1 || true
    say "$doc: NSwag: $nl lines"
    queue nswag "$D/nswag-lib" "$nswag_note"
  else
    row "$doc" "$style" "$OPS" "$SCHEMAS" nswag skipped 0 0 0 - - - "nswag could not generate: $(grep -v '^ *$' "$D/nswag-gen.log" | tail -1 | cut -c1-150)"
  fi
  fi

  if [[ "$GENERATORS" == *" kiota "* ]]; then  # (not indented: the section has a here-document)
  # --- Kiota: C#, many files; --exclude-backward-compatible as Kiota advises for new clients
  mkdir -p "$D/kiota-lib"
  say "$doc: Kiota generating"
  if timeout "$(left)" "$TOOLS/kiota" generate -l CSharp -d "$spec" -o "$D/kiota-lib/Client" -n "$NS" -c "$CLIENT" \
       --exclude-backward-compatible --clean-output --log-level Error >"$D/kiota-gen.log" 2>&1 \
     && [ -n "$(find "$D/kiota-lib/Client" -name '*.cs' -print -quit 2>/dev/null)" ]; then
    mapfile -t files < <(find "$D/kiota-lib/Client" -name '*.cs' | sort)
    read -r nf nl nc < <(count_lines "${files[@]}")
    lib_project "$D/kiota-lib" "$KIOTA_PACKAGES" ""
    timeout "$(left)" dotnet restore "$D/kiota-lib" >"$D/kiota-lib/restore.log" 2>&1 || true
    say "$doc: Kiota: $nf files, $nl lines"
    queue kiota "$D/kiota-lib" ""
  else
    row "$doc" "$style" "$OPS" "$SCHEMAS" kiota skipped 0 0 0 - - - "kiota could not generate: $(grep -v '^ *$' "$D/kiota-gen.log" | tail -1 | cut -c1-150)"
  fi
  fi

done

# ---------------------------------------------------------------------------------------------
# Phase 2: the timed builds, on a quiet machine. The per-document timeout applies to each one.
# Empty libraries with each generator's references: the fixed cost of a compile (process start,
# loading references, analyzers, emitting an assembly), subtracted in the "above empty" column.
for g in specgen nswag kiota; do
  E="$WORK/empty/$g-lib"; rm -rf "$E"; mkdir -p "$E"
  case $g in
    specgen) lib_project "$E" "" "$SPECGEN_REFS" ;;
    nswag)   lib_project "$E" "" "" ;;
    kiota)   lib_project "$E" "$KIOTA_PACKAGES" "" ;;
  esac
  dotnet restore "$E" >"$E/restore.log" 2>&1 || die "restore of the empty $g library failed, see $E/restore.log"
  DEADLINE=$(( $(date +%s) + TIMEOUT ))
  say "empty $g library: measuring"
  m=$(measure "$E" "empty $g") || die "the empty $g library did not build"
  read -r csc wall warn redone <<<"$m"; row "(empty)" "" 0 0 "$g" ok 1 1 0 "$csc" "$wall" "$warn" "fixed cost$(redone_note)"
done


while IFS=$'\t' read -r doc style OPS SCHEMAS gen dir nf nl nc note; do
  DEADLINE=$(( $(date +%s) + TIMEOUT ))
  say "$doc $gen: measuring ($nl lines)"
  if m=$(measure "$dir" "$doc $gen" </dev/null); then
    read -r csc wall warn redone <<<"$m"
    row "$doc" "$style" "$OPS" "$SCHEMAS" "$gen" ok "$nf" "$nl" "$nc" "$csc" "$wall" "$warn" "$note$(redone_note)"
  else
    row "$doc" "$style" "$OPS" "$SCHEMAS" "$gen" failed "$nf" "$nl" "$nc" - - - "did not compile or timed out: $(grep -m1 -oE 'error CS[0-9]+: [^[]*' "$dir/build-warmup.log" 2>/dev/null | cut -c1-150 || true)"
  fi
done < "$JOBS"

# ---------------------------------------------------------------------------------------------
# Table
say "results: $RESULTS"
python3 - "$RESULTS" "$SPECGEN_COMMIT" "$SHARED" "$RUNS" "$DOCS" <<'PY'
import sys, csv
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
def num(x):
    try: return float(x)
    except: return None
def f(x, d=0):
    return '-' if x is None else f'{x:,.{d}f}'
base = {r['generator']: num(r['csc_ms']) for r in rows if r['doc'] == '(empty)'}
base['specgen-in-project'] = base.get('specgen')
rows = [r for r in rows if r['doc'] != '(empty)']
order = sys.argv[5].split() + [d for d in dict.fromkeys(r['doc'] for r in rows) if d not in sys.argv[5].split()]; gorder = ['specgen', 'specgen-in-project', 'nswag', 'kiota']
rows.sort(key=lambda r: (order.index(r['doc']), gorder.index(r['generator']) if r['generator'] in gorder else 9))
def above(r):
    c = num(r['csc_ms']); b = base.get(r['generator'])
    return None if c is None or b is None else max(c - b, 0)
mode = 'a fresh csc process per build' if sys.argv[3] == 'false' else 'the warm compiler server'
print(f"\nSpecgen {sys.argv[2]}. compile s = median Csc task time of {sys.argv[4]} Release builds after a warm-up ({mode});")
print("above empty = minus the same library without code: " + ', '.join(f"{g} {v/1000:.2f} s" for g, v in base.items() if v is not None and g != 'specgen-in-project') + ".\n")
print('| document | ops | schemas | generator | files | lines | code lines | lines/op | lines/schema | compile s | above empty s | ms/op (above empty) | note |')
print('|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|')
for r in rows:
    ops, sch = num(r['operations']), num(r['schemas'])
    ok = r['status'] == 'ok'
    lines, code, csc = num(r['lines']), num(r['code_lines']), num(r['csc_ms'])
    ab = above(r) if ok else None
    print(f"| {r['doc']} | {f(ops)} | {f(sch)} | {r['generator']} | {f(num(r['files']))} | {f(lines) if lines else '-'} | {f(code) if code else '-'} "
          f"| {f(lines / ops if ok and ops else None)} | {f(lines / sch if ok and sch else None)} | {f(csc / 1000 if ok and csc is not None else None, 2)} "
          f"| {f(ab / 1000 if ab is not None else None, 2)} | {f(ab / ops if ab is not None and ops else None, 1)} | {('' if ok else r['status'] + ': ') + r['note']} |")
alldocs = [d for d in dict.fromkeys(r['doc'] for r in rows)
           if all(any(r['doc'] == d and r['generator'] == g and r['status'] == 'ok' for r in rows) for g in ('specgen', 'nswag', 'kiota'))]
print(f"\nSummary over the documents all three handled ({', '.join(alldocs) or 'none'}):\n")
print('| generator | ops | schemas | lines | lines/op | lines/schema | compile s | above empty s | ms/op (above empty) |')
print('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
for g in dict.fromkeys(r['generator'] for r in rows):
    sel = [r for r in rows if r['generator'] == g and r['doc'] in alldocs and r['status'] == 'ok']
    if len(sel) != len(alldocs) or not sel: continue
    ops = sum(num(r['operations']) for r in sel); sch = sum(num(r['schemas']) for r in sel)
    lines = sum(num(r['lines']) for r in sel); csc = sum(num(r['csc_ms']) for r in sel)
    ab = sum(above(r) or 0 for r in sel)
    print(f"| {g} | {ops:,.0f} | {sch:,.0f} | {lines:,.0f} | {lines/ops:,.0f} | {lines/sch:,.0f} | {csc/1000:,.2f} | {ab/1000:,.2f} | {ab/ops:,.1f} |")
PY

# ---------------------------------------------------------------------------------------------
# Repeated patterns in Specgen's output (the evidence for bench/PEERS.md's observations)
for doc in $DOCS; do
  [ -d "$WORK/$doc/specgen-lib" ] || continue
  python3 - "$WORK/$doc/specgen-lib" "$doc" <<'PY'
import re, sys, glob
files = sorted(glob.glob(sys.argv[1] + '/*.g.cs'))
text = [open(f, encoding='utf-8-sig').read() for f in files]
N = sum(t.count('\n') for t in text)
def count(rx):
    n = ln = 0
    for t in text:
        for m in re.finditer(rx, t):
            n += 1; ln += m.group(0).strip('\n').count('\n') + 1
    return n, ln
rows = [
    ('ReadValue bodies', r'\n(        )public static [^\n]* ReadValue\([^\n]*\)\n\1\{\n(?:.*\n)*?\1\}\n'),
    ('null-or-read blocks', r'\n([ ]*)if \(reader\.TokenType == global::System\.Text\.Json\.JsonTokenType\.Null\)\n\1\{\n\1    \S+ = null;\n\1\}\n\1else\n\1\{\n(?:\1    .*\n)+?\1\}'),
    ('required checks (if !hasX throw)', r'\n([ ]*)if \(!has\w+\)\n\1\{\n\1    throw global::Specgen\.Runtime\.JsonSupport\.MissingRequired\([^\n]*\);\n\1\}'),
    ('hasX flags (declare + set)', r'\n\s*(?:bool )?has\w+ = (?:false|true);'),
    ('JsonSupport.Next before a value', r'\n\s*global::Specgen\.Runtime\.JsonSupport\.Next\(ref reader\);'),
    ('Read/Write overrides forwarding', r'\n[ ]*/// <inheritdoc/>\n[ ]*public override [^\n]*\n(?:[ ]*[^\n]*\n){2}[ ]*global::System\.Text\.Json\.JsonSerializerOptions options\) => \w+\([^\n]*\);'),
    ('private converter constructors', r'\n[ ]*// Only \w+ derives from this; it is not an extension point\.\n[ ]*private protected JsonConverter\(\)\n[ ]*\{\n[ ]*\}'),
    ('empty outer converter classes', r'\n/// <summary>\n/// Reads and writes <see cref="\w+"/> as JSON without reflection\.\n/// </summary>\n\[global::System\.CodeDom\.Compiler\.GeneratedCode\("Specgen", "[^"]*"\)\]\npublic sealed class \w+JsonConverter : [^\n]*\n\{\n\}'),
    ('WriteValue bodies', r'\n(        )public static [^\n]* WriteValue\([^\n]*\)\n\1\{\n(?:.*\n)*?\1\}\n'),
    ('Validate methods', r'\n(    )public void Validate\(string path = ""\)\n\1\{\n(?:.*\n)*?\1\}\n'),
    ('resolver type tests', r'\n([ ]*)if \(type == typeof\([^\n]*\)\)\n\1\{\n[^\n]*\n\1\}'),
    ('doc comment lines', r'\n[ ]*///[^\n]*'),
    ('brace-only lines', r'\n[ ]*[{}];?(?=\n)'),
]
print(f"\nSpecgen output for {sys.argv[2]}: {N:,} lines in {len(files)} files\n")
print('| pattern | occurrences | lines | share |'); print('|---|---:|---:|---:|')
for name, rx in rows:
    n, ln = count(rx)
    print(f'| {name} | {n:,} | {ln:,} | {100 * ln / N:.1f} % |')
PY
done
