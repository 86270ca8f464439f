#!/usr/bin/env bash
# Writes to stdout an OpenAPI 3.0 description of N (default 500) operations without tags, as some
# real APIs are written (one public payments API has 452): N/10 resources /v1/resource_<k>, each
# with list, create, get, update, delete and five more operations on sub-paths, each resource with
# its own model. scripts/compile-cost.sh compiles a TU that calls one of them; tests/codegen checks
# the same shape structurally (untagged_tests.cpp builds it in C++).
set -euo pipefail
n="${1:-500}"
resources=$(((n + 9) / 10))
cat <<HEAD
openapi: 3.0.3
info: {title: Untagged, version: "1.0"}
servers: [{url: "https://api.example.com"}]
paths:
HEAD
count=0
for ((k = 0; k < resources; ++k)); do
    r="resource_$k"
    m="Resource$k"
    ops=(
        "/v1/$r|get|list_$r|list"
        "/v1/$r|post|create_$r|body"
        "/v1/$r/{id}|get|get_$r|one"
        "/v1/$r/{id}|post|update_$r|body"
        "/v1/$r/{id}|delete|delete_$r|none"
        "/v1/$r/{id}/history|get|history_$r|list"
        "/v1/$r/{id}/cancel|post|cancel_$r|one"
        "/v1/$r/{id}/notes|get|notes_$r|list"
        "/v1/$r/{id}/notes|post|add_note_$r|body"
        "/v1/$r/search|get|search_$r|list"
    )
    last_path=""
    for entry in "${ops[@]}"; do
        [[ $count -lt $n ]] || break
        count=$((count + 1))
        IFS='|' read -r path method id kind <<<"$entry"
        [[ "$path" == "$last_path" ]] || printf '  %s:\n' "$path"
        last_path="$path"
        printf '    %s:\n      operationId: %s\n' "$method" "$id"
        params=()
        [[ "$path" == *"{id}"* ]] && params+=("{name: id, in: path, required: true, schema: {type: string}}")
        [[ "$kind" == list ]] && params+=("{name: limit, in: query, schema: {type: integer}}" "{name: starting_after, in: query, schema: {type: string}}")
        if [[ ${#params[@]} -gt 0 ]]; then
            joined="$(printf '%s, ' "${params[@]}")"
            printf '      parameters: [%s]\n' "${joined%, }"
        fi
        if [[ "$kind" == body ]]; then
            printf '      requestBody: {required: true, content: {application/json: {schema: {$ref: "#/components/schemas/%s"}}}}\n' "$m"
        fi
        case "$kind" in
        list) printf '      responses: {"200": {description: ok, content: {application/json: {schema: {type: object, properties: {data: {type: array, items: {$ref: "#/components/schemas/%s"}}, has_more: {type: boolean}}}}}}}\n' "$m" ;;
        none) printf '      responses: {"204": {description: deleted}}\n' ;;
        *) printf '      responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/%s"}}}}}\n' "$m" ;;
        esac
    done
done
printf 'components:\n  schemas:\n'
for ((k = 0; k < resources; ++k)); do
    printf '    Resource%d:\n      type: object\n      required: [id, amount]\n      properties:\n' "$k"
    printf '        id: {type: string}\n        amount: {type: integer, format: int64}\n        currency: {type: string}\n'
    printf '        created: {type: string, format: date-time}\n        metadata: {type: object, additionalProperties: {type: string}}\n'
done
