#!/bin/sh
# Publishes the first-call apps trimmed and self-contained (bench/README.md, "First call") to
# bench/FirstCall/publish/<client>/ and prints each one's size (without symbols and XML docs). FirstCallBenchmarks starts them.
set -e
cd "$(dirname "$0")"
clients="Floor Specgen Sdk"
# The client of the whole OpenAI document, where ../shared has it.
if [ -f ../../../shared/specs/openai/openapi.yaml ]; then clients="$clients SpecgenOpenAI"; fi
for client in $clients; do
  rm -rf "publish/$client"
  dotnet publish "$client/FirstCall.$client.csproj" -c Release -r linux-x64 --self-contained -o "publish/$client" -nologo -v q
done
# What an app ships: every file but the symbols (.pdb) and the XML docs.
for client in $clients; do
  printf '%s\t%s bytes\t%s files\n' "$client" \
    "$(find "publish/$client" -type f ! -name '*.pdb' ! -name '*.xml' -printf '%s\n' | awk '{s+=$1} END {print s}')" \
    "$(find "publish/$client" -type f ! -name '*.pdb' ! -name '*.xml' | wc -l)"
done
