#!/usr/bin/env bash
# Vendor Swagger UI (npm swagger-ui-dist, Apache-2.0) for the API docs page at /docs, so it works offline
# (FastAPI's default page loads it from a CDN). Run from the repo root: bash scripts/vendor_swagger_ui.sh
set -euo pipefail
VERSION="5.35.0"
OUT="src/marsad/api/static/vendor/swagger-ui"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "swagger-ui-dist@${VERSION}" >/dev/null && tar xzf swagger-ui-dist-*.tgz)
mkdir -p "$OUT"
for f in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css LICENSE NOTICE; do
    cp "$TMP/package/$f" "$OUT/"
done
# The source maps are not shipped: drop the comments that would make browsers ask for them.
sed -i 's|/\*# sourceMappingURL=[^*]*\*/||' "$OUT/swagger-ui.css"
echo "swagger-ui-dist ${VERSION} (npm), Apache-2.0: see LICENSE and NOTICE." > "$OUT/SOURCE"
