// Internals of build_model: the builder's state, shared by the passes that fill the IR.
// Not part of the generator's interface; only model*.cpp use it.
//
//   model.cpp             the driver; the document's top level (version, info, server, security schemes)
//   model_schemas.cpp     model types from schemas
//   model_operations.cpp  operations from paths; webhook payload models
//   model_pagination.cpp  how list operations page
//   model_cycles.cpp      recursion: models that contain one another, and the boxes that break it
//   model_headers.cpp     which generated header each model goes into
#pragma once

#include "model.hpp"
#include "naming.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace specbound::gen::detail {

inline std::string text_of(const node* n) { return n && n->is_scalar() ? std::string(n->text()) : std::string(); }

inline bool truthy(const node* n) { return n && n->is_scalar() && n->as_bool().value_or(false); }

/// The JSON type of a value as the loader reads YAML 1.2's core schema: "null", "object",
/// "array", "string", "boolean", "integer" or "number".
inline std::string json_type_of(const node& value)
{
    if (value.is_null())
        return "null";
    if (value.is_mapping())
        return "object";
    if (value.is_sequence())
        return "array";
    if (value.is_string())
        return "string";
    if (value.as_bool())
        return "boolean";
    if (value.as_int())
        return "integer";
    return "number";
}

/// What a node holds, for messages about a value of the wrong kind: "a mapping", "a list", "null".
inline std::string described(const node& n)
{
    switch (n.type()) {
    case node::kind::mapping: return "a mapping";
    case node::kind::sequence: return "a list";
    case node::kind::null: return "null";
    case node::kind::scalar: break;
    }
    // Appended, not `"'" + std::string(...) + "'"`: GCC 12 at -O3 warns falsely (-Wrestrict) on that.
    std::string quoted = "'";
    quoted += n.text();
    quoted += '\'';
    return quoted;
}

[[noreturn]] inline void fail(const node& at, std::string message)
{
    throw spec_error(make_diagnostic(diagnostic::severity::error, at, std::move(message)));
}

/// A schema that only allows null (`type: 'null'`, `enum: [null]`): the null alternative of a union.
inline bool is_null_schema(const node& n)
{
    if (!n.is_mapping())
        return false;
    const node* t = n.find("type");
    if (t && t->is_scalar() && t->text() == "null")
        return true;
    const node* e = n.find("enum");
    return e && e->is_sequence() && e->items().size() == 1 && e->items().front()->is_null();
}

/// Deepest schema nesting build_model follows (properties, items, unions, allOf and $refs, counted
/// together); deeper specs get an error instead of a stack overflow.
inline constexpr std::size_t max_schema_depth = 256;

inline type_ref simple(type_ref::kind k)
{
    type_ref t;
    t.k = k;
    return t;
}

/// The name a schema's model gets, should it become one.
struct name_hint {
    std::string cpp;     // C++ name base (unclaimed unless `claimed`)
    std::string display; // spec name
    bool claimed = false;
    std::string id; // canonical id for named schemas, empty for inline ones
};

inline name_hint inline_hint(std::string cpp)
{
    name_hint h;
    h.cpp = std::move(cpp);
    return h;
}

struct collected_object;   // model_schemas.cpp
struct collected_property; // model_schemas.cpp
struct alternative_info; // model_schemas.cpp
struct picked_media;     // model_operations.cpp

class builder {
public:
    explicit builder(document_set& docs) : docs_(docs) {}

    api_model run();

private:
    // model.cpp
    /// registry.claim(base), noting (for lint) when `base` was taken and `what` (at `at`) gets another name.
    std::string claim(name_registry& registry, const std::string& base, const node& at, std::string_view what);
    void read_info(const node& root);
    /// A `servers` list (of the document, a path item or an operation); null: none.
    std::vector<server_model> read_servers(const node* servers);
    /// The server's url with every variable replaced by its default.
    static std::string with_defaults(const server_model& server);
    void read_security_schemes(const node& root);

