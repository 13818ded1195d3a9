#!/usr/bin/env bash
# Build the committed front-end assets in static/ from the npm packages pinned in frontend/package.json:
# GOV.UK Frontend and the MoJ Design System, compiled from Sass with the service's settings (frontend/portal.scss).
# The GOV.UK Frontend version must match the one govuk-frontend-jinja was ported from (see its README).
# Only GOV.UK's and MoJ's interface icons are copied: no crown, crest, logotype or GDS Transport font.
set -euo pipefail
cd "$(dirname "$0")/.."
npm install --prefix frontend --no-audit --no-fund --loglevel=error
modules=frontend/node_modules
(cd frontend && npx sass --load-path=. --style=compressed --no-source-map --quiet-deps --silence-deprecation=import \
  portal.scss ../static/portal-frontend.min.css)
cp "$modules/govuk-frontend/dist/govuk/govuk-frontend.min.js" static/
cp "$modules/@ministryofjustice/frontend/moj/moj-frontend.min.js" static/
mkdir -p static/images
for icon in $(grep -o 'images/icon-[a-z-]*\.svg' static/portal-frontend.min.css | sort -u); do
  cp "$modules/@ministryofjustice/frontend/moj/assets/$icon" static/images/
done
node -p "require('./$modules/govuk-frontend/package.json').version" > static/GOVUK_FRONTEND_VERSION
node -p "require('./$modules/@ministryofjustice/frontend/package.json').version" > static/MOJ_FRONTEND_VERSION
echo "Built static/portal-frontend.min.css with GOV.UK Frontend $(cat static/GOVUK_FRONTEND_VERSION) and MoJ Frontend $(cat static/MOJ_FRONTEND_VERSION)"
