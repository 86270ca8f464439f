// Example requests synthesized from a spec: one per operation, from the spec's own examples where it
// has them and from its schemas (defaults, enums, formats, bounds) where it has not.
//
// Used by `specbound-gen examples` to drive conformance sweeps (every operation sent to a mock
// server that validates requests) and useful to users as a starting point for calls.
#pragma once

#include "document.hpp"
#include "model.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>

namespace specbound::gen {

/// Where an example value came from, so that a sweep can tell the spec's faults from the client's.
/// Only a value the spec wrote whole counts as the spec's: a fault in it is the spec's own, while a
/// synthesized value is the generator's work even when parts of it are the schema's examples.
enum class example_source : std::uint8_t {
    spec_example, // the `example`/`examples` of the parameter or of the request body's media type
    synthesized,  // made from the schema by synthesize_example (which uses schema-level examples)
};

/// A JSON value for `schema`: its example, default, const or first enum value if it has one, else
/// a value built from its type, format and bounds (objects get their required properties).
/// `depth` bounds recursion through recursive schemas.
[[nodiscard]] boost::json::value synthesize_example(document_set& docs, const node& schema, int depth = 0);

/// The example of a media type object (`content.<type>`): its `example`, its first `examples` entry,
/// else one synthesized from its schema; null when it has neither. Throws spec_error when the
/// example is unusable (see synthesize_example).
[[nodiscard]] std::optional<boost::json::value> media_example(document_set& docs, const node& media);

/// For every operation of `api` (keyed by operationId):
///   { "method": "get", "path": "/v2/droplets",
///     "parameters": { "<wire name>": { "in": "query", "value": ..., "source": "spec_example" } },
///     "body": { "media_type": "application/json", "value": ..., "source": "synthesized" } }
/// Required parameters always get a value; optional ones only when the spec gives an example.
/// Operations without an operationId are keyed "<METHOD> <path>".
[[nodiscard]] boost::json::object example_requests(document_set& docs, const api_model& api);

} // namespace specbound::gen
