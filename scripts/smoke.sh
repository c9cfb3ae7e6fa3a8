#!/usr/bin/env bash
# The README's quick start, end to end: the key CLI on a fresh local state (before `npm start`),
# `npm start`, the key it prints, the reference curl (docs/api.md#the-contact) (201), the same again (409), the key made
# before the start (201 in its organization), a key made by the key CLI while the server runs, and
# a key made, listed and revoked over /api/keys, and the import of examples/contacts.csv (docs/import.md).
set -euo pipefail
cd "$(dirname "$0")/.."
port=${SMOKE_PORT:-8787}
log=$(mktemp)
rm -rf .wrangler/state .wrangler/dev-key.json

# The key CLI on a fresh clone, before any `npm start`: it gives the local state its tables itself.
cli0=$(npm run --silent keys -- create --org-name "Before start" --json) || { echo "keys create failed on a fresh state"; exit 1; }
[ "$(printf '%s\n' "$cli0" | wc -l)" = 1 ] || { echo "keys --json printed more than one line on a fresh state"; exit 1; }
KEY0=$(node -e 'console.log(JSON.parse(process.argv[1]).key)' "$cli0") || { echo "keys --json on a fresh state is not JSON: $cli0"; exit 1; }

# Its own process group, so that the whole tree (npm, tsx, wrangler, workerd) stops with it.
setsid npm start -- --port "$port" >"$log" 2>&1 &
server=$!
trap 'kill -- -$server 2>/dev/null || true' EXIT

for _ in $(seq 1 120); do
  grep -q "Ready on" "$log" && break
  kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
  sleep 1
done
grep -q "Ready on" "$log" || { cat "$log"; echo "server did not start"; exit 1; }

KEY=$(sed -n 's/^Development API key *//p' "$log")
body='{ "primaryPhone": "+212612345678", "firstName": "John", "lastName": "Doe",
        "fullName": "John Doe", "primaryEmail": "john@example.com", "address": "123 Main St",
        "city": "Casablanca", "state": "Casablanca-Settat", "zip": "20000",
        "occupation": "Engineer", "preferredChannel": "phone",
        "customAttributes": { "age": 30, "interests": ["tech"] } }'
post() { curl -s -o /tmp/smoke-body -w '%{http_code}' "http://localhost:$port/api/contact" \
  -H "X-API-Key: $1" -H "Content-Type: application/json" -d "$body"; }

status=$(post "$KEY"); cat /tmp/smoke-body; echo
[ "$status" = 201 ] || { echo "expected 201, got $status"; exit 1; }
grep -q '"primaryPhone":"+212612345678"' /tmp/smoke-body
status=$(post "$KEY")
[ "$status" = 409 ] || { echo "expected 409 on the repeat, got $status"; exit 1; }
status=$(post "$KEY0")
[ "$status" = 201 ] || { echo "expected 201 for the key made before npm start (its own organization), got $status"; exit 1; }

cli=$(npm run --silent keys -- create --org-name "Smoke" --role agent --json)
[ "$(printf '%s\n' "$cli" | wc -l)" = 1 ] || { echo "keys --json printed more than one line"; exit 1; }
KEY2=$(node -e 'console.log(JSON.parse(process.argv[1]).key)' "$cli")
status=$(post "$KEY2")
[ "$status" = 201 ] || { echo "expected 201 for a CLI key in a new organization, got $status"; exit 1; }
org2=$(node -e 'console.log(JSON.parse(process.argv[1]).organizationId)' "$cli")
keyid2=$(node -e 'console.log(JSON.parse(process.argv[1]).keyId)' "$cli")
npm run --silent keys -- list --org "$org2" | grep -q "$keyid2  agent    active" || { echo "keys list does not show the key as active"; exit 1; }
npm run --silent keys -- list --org "$org2" --json | grep -qv "$KEY2" || { echo "keys list printed a key"; exit 1; }
npm run --silent keys -- revoke "$keyid2" >/dev/null
npm run --silent keys -- list --org "$org2" | grep -q "$keyid2  agent    revoked" || { echo "keys revoke did not disable the key"; exit 1; }

