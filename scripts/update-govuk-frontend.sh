#!/usr/bin/env bash
# Refresh the committed GOV.UK Frontend assets in static/ from the npm registry.
# The version must match the one govuk-frontend-jinja was ported from (see its README).
set -euo pipefail
VERSION="${1:-$(cat static/GOVUK_FRONTEND_VERSION)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "govuk-frontend@${VERSION}" >/dev/null && tar xzf "govuk-frontend-${VERSION}.tgz")
dist="$work/package/dist/govuk"
rm -rf static/fonts static/images
cp -r "$dist/assets/fonts" "$dist/assets/images" "$dist/assets/manifest.json" static/
cp "$dist/govuk-frontend.min.css" "$dist/govuk-frontend.min.js" static/
echo "$VERSION" > static/GOVUK_FRONTEND_VERSION
echo "GOV.UK Frontend $VERSION copied into static/"
