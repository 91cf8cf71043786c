#!/usr/bin/env bash
# Regenerates the typed bindings in imports/ from the pinned CRDs in ../shared/crds (see its SOURCES.md).
# The CRD files are reference data and are never committed here; cdk8s.yaml lists the same CRDs at their
# pinned upstream URLs for people who have network (`npx cdk8s import`).
set -euo pipefail
cd "$(dirname "$0")/.."
crds="${CRDS_DIR:-../shared/crds}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# One module per API group: cdk8s import writes one file per import spec, so the three Argo CD CRDs
# are joined into one multi-document file first.
for f in application-crd applicationset-crd appproject-crd; do
  cat "$crds/argo-cd/$f.yaml"; printf '\n---\n'
done > "$tmp/argoproj.io.yaml"
npx cdk8s import --no-save --check-upgrade=false --language typescript --output imports "$tmp/argoproj.io.yaml"
