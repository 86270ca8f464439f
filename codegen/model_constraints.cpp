// Constraints pass: what a schema requires of a value beyond its type (minLength, maxLength,
// pattern, minimum, maximum and their exclusive forms, multipleOf, minItems, maxItems,
// uniqueItems), read for model fields, parameters and request bodies once their types are known.
// The runtime checks them when validation is on (<specbound/validation.hpp>); enum membership
// needs nothing here, since enums are typed (specbound::open_enum).
#include "model_builder.hpp"

#include <specbound/detail/pattern_limits.hpp>

#include <algorithm>
#include <cmath>
#include <regex>

namespace specbound::gen::detail {

namespace {

enum class value_kind : std::uint8_t { other, string, number, array, map };

value_kind kind_of(const type_ref& t)
{
    switch (t.k) {
    case type_ref::kind::string: return value_kind::string;
    case type_ref::kind::int32:
    case type_ref::kind::int64:
    case type_ref::kind::float32:
    case type_ref::kind::float64: return value_kind::number;
    case type_ref::kind::array: return value_kind::array;
    case type_ref::kind::map: return value_kind::map;
    default: return value_kind::other; // typed values (dates, uuids, enums, models) check themselves
    }
}

// Of two lower bounds the stricter (higher; exclusive at the same value), likewise for upper ones.
void tighten(std::optional<double>& bound, bool& exclusive, double value, bool value_exclusive, bool lower)
{
    const bool stricter = !bound || (lower ? value > *bound : value < *bound) ||
                          (value == *bound && value_exclusive && !exclusive);
    if (!stricter)
        return;
    bound = value;
    exclusive = value_exclusive;
}

void tighten_count(std::optional<std::uint64_t>& bound, std::uint64_t value, bool lower)
{
    if (!bound || (lower ? value > *bound : value < *bound))
        bound = value;
}

} // namespace

// The schemas whose constraints apply to a value declared by `s`: `s` (its keywords beside a
// $ref too, as 3.1 allows), what its $ref names, its allOf parts, and the one non-null
// alternative of a oneOf/anyOf (3.1's way to say nullable).
void builder::expand_constraint_schemas(const node& raw, std::vector<const node*>& out, std::size_t depth)
{
    if (depth > max_schema_depth || !raw.is_mapping() || std::find(out.begin(), out.end(), &raw) != out.end())
        return;
    out.push_back(&raw);
    if (raw.find("$ref")) {
        expand_constraint_schemas(docs_.resolve(raw), out, depth + 1);
        return;
    }
    if (const node* all_of = raw.find("allOf"); all_of && all_of->is_sequence())
        for (const node* part : all_of->items())
            expand_constraint_schemas(*part, out, depth + 1);
    const node* list = raw.find("oneOf") ? raw.find("oneOf") : raw.find("anyOf");
    if (list && list->is_sequence()) {
        std::vector<const node*> alternatives;
        for (const node* alt : list->items())
            if (!is_null_schema(docs_.resolve(*alt)))
                alternatives.push_back(alt);
        if (alternatives.size() == 1)
            expand_constraint_schemas(*alternatives.front(), out, depth + 1);
    }
}

constraints_model builder::constraints_of(const std::vector<const node*>& declarations, const type_ref& type,
                                          std::size_t depth)
{
    constraints_model c;
    const value_kind kind = kind_of(type);
    if (kind == value_kind::other || depth > max_schema_depth)
        return c;
    std::vector<const node*> schemas;
    for (const node* d : declarations)
        expand_constraint_schemas(*d, schemas, 0);
    for (const node* s : schemas)
        read_constraints(*s, type, c);
    if (kind == value_kind::array || kind == value_kind::map) {
        // The elements' own: every schema's `items` (arrays) or `additionalProperties` (maps).
        std::vector<const node*> elements;
        for (const node* s : schemas)
            if (const node* e = s->find(kind == value_kind::array ? "items" : "additionalProperties"); e && e->is_mapping())
                elements.push_back(e);
        if (constraints_model inner = constraints_of(elements, type.args.at(0), depth + 1); !inner.empty())
            c.items.push_back(std::move(inner));
    }
    return c;
}

// The keywords of one schema that apply to a value of `type`, tightening `into`. A keyword with
// a value JSON Schema does not allow is reported (once) and not checked.
void builder::read_constraints(const node& s, const type_ref& type, constraints_model& into)
{
    auto unusable = [&](const node& at, const std::string& message) {
        if (constraint_warnings_.insert(&at).second)
            docs_.warn(at, message + "; it is not checked");
    };
    auto count = [&](const char* key) -> std::optional<std::uint64_t> {
        const node* n = s.find(key);
        if (!n)
            return std::nullopt;
        if (std::optional<std::int64_t> v = n->is_scalar() && !n->quoted() ? n->as_int() : std::nullopt; v && *v >= 0)
            return static_cast<std::uint64_t>(*v);
        unusable(*n, std::string("'") + key + "' must be a non-negative integer, found " + described(*n));
        return std::nullopt;
    };
    auto number = [&](const node* n, const char* key) -> std::optional<double> {
        if (std::optional<double> v = n->is_scalar() && !n->quoted() ? n->as_number() : std::nullopt;
            v && std::isfinite(*v))
            return v;
        unusable(*n, std::string("'") + key + "' must be a number, found " + described(*n));
        return std::nullopt;
    };
    switch (kind_of(type)) {
    case value_kind::number: {
        // 3.0: exclusiveMinimum is a boolean about `minimum`; 3.1: a bound of its own.
        for (const bool lower : {true, false}) {
            const node* plain = s.find(lower ? "minimum" : "maximum");
            const node* exclusive = s.find(lower ? "exclusiveMinimum" : "exclusiveMaximum");
            auto& bound = lower ? into.minimum : into.maximum;
            bool& bound_exclusive = lower ? into.exclusive_minimum : into.exclusive_maximum;
            const bool flag = exclusive && exclusive->is_scalar() && exclusive->as_bool().value_or(false);
            if (plain)
                if (std::optional<double> v = number(plain, lower ? "minimum" : "maximum"))
                    tighten(bound, bound_exclusive, *v, flag, lower);
            if (exclusive && !(exclusive->is_scalar() && exclusive->as_bool()))
                if (std::optional<double> v = number(exclusive, lower ? "exclusiveMinimum" : "exclusiveMaximum"))
                    tighten(bound, bound_exclusive, *v, true, lower);
        }
        if (const node* m = s.find("multipleOf")) {
            std::optional<double> v = number(m, "multipleOf");
            if (v && *v <= 0)
                unusable(*m, "'multipleOf' must be greater than 0");
            else if (v && into.multiple_of && *into.multiple_of != *v)
                unusable(*m, "'multipleOf' differs from another one for the same value");
            else if (v)
                into.multiple_of = v;
        }
        break;
    }
    case value_kind::string: {
        if (std::optional<std::uint64_t> v = count("minLength"))
            tighten_count(into.min_length, *v, true);
        if (std::optional<std::uint64_t> v = count("maxLength"))
            tighten_count(into.max_length, *v, false);
        if (const node* p = s.find("pattern")) {
            if (!p->is_string())
                unusable(*p, "'pattern' must be a string, found " + described(*p));
            else if (into.pattern && *into.pattern != p->text())
                unusable(*p, "'pattern' differs from another one for the same value");
            else if (usable_pattern(*p))
                into.pattern = std::string(p->text());
        }
        break;
    }
    case value_kind::array: {
        if (std::optional<std::uint64_t> v = count("minItems"))
            tighten_count(into.min_items, *v, true);
        if (std::optional<std::uint64_t> v = count("maxItems"))
            tighten_count(into.max_items, *v, false);
        into.unique_items = into.unique_items || truthy(s.find("uniqueItems"));
        break;
    }
    case value_kind::map:
    case value_kind::other: break;
    }
}

// Whether the runtime can check a pattern: one std::regex accepts as ECMAScript (the runtime's
// grammar), within specbound's limits. Otherwise a warning at the pattern, once.
bool builder::usable_pattern(const node& pattern)
{
    if (auto it = patterns_.find(&pattern); it != patterns_.end())
        return it->second;
    const std::string text(pattern.text());
    std::string problem;
    if (!specbound::detail::pattern_within_limits(text)) {
        problem = "it is longer than " + std::to_string(specbound::detail::max_pattern_size) +
                  " characters or repeats more than " + std::to_string(specbound::detail::max_pattern_repetition) +
                  " times";
    } else {
        try {
            std::regex compiled(text, std::regex::ECMAScript);
        } catch (const std::regex_error& e) {
            problem = std::string("std::regex (ECMAScript) rejects it: ") + e.what();
        }
    }
    if (!problem.empty())
        docs_.warn(pattern, "pattern '" + comment_line(text) + "' is not checked: " + problem, "unusable-pattern");
    return patterns_[&pattern] = problem.empty();
}

// A model has checks if it is an enum (an unknown value fails validation), has a constrained
// field, or contains (through fields, additional properties or alternatives) a model that has
// them: reachability, so recursion needs no special case.
void mark_models_with_checks(std::vector<model>& models)
{
    std::vector<std::size_t> pending;
    std::vector<std::vector<std::size_t>> containers(models.size());
    for (std::size_t i = 0; i < models.size(); ++i) {
        model& m = models[i];
        m.has_checks = m.k == model::kind::enumeration ||
                       std::any_of(m.fields.begin(), m.fields.end(), [](const field_model& f) { return !f.constraints.empty(); });
        if (m.has_checks)
            pending.push_back(i);
        for (std::size_t c : contained_models(m))
            containers[c].push_back(i);
    }
    // Back along containment from every model with checks of its own.
    while (!pending.empty()) {
        const std::size_t c = pending.back();
        pending.pop_back();
        for (std::size_t owner : containers[c])
            if (!models[owner].has_checks) {
                models[owner].has_checks = true;
                pending.push_back(owner);
            }
    }
}

} // namespace specbound::gen::detail
