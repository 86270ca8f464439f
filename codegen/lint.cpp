#include "lint.hpp"

#include "model_builder.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>

namespace specbound::gen {
namespace {

constexpr int max_depth = 64; // schemas nest less; $ref cycles through allOf stop here

std::string escape_pointer_token(std::string_view key)
{
    std::string out;
    for (char c : key)
        out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    return out;
}

std::string shown(const node& v)
{
    if (!v.is_scalar())
        return std::string(detail::json_type_of(v));
    std::string text(v.text().substr(0, 40));
    return std::string(detail::json_type_of(v)) + " '" + text + (v.text().size() > 40 ? "...'" : "'");
}

bool type_accepts(std::string_view type, const node& v)
{
    const std::string t = detail::json_type_of(v);
    if (type == t)
        return true;
    if (type == "number" && t == "integer")
        return true;
    if (type == "integer" && t == "number") {
        const std::optional<double> d = v.as_number();
        return d && std::isfinite(*d) && std::floor(*d) == *d;
    }
    return false;
}

bool same_scalar(const node& a, const node& b)
{
    if (a.is_null() || b.is_null())
        return a.is_null() && b.is_null();
    if (!a.is_scalar() || !b.is_scalar())
        return false;
    if (a.is_string() != b.is_string())
        return false;
    if (!a.is_string()) {
        const auto x = a.as_number(), y = b.as_number();
        if (x && y)
            return *x == *y;
    }
    return a.text() == b.text();
}

class checker {
public:
    explicit checker(document_set& docs) : docs_(docs) {}

    /// Every problem of `v` against `schema` (one per place, the first there), "<pointer>: <why>".
    std::vector<std::string> all_problems(const node& v, const node& schema)
    {
        std::vector<std::string> out;
        collect_ = &out;
        check(v, schema, "", 0);
        collect_ = nullptr;
        return out;
    }

