// Schemas pass: turns schemas (named ones under components/schemas, and those inline in
// operations) into the IR's types: object models (allOf merged), enumerations and unions, and
// type_refs for everything else (primitives, arrays, maps, boost::json::value).
#include "model_builder.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <string_view>

namespace specbound::gen::detail {

namespace {

std::string unescape_pointer_segment(std::string_view s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '~' && i + 1 < s.size() && (s[i + 1] == '0' || s[i + 1] == '1')) {
            out += s[i + 1] == '0' ? '~' : '/';
            ++i;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string last_pointer_segment(const std::string& pointer)
{
    std::size_t slash = pointer.rfind('/');
    return unescape_pointer_segment(std::string_view(pointer).substr(slash == std::string::npos ? 0 : slash + 1));
}

// The JSON kind a value of this type has on the wire, for union ambiguity checks ("" = unknown).
std::string_view json_kind(const type_ref& t, const std::vector<model>& models)
{
    switch (t.k) {
    case type_ref::kind::boolean: return "boolean";
    case type_ref::kind::int32:
    case type_ref::kind::int64: return "integer";
    case type_ref::kind::float32:
    case type_ref::kind::float64: return "number";
    case type_ref::kind::string:
    case type_ref::kind::date_time:
    case type_ref::kind::date:
    case type_ref::kind::uuid:
    case type_ref::kind::bytes: return "string";
    case type_ref::kind::array: return "array";
    case type_ref::kind::map:
    case type_ref::kind::json_object: return "object";
    case type_ref::kind::model:
        switch (models[t.model].k) {
        case model::kind::object: return "object";
        case model::kind::enumeration: return "string";
        case model::kind::union_: return "";
        }
        return "";
    default: return "";
    }
}

std::string description_of(const node& s)
{
    std::string title = text_of(s.find("title"));
    std::string desc = text_of(s.find("description"));
    if (!title.empty() && !desc.empty())
        return title + "\n\n" + desc;
    return desc.empty() ? title : desc;
}

type_ref primitive(const node& s, const std::string& type)
{
    std::string format = text_of(s.find("format"));
    if (type == "string") {
        if (format == "date-time")
            return simple(type_ref::kind::date_time);
        if (format == "date")
            return simple(type_ref::kind::date);
        if (format == "uuid")
            return simple(type_ref::kind::uuid);
        if (format == "byte" || format == "binary")
            return simple(type_ref::kind::bytes);
        return simple(type_ref::kind::string);
    }
    if (type == "integer")
        return simple(format == "int32" ? type_ref::kind::int32 : type_ref::kind::int64);
    if (type == "number")
        return simple(format == "float" ? type_ref::kind::float32 : type_ref::kind::float64);
    if (type == "boolean")
        return simple(type_ref::kind::boolean);
    return simple(type_ref::kind::any);
}


type_ref model_ref(std::size_t index)
{
    type_ref t;
    t.k = type_ref::kind::model;
    t.model = index;
    return t;
}

// True when a schema constrains the value's shape, not only annotates it (description,
// example, title, nullable, readOnly...).
bool shapes_value(const node& s)
{
    if (!s.is_mapping())
        return false;
    for (const char* key : {"type", "properties", "additionalProperties", "items", "allOf", "oneOf", "anyOf", "enum",
                            "const", "required", "format", "not", "discriminator"})
        if (s.find(key))
            return true;
    return false;
}

// True when a required property of one object model is unknown to the other, so a JSON object
// cannot decode as both.
bool distinguishable(const type_ref& a, const type_ref& b, const std::vector<model>& models)
{
    if (a.k != type_ref::kind::model || b.k != type_ref::kind::model)
        return false;
    const model& ma = models[a.model];
    const model& mb = models[b.model];
    auto has_required_unknown_to = [](const model& x, const model& y) {
        for (const field_model& f : x.fields) {
            if (!f.required)
                continue;
            bool in_y = std::any_of(y.fields.begin(), y.fields.end(),
                                    [&](const field_model& g) { return g.wire_name == f.wire_name; });
            if (!in_y)
                return true;
        }
        return false;
    };
    return has_required_unknown_to(ma, mb) || has_required_unknown_to(mb, ma);
}

} // namespace

struct collected_property {
    std::string key;
    std::vector<const node*> schemas; // every allOf part's declaration, in order
};

struct collected_object {
    std::vector<collected_property> properties;
    std::set<std::string> required;
    const node* additional = nullptr; // the last additionalProperties seen
    std::vector<const node*> unions;  // parts with a oneOf/anyOf the object must also satisfy
};

struct alternative_info {
    std::string ref_text; // the alternative's own $ref text, if any
    std::string display;  // schema name of a named alternative
    std::string wire;     // its x-ms-discriminator-value (AutoRest): the discriminator value that names it
};

namespace {

std::string discriminator_value_of(const node& schema)
{
    const node* v = schema.find("x-ms-discriminator-value");
    return v && v->is_scalar() && !v->is_null() ? std::string(v->text()) : std::string();
}

} // namespace

// Named schemas claim their C++ names first (so inline schemas never take them), then become
// models in spec order.
void builder::read_component_schemas(const node& root)
{
    const node* components = root.find("components");
    const node* schemas = components ? components->find("schemas") : nullptr;
    if (!schemas)
        return;
    if (!schemas->is_mapping())
        fail(*schemas, "components/schemas must be a mapping");
    std::vector<const node*> component_schemas;
    for (const member& m : schemas->members()) {
        component_schemas.push_back(m.value);
        const node& target = docs_.resolve(*m.value);
        std::string id = docs_.canonical_id(target);
        if (reserved_names_.count(id))
            continue;
        reserved_names_[id] = {claim(type_names_, to_identifier(m.key), *m.value, "schema '" + std::string(m.key) + "'"),
                               std::string(m.key)};
    }
    // allOf hierarchies: which named schemas extend which (by $ref in their allOf).
    for (const node* value : component_schemas) {
        const node& child = docs_.resolve(*value);
        const node* all_of = child.find("allOf");
        if (!all_of || !all_of->is_sequence())
            continue;
        for (const node* part : all_of->items())
            if (part->is_mapping() && part->find("$ref"))
                children_[docs_.canonical_id(docs_.resolve(*part))].push_back(&child);
    }
    for (const node* value : component_schemas)
        named_type(docs_.resolve(*value));
}

name_hint builder::hint_for_named(const node& target)
{
    name_hint h;
    h.id = docs_.canonical_id(target);
    if (auto it = reserved_names_.find(h.id); it != reserved_names_.end()) {
        h.cpp = it->second.first;
        h.display = it->second.second;
        h.claimed = true;
        return h;
    }
    std::string pointer = target.pointer();
    if (pointer.empty() && target.where().file)
        h.display = target.where().file->path.stem().string();
    else
        h.display = last_pointer_segment(pointer);
    h.cpp = to_identifier(h.display);
    return h;
}

type_ref builder::named_type(const node& target)
{
    std::string id = docs_.canonical_id(target);
    if (auto it = cache_.find(id); it != cache_.end()) {
        if (!it->second.has_value()) {
            // An alias (a described allOf of one $ref, say) met again inside the union or object it
            // names: that model, which exists by now, is its type too.
            bool nullable = false;
            const node* n = &target;
            for (std::size_t hops = 0; hops < max_schema_depth; ++hops) {
                const node* next = alias_of(*n, nullable);
                if (!next)
                    break;
                n = &docs_.resolve(*next);
                auto found = cache_.find(docs_.canonical_id(*n));
                if (found != cache_.end() && found->second && found->second->k == type_ref::kind::model) {
                    type_ref t = *found->second;
                    t.nullable = t.nullable || nullable;
                    return t;
                }
            }
            docs_.warn(target, "recursive schema that is not an object or union; it becomes boost::json::value");
            return type_ref{};
        }
        return *it->second;
    }
    cache_[id] = std::nullopt; // in progress
    type_ref t = resolve(target, hint_for_named(target));
    cache_[id] = t;
    return t;
}

/// The type of a schema node that may be a $ref.
type_ref builder::schema_type(const node& s, name_hint hint)
{
    if (s.is_mapping() && s.find("$ref")) {
        type_ref t = named_type(docs_.resolve(s));
        // 3.1 allows siblings of $ref; `nullable: true` beside a $ref is a common 3.0 idiom.
        if (truthy(s.find("nullable")) && t.k != type_ref::kind::any)
            t.nullable = true;
        return t;
    }
    return resolve(s, std::move(hint));
}

std::size_t builder::new_model(const name_hint& hint, model::kind k, const node& at)
{
    model m;
    m.k = k;
    m.name = hint.claimed ? hint.cpp : claim(type_names_, hint.cpp, at, "this inline schema");
    if (hint.display.empty())
        docs_.note(at, "synthetic-name",
                   "inline schema named '" + m.name + "' by the generator; a components/schemas entry would give it a "
                   "name of its own that does not change when the operation or property does");
    m.schema_name = hint.display.empty() ? m.name : hint.display;
    m.id = docs_.canonical_id(at);
    m.doc = description_of(at);
    out_.models.push_back(std::move(m));
    std::size_t index = out_.models.size() - 1;
    if (!hint.id.empty())
        cache_[hint.id] = model_ref(index); // recursion now finds the model
    return index;
}

/// The resolved type of a schema that is not a $ref.
type_ref builder::resolve(const node& s, name_hint hint)
{
    if (schema_depth_ >= max_schema_depth)
        fail(s, "schemas nest deeper than " + std::to_string(max_schema_depth) +
                    " levels (properties, items, unions, allOf and $refs counted together)");
    struct depth_guard {
        std::size_t& depth;
        explicit depth_guard(std::size_t& d) : depth(++d) {}
        ~depth_guard() { --depth; }
    } guard(schema_depth_);
    if (s.is_scalar() && s.as_bool().has_value())
        return type_ref{}; // `true` / `false` schemas
    if (!s.is_mapping()) {
        if (s.is_null())
            return type_ref{};
        fail(s, "a schema must be a mapping");
    }
    if (s.find("$ref"))
        return schema_type(s, hint);

    bool nullable = truthy(s.find("nullable"));
    std::vector<std::string> types;
    if (const node* t = s.find("type")) {
        if (t->is_sequence() && !openapi31_)
            docs_.warn(*t, "'type' is a list, which OpenAPI 3.0 does not allow (3.1 does); accepted");
        auto add = [&](const node& n) {
            // Not a string: say what it is, not "unknown type ''".
            if (&n == t && !n.is_scalar())
                fail(n, "'type' must be a string (or, in 3.1, a list of strings), found " + described(n) +
                            (n.is_mapping() ? " (a property named 'type' belongs under 'properties')" : ""));
            if (!n.is_scalar())
                fail(n, "the 'type' list must hold strings, found " + described(n) +
                            (n.is_null() ? " (the null type is the string 'null', quoted)" : ""));
            std::string name = text_of(&n);
            static constexpr std::array<std::string_view, 7> known{"string", "integer", "number", "boolean",
                                                                   "array",  "object",  "null"};
            if (std::find(known.begin(), known.end(), name) == known.end())
                fail(n, "unknown type '" + name + "'");
            if (name == "null")
                nullable = true;
            else if (std::find(types.begin(), types.end(), name) == types.end())
                types.push_back(name);
        };
        if (t->is_sequence())
            for (const node* item : t->items())
                add(*item);
        else
            add(*t);
    }

    type_ref result = resolve_shape(s, hint, types, nullable);
    if (nullable && result.k != type_ref::kind::any)
        result.nullable = true;
    return result;
}

type_ref builder::resolve_shape(const node& s, const name_hint& hint, std::vector<std::string>& types, bool& nullable)
{
    // enum and const
    if (const node* e = s.find("enum")) {
        if (!e->is_sequence())
            fail(*e, "'enum' must be a sequence");
        std::vector<const node*> values;
        for (const node* v : e->items()) {
            if (v->is_null())
                nullable = true;
            else
                values.push_back(v);
        }
        bool all_strings = !values.empty() &&
                           std::all_of(values.begin(), values.end(), [](const node* v) { return v->is_scalar(); });
        bool string_typed = types.size() == 1 && types.front() == "string";
        if (all_strings && types.empty())
            all_strings = std::all_of(values.begin(), values.end(), [](const node* v) { return v->is_string(); });
        if (all_strings && (string_typed || types.empty()) && !s.find("format"))
            return make_enum(s, hint, values);
        if (types.empty() && !values.empty())
            types.push_back(json_type_of(*values.front()));
    }
    if (const node* c = s.find("const"); c && types.empty()) {
        if (c->is_null()) {
            nullable = true;
            return type_ref{};
        }
        types.push_back(json_type_of(*c));
    }

    const node* one_of = s.find("oneOf");
    const node* any_of = s.find("anyOf");
    if (one_of || any_of) {
        if (one_of && any_of)
            docs_.warn(s, "both oneOf and anyOf: anyOf is ignored");
        return make_union(s, hint, one_of ? *one_of : *any_of, nullable);
    }

    if (const node* discriminator = s.find("discriminator"); discriminator && !hint.id.empty()) {
        std::vector<const node*> descendants = descendants_of(hint.id);
        if (!descendants.empty())
            return make_hierarchy_union(s, hint, *discriminator, descendants);
    }

    if (s.find("allOf")) {
        bool annotated_nullable = false;
        if (const node* part = allof_alias(s, annotated_nullable, true)) {
            type_ref t = schema_type(*part, hint);
            if (annotated_nullable && t.k != type_ref::kind::any)
                t.nullable = true;
            return t;
        }
        return make_object(s, hint);
    }

    if (s.find("not"))
        docs_.warn(s, "'not' is not supported; the schema becomes boost::json::value");

    if (types.size() > 1)
        return make_type_union(s, hint, types);

    std::string type = types.empty() ? std::string() : types.front();
    if (type.empty()) {
        if (s.find("properties") || s.find("additionalProperties"))
            type = "object";
        else if (s.find("items"))
            type = "array";
        else
            return type_ref{}; // unconstrained
    }
    if (type == "object") {
        const node* props = s.find("properties");
        if (props && props->is_mapping() && !props->members().empty())
            return make_object(s, hint);
        const node* ap = s.find("additionalProperties");
        if (ap && ap->is_mapping()) {
            type_ref map = simple(type_ref::kind::map);
            map.args.push_back(schema_type(*ap, inline_hint(hint.cpp + "_value")));
            return map;
        }
        return simple(type_ref::kind::json_object);
    }
    if (type == "array") {
        type_ref arr = simple(type_ref::kind::array);
        const node* items = s.find("items");
        if (items && items->is_sequence()) {
            docs_.warn(*items, "tuple-style 'items' is not supported; items become boost::json::value");
            arr.args.push_back(type_ref{});
        } else if (items) {
            arr.args.push_back(schema_type(*items, inline_hint(hint.cpp + "_item")));
        } else {
            arr.args.push_back(type_ref{});
        }
        return arr;
    }
    return primitive(s, type);
}

// The allOf part whose type `s` takes, or nullptr when the parts are objects to merge. Parts that
// only annotate (description, example, nullable...) shape nothing: an allOf of one shaped part is
// that part's type, and only objects are merged.
const node* builder::allof_alias(const node& s, bool& annotated_nullable, bool warn)
{
    const node* all_of = s.find("allOf");
    if (!all_of->is_sequence())
        fail(*all_of, "'allOf' must be a sequence");
    bool own_shape = s.find("properties") || s.find("additionalProperties") || s.find("required");
    std::vector<const node*> shaped;
    for (const node* part : all_of->items()) {
        const node& r = docs_.resolve(*part);
        if (shapes_value(r))
            shaped.push_back(part);
        else if (const node* n = r.find("nullable"); n && n->text() == "true")
            annotated_nullable = true;
    }
    // A part without a type is an object part unless it constrains a scalar or an array (an enum
    // subset, a format, items).
    const bool merge_objects = own_shape || std::any_of(shaped.begin(), shaped.end(), [&](const node* p) {
                                   const std::string t = declared_type(*p);
                                   const node& r = docs_.resolve(*p);
                                   return t == "object" || (t.empty() && !r.find("enum") && !r.find("const") &&
                                                            !r.find("format") && !r.find("items"));
                               });
    if (shaped.empty() || (merge_objects && (shaped.size() > 1 || own_shape)))
        return nullptr;
    const node* chosen = shaped.front();
    for (std::size_t i = 1; i < shaped.size(); ++i)
        chosen = narrower(chosen, shaped[i], "the value", warn);
    return chosen;
}

// The schema whose type `s` takes without a model of its own, as resolve decides it: the target
// of a $ref, the one shaped part of an allOf, the one non-null alternative of an undiscriminated
// oneOf/anyOf; nullptr for anything else. `nullable` is set when the alias adds null.
const node* builder::alias_of(const node& s, bool& nullable)
{
    if (!s.is_mapping())
        return nullptr;
    if (truthy(s.find("nullable")))
        nullable = true;
    if (s.find("$ref"))
        return &s; // resolved by the caller
    if (s.find("enum") || s.find("const"))
        return nullptr;
    const node* list = s.find("oneOf") ? s.find("oneOf") : s.find("anyOf");
    if (list) {
        if (!list->is_sequence() || s.find("discriminator"))
            return nullptr;
        const node* only = nullptr;
        for (const node* alt : list->items()) {
            if (is_null_schema(docs_.resolve(*alt))) {
                nullable = true;
                continue;
            }
            if (only)
                return nullptr;
            only = alt;
        }
        return only;
    }
    if (s.find("discriminator"))
        return nullptr;
    if (const node* all_of = s.find("allOf"); all_of && all_of->is_sequence())
        return allof_alias(s, nullable, false);
    return nullptr;
}

type_ref builder::make_enum(const node& s, const name_hint& hint, const std::vector<const node*>& values)
{
    std::size_t index = new_model(hint, model::kind::enumeration, s);
    name_registry names;
    std::vector<enum_value> out;
    std::set<std::string> seen;
    for (const node* v : values) {
        std::string wire(v->text());
        if (!seen.insert(wire).second) {
            docs_.warn(*v, "duplicate enum value '" + wire + "' is listed once");
            continue;
        }
        out.push_back({claim(names, to_identifier(wire), *v, "enum value '" + wire + "'"), wire});
    }
    out_.models[index].values = std::move(out);
    return model_ref(index);
}

// ---- objects and allOf ---------------------------------------------------------------------

// The primary JSON type a property schema declares ("" when unconstrained), for allOf conflicts.
std::string builder::declared_type(const node& schema, int depth)
{
    if (depth > 64 || !schema.is_mapping())
        return "";
    const node& s = docs_.resolve(schema);
    if (const node* t = s.find("type")) {
        if (t->is_scalar())
            return std::string(t->text());
        std::string joined;
        for (const node* item : t->items())
            if (item->text() != "null")
                joined += (joined.empty() ? "" : "|") + std::string(item->text());
        return joined;
    }
    if (s.find("properties"))
        return "object";
    if (const node* all_of = s.find("allOf"); all_of && all_of->is_sequence() && all_of->items().size() == 1)
        return declared_type(*all_of->items().front(), depth + 1);
    return "";
}

void builder::collect(const node& raw, collected_object& into, std::set<std::string>& visiting)
{
    const node& s = docs_.resolve(raw);
    std::string id = docs_.canonical_id(s);
    if (!visiting.insert(id).second)
        fail(raw, "allOf includes itself");
    if (visiting.size() > max_schema_depth)
        fail(raw, "allOf parts nest deeper than " + std::to_string(max_schema_depth) + " levels");
    if (const node* list = s.find("oneOf") ? s.find("oneOf") : s.find("anyOf"); list && list->is_sequence()) {
        // A base that lists its own subtypes (Pet: oneOf [Cat, Dog]; Cat: allOf [Pet, ...]) only
        // lends them its properties; any other union is combined with the parts (make_merged_object).
        bool lists_self = std::any_of(list->items().begin(), list->items().end(), [&](const node* alt) {
            return visiting.count(docs_.canonical_id(docs_.resolve(*alt))) != 0;
        });
        if (!lists_self)
            into.unions.push_back(&s);
    }
    if (const node* all_of = s.find("allOf")) {
        if (!all_of->is_sequence())
            fail(*all_of, "'allOf' must be a sequence");
        for (const node* part : all_of->items())
            collect(*part, into, visiting);
    }
    if (const node* props = s.find("properties")) {
        // Only a string $ref makes `properties` a reference; a `$ref` key holding a schema is a
        // property named "$ref" (Kubernetes' JSONSchemaProps has one).
        if (props->is_reference()) {
            docs_.warn(*props, "'properties' is a $ref (not allowed by OpenAPI, accepted)");
            props = &docs_.resolve(*props);
        }
        if (!props->is_mapping())
            fail(*props, "'properties' must be a mapping");
        for (const member& m : props->members()) {
            auto existing = std::find_if(into.properties.begin(), into.properties.end(),
                                         [&](const collected_property& p) { return p.key == m.key; });
            if (existing == into.properties.end())
                into.properties.push_back({std::string(m.key), {m.value}});
            else
                existing->schemas.push_back(m.value); // merged by property_type
        }
    }
    if (const node* req = s.find("required")) {
        if (!req->is_sequence())
            fail(*req, "'required' must be a sequence of property names");
        for (const node* r : req->items())
            into.required.insert(std::string(r->text()));
    }
    if (const node* ap = s.find("additionalProperties"))
        into.additional = ap;
    visiting.erase(id);
}

namespace {

bool declares_null(const node& s)
{
    if (!s.is_mapping())
        return false;
    if (truthy(s.find("nullable")))
        return true;
    const node* t = s.find("type");
    return t && t->is_sequence() &&
           std::any_of(t->items().begin(), t->items().end(), [](const node* n) { return n->text() == "null"; });
}

bool enum_within(const node& narrow, const node& wide)
{
    return std::all_of(narrow.items().begin(), narrow.items().end(), [&](const node* v) {
        return std::any_of(wide.items().begin(), wide.items().end(), [&](const node* w) {
            return v->is_scalar() && w->is_scalar() && v->text() == w->text();
        });
    });
}

} // namespace

// Of two allOf parts that constrain one value, the one whose type the value gets: integer over
// number, an enum over none or an enum subset over its superset, a format over none, else the
// later part (a refinement of the earlier). Parts of different types cannot both hold: the later
// is kept, with a warning at it (`what` names the value in it).
const node* builder::narrower(const node* a, const node* b, const std::string& what, bool warn)
{
    const std::string ta = declared_type(*a);
    const std::string tb = declared_type(*b);
    if (!ta.empty() && !tb.empty() && ta != tb) {
        if (ta == "integer" && tb == "number")
            return a;
        if (ta == "number" && tb == "integer")
            return b;
        if (warn)
            docs_.warn(*b, "impossible allOf: " + what + " is '" + ta + "' in one part and '" + tb +
                               "' in another; this part's type is used",
                       "impossible-allof");
        return b;
    }
    const node& ra = docs_.resolve(*a);
    const node& rb = docs_.resolve(*b);
    const node* ea = ra.find("enum");
    const node* eb = rb.find("enum");
    if (ea && eb && ea->is_sequence() && eb->is_sequence()) {
        if (enum_within(*eb, *ea))
            return b;
        if (enum_within(*ea, *eb))
            return a;
        if (warn)
            docs_.warn(*b, "allOf parts list different enum values for " + what + "; this part's values are used",
                       "impossible-allof");
        return b;
    }
    if (ea || eb)
        return ea ? a : b;
    // A part with no type of its own (a format alone, say) cannot stand for the value.
    if (!ta.empty() && tb.empty())
        return a;
    if (ra.find("format") && !rb.find("format"))
        return a;
    return b;
}

// The type of a property that several allOf parts declare: objects that each add members become
// one model with all of them; otherwise the narrowest declaration. `doc` gets its description.
type_ref builder::property_type(const collected_property& p, const std::string& inline_name, std::string& doc)
{
    // Declarations that shape the value, each schema once (a base reached twice is one part).
    std::vector<const node*> shaped;
    std::set<std::string> seen;
    for (const node* schema : p.schemas) {
        const node& r = docs_.resolve(*schema);
        if (shapes_value(r) && seen.insert(docs_.canonical_id(r)).second)
            shaped.push_back(schema);
    }
    const node* chosen = shaped.empty() ? p.schemas.front() : shaped.front();
    if (shaped.size() > 1) {
        auto adds_members = [&](const node* part) {
            const node& r = docs_.resolve(*part);
            const std::string t = declared_type(*part);
            if (t != "object" && !t.empty())
                return false;
            for (const char* key : {"oneOf", "anyOf", "enum", "const", "items", "discriminator", "not"})
                if (r.find(key))
                    return false;
            return r.find("properties") || r.find("additionalProperties") || r.find("required") || r.find("allOf");
        };
        if (std::all_of(shaped.begin(), shaped.end(), [&](const node* part) {
                const std::string t = declared_type(*part);
                return t.empty() || t == "object";
            })) {
            std::vector<const node*> adding;
            std::copy_if(shaped.begin(), shaped.end(), std::back_inserter(adding), adds_members);
            if (adding.size() > 1) {
                for (auto it = p.schemas.rbegin(); it != p.schemas.rend() && doc.empty(); ++it)
                    doc = (*it)->is_mapping() ? description_of(**it) : std::string();
                return make_merged_object(*adding.back(), adding, inline_hint(inline_name));
            }
        }
        for (std::size_t i = 1; i < shaped.size(); ++i)
            chosen = narrower(chosen, shaped[i], "property '" + p.key + "'", true);
    }
    if (chosen->is_mapping())
        doc = description_of(*chosen);
    for (auto it = p.schemas.rbegin(); it != p.schemas.rend() && doc.empty(); ++it)
        doc = (*it)->is_mapping() ? description_of(**it) : std::string();
    type_ref t = schema_type(*chosen, inline_hint(inline_name));
    // Refinements restate a base's nullable property without `nullable: true`, and servers keep
    // sending null: the client accepts null when any part does.
    if (t.k != type_ref::kind::any && std::any_of(p.schemas.begin(), p.schemas.end(), [&](const node* schema) {
            return declares_null(*schema) || declares_null(docs_.resolve(*schema));
        }))
        t.nullable = true;
    return t;
}

type_ref builder::make_object(const node& s, const name_hint& hint)
{
    return make_merged_object(s, {&s}, hint);
}

// One object model with the members of every part (each part's allOf followed). A part that is a
// oneOf/anyOf makes it a union instead (make_allof_union); `expanded` is set for the alternatives
// of that union.
type_ref builder::make_merged_object(const node& s, const std::vector<const node*>& parts, const name_hint& hint,
                                     const node* expanded)
{
    collected_object shape;
    std::set<std::string> visiting;
    for (const node* part : parts)
        collect(*part, shape, visiting);
    if (expanded)
        shape.unions.clear(); // an alternative of a union being combined: the others were warned about
    if (!shape.unions.empty()) {
        for (std::size_t i = 1; i < shape.unions.size(); ++i)
            docs_.warn(*shape.unions[i], "a second oneOf/anyOf in one allOf is not combined; only its properties are merged");
        if (std::optional<type_ref> t = make_allof_union(s, parts, *shape.unions.front(), hint))
            return *t;
    }

    std::size_t index = new_model(hint, model::kind::object, s);
    const std::string owner = out_.models[index].name;
    name_registry members;
    std::vector<field_model> fields;
    for (const collected_property& p : shape.properties) {
        std::string name = to_identifier(p.key);
        if (name == owner)
            name += '_'; // a member cannot have its class's name
        field_model f;
        f.name = claim(members, name, p.schemas.empty() ? s : *p.schemas.front(), "property '" + p.key + "'");
        f.wire_name = p.key;
        f.required = shape.required.count(p.key) != 0;
        // Any part's declaration of the property (not a schema it refers to) may deprecate it.
        f.deprecated = std::any_of(p.schemas.begin(), p.schemas.end(),
                                   [](const node* schema) { return truthy(schema->find("deprecated")); });
        f.type = property_type(p, owner + "_" + f.name, f.doc);
        f.constraints = constraints_of(p.schemas, f.type);
        fields.push_back(std::move(f));
    }
    for (const std::string& r : shape.required)
        if (std::none_of(shape.properties.begin(), shape.properties.end(),
                         [&](const collected_property& p) { return p.key == r; }))
            if (!shape.additional)
                docs_.warn(s, "required property '" + r + "' is not declared in 'properties'; it is not checked");
    std::optional<type_ref> additional;
    if (shape.additional) {
        const node& ap = *shape.additional;
        if (ap.is_mapping())
            additional = schema_type(ap, inline_hint(owner + "_value"));
        else if (ap.as_bool().value_or(false))
            additional = type_ref{};
    }
    model& m = out_.models[index];
    m.fields = std::move(fields);
    if (additional) {
        m.additional_properties = std::move(additional);
        m.additional_properties_member = members.claim("additional_properties");
    }
    return model_ref(index);
}

// allOf: [{common properties}, {oneOf: [A, B]}]: a value is an A with the common properties or a
// B with them. So the type is a union whose alternatives are A and B each merged with every other
// part; a struct holding the common members beside a variant would not decode, since the JSON
// object is flat. Unions whose alternatives are not all objects stay unsupported (nullopt).
std::optional<type_ref> builder::make_allof_union(const node& s, const std::vector<const node*>& parts,
                                                  const node& union_part, const name_hint& hint)
{
    const node* list = union_part.find("oneOf") ? union_part.find("oneOf") : union_part.find("anyOf");
    if (list->items().empty())
        fail(*list, "oneOf/anyOf must be a non-empty sequence");
    bool nullable = false;
    std::vector<const node*> alternatives;
    for (const node* alt : list->items()) {
        const node& r = docs_.resolve(*alt);
        if (is_null_schema(r)) {
            nullable = true;
            continue;
        }
        const std::string t = declared_type(*alt);
        bool object = t == "object" || (t.empty() && (r.find("properties") || r.find("allOf") || r.find("required")));
        if (!object || r.find("oneOf") || r.find("anyOf")) {
            docs_.warn(union_part, "oneOf/anyOf inside allOf with an alternative that is not an object is not "
                                   "supported; only the properties listed beside it are merged");
            return std::nullopt;
        }
        alternatives.push_back(alt);
    }
    // Alternatives that only require some of the common properties ("inbound or outbound rules,
    // at least one") add no members: one struct holds them all, as optional members.
    if (std::none_of(alternatives.begin(), alternatives.end(), [&](const node* alt) {
            const node& r = docs_.resolve(*alt);
            return r.find("properties") || r.find("allOf") || r.find("additionalProperties");
        }))
        return std::nullopt;
    std::size_t index = new_model(hint, model::kind::union_, s);
    const std::string owner = out_.models[index].name;
    std::vector<type_ref> types;
    std::vector<alternative_info> infos;
    for (std::size_t i = 0; i < alternatives.size(); ++i) {
        alternative_info info = describe_alternative(*alternatives[i]);
        std::vector<const node*> alt_parts = parts;
        alt_parts.push_back(alternatives[i]);
        const std::string suffix = info.display.empty() ? "option_" + std::to_string(i + 1) : to_identifier(info.display);
        types.push_back(make_merged_object(docs_.resolve(*alternatives[i]), alt_parts, inline_hint(owner + "_" + suffix),
                                           &union_part));
        infos.push_back(std::move(info));
    }
    const node* discriminator = union_part.find("discriminator") ? union_part.find("discriminator") : s.find("discriminator");
    fill_union(index, union_part, types, infos, discriminator);
    type_ref t = model_ref(index);
    t.nullable = nullable;
    return t;
}

alternative_info builder::describe_alternative(const node& alt)
{
    alternative_info info;
    if (alt.is_mapping() && alt.find("$ref")) {
        info.ref_text = text_of(alt.find("$ref"));
        info.display = hint_for_named(docs_.resolve(alt)).display;
    }
    info.wire = discriminator_value_of(docs_.resolve(alt));
    return info;
}

// ---- unions --------------------------------------------------------------------------------

type_ref builder::make_union(const node& s, const name_hint& hint, const node& list, bool& nullable)
{
    if (!list.is_sequence() || list.items().empty())
        fail(list, "oneOf/anyOf must be a non-empty sequence");
    std::vector<const node*> alternatives;
    for (const node* alt : list.items()) {
        if (is_null_schema(docs_.resolve(*alt)))
            nullable = true;
        else
            alternatives.push_back(alt);
    }
    const node* discriminator = s.find("discriminator");
    if (alternatives.empty())
        return type_ref{};
    if (alternatives.size() == 1 && !discriminator)
        return schema_type(*alternatives.front(), hint);

    std::size_t index = new_model(hint, model::kind::union_, s);
    const std::string owner = out_.models[index].name;
    std::vector<type_ref> types;
    std::vector<alternative_info> infos;
    for (std::size_t i = 0; i < alternatives.size(); ++i) {
        const node& alt = *alternatives[i];
        alternative_info info = describe_alternative(alt);
        type_ref t = schema_type(alt, inline_hint(owner + "_option_" + std::to_string(i + 1)));
        t.nullable = false;
        if (std::find(types.begin(), types.end(), t) != types.end()) {
            docs_.warn(alt, "ambiguous union: alternative " + std::to_string(i + 1) +
                                " has the same C++ type as an earlier one and is merged into it",
                       "ambiguous-union");
            continue;
        }
        types.push_back(std::move(t));
        infos.push_back(std::move(info));
    }
    fill_union(index, s, types, infos, discriminator);
    return model_ref(index);
}

// Every schema that extends `id` through allOf, directly or through other children, in order.
std::vector<const node*> builder::descendants_of(const std::string& id)
{
    std::vector<const node*> out;
    std::set<std::string> seen{id};
    std::vector<std::string> queue{id};
    for (std::size_t i = 0; i < queue.size(); ++i) {
        auto it = children_.find(queue[i]);
        if (it == children_.end())
            continue;
        for (const node* child : it->second) {
            std::string child_id = docs_.canonical_id(*child);
            if (!seen.insert(child_id).second)
                continue;
            out.push_back(child);
            queue.push_back(child_id);
        }
    }
    return out;
}

type_ref builder::make_hierarchy_union(const node& s, const name_hint& hint, const node& discriminator,
                                       const std::vector<const node*>& children)
{
    std::size_t index = new_model(hint, model::kind::union_, s);
    std::vector<type_ref> types;
    std::vector<alternative_info> infos;
    for (const node* child : children) {
        alternative_info info;
        info.display = hint_for_named(*child).display;
        info.wire = discriminator_value_of(*child);
        types.push_back(named_type(*child));
        infos.push_back(std::move(info));
    }
    fill_union(index, s, types, infos, &discriminator);
    return model_ref(index);
}

void builder::fill_union(std::size_t index, const node& s, const std::vector<type_ref>& types,
                         const std::vector<alternative_info>& infos, const node* discriminator)
{
    std::vector<std::pair<std::string, std::size_t>> mapping;
    std::string property;
    if (discriminator) {
        // Swagger 2.0 names the property alone (`discriminator: kind`); specs converted from it
        // (Azure's, AutoRest's) keep that form.
        if (discriminator->is_scalar() && !discriminator->is_null())
            property = std::string(discriminator->text());
        else if (!discriminator->is_mapping())
            fail(*discriminator, "'discriminator' must be a mapping");
        else
            property = text_of(discriminator->find("propertyName"));
        if (property.empty())
            fail(*discriminator, "discriminator has no 'propertyName'");
        std::set<std::size_t> mapped;
        const node* explicit_mapping = discriminator->is_mapping() ? discriminator->find("mapping") : nullptr;
        if (explicit_mapping) {
            for (const member& m : explicit_mapping->members()) {
                std::string target = text_of(m.value);
                std::size_t found = types.size();
                for (std::size_t i = 0; i < infos.size() && found == types.size(); ++i) {
                    const alternative_info& info = infos[i];
                    if ((!info.ref_text.empty() && info.ref_text == target) ||
                        (!info.display.empty() && (target == info.display || target.ends_with("/" + info.display) ||
                                                   target.ends_with("/" + info.display + ".yaml") ||
                                                   target.ends_with("/" + info.display + ".yml") ||
                                                   target.ends_with("/" + info.display + ".json"))))
                        found = i;
                }
                if (found == types.size()) {
                    docs_.warn(*m.value, "discriminator mapping '" + std::string(m.key) + "' names '" + target +
                                             "', which is not an alternative; the value is ignored");
                    continue;
                }
                mapping.emplace_back(std::string(m.key), found);
                mapped.insert(found);
            }
        }
        // Unmapped alternatives: the value their x-ms-discriminator-value names, else the schema's
        // name (OpenAPI's implicit mapping).
        for (std::size_t i = 0; i < infos.size(); ++i) {
            if (mapped.count(i))
                continue;
            const std::string& value = infos[i].wire.empty() ? infos[i].display : infos[i].wire;
            if (value.empty()) {
                docs_.warn(s, "union alternative " + std::to_string(i + 1) +
                                  " is inline and has no discriminator mapping; it is chosen only by its shape");
                continue;
            }
            auto taken = std::find_if(mapping.begin(), mapping.end(), [&](const auto& e) { return e.first == value; });
            if (taken != mapping.end()) {
                docs_.warn(s, "discriminator value '" + value + "' names union alternatives " +
                                  std::to_string(taken->second + 1) + " and " + std::to_string(i + 1) +
                                  "; the first is decoded");
                continue;
            }
            mapping.emplace_back(value, i);
        }
        for (std::size_t i = 0; i < types.size(); ++i)
            if (json_kind(types[i], out_.models) != "object")
                docs_.warn(s, "discriminated union alternative " + std::to_string(i + 1) + " is not an object");
    } else {
        check_ambiguity(s, types);
    }
    model& m = out_.models[index];
    m.alternatives = types;
    m.discriminator = std::move(property);
    m.mapping = std::move(mapping);
}

void builder::check_ambiguity(const node& s, const std::vector<type_ref>& types)
{
    for (std::size_t a = 0; a < types.size(); ++a) {
        for (std::size_t b = a + 1; b < types.size(); ++b) {
            std::string_view ka = json_kind(types[a], out_.models);
            std::string_view kb = json_kind(types[b], out_.models);
            if (ka.empty() || ka != kb)
                continue;
            if (ka == "object" && distinguishable(types[a], types[b], out_.models))
                continue;
            docs_.warn(s, "ambiguous union: alternatives " + std::to_string(a + 1) + " and " + std::to_string(b + 1) +
                              " are both JSON " + std::string(ka) +
                              (ka == "object" ? " and no required property tells them apart" : "") +
                              "; the first that decodes wins",
                       "ambiguous-union");
        }
    }
}

type_ref builder::make_type_union(const node& s, const name_hint& hint, const std::vector<std::string>& types)
{
    std::size_t index = new_model(hint, model::kind::union_, s);
    const std::string owner = out_.models[index].name;
    std::vector<type_ref> alternatives;
    for (const std::string& t : types) {
        if (t == "array") {
            type_ref arr = simple(type_ref::kind::array);
            const node* items = s.find("items");
            arr.args.push_back(items ? schema_type(*items, inline_hint(owner + "_item")) : type_ref{});
            alternatives.push_back(std::move(arr));
        } else if (t == "object") {
            alternatives.push_back(simple(type_ref::kind::json_object));
        } else {
            alternatives.push_back(primitive(s, t));
        }
    }
    std::vector<alternative_info> infos(alternatives.size());
    fill_union(index, s, alternatives, infos, nullptr);
    return model_ref(index);
}

} // namespace specbound::gen::detail