    // model_schemas.cpp
    void read_component_schemas(const node& root);
    name_hint hint_for_named(const node& target);
    type_ref named_type(const node& target);
    type_ref schema_type(const node& s, name_hint hint);
    std::size_t new_model(const name_hint& hint, model::kind k, const node& at);
    type_ref resolve(const node& s, name_hint hint);
    type_ref resolve_shape(const node& s, const name_hint& hint, std::vector<std::string>& types, bool& nullable);
    type_ref make_enum(const node& s, const name_hint& hint, const std::vector<const node*>& values);
    const node* allof_alias(const node& s, bool& annotated_nullable, bool warn);
    const node* narrower(const node* a, const node* b, const std::string& what, bool warn);
    const node* alias_of(const node& s, bool& nullable);
    std::string declared_type(const node& schema, int depth = 0);
    void collect(const node& raw, collected_object& into, std::set<std::string>& visiting);
    type_ref make_object(const node& s, const name_hint& hint);
    type_ref make_merged_object(const node& s, const std::vector<const node*>& parts, const name_hint& hint,
                                const node* expanded = nullptr);
    std::optional<type_ref> make_allof_union(const node& s, const std::vector<const node*>& parts,
                                             const node& union_part, const name_hint& hint);
    alternative_info describe_alternative(const node& alt);
    type_ref property_type(const collected_property& p, const std::string& inline_name, std::string& doc);
    type_ref make_union(const node& s, const name_hint& hint, const node& list, bool& nullable);
    std::vector<const node*> descendants_of(const std::string& id);
    type_ref make_hierarchy_union(const node& s, const name_hint& hint, const node& discriminator,
                                  const std::vector<const node*>& children);
    void fill_union(std::size_t index, const node& s, const std::vector<type_ref>& types,
                    const std::vector<alternative_info>& infos, const node* discriminator);
    void check_ambiguity(const node& s, const std::vector<type_ref>& types);
    type_ref make_type_union(const node& s, const name_hint& hint, const std::vector<std::string>& types);

    // model_constraints.cpp
    constraints_model constraints_of(const std::vector<const node*>& declarations, const type_ref& type,
                                     std::size_t depth = 0);
    void expand_constraint_schemas(const node& s, std::vector<const node*>& out, std::size_t depth);
    void read_constraints(const node& s, const type_ref& type, constraints_model& into);
    bool usable_pattern(const node& pattern);

    // model_operations.cpp
    void read_paths(const node& root);
    void read_webhooks(const node& root);
    type_ref content_type(const picked_media& picked, const std::string& inline_name);
    void read_operation(const std::string& path, http_method method, const node& item, const node& op,
                        const node& root);
    void read_parameters(operation_model& out, const node& item, const node& op);
    void read_responses(operation_model& out, const node& op);
    std::optional<response_example_model> response_example(const node& resp, const response_model& r);
    type_ref header_type(const operation_model& op, const member& header);
    void read_response_headers(operation_model& out);
    void read_security(operation_model& out, const node& op, const node& root);

    // model_pagination.cpp
    void read_pagination(operation_model& out, const node& op);
    void read_declared_pagination(operation_model& out, const node& declared);

    document_set& docs_;
    api_model out_;
    name_registry type_names_;
    name_registry operation_names_;
    std::map<std::string, std::pair<std::string, std::string>> reserved_names_; // id -> (C++ name, spec name)
    std::map<std::string, std::optional<type_ref>> cache_;                      // id -> type (nullopt: in progress)
    std::map<std::string, std::vector<const node*>> children_;                  // base id -> allOf children
    std::map<std::string, const node*> operation_ids_;
    std::map<std::string, std::size_t> header_sets_; // a header set's names and types -> api_model::header_sets
    std::set<std::string> known_schemes_;
    std::map<const node*, bool> patterns_;          // pattern node -> std::regex accepts it (warned once)
    std::set<const node*> constraint_warnings_;     // keyword nodes already warned about
    bool openapi31_ = false;       // the document says `openapi: 3.1.x`
    std::size_t schema_depth_ = 0; // resolve() calls under way
};

/// Models that contain one another: the strongly connected components of the containment graph.
struct recursion_groups {
    std::vector<std::size_t> group_of; // per model
    std::size_t count = 0;
};

// model_cycles.cpp
/// The models `m` holds: through its fields, additional properties and alternatives.
[[nodiscard]] std::vector<std::size_t> contained_models(const model& m);
/// Appends the models `t` names, in its arguments too (a vector's or map's element, a variant's alternatives).
void contained_models(const type_ref& t, std::vector<std::size_t>& out);
[[nodiscard]] recursion_groups find_recursion_groups(const std::vector<model>& models);
void box_recursive_containment(std::vector<model>& models, const recursion_groups& groups);

// model_constraints.cpp
/// Sets model::has_checks: false for the models whose values validation has nothing to check in.
void mark_models_with_checks(std::vector<model>& models);

// model_headers.cpp
void assign_headers(std::vector<model>& models, const recursion_groups& groups);
/// Operations per ops/ header at most, before a group (a tag, or `default`) is split.
inline constexpr std::size_t max_operations_per_header = 50;
void split_operation_headers(std::vector<operation_model>& operations);

} // namespace specbound::gen::detail