    /// Why `v` (at `path`, relative to the example) does not satisfy `schema`; "" when it does.
    std::string check(const node& v, const node& schema_ref, const std::string& path, int depth)
    {
        if (depth > max_depth)
            return {};
        const node& s = docs_.resolve(schema_ref);
        if (!s.is_mapping())
            return {}; // `true`/`false` schemas and the like: not judged
        // Every problem found goes through here: kept when collecting (all_problems).
        auto at = [&](const std::string& why) {
            std::string problem = (path.empty() ? "/" : path) + ": " + why;
            if (collect_)
                collect_->push_back(problem);
            return problem;
        };

        if (const node* all = s.find("allOf"); all && all->is_sequence())
            for (const node* part : all->items())
                if (std::string why = check(v, *part, path, depth + 1); !why.empty() && !collect_)
                    return why;
        for (const char* key : {"oneOf", "anyOf"}) {
            const node* list = s.find(key);
            if (!list || !list->is_sequence() || list->items().empty())
                continue;
            std::string first;
            bool any = false;
            // An alternative's problems are no problems of the value unless none accepts it.
            std::vector<std::string>* collecting = std::exchange(collect_, nullptr);
            for (const node* alt : list->items()) {
                std::string why = check(v, *alt, path, depth + 1);
                if (why.empty()) {
                    any = true;
                    break;
                }
                if (first.empty())
                    first = std::move(why);
            }
            collect_ = collecting;
            if (!any)
                return at(std::string("no ") + key + " alternative accepts it (the first says " + first + ")");
        }

        // Types: `type` as a string or (3.1) a list; 3.0's `nullable: true` adds null.
        if (const node* type = s.find("type")) {
            std::vector<std::string_view> types;
            if (type->is_scalar())
                types.push_back(type->text());
            else if (type->is_sequence())
                for (const node* t : type->items())
                    if (t->is_scalar())
                        types.push_back(t->text());
            if (detail::truthy(s.find("nullable")))
                types.push_back("null");
            if (!types.empty() && std::none_of(types.begin(), types.end(), [&](std::string_view t) { return type_accepts(t, v); })) {
                std::string expected;
                for (std::string_view t : types)
                    expected += (expected.empty() ? "" : " or ") + std::string(t);
                return at("expected " + expected + ", found " + shown(v));
            }
        }
        if (v.is_null())
            return {}; // null passed the type check (or the schema has no type): nothing more to see
        if (const node* values = s.find("enum"); values && values->is_sequence() && v.is_scalar()) {
            const auto items = values->items();
            if (std::none_of(items.begin(), items.end(), [&](const node* e) { return same_scalar(*e, v); }))
                return at(shown(v) + " is not one of the schema's enum values");
        }
        if (const node* c = s.find("const"); c && c->is_scalar() && v.is_scalar() && !same_scalar(*c, v))
            return at(shown(v) + " is not the schema's const '" + std::string(c->text()) + "'");

        if (v.is_mapping()) {
            if (const node* required = s.find("required"); required && required->is_sequence())
                for (const node* r : required->items())
                    if (r->is_scalar() && !v.find(r->text())) {
                        std::string why = at("required property '" + std::string(r->text()) + "' is missing");
                        if (!collect_)
                            return why;
                        break; // one per object, as a decoder reports it
                    }
            const node* props = s.find("properties");
            if (props && !props->is_mapping())
                props = nullptr;
            const node* additional = s.find("additionalProperties");
            for (const member& m : v.members()) {
                const std::string child = path + "/" + escape_pointer_token(m.key);
                if (const node* p = props ? props->find(m.key) : nullptr) {
                    if (std::string why = check(*m.value, *p, child, depth + 1); !why.empty() && !collect_)
                        return why;
                } else if (additional && additional->is_scalar() && additional->as_bool() == false) {
                    std::string why = at("property '" + std::string(m.key) + "' is not declared, and additionalProperties is false");
                    if (!collect_)
                        return why;
                } else if (additional && additional->is_mapping()) {
                    if (std::string why = check(*m.value, *additional, child, depth + 1); !why.empty() && !collect_)
                        return why;
                }
            }
        }
        if (v.is_sequence()) {
            const std::size_t n = v.items().size();
            if (const node* min = s.find("minItems"); min && min->as_int() && static_cast<std::int64_t>(n) < *min->as_int())
                return at(std::to_string(n) + " items, fewer than minItems " + std::string(min->text()));
            if (const node* max = s.find("maxItems"); max && max->as_int() && static_cast<std::int64_t>(n) > *max->as_int())
                return at(std::to_string(n) + " items, more than maxItems " + std::string(max->text()));
            if (const node* items = s.find("items"); items && items->is_mapping())
                for (std::size_t i = 0; i < n; ++i)
                    if (std::string why = check(*v.items()[i], *items, path + "/" + std::to_string(i), depth + 1);
                        !why.empty() && !collect_)
                        return why;
        }
        if (v.is_string()) {
            const std::int64_t length = utf8_length(v.text());
            if (const node* min = s.find("minLength"); min && min->as_int() && length < *min->as_int())
                return at(shown(v) + " is shorter than minLength " + std::string(min->text()));
            if (const node* max = s.find("maxLength"); max && max->as_int() && length > *max->as_int())
                return at(shown(v) + " is longer than maxLength " + std::string(max->text()));
        } else if (const std::optional<double> x = v.is_scalar() ? v.as_number() : std::nullopt) {
            // A bound: its value and its text as written.
            auto bound = [&](const char* key) -> std::optional<std::pair<double, std::string>> {
                const node* b = s.find(key);
                if (!b || !b->is_scalar() || b->is_string() || !b->as_number())
                    return std::nullopt;
                return std::pair{*b->as_number(), std::string(b->text())};
            };
            // 3.0 writes exclusiveMinimum: true beside minimum; 3.1 gives the bound itself.
            const node* exmin = s.find("exclusiveMinimum");
            const node* exmax = s.find("exclusiveMaximum");
            const bool exmin_flag = exmin && exmin->as_bool().value_or(false);
            const bool exmax_flag = exmax && exmax->as_bool().value_or(false);
            if (auto m = bound("minimum"); m && (exmin_flag ? *x <= m->first : *x < m->first))
                return at(shown(v) + " is below the minimum " + m->second);
            if (auto m = bound("maximum"); m && (exmax_flag ? *x >= m->first : *x > m->first))
                return at(shown(v) + " is above the maximum " + m->second);
            if (auto m = bound("exclusiveMinimum"); m && *x <= m->first)
                return at(shown(v) + " is not above the exclusiveMinimum " + m->second);
            if (auto m = bound("exclusiveMaximum"); m && *x >= m->first)
                return at(shown(v) + " is not below the exclusiveMaximum " + m->second);
        }
        return {};
    }

private:
    std::vector<std::string>* collect_ = nullptr; // all_problems: every problem, not only the first

    static std::int64_t utf8_length(std::string_view s)
    {
        std::int64_t n = 0;
        for (char c : s)
            n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        return n;
    }

    document_set& docs_;
};

bool looks_like_schema(const node& n)
{
    if (const node* t = n.find("type"); t && (t->is_scalar() || t->is_sequence()))
        return true;
    for (const char* key : {"properties", "items", "allOf", "oneOf", "anyOf", "enum"})
        if (n.find(key))
            return true;
    return false;
}

/// Walks every loaded file for examples and checks each against the schema it illustrates: a
/// schema's own `example` (and 3.1 `examples` list); a parameter's, header's or media type's
/// `example` and `examples` against its `schema`.
class example_walker {
public:
    example_walker(document_set& docs, std::vector<diagnostic>& out) : docs_(docs), checker_(docs), out_(out) {}

