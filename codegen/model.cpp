#include "model.hpp"

#include "naming.hpp"

#include <algorithm>
#include <array>
#include <functional>
#include <iterator>
#include <map>
#include <set>

namespace specbound::gen {

namespace detail {

constexpr std::array<std::string_view, 8> http_methods{"get", "put", "post", "delete", "options", "head", "patch", "trace"};

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

std::string text_of(const node* n)
{
    return n && n->is_scalar() ? std::string(n->text()) : std::string();
}

bool truthy(const node* n)
{
    return n && n->is_scalar() && n->as_bool().value_or(false);
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

class builder {
public:
    explicit builder(document_set& docs) : docs_(docs) {}

    api_model run()
    {
        const node& root = docs_.root();
        if (!root.is_mapping())
            throw spec_error(make_diagnostic(diagnostic::severity::error, root, "the document is not an OpenAPI object (expected a mapping)"));
        const node* version = root.find("openapi");
        if (!version) {
            if (root.find("swagger"))
                throw spec_error(make_diagnostic(diagnostic::severity::error, root, "Swagger 2.0 documents are not supported; convert to OpenAPI 3"));
            throw spec_error(make_diagnostic(diagnostic::severity::error, root, "missing 'openapi' version field"));
        }
        std::string v = text_of(version);
        if (v.rfind("3.0", 0) != 0 && v.rfind("3.1", 0) != 0)
            throw spec_error(make_diagnostic(diagnostic::severity::error, *version, "unsupported OpenAPI version '" + v + "' (3.0 and 3.1 are supported)"));

        // Names the generated namespace already uses.
        for (const char* n : {"api", "client", "ops", "operations", "security_schemes"})
            type_names_.reserve(n);

        read_info(root);
        read_security_schemes(root);
        collect_schema_names(root);
        for (const auto& [key, value] : component_schemas_)
            named_type(docs_.resolve(*value));
        read_paths(root);
        read_webhooks(root);
        if (!root.find("paths") && !root.find("webhooks") && !(root.find("components")))
            throw spec_error(make_diagnostic(diagnostic::severity::error, root, "the document has no paths, webhooks or components"));

        assign_headers_and_boxes();

        out_.warnings = docs_.warnings();
        for (const source_file* f : docs_.files())
            out_.files.push_back(f->path);
        out_.content_hash = docs_.content_hash();
        return std::move(out_);
    }

private:
    struct name_hint {
        std::string cpp;     // C++ name base (unclaimed unless `claimed`)
        std::string display; // spec name
        bool claimed = false;
        std::string id;      // canonical id for named schemas, empty for inline ones
    };

    [[noreturn]] void fail(const node& at, std::string message)
    {
        throw spec_error(make_diagnostic(diagnostic::severity::error, at, std::move(message)));
    }

    // ---- info, servers, security schemes -------------------------------------------------------

    void read_info(const node& root)
    {
        if (const node* info = root.find("info"); info && info->is_mapping()) {
            out_.title = text_of(info->find("title"));
            out_.version = text_of(info->find("version"));
        }
        const node* servers = root.find("servers");
        if (!servers || !servers->is_sequence() || servers->items().empty())
            return;
        const node& server = docs_.resolve(*servers->items().front());
        std::string url = text_of(server.find("url"));
        const node* vars = server.find("variables");
        std::string result;
        for (std::size_t i = 0; i < url.size(); ++i) {
            if (url[i] == '{') {
                std::size_t close = url.find('}', i);
                if (close == std::string::npos)
                    fail(server, "unbalanced '{' in server url '" + url + "'");
                std::string name = url.substr(i + 1, close - i - 1);
                const node* var = vars ? vars->find(name) : nullptr;
                if (!var || !var->find("default"))
                    fail(server, "server variable '" + name + "' has no default");
                result += text_of(var->find("default"));
                i = close;
            } else {
                result += url[i];
            }
        }
        out_.default_server = result;
    }

    void read_security_schemes(const node& root)
    {
        const node* components = root.find("components");
        const node* schemes = components ? components->find("securitySchemes") : nullptr;
        if (!schemes || !schemes->is_mapping())
            return;
        for (const member& m : schemes->members()) {
            const node& s = docs_.resolve(*m.value);
            security_scheme_model out;
            out.name = std::string(m.key);
            std::string type = text_of(s.find("type"));
            if (type == "apiKey") {
                std::string in = text_of(s.find("in"));
                if (in != "header" && in != "query" && in != "cookie")
                    fail(s, "apiKey security scheme '" + out.name + "' has invalid 'in': '" + in + "'");
                out.kind = "api_key_" + in;
                out.parameter_name = text_of(s.find("name"));
                if (out.parameter_name.empty())
                    fail(s, "apiKey security scheme '" + out.name + "' has no 'name'");
            } else if (type == "http") {
                std::string scheme = text_of(s.find("scheme"));
                std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                if (scheme == "bearer")
                    out.kind = "http_bearer";
                else if (scheme == "basic")
                    out.kind = "http_basic";
                else {
                    docs_.warn(s, "http security scheme '" + scheme + "' is not supported; scheme '" + out.name + "' is left out");
                    continue;
                }
            } else if (type == "oauth2") {
                out.kind = "oauth2";
                if (const node* flows = s.find("flows"))
                    if (const node* cc = flows->find("clientCredentials"))
                        out.token_url = text_of(cc->find("tokenUrl"));
            } else if (type == "openIdConnect") {
                out.kind = "open_id_connect";
            } else if (type == "mutualTLS") {
                out.kind = "mutual_tls";
            } else {
                fail(s, "security scheme '" + out.name + "' has unknown type '" + type + "'");
            }
            known_schemes_.insert(out.name);
            out_.security_schemes.push_back(std::move(out));
        }
    }

    // ---- schema names --------------------------------------------------------------------------

    void collect_schema_names(const node& root)
    {
        const node* components = root.find("components");
        const node* schemas = components ? components->find("schemas") : nullptr;
        if (!schemas)
            return;
        if (!schemas->is_mapping())
            fail(*schemas, "components/schemas must be a mapping");
        for (const member& m : schemas->members()) {
            component_schemas_.emplace_back(std::string(m.key), m.value);
            const node& target = docs_.resolve(*m.value);
            std::string id = docs_.canonical_id(target);
            if (reserved_names_.count(id))
                continue;
            reserved_names_[id] = {type_names_.claim(to_identifier(m.key)), std::string(m.key)};
        }
        // allOf hierarchies: which named schemas extend which (by $ref in their allOf).
        for (const auto& [key, value] : component_schemas_) {
            const node& child = docs_.resolve(*value);
            const node* all_of = child.find("allOf");
            if (!all_of || !all_of->is_sequence())
                continue;
            for (const node* part : all_of->items())
                if (part->is_mapping() && part->find("$ref"))
                    children_[docs_.canonical_id(docs_.resolve(*part))].push_back(&child);
        }
    }

    name_hint hint_for_named(const node& target)
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

    type_ref named_type(const node& target)
    {
        std::string id = docs_.canonical_id(target);
        if (auto it = cache_.find(id); it != cache_.end()) {
            if (!it->second.has_value()) {
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
    type_ref schema_type(const node& s, name_hint hint)
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

    std::size_t new_model(const name_hint& hint, model::kind k, const node& at)
    {
        model m;
        m.k = k;
        m.name = hint.claimed ? hint.cpp : type_names_.claim(hint.cpp);
        m.schema_name = hint.display.empty() ? m.name : hint.display;
        m.id = docs_.canonical_id(at);
        m.doc = description_of(at);
        out_.models.push_back(std::move(m));
        std::size_t index = out_.models.size() - 1;
        type_ref t;
        t.k = type_ref::kind::model;
        t.model = index;
        if (!hint.id.empty())
            cache_[hint.id] = t; // recursion now finds the model
        return index;
    }

    static std::string description_of(const node& s)
    {
        std::string title = text_of(s.find("title"));
        std::string desc = text_of(s.find("description"));
        if (!title.empty() && !desc.empty())
            return title + "\n\n" + desc;
        return desc.empty() ? title : desc;
    }

    static type_ref simple(type_ref::kind k)
    {
        type_ref t;
        t.k = k;
        return t;
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

    static std::string scalar_type_name(const node& value)
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

    /// The resolved type of a schema that is not a $ref.
    type_ref resolve(const node& s, name_hint hint)
    {
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
            auto add = [&](const node& n) {
                std::string name = text_of(&n);
                static constexpr std::array<std::string_view, 7> known{"string", "integer", "number", "boolean", "array", "object", "null"};
                if (!n.is_scalar() || std::find(known.begin(), known.end(), name) == known.end())
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

    type_ref resolve_shape(const node& s, const name_hint& hint, std::vector<std::string>& types, bool& nullable)
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
            bool all_strings = !values.empty() && std::all_of(values.begin(), values.end(), [](const node* v) { return v->is_scalar(); });
            bool string_typed = types.size() == 1 && types.front() == "string";
            if (all_strings && types.empty())
                all_strings = std::all_of(values.begin(), values.end(), [](const node* v) { return v->is_string(); });
            if (all_strings && (string_typed || types.empty()) && !s.find("format"))
                return make_enum(s, hint, values);
            if (types.empty() && !values.empty())
                types.push_back(scalar_type_name(*values.front()));
        }
        if (const node* c = s.find("const"); c && types.empty()) {
            if (c->is_null()) {
                nullable = true;
                return type_ref{};
            }
            types.push_back(scalar_type_name(*c));
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

        if (const node* all_of = s.find("allOf")) {
            if (!all_of->is_sequence())
                fail(*all_of, "'allOf' must be a sequence");
            // Parts that only annotate (description, example, nullable...) shape nothing: an allOf
            // of one shaped part is that part's type, and only objects are merged.
            bool own_shape = s.find("properties") || s.find("additionalProperties") || s.find("required");
            std::vector<const node*> shaped;
            bool annotated_nullable = false;
            for (const node* part : all_of->items()) {
                const node& r = docs_.resolve(*part);
                if (shapes_value(r))
                    shaped.push_back(part);
                else if (const node* n = r.find("nullable"); n && n->text() == "true")
                    annotated_nullable = true;
            }
            const bool merge_objects = own_shape || std::any_of(shaped.begin(), shaped.end(), [&](const node* p) {
                                           const std::string t = declared_type(*p);
                                           return t.empty() || t == "object";
                                       });
            if (!shaped.empty() && (!merge_objects || (shaped.size() == 1 && !own_shape))) {
                type_ref t = schema_type(*shaped.front(), hint);
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

    static name_hint inline_hint(std::string cpp)
    {
        name_hint h;
        h.cpp = std::move(cpp);
        return h;
    }

    type_ref make_enum(const node& s, const name_hint& hint, const std::vector<const node*>& values)
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
            out.push_back({names.claim(to_identifier(wire)), wire});
        }
        out_.models[index].values = std::move(out);
        return model_ref(index);
    }

    static type_ref model_ref(std::size_t index)
    {
        type_ref t;
        t.k = type_ref::kind::model;
        t.model = index;
        return t;
    }

    // ---- objects and allOf ---------------------------------------------------------------------

    struct collected_property {
        std::string key;
        const node* schema;
    };

    struct collected_object {
        std::vector<collected_property> properties;
        std::set<std::string> required;
        const node* additional = nullptr; // the last additionalProperties seen
    };

    // True when a schema constrains the value's shape, not only annotates it (description,
    // example, title, nullable, readOnly...).
    static bool shapes_value(const node& s)
    {
        if (!s.is_mapping())
            return false;
        for (const char* key : {"type", "properties", "additionalProperties", "items", "allOf", "oneOf", "anyOf", "enum",
                                "const", "required", "format", "not", "discriminator"})
            if (s.find(key))
                return true;
        return false;
    }

    // The primary JSON type a property schema declares ("" when unconstrained), for allOf conflicts.
    std::string declared_type(const node& schema, int depth = 0)
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

    void collect(const node& raw, collected_object& into, std::set<std::string>& visiting)
    {
        const node& s = docs_.resolve(raw);
        std::string id = docs_.canonical_id(s);
        if (!visiting.insert(id).second)
            fail(raw, "allOf includes itself");
        if (s.find("oneOf") || s.find("anyOf"))
            docs_.warn(s, "oneOf/anyOf inside allOf is not supported; only the properties listed beside it are merged");
        if (const node* all_of = s.find("allOf")) {
            if (!all_of->is_sequence())
                fail(*all_of, "'allOf' must be a sequence");
            for (const node* part : all_of->items())
                collect(*part, into, visiting);
        }
        if (const node* props = s.find("properties")) {
            if (props->is_mapping() && props->find("$ref")) {
                docs_.warn(*props, "'properties' is a $ref (not allowed by OpenAPI, accepted)");
                props = &docs_.resolve(*props);
            }
            if (!props->is_mapping())
                fail(*props, "'properties' must be a mapping");
            for (const member& m : props->members()) {
                auto existing = std::find_if(into.properties.begin(), into.properties.end(),
                                             [&](const collected_property& p) { return p.key == m.key; });
                if (existing == into.properties.end()) {
                    into.properties.push_back({std::string(m.key), m.value});
                    continue;
                }
                std::string a = declared_type(*existing->schema);
                std::string b = declared_type(*m.value);
                // integer is a number: the parts agree, and the narrower type wins.
                bool numeric = (a == "integer" && b == "number") || (a == "number" && b == "integer");
                if (numeric) {
                    if (b == "integer")
                        existing->schema = m.value;
                    continue;
                }
                if (!a.empty() && !b.empty() && a != b)
                    fail(*m.value, "impossible allOf: property '" + std::string(m.key) + "' is '" + a +
                                       "' in one part and '" + b + "' in another");
                if (a.empty() && !b.empty())
                    existing->schema = m.value; // the later part is the more specific one
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

    type_ref make_object(const node& s, const name_hint& hint)
    {
        collected_object shape;
        std::set<std::string> visiting;
        collect(s, shape, visiting);

        std::size_t index = new_model(hint, model::kind::object, s);
        const std::string owner = out_.models[index].name;
        name_registry members;
        std::vector<field_model> fields;
        for (const collected_property& p : shape.properties) {
            std::string name = to_identifier(p.key);
            if (name == owner)
                name += '_'; // a member cannot have its class's name
            field_model f;
            f.name = members.claim(name);
            f.wire_name = p.key;
            f.required = shape.required.count(p.key) != 0;
            f.type = schema_type(*p.schema, inline_hint(owner + "_" + f.name));
            if (p.schema->is_mapping())
                f.doc = description_of(*p.schema);
            fields.push_back(std::move(f));
        }
        for (const std::string& r : shape.required)
            if (std::none_of(shape.properties.begin(), shape.properties.end(), [&](const collected_property& p) { return p.key == r; }))
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

    // ---- unions --------------------------------------------------------------------------------

    static bool is_null_schema(const node& n)
    {
        if (!n.is_mapping())
            return false;
        const node* t = n.find("type");
        if (t && t->is_scalar() && t->text() == "null")
            return true;
        const node* e = n.find("enum");
        return e && e->is_sequence() && e->items().size() == 1 && e->items().front()->is_null();
    }

    struct alternative_info {
        std::string ref_text; // the alternative's own $ref text, if any
        std::string display;  // schema name of a named alternative
    };

    type_ref make_union(const node& s, const name_hint& hint, const node& list, bool& nullable)
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
            alternative_info info;
            if (alt.is_mapping() && alt.find("$ref")) {
                info.ref_text = text_of(alt.find("$ref"));
                info.display = hint_for_named(docs_.resolve(alt)).display;
            }
            type_ref t = schema_type(alt, inline_hint(owner + "_option_" + std::to_string(i + 1)));
            t.nullable = false;
            if (std::find(types.begin(), types.end(), t) != types.end()) {
                docs_.warn(alt, "ambiguous union: alternative " + std::to_string(i + 1) + " has the same C++ type as an earlier one and is merged into it");
                continue;
            }
            types.push_back(std::move(t));
            infos.push_back(std::move(info));
        }
        fill_union(index, s, types, infos, discriminator);
        return model_ref(index);
    }

    // Every schema that extends `id` through allOf, directly or through other children, in order.
    std::vector<const node*> descendants_of(const std::string& id)
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

    type_ref make_hierarchy_union(const node& s, const name_hint& hint, const node& discriminator, const std::vector<const node*>& children)
    {
        std::size_t index = new_model(hint, model::kind::union_, s);
        std::vector<type_ref> types;
        std::vector<alternative_info> infos;
        for (const node* child : children) {
            alternative_info info;
            info.display = hint_for_named(*child).display;
            types.push_back(named_type(*child));
            infos.push_back(std::move(info));
        }
        fill_union(index, s, types, infos, &discriminator);
        return model_ref(index);
    }

    void fill_union(std::size_t index, const node& s, const std::vector<type_ref>& types, const std::vector<alternative_info>& infos, const node* discriminator)
    {
        std::vector<std::pair<std::string, std::size_t>> mapping;
        std::string property;
        if (discriminator) {
            if (!discriminator->is_mapping())
                fail(*discriminator, "'discriminator' must be a mapping");
            property = text_of(discriminator->find("propertyName"));
            if (property.empty())
                fail(*discriminator, "discriminator has no 'propertyName'");
            std::set<std::size_t> mapped;
            if (const node* explicit_mapping = discriminator->find("mapping")) {
                for (const member& m : explicit_mapping->members()) {
                    std::string target = text_of(m.value);
                    std::size_t found = types.size();
                    for (std::size_t i = 0; i < infos.size() && found == types.size(); ++i) {
                        const alternative_info& info = infos[i];
                        if ((!info.ref_text.empty() && info.ref_text == target) || (!info.display.empty() && (target == info.display || target.ends_with("/" + info.display) || target.ends_with("/" + info.display + ".yaml") || target.ends_with("/" + info.display + ".yml") || target.ends_with("/" + info.display + ".json"))))
                            found = i;
                    }
                    if (found == types.size()) {
                        docs_.warn(*m.value, "discriminator mapping '" + std::string(m.key) + "' names '" + target + "', which is not an alternative; the value is ignored");
                        continue;
                    }
                    mapping.emplace_back(std::string(m.key), found);
                    mapped.insert(found);
                }
            }
            for (std::size_t i = 0; i < infos.size(); ++i) {
                if (mapped.count(i))
                    continue;
                if (infos[i].display.empty()) {
                    docs_.warn(s, "union alternative " + std::to_string(i + 1) + " is inline and has no discriminator mapping; it is chosen only by its shape");
                    continue;
                }
                mapping.emplace_back(infos[i].display, i);
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

    void check_ambiguity(const node& s, const std::vector<type_ref>& types)
    {
        for (std::size_t a = 0; a < types.size(); ++a) {
            for (std::size_t b = a + 1; b < types.size(); ++b) {
                std::string_view ka = json_kind(types[a], out_.models);
                std::string_view kb = json_kind(types[b], out_.models);
                if (ka.empty() || ka != kb)
                    continue;
                if (ka == "object" && distinguishable(types[a], types[b]))
                    continue;
                docs_.warn(s, "ambiguous union: alternatives " + std::to_string(a + 1) + " and " + std::to_string(b + 1) +
                                  " are both JSON " + std::string(ka) +
                                  (ka == "object" ? " and no required property tells them apart" : "") +
                                  "; the first that decodes wins");
            }
        }
    }

    bool distinguishable(const type_ref& a, const type_ref& b) const
    {
        if (a.k != type_ref::kind::model || b.k != type_ref::kind::model)
            return false;
        const model& ma = out_.models[a.model];
        const model& mb = out_.models[b.model];
        auto has_required_unknown_to = [](const model& x, const model& y) {
            for (const field_model& f : x.fields) {
                if (!f.required)
                    continue;
                bool in_y = std::any_of(y.fields.begin(), y.fields.end(), [&](const field_model& g) { return g.wire_name == f.wire_name; });
                if (!in_y)
                    return true;
            }
            return false;
        };
        return has_required_unknown_to(ma, mb) || has_required_unknown_to(mb, ma);
    }

    type_ref make_type_union(const node& s, const name_hint& hint, const std::vector<std::string>& types)
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

    // ---- operations ----------------------------------------------------------------------------

    void read_paths(const node& root)
    {
        const node* paths = root.find("paths");
        if (!paths)
            return;
        if (!paths->is_mapping())
            fail(*paths, "'paths' must be a mapping");
        for (const member& p : paths->members()) {
            if (p.key.rfind("x-", 0) == 0)
                continue;
            if (p.key.empty() || p.key.front() != '/')
                fail(*p.value, "path '" + std::string(p.key) + "' does not start with '/'");
            const node& item = docs_.resolve(*p.value);
            if (!item.is_mapping())
                fail(item, "a path item must be a mapping");
            for (const member& m : item.members()) {
                if (std::find(http_methods.begin(), http_methods.end(), m.key) == http_methods.end())
                    continue;
                const node* op = m.value;
                if (op->is_mapping() && op->find("$ref")) {
                    docs_.warn(*op, "operation object is a $ref (not allowed by OpenAPI, accepted)");
                    op = &docs_.resolve(*op);
                }
                read_operation(std::string(p.key), std::string(m.key), item, *op, root);
            }
        }
    }

    void read_webhooks(const node& root)
    {
        const node* hooks = root.find("webhooks");
        if (!hooks || !hooks->is_mapping())
            return;
        // Webhooks are requests the API sends: only their payload models are generated.
        for (const member& h : hooks->members()) {
            const node& item = docs_.resolve(*h.value);
            for (const member& m : item.members()) {
                if (std::find(http_methods.begin(), http_methods.end(), m.key) == http_methods.end())
                    continue;
                const node& op = docs_.resolve(*m.value);
                const node* body = op.find("requestBody");
                if (!body)
                    continue;
                const node& rb = docs_.resolve(*body);
                auto [media, schema] = pick_media(rb);
                if (schema)
                    schema_type(*schema, inline_hint(to_identifier(h.key) + "_payload"));
            }
        }
    }

    struct picked_media {
        std::string media;
        const node* schema = nullptr;
    };

    static int media_rank(std::string_view media)
    {
        if (media == "application/json")
            return 0;
        if (media.ends_with("+json") || media.find("/json") != std::string_view::npos)
            return 1;
        if (media == "application/x-www-form-urlencoded")
            return 2;
        if (media == "multipart/form-data")
            return 3;
        return 4;
    }

    picked_media pick_media(const node& holder)
    {
        const node* content = holder.find("content");
        if (!content || !content->is_mapping() || content->members().empty())
            return {};
        const member* best = nullptr;
        for (const member& m : content->members())
            if (!best || media_rank(m.key) < media_rank(best->key))
                best = &m;
        picked_media out;
        out.media = std::string(best->key);
        if (best->value->is_mapping())
            out.schema = best->value->find("schema");
        return out;
    }

    static body_encoding_kind encoding_for(std::string_view media)
    {
        int rank = media_rank(media);
        if (rank <= 1)
            return body_encoding_kind::json;
        if (rank == 2)
            return body_encoding_kind::form_urlencoded;
        if (rank == 3)
            return body_encoding_kind::multipart;
        if (media.rfind("text/", 0) == 0)
            return body_encoding_kind::text;
        return body_encoding_kind::binary;
    }

    type_ref content_type(const picked_media& picked, const std::string& inline_name)
    {
        switch (encoding_for(picked.media)) {
        case body_encoding_kind::text: return simple(type_ref::kind::string);
        case body_encoding_kind::binary: return simple(type_ref::kind::bytes);
        default: break;
        }
        if (!picked.schema)
            return type_ref{};
        return schema_type(*picked.schema, inline_hint(inline_name));
    }

    void read_operation(const std::string& path, const std::string& method, const node& item, const node& op, const node& root)
    {
        if (!op.is_mapping())
            fail(op, "an operation must be a mapping");
        operation_model out;
        out.path = path;
        out.method = method;
        out.operation_id = text_of(op.find("operationId"));
        std::string base;
        if (out.operation_id.empty()) {
            base = to_identifier(method + " " + path);
        } else {
            if (auto [it, inserted] = operation_ids_.emplace(out.operation_id, &op); !inserted) {
                const location& first = it->second->where();
                fail(op, "duplicate operationId '" + out.operation_id + "' (first used at " +
                             (first.file ? first.file->display : std::string("?")) + ":" + std::to_string(first.line) + ")");
            }
            base = to_identifier(out.operation_id);
        }
        out.name = operation_names_.claim(base);
        out.summary = text_of(op.find("summary"));
        out.description = text_of(op.find("description"));
        out.deprecated = truthy(op.find("deprecated"));
        if (const node* tags = op.find("tags"); tags && tags->is_sequence())
            for (const node* t : tags->items())
                out.tags.emplace_back(t->text());
        out.tag_header = out.tags.empty() ? "default" : to_identifier(out.tags.front());

        read_parameters(out, item, op);

        if (const node* body = op.find("requestBody")) {
            const node& rb = docs_.resolve(*body);
            picked_media picked = pick_media(rb);
            if (picked.media.empty()) {
                docs_.warn(rb, "request body without content is ignored");
            } else {
                body_model b;
                b.media_type = picked.media;
                b.encoding = encoding_for(picked.media);
                b.required = truthy(rb.find("required"));
                b.doc = text_of(rb.find("description"));
                b.type = content_type(picked, out.name + "_body");
                out.body = std::move(b);
            }
        }

        read_responses(out, op);
        read_security(out, op, root);
        out.request_name = type_names_.claim(out.name + "_request");
        std::string response_name = out.name + "_response";
        const type_ref& rt = out.response_type;
        if (rt.k == type_ref::kind::model && !rt.nullable && out_.models[rt.model].name == response_name)
            out.response_name.clear();
        else
            out.response_name = type_names_.claim(response_name);
        out_.operations.push_back(std::move(out));
    }

    void read_parameters(operation_model& out, const node& item, const node& op)
    {
        std::vector<const node*> params;
        auto add = [&](const node* list) {
            if (!list)
                return;
            if (!list->is_sequence())
                fail(*list, "'parameters' must be a sequence");
            for (const node* p : list->items()) {
                const node& resolved = docs_.resolve(*p);
                if (!resolved.is_mapping())
                    fail(resolved, "a parameter must be a mapping");
                std::string name = text_of(resolved.find("name"));
                std::string in = text_of(resolved.find("in"));
                auto same = std::find_if(params.begin(), params.end(), [&](const node* q) {
                    return text_of(q->find("name")) == name && text_of(q->find("in")) == in;
                });
                if (same != params.end())
                    *same = &resolved; // operation-level parameters override path-level ones
                else
                    params.push_back(&resolved);
            }
        };
        add(item.find("parameters"));
        add(op.find("parameters"));

        name_registry members;
        if (out.body || op.find("requestBody"))
            members.reserve("body");
        const std::array<std::string_view, 4> order{"path", "query", "header", "cookie"};
        for (std::string_view location : order) {
            for (const node* pp : params) {
                const node& p = *pp;
                std::string in = text_of(p.find("in"));
                if (std::find(order.begin(), order.end(), in) == order.end())
                    fail(p, "parameter has invalid 'in': '" + in + "' (expected path, query, header or cookie)");
                if (in != location)
                    continue;
                parameter_model param;
                param.wire_name = text_of(p.find("name"));
                if (param.wire_name.empty())
                    fail(p, "parameter has no 'name'");
                if (in == "header") {
                    std::string lower = param.wire_name;
                    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                    if (lower == "accept" || lower == "content-type" || lower == "authorization")
                        continue; // OpenAPI: such header parameters are ignored
                }
                param.in = static_cast<param_location>(std::find(order.begin(), order.end(), in) - order.begin());
                param.required = truthy(p.find("required"));
                if (in == "path" && !param.required) {
                    docs_.warn(p, "path parameter '" + param.wire_name + "' is not marked required; it is treated as required");
                    param.required = true;
                }
                std::string style = text_of(p.find("style"));
                if (style.empty())
                    style = (in == "query" || in == "cookie") ? "form" : "simple";
                static constexpr std::array<std::string_view, 7> styles{"simple", "label", "matrix", "form", "spaceDelimited", "pipeDelimited", "deepObject"};
                auto style_it = std::find(styles.begin(), styles.end(), style);
                if (style_it == styles.end())
                    fail(p, "parameter '" + param.wire_name + "' has unknown style '" + style + "'");
                param.style = static_cast<param_style_kind>(style_it - styles.begin());
                const node* explode = p.find("explode");
                param.explode = explode ? truthy(explode) : style == "form";
                param.doc = text_of(p.find("description"));
                param.name = members.claim(to_identifier(param.wire_name));
                std::string inline_name = out.name + "_" + param.name;
                if (const node* schema = p.find("schema")) {
                    param.type = schema_type(*schema, inline_hint(inline_name));
                } else {
                    picked_media picked = pick_media(p);
                    if (picked.media.empty())
                        fail(p, "parameter '" + param.wire_name + "' has neither 'schema' nor 'content'");
                    param.type = content_type(picked, inline_name);
                }
                out.parameters.push_back(std::move(param));
            }
        }
        check_path_template(out, op);
    }

    void check_path_template(const operation_model& out, const node& op)
    {
        std::set<std::string> placeholders;
        const std::string& path = out.path;
        for (std::size_t i = 0; i < path.size(); ++i) {
            if (path[i] == '}')
                fail(op, "path '" + path + "' has an unbalanced '}'");
            if (path[i] != '{')
                continue;
            std::size_t close = path.find('}', i);
            if (close == std::string::npos || close == i + 1)
                fail(op, "path '" + path + "' has an unbalanced or empty '{}'");
            placeholders.insert(path.substr(i + 1, close - i - 1));
            i = close;
        }
        for (const std::string& name : placeholders)
            if (std::none_of(out.parameters.begin(), out.parameters.end(), [&](const parameter_model& p) { return p.in == param_location::path && p.wire_name == name; }))
                fail(op, "path '" + path + "' uses '{" + name + "}' but the operation has no path parameter '" + name + "'");
        for (const parameter_model& p : out.parameters)
            if (p.in == param_location::path && !placeholders.count(p.wire_name))
                fail(op, "path parameter '" + p.wire_name + "' does not appear in path '" + path + "'");
    }

    static int parse_status(std::string_view key)
    {
        if (key == "default")
            return 0;
        if (key.size() == 3 && key[0] >= '1' && key[0] <= '5') {
            if ((key[1] == 'X' || key[1] == 'x') && (key[2] == 'X' || key[2] == 'x'))
                return key[0] - '0';
            if (std::isdigit(static_cast<unsigned char>(key[1])) && std::isdigit(static_cast<unsigned char>(key[2])))
                return (key[0] - '0') * 100 + (key[1] - '0') * 10 + (key[2] - '0');
        }
        return -1;
    }

    void read_responses(operation_model& out, const node& op)
    {
        const node* responses = op.find("responses");
        if (!responses || !responses->is_mapping())
            fail(op, "operation '" + out.name + "' has no 'responses'");
        for (const member& m : responses->members()) {
            if (m.key.rfind("x-", 0) == 0)
                continue;
            response_model r;
            r.status = parse_status(m.key);
            if (r.status < 0)
                fail(*m.value, "invalid response key '" + std::string(m.key) + "' (expected a status code, 1XX..5XX or default)");
            const node& resp = docs_.resolve(*m.value);
            picked_media picked = pick_media(resp);
            bool success = (r.status >= 200 && r.status < 300) || r.status == 2;
            std::string inline_name = success ? out.name + "_response" : out.name + "_" + std::string(m.key) + "_response";
            inline_name = to_identifier(inline_name);
            if (picked.media.empty())
                r.type = simple(type_ref::kind::no_content);
            else {
                r.media_type = picked.media;
                r.type = content_type(picked, inline_name);
            }
            if (const node* headers = resp.find("headers"); headers && headers->is_mapping()) {
                for (const member& h : headers->members()) {
                    std::string lower(h.key);
                    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                    if (lower == "content-type")
                        continue;
                    r.headers.emplace_back(h.key);
                }
                if (r.headers.size() > 8) {
                    docs_.warn(*headers, "response declares " + std::to_string(r.headers.size()) + " headers; descriptors list 8, the rest are not described");
                    r.headers.resize(8);
                }
            }
            out.responses.push_back(std::move(r));
        }
        std::vector<type_ref> success;
        for (const response_model& r : out.responses)
            if (((r.status >= 200 && r.status < 300) || r.status == 2) && std::find(success.begin(), success.end(), r.type) == success.end())
                success.push_back(r.type);
        if (success.empty())
            for (const response_model& r : out.responses)
                if (r.status == 0)
                    success.push_back(r.type);
        if (success.empty())
            out.response_type = simple(type_ref::kind::no_content);
        else if (success.size() == 1)
            out.response_type = success.front();
        else {
            out.response_type = simple(type_ref::kind::variant);
            out.response_type.args = std::move(success);
        }
    }

    void read_security(operation_model& out, const node& op, const node& root)
    {
        const node* security = op.find("security");
        if (!security)
            security = root.find("security");
        if (!security)
            return;
        if (!security->is_sequence())
            fail(*security, "'security' must be a sequence");
        for (const node* req : security->items()) {
            if (!req->is_mapping())
                fail(*req, "a security requirement must be a mapping");
            std::vector<std::string> schemes;
            for (const member& m : req->members()) {
                if (!known_schemes_.count(std::string(m.key)))
                    docs_.warn(*req, "security requirement names unknown scheme '" + std::string(m.key) + "'");
                schemes.emplace_back(m.key);
            }
            if (schemes.size() > 4)
                fail(*req, "a security requirement combines " + std::to_string(schemes.size()) + " schemes; at most 4 are supported");
            out.security.push_back(std::move(schemes));
        }
    }

    // ---- recursion: boxes and shared headers ---------------------------------------------------

    static void edges_of(const type_ref& t, bool direct, std::vector<std::pair<std::size_t, bool>>& out)
    {
        if (t.k == type_ref::kind::model)
            out.emplace_back(t.model, direct);
        bool through_container = t.k == type_ref::kind::array || t.k == type_ref::kind::map;
        for (const type_ref& a : t.args)
            edges_of(a, direct && !through_container, out);
    }

    std::vector<std::pair<std::size_t, bool>> edges(const model& m) const
    {
        std::vector<std::pair<std::size_t, bool>> out;
        for (const field_model& f : m.fields)
            edges_of(f.type, true, out);
        if (m.additional_properties)
            edges_of(*m.additional_properties, false, out);
        for (const type_ref& a : m.alternatives)
            edges_of(a, true, out);
        return out;
    }

    static void box_within(type_ref& t, const std::vector<std::size_t>& component, std::size_t scc, bool direct)
    {
        if (t.k == type_ref::kind::model && direct && component[t.model] == scc)
            t.boxed = true;
        bool through_container = t.k == type_ref::kind::array || t.k == type_ref::kind::map;
        for (type_ref& a : t.args)
            box_within(a, component, scc, direct && !through_container);
    }

    void assign_headers_and_boxes()
    {
        // Tarjan's strongly connected components, iteratively (specs can nest deeply).
        const std::size_t n = out_.models.size();
        std::vector<std::vector<std::size_t>> adj(n);
        for (std::size_t i = 0; i < n; ++i)
            for (auto [to, direct] : edges(out_.models[i]))
                adj[i].push_back(to);
        constexpr std::size_t unvisited = static_cast<std::size_t>(-1);
        std::vector<std::size_t> index(n, unvisited), low(n, 0), component(n, unvisited);
        std::vector<bool> on_stack(n, false);
        std::vector<std::size_t> stack;
        std::size_t counter = 0, components = 0;
        for (std::size_t start = 0; start < n; ++start) {
            if (index[start] != unvisited)
                continue;
            std::vector<std::pair<std::size_t, std::size_t>> work{{start, 0}};
            while (!work.empty()) {
                auto& [v, next] = work.back();
                if (next == 0 && index[v] == unvisited) {
                    index[v] = low[v] = counter++;
                    stack.push_back(v);
                    on_stack[v] = true;
                }
                if (next < adj[v].size()) {
                    std::size_t w = adj[v][next++];
                    if (index[w] == unvisited)
                        work.emplace_back(w, 0);
                    else if (on_stack[w])
                        low[v] = std::min(low[v], index[w]);
                    continue;
                }
                if (low[v] == index[v]) {
                    std::size_t w;
                    do {
                        w = stack.back();
                        stack.pop_back();
                        on_stack[w] = false;
                        component[w] = components;
                    } while (w != v);
                    ++components;
                }
                std::size_t finished = v;
                work.pop_back();
                if (!work.empty())
                    low[work.back().first] = std::min(low[work.back().first], low[finished]);
            }
        }
        // Every member of a component lives in the header of its first model; direct containment
        // inside a component is boxed.
        std::vector<std::size_t> leader(components, unvisited);
        for (std::size_t i = 0; i < n; ++i)
            if (leader[component[i]] == unvisited)
                leader[component[i]] = i;
        for (std::size_t i = 0; i < n; ++i) {
            model& m = out_.models[i];
            m.header = out_.models[leader[component[i]]].name;
            for (field_model& f : m.fields)
                box_within(f.type, component, component[i], true);
            for (type_ref& a : m.alternatives)
                box_within(a, component, component[i], true);
            if (m.additional_properties)
                box_within(*m.additional_properties, component, component[i], false);
        }
    }

    document_set& docs_;
    api_model out_;
    name_registry type_names_;
    name_registry operation_names_;
    std::map<std::string, std::pair<std::string, std::string>> reserved_names_; // id -> (C++ name, spec name)
    std::vector<std::pair<std::string, const node*>> component_schemas_;
    std::map<std::string, std::optional<type_ref>> cache_;                       // id -> type (nullopt: in progress)
    std::map<std::string, std::vector<const node*>> children_;                   // base id -> allOf children
    std::map<std::string, const node*> operation_ids_;
    std::set<std::string> known_schemes_;
};

} // namespace detail

api_model build_model(document_set& docs)
{
    return detail::builder(docs).run();
}

} // namespace specbound::gen