# Keys over HTTP with the development admin key: make one, use it, see it listed (never the key), revoke it.
keys=$(curl -s "http://localhost:$port/api/keys" -H "X-API-Key: $KEY" -H "Content-Type: application/json" \
  -d '{ "name": "smoke", "role": "agent" }')
KEY3=$(node -e 'console.log(JSON.parse(process.argv[1]).key)' "$keys") || { echo "POST /api/keys: $keys"; exit 1; }
keyid3=$(node -e 'console.log(JSON.parse(process.argv[1]).keyId)' "$keys")
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/api/me" -H "X-API-Key: $KEY3")" = 200 ] || { echo "a key made by POST /api/keys does not work"; exit 1; }
listed=$(curl -s "http://localhost:$port/api/keys" -H "X-API-Key: $KEY")
printf '%s' "$listed" | grep -q "\"keyId\":\"$keyid3\"" || { echo "GET /api/keys does not list the new key: $listed"; exit 1; }
if printf '%s' "$listed" | grep -q "cek_"; then echo "GET /api/keys printed a key"; exit 1; fi
[ "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "http://localhost:$port/api/keys/$keyid3" -H "X-API-Key: $KEY")" = 200 ] || { echo "DELETE /api/keys failed"; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/api/me" -H "X-API-Key: $KEY3")" = 401 ] || { echo "a revoked key still works on the isolate that revoked it"; exit 1; }

# A file import (docs/import.md) through the local R2 bucket and Queue: examples/contacts.csv, whose
# John Doe the quick start created above, so he is `existing`; Marie is in the file twice.
json() { node -e 'const o = JSON.parse(process.argv[1]); console.log(process.argv[2].split(".").reduce((v, k) => v?.[k], o))' "$1" "$2"; }
up=$(curl -s "http://localhost:$port/api/contact/ingestion/upload" -H "X-API-Key: $KEY" \
  -F file=@examples/contacts.csv -F hasHeaderRow=true -F previewRows=2)
sid=$(json "$up" sessionId)
[ "$(json "$up" totalRows)" = 5 ] || { echo "upload: $up"; exit 1; }
mappings='[{"column":0,"field":"primaryPhone"},{"column":1,"field":"firstName"},{"column":2,"field":"lastName"},
  {"column":3,"field":"primaryEmail"},{"column":4,"field":"city"},{"column":5,"field":"customAttributes.age"},{"column":6,"field":"channels"}]'
val=$(curl -s "http://localhost:$port/api/contact/ingestion/validate" -H "X-API-Key: $KEY" -H "Content-Type: application/json" \
  -d "{ \"sessionId\": \"$sid\", \"columnMappings\": $mappings }")
[ "$(json "$val" validRows)/$(json "$val" invalidRows)/$(json "$val" newRows)/$(json "$val" existingRows)" = 4/1/2/2 ] || { echo "validate: $val"; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/api/contact/ingestion/execute" -H "X-API-Key: $KEY" \
  -H "Content-Type: application/json" -d "{ \"sessionId\": \"$sid\" }")" = 202 ] || { echo "execute did not answer 202"; exit 1; }
for _ in $(seq 1 60); do
  session=$(curl -s "http://localhost:$port/api/contact/ingestion/$sid" -H "X-API-Key: $KEY")
  [ "$(json "$session" status)" = executed ] && break
  sleep 1
done
[ "$(json "$session" status) $(json "$session" created)/$(json "$session" updated)/$(json "$session" failed)" = "executed 2/2/1" ] || { echo "import: $session"; exit 1; }
curl -s "http://localhost:$port/api/contact/ingestion/$sid/failed-rows.csv" -H "X-API-Key: $KEY" | grep -q '^12345,Broken,' || { echo "failed-rows.csv lacks the broken row"; exit 1; }

# The document and the /docs page's files are static assets, built from the sources by wrangler's [build] step.
curl -s "http://localhost:$port/openapi.json" | grep -q '"operationId":"createContact"' || { echo "/openapi.json is not the generated document"; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/docs/swagger-ui-bundle.js")" = 200 ] || { echo "/docs/swagger-ui-bundle.js is not served"; exit 1; }

echo "quick start works: a CLI key before npm start, 201, then 409, then 201 with a CLI key; keys list and revoke work, on the CLI and over HTTP; a CSV import runs to executed on the local R2 and Queue; /openapi.json and /docs' files are served"