    void walk(const node& n, std::string_view key_in_parent)
    {
        if (n.is_sequence()) {
            for (const node* item : n.items())
                walk(*item, {});
            return;
        }
        if (!n.is_mapping() || n.is_reference())
            return;
        // The members of `properties` (and of the other maps of names) are names, not keywords.
        const bool map_of_names = key_in_parent == "properties" || key_in_parent == "patternProperties" ||
                                  key_in_parent == "examples" || key_in_parent == "schemas" ||
                                  key_in_parent == "parameters" || key_in_parent == "responses" ||
                                  key_in_parent == "headers" || key_in_parent == "content" ||
                                  key_in_parent == "paths" || key_in_parent == "$defs" || key_in_parent == "definitions";
        if (!map_of_names) {
            if (const node* schema = n.find("schema"); schema && schema->is_mapping()) {
                if (const node* e = n.find("example"))
                    check(*e, *schema);
                if (const node* list = n.find("examples"); list && list->is_mapping())
                    for (const member& m : list->members())
                        if (const node* value = example_value(*m.value))
                            check(*value, *schema);
            } else if (looks_like_schema(n)) {
                if (const node* e = n.find("example"))
                    check(*e, n);
                if (const node* list = n.find("examples"); list && list->is_sequence())
                    for (const node* e : list->items())
                        check(*e, n);
            }
        }
        for (const member& m : n.members()) {
            if (!map_of_names && (m.key == "example" || m.key == "examples" || m.key == "default" || m.key == "const" ||
                                  m.key == "enum"))
                continue; // data, not spec
            walk(*m.value, m.key);
        }
    }

private:
    const node* example_value(const node& example)
    {
        const node& e = docs_.resolve(example);
        return e.is_mapping() ? e.find("value") : nullptr;
    }

    void check(const node& value, const node& schema)
    {
        std::string why;
        try {
            why = checker_.check(value, schema, "", 0);
        } catch (const spec_error&) {
            return; // a dangling $ref inside is the generator's error to report, not this rule's
        }
        if (why.empty())
            return;
        if (!reported_.insert(&value).second)
            return;
        diagnostic d;
        d.level = diagnostic::severity::warning;
        d.where = value.where();
        d.pointer = value.pointer();
        d.message = "example contradicts its schema at " + why;
        d.rule = "example-mismatch";
        out_.push_back(std::move(d));
    }

    document_set& docs_;
    checker checker_;
    std::vector<diagnostic>& out_;
    std::set<const node*> reported_;
};

std::string file_of(const diagnostic& d)
{
    if (!d.where.file)
        return {};
    return d.where.file->display.empty() ? d.where.file->path.generic_string() : d.where.file->display;
}

} // namespace

std::string example_problem(document_set& docs, const node& value, const node& schema)
{
    return checker(docs).check(value, schema, "", 0);
}

std::vector<std::string> example_problems(document_set& docs, const node& value, const node& schema)
{
    return checker(docs).all_problems(value, schema);
}

std::vector<diagnostic> lint(document_set& docs, const api_model& api)
{
    std::vector<diagnostic> out;
    for (diagnostic d : api.warnings) {
        if (d.rule.empty())
            d.rule = "generator-warning";
        out.push_back(std::move(d));
    }
    out.insert(out.end(), api.notes.begin(), api.notes.end());
    example_walker walker(docs, out);
    for (const source_file* f : docs.files())
        walker.walk(docs.load(f->path), {});
    std::stable_sort(out.begin(), out.end(), [](const diagnostic& a, const diagnostic& b) {
        return std::make_tuple(file_of(a), a.where.line, a.where.column, a.rule) <
               std::make_tuple(file_of(b), b.where.line, b.where.column, b.rule);
    });
    return out;
}

std::string format_finding(const diagnostic& d)
{
    return d.format() + " (" + d.rule + ")";
}

std::string findings_json(const std::vector<diagnostic>& findings)
{
    boost::json::array list;
    for (const diagnostic& d : findings) {
        boost::json::object o;
        o["rule"] = d.rule;
        o["severity"] = d.level == diagnostic::severity::error ? "error" : "warning";
        o["file"] = file_of(d);
        o["line"] = d.where.line;
        o["column"] = d.where.column;
        o["pointer"] = d.pointer;
        o["message"] = d.message;
        list.push_back(std::move(o));
    }
    boost::json::object root;
    root["findings"] = std::move(list);
    return boost::json::serialize(root) + "\n";
}

} // namespace specbound::gen
