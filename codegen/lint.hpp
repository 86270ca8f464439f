// `specbound-gen lint`: what in a spec makes the generated API worse, each finding located (file,
// line, column, JSON pointer) and named by a rule:
//   missing-operation-id    an operation named after its method and path
//   unreadable-operation-id an operationId that makes no readable C++ name
//   name-collision          two things of the spec that make one C++ name; one gets a suffix
//   synthetic-name          an inline schema that becomes a type the generator names
//   ambiguous-union         oneOf/anyOf alternatives nothing tells apart (no discriminator)
//   impossible-allof        allOf parts that contradict each other
//   example-mismatch        an example that its own schema rejects
//   generator-warning       any other warning of the generator
//   spec-error              a spec the generator cannot use (the only finding then)
#pragma once

#include "document.hpp"
#include "model.hpp"

#include <string>
#include <vector>

namespace specbound::gen {

/// Every finding for a spec whose model was built, sorted by file, line, column and rule.
[[nodiscard]] std::vector<diagnostic> lint(document_set& docs, const api_model& api);

/// Why `value` does not satisfy `schema` ("" when it does), for the JSON Schema keywords an example
/// can contradict: type (and 3.0 nullable), enum, const, required, properties, additionalProperties:
/// false, items, min/maxItems, min/maxLength, minimum/maximum (exclusive too), allOf, and
/// oneOf/anyOf (some alternative must accept it). Other keywords are not checked.
[[nodiscard]] std::string example_problem(document_set& docs, const node& value, const node& schema);
/// Every place where `value` does not satisfy `schema`, in the same form (the first problem at
/// each place; none inside a union alternative unless no alternative accepts the value).
[[nodiscard]] std::vector<std::string> example_problems(document_set& docs, const node& value, const node& schema);

/// One finding as a line: `file:line:column: warning: message [pointer] (rule)`.
[[nodiscard]] std::string format_finding(const diagnostic& d);
/// The findings as JSON: {"findings":[{"rule","severity","file","line","column","pointer","message"}]}.
[[nodiscard]] std::string findings_json(const std::vector<diagnostic>& findings);

} // namespace specbound::gen
