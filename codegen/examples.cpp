#include "examples.hpp"

#include "descriptor_names.hpp"
#include "lint.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>

namespace specbound::gen {

namespace {

// Recursive schemas stop here; an object that deep gets only what its required members need.
constexpr int max_depth = 12;

// Values and string characters one synthesized example may hold: required properties, minItems
// and minLength multiply along the nesting, so a small schema can ask for an enormous example.
constexpr std::size_t max_example_size = 100'000;

struct example_budget {
    const node& schema; // the one the example is for
    std::size_t left = max_example_size;

    void spend(std::size_t n)
    {
        if (n > left)
            throw spec_error(make_diagnostic(diagnostic::severity::error, schema,
                                             "the example synthesized for this schema would hold more than " +
                                                 std::to_string(max_example_size) +
                                                 " values and string characters (required properties, minItems "
                                                 "and minLength multiply); give it an 'example'"));
        left -= n;
    }
};

boost::json::value synthesize(document_set& docs, const node& schema_in, int depth,
                              example_budget& budget);

/// Literal data (an `example`, `default`, `const`, enum value): $refs inside it are data, not links.
/// A number the JSON grammar allows may still be beyond what a parser reads (`5e5555555555555`:
/// exponent overflow): an error at the literal, not an exception escaping the generator.
boost::json::value literal(const node& n)
{
    boost::json::error_code ec;
    boost::json::value v = boost::json::parse(to_json(n), ec);
    if (ec)
        throw spec_error(make_diagnostic(diagnostic::severity::error, n,
                                         "this literal cannot be used as example data: " + ec.message()));
    return v;
}

/// `schema`'s member `key`, through a $ref (an extension the model builder accepts too). Only a
/// string $ref counts: under `properties`, a `$ref` key holding a schema is a property.
const node* member_of(document_set& docs, const node& schema, std::string_view key)
{
    const node* m = schema.find(key);
    return m && m->is_reference() ? &docs.resolve(*m) : m;
}

/// The first example of an `examples` map of Example Objects (OpenAPI) or array (JSON Schema 2020-12).
const node* first_example(document_set& docs, const node& holder)
{
    const node* examples = holder.find("examples");
    if (!examples)
        return nullptr;
    if (examples->is_sequence())
        return examples->items().empty() ? nullptr : examples->items().front();
    if (examples->is_mapping() && !examples->members().empty()) {
        const node& ex = docs.resolve(*examples->members().front().value);
        if (ex.is_mapping())
            return ex.find("value");
    }
    return nullptr;
}

std::string declared_type(document_set& docs, const node& schema)
{
    const node* t = member_of(docs, schema, "type");
    if (!t)
        return {};
    if (t->is_scalar())
        return std::string(t->text());
    // 3.1 type arrays: the first non-null type.
    for (const node* item : t->items())
        if (item->is_scalar() && item->text() != "null")
            return std::string(item->text());
    return "null";
}

/// A short text that a regular expression matches, built from its usual parts (anchors, literals,
/// escapes such as \d, classes with ranges, groups, alternatives: the first, quantifiers: their
/// least count, at least one) and checked with std::regex; none for anything else.
class pattern_text {
public:
    static std::optional<std::string> of(std::string_view pattern)
    {
        pattern_text p{pattern};
        std::optional<std::string> text = p.sequence();
        if (!text || p.at_ < pattern.size() || text->size() > 1000)
            return std::nullopt;
        try {
            if (!std::regex_search(*text, std::regex(std::string(pattern), std::regex::ECMAScript)))
                return std::nullopt;
        } catch (const std::regex_error&) {
            return std::nullopt;
        }
        return text;
    }

private:
    explicit pattern_text(std::string_view p) : p_(p) {}

    bool done() const { return at_ >= p_.size(); }

    // A sequence of quantified atoms up to ')' or the end; alternatives after '|' are skipped.
    std::optional<std::string> sequence()
    {
        std::string out;
        while (!done() && p_[at_] != ')') {
            if (p_[at_] == '|') {
                if (!skip_alternatives())
                    return std::nullopt;
                break;
            }
            if (p_[at_] == '^' || p_[at_] == '$') {
                ++at_;
                continue;
            }
            std::optional<std::string> a = atom();
            if (!a)
                return std::nullopt;
            std::optional<std::size_t> n = quantifier();
            if (!n)
                return std::nullopt;
            for (std::size_t i = 0; i < *n; ++i)
                out += *a;
        }
        return out;
    }

    bool skip_alternatives() // from '|' to the ')' of the group or the end, nesting counted
    {
        int depth = 0;
        for (; !done(); ++at_) {
            const char c = p_[at_];
            if (c == '\\')
                ++at_;
            else if (c == '(')
                ++depth;
            else if (c == ')' && depth-- == 0)
                return true;
        }
        return true;
    }

    std::optional<std::string> atom()
    {
        const char c = p_[at_++];
        switch (c) {
        case '(': {
            if (p_.substr(at_, 2) == "?:")
                at_ += 2;
            else if (!done() && p_[at_] == '?')
                return std::nullopt; // lookarounds, named groups
            std::optional<std::string> inner = sequence();
            if (!inner || done() || p_[at_] != ')')
                return std::nullopt;
            ++at_;
            return inner;
        }
        case '[': return char_class();
        case '\\': return escape();
        case '.': return std::string("a");
        case '*': case '+': case '?': case '{': case ']': case '}': return std::nullopt;
        default: return std::string(1, c);
        }
    }

    std::optional<std::string> escape()
    {
        if (done())
            return std::nullopt;
        const char c = p_[at_++];
        switch (c) {
        case 'd': return std::string("1");
        case 'w': return std::string("a");
        case 's': return std::string(" ");
        case 'D': case 'W': case 'S': return std::string("-");
        default:
            if (std::isalnum(static_cast<unsigned char>(c)))
                return std::nullopt; // word boundaries, code points, backreferences
            return std::string(1, c);
        }
    }

    std::optional<std::string> char_class() // the first member of [...]; negated classes: none
    {
        if (done() || p_[at_] == '^')
            return std::nullopt;
        std::optional<std::string> first;
        while (!done() && p_[at_] != ']') {
            std::optional<std::string> member;
            if (p_[at_] == '\\') {
                ++at_;
                member = escape();
            } else {
                member = std::string(1, p_[at_++]);
            }
            if (!member)
                return std::nullopt;
            if (!first)
                first = member;
        }
        if (done())
            return std::nullopt;
        ++at_; // ']'
        return first;
    }

    std::optional<std::size_t> quantifier()
    {
        if (done())
            return 1;
        std::size_t n = 1;
        switch (p_[at_]) {
        case '?': case '*': n = 0; ++at_; break;
        case '+': n = 1; ++at_; break;
        case '{': {
            const std::size_t close = p_.find('}', at_);
            if (close == std::string_view::npos)
                return std::nullopt;
            const std::string_view inside = p_.substr(at_ + 1, close - at_ - 1);
            const std::string_view low = inside.substr(0, inside.find(','));
            if (low.empty() || low.size() > 4 || !std::all_of(low.begin(), low.end(), [](char d) { return d >= '0' && d <= '9'; }))
                return std::nullopt;
            n = static_cast<std::size_t>(std::stoi(std::string(low)));
            at_ = close + 1;
            break;
        }
        default: return 1;
        }
        if (!done() && p_[at_] == '?')
            ++at_; // lazy: the same least count
        return n;
    }

    std::string_view p_;
    std::size_t at_ = 0;
};

boost::json::value string_for_format(std::string_view format, const node& schema, example_budget& budget)
{
    if (format == "date-time")
        return "2024-01-02T03:04:05Z";
    if (format == "date")
        return "2024-01-02";
    if (format == "time")
        return "03:04:05Z";
    if (format == "uuid")
        return "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    if (format == "email")
        return "user@example.com";
    if (format == "uri" || format == "url" || format == "iri")
        return "https://example.com/";
    if (format == "hostname")
        return "example.com";
    if (format == "ipv4")
        return "192.0.2.10";
    if (format == "ipv6")
        return "2001:db8::10";
    if (format == "byte" || format == "binary")
        return "c3BlY2JvdW5k"; // base64 of "specbound": specbound::bytes travels as base64 in JSON
    if (const node* pattern = schema.find("pattern"); pattern && pattern->is_scalar())
        if (std::optional<std::string> text = pattern_text::of(pattern->text())) {
            budget.spend(text->size());
            return boost::json::string(*text);
        }
    std::string s = "string";
    if (const node* min = schema.find("minLength"); min && min->as_int()) {
        if (*min->as_int() > 0)
            budget.spend(static_cast<std::size_t>(*min->as_int()));
        while (static_cast<std::int64_t>(s.size()) < *min->as_int())
            s += 'x';
    }
    if (const node* max = schema.find("maxLength"); max && max->as_int() && *max->as_int() >= 0)
        s.resize(std::min<std::size_t>(s.size(), static_cast<std::size_t>(*max->as_int())));
    return boost::json::string(s);
}

boost::json::value number_for(const node& schema, bool integer)
{
    double lo = 1, hi = 1e9;
    bool has_lo = false;
    if (const node* m = schema.find("minimum"); m && m->as_number()) {
        lo = *m->as_number();
        has_lo = true;
    }
    if (const node* m = schema.find("exclusiveMinimum"); m && m->as_number()) {
        lo = *m->as_number() + 1; // 3.1 numeric form
        has_lo = true;
    }
    if (const node* m = schema.find("maximum"); m && m->as_number())
        hi = *m->as_number();
    double v = has_lo ? lo : std::min(1.0, hi);
    if (const node* m = schema.find("multipleOf"); m && m->as_number() && *m->as_number() > 0)
        v = std::ceil(v / *m->as_number()) * *m->as_number();
    if (integer) {
        // Bounds beyond int64 give its nearest end (NaN gives 0): converting them would be undefined.
        v = std::ceil(v);
        if (std::isnan(v))
            return std::int64_t(0);
        if (v >= 0x1p63)
            return std::numeric_limits<std::int64_t>::max();
        if (v < -0x1p63)
            return std::numeric_limits<std::int64_t>::min();
        return static_cast<std::int64_t>(v);
    }
    return v;
}


/// The schema of property `name`, declared by `schema` or by one of its allOf parts.
const node* find_property(document_set& docs, const node& schema_in, std::string_view name, int depth)
{
    const node& schema = docs.resolve(schema_in);
    if (depth > max_depth || !schema.is_mapping())
        return nullptr;
    if (const node* props = member_of(docs, schema, "properties"); props && props->is_mapping())
        if (const node* p = props->find(name))
            return p;
    if (const node* all = member_of(docs, schema, "allOf"); all && all->is_sequence())
        for (const node* part : all->items())
            if (const node* p = find_property(docs, *part, name, depth + 1))
                return p;
    return nullptr;
}

/// Values for the properties `schema` itself lists as required (declared by it or its allOf parts).
boost::json::object required_properties(document_set& docs, const node& schema, int depth,
                                        example_budget& budget)
{
    boost::json::object obj;
    const node* required = member_of(docs, schema, "required");
    if (!required || !required->is_sequence())
        return obj;
    for (const node* name : required->items()) {
        if (!name->is_scalar())
            continue;
        if (const node* p = find_property(docs, schema, name->text(), 0))
            obj[name->text()] = synthesize(docs, *p, depth + 1, budget);
    }
    return obj;
}

/// The discriminator property and the value that selects `alternative` in a discriminated union:
/// the mapping key whose target is that schema, else its x-ms-discriminator-value (AutoRest), else
/// the schema's name (OpenAPI's implicit mapping). As the generated variant_traits decide it.
std::optional<std::pair<std::string, std::string>> discriminator_value(document_set& docs, const node& schema,
                                                                       const node& alternative)
{
    const node* disc = member_of(docs, schema, "discriminator");
    // `discriminator: kind` is Swagger 2.0's form, kept by specs converted from it.
    const node* prop = disc && disc->is_scalar() ? disc : disc ? disc->find("propertyName") : nullptr;
    if (!prop || !prop->is_scalar() || prop->is_null())
        return std::nullopt;
    const node& target = docs.resolve(alternative);
    if (const node* mapping = disc->is_mapping() ? member_of(docs, *disc, "mapping") : nullptr;
        mapping && mapping->is_mapping()) {
        const std::string target_id = docs.canonical_id(target);
        for (const member& m : mapping->members()) {
            if (!m.value->is_scalar())
                continue;
            // Mapping values are $ref strings ("#/components/schemas/Cat", "cat.yml") or schema names.
            const std::string_view ref = m.value->text();
            const std::string_view tail = ref.substr(ref.find_last_of("/#") == std::string_view::npos ? 0 : ref.find_last_of("/#") + 1);
            if (!tail.empty() && target_id.size() >= tail.size() &&
                target_id.compare(target_id.size() - tail.size(), tail.size(), tail) == 0)
                return std::pair{std::string(prop->text()), std::string(m.key)};
        }
    }
    if (const node* wire = target.find("x-ms-discriminator-value"); wire && wire->is_scalar() && !wire->is_null())
        return std::pair{std::string(prop->text()), std::string(wire->text())};
    // Implicit mapping: the name of the schema the alternative refers to.
    if (const node* ref = alternative.find("$ref"); ref && ref->is_scalar()) {
        std::string_view r = ref->text();
        r = r.substr(r.find_last_of('/') == std::string_view::npos ? 0 : r.find_last_of('/') + 1);
        if (auto dot = r.find('.'); dot != std::string_view::npos && r.find('#') == std::string_view::npos)
            r = r.substr(0, dot); // a whole file: its stem
        return std::pair{std::string(prop->text()), std::string(r)};
    }
    return std::nullopt;
}

boost::json::value synthesize(document_set& docs, const node& schema_in, int depth,
                              example_budget& budget)
{
    const node& schema = docs.resolve(schema_in);
    budget.spend(1);
    if (!schema.is_mapping())
        return nullptr; // `true`/`{}`-like schemas: anything goes

    // The spec's own words first.
    // A schema's example is used as a value, but it does not make the request the spec's own
    // text: only a parameter's or media type's example, sent whole, is (example_source).
    if (const node* ex = schema.find("example"))
        return literal(*ex);
    if (const node* ex = first_example(docs, schema))
        return literal(*ex);
    if (const node* c = schema.find("const"))
        return literal(*c);
    if (const node* d = schema.find("default"))
        return literal(*d);
    if (const node* e = member_of(docs, schema, "enum"); e && e->is_sequence() && !e->items().empty())
        return literal(*e->items().front());

    if (depth > max_depth)
        return nullptr;

    if (const node* all = member_of(docs, schema, "allOf"); all && all->is_sequence()) {
        // Merge the parts' objects (and the schema's own required properties beside its allOf);
        // a part that is not an object decides the value alone.
        boost::json::object merged = required_properties(docs, schema, depth, budget);
        for (const node* part : all->items()) {
            boost::json::value v = synthesize(docs, *part, depth + 1, budget);
            if (!v.is_object())
                return v;
            for (auto& kv : v.as_object())
                merged[kv.key()] = std::move(kv.value());
        }
        return merged;
    }
    for (std::string_view key : {"oneOf", "anyOf"}) {
        if (const node* alts = member_of(docs, schema, key); alts && alts->is_sequence() && !alts->items().empty()) {
            boost::json::value v = synthesize(docs, *alts->items().front(), depth + 1, budget);
            // A discriminated union needs the discriminator set to a value that selects this alternative.
            if (v.is_object())
                if (auto value = discriminator_value(docs, schema, *alts->items().front()))
                    v.as_object()[value->first] = boost::json::string(value->second);
            return v;
        }
    }

    const std::string type = declared_type(docs, schema);
    const node* format = schema.find("format");
    const std::string_view fmt = format && format->is_scalar() ? format->text() : std::string_view{};

    if (type == "object" || (type.empty() && schema.find("properties"))) {
        return required_properties(docs, schema, depth, budget);
    }
    if (type == "array") {
        boost::json::array arr;
        std::int64_t count = 1;
        if (const node* m = schema.find("minItems"); m && m->as_int())
            count = std::max<std::int64_t>(1, *m->as_int());
        if (const node* m = schema.find("maxItems"); m && m->as_int())
            count = std::min(count, *m->as_int());
        if (const node* items = schema.find("items"))
            for (std::int64_t i = 0; i < count; ++i)
                arr.push_back(synthesize(docs, *items, depth + 1, budget));
        return arr;
    }
    if (type == "string")
        return string_for_format(fmt, schema, budget);
    if (type == "integer")
        return number_for(schema, true);
    if (type == "number")
        return number_for(schema, false);
    if (type == "boolean")
        return true;
    return nullptr;
}

} // namespace

boost::json::value synthesize_example(document_set& docs, const node& schema, int depth)
{
    example_budget budget{schema};
    return synthesize(docs, schema, depth, budget);
}

std::optional<boost::json::value> media_example(document_set& docs, const node& media_in)
{
    const node& media = docs.resolve(media_in);
    if (!media.is_mapping())
        return std::nullopt;
    if (const node* ex = media.find("example"))
        return literal(*ex);
    if (const node* ex = first_example(docs, media))
        return literal(*ex);
    if (const node* schema = media.find("schema"))
        return synthesize_example(docs, *schema);
    return std::nullopt;
}

namespace {

std::string_view source_name(example_source s)
{
    return s == example_source::spec_example ? "spec_example" : "synthesized";
}

/// The parameter object of `p` on the operation (or its path item), resolved.
const node* find_parameter(document_set& docs, const node& item, const node& op, const parameter_model& p)
{
    for (const node* holder : {&op, &item}) {
        const node* params = holder->find("parameters");
        if (!params)
            continue;
        const node& list = docs.resolve(*params);
        for (const node* raw : list.items()) {
            const node& param = docs.resolve(*raw);
            const node* name = param.find("name");
            const node* in = param.find("in");
            if (name && in && name->text() == p.wire_name && in->text() == enumerator_name(p.in))
                return &param;
        }
    }
    return nullptr;
}

boost::json::object describe_value(boost::json::value v, example_source s)
{
    boost::json::object o;
    o["value"] = std::move(v);
    o["source"] = source_name(s);
    return o;
}

/// Why `value` contradicts `schema` ("" when it does not, or when a dangling $ref inside keeps
/// the check from deciding: that is the generator's error to report, not the example's).
std::string schema_problem(document_set& docs, const node& value, const node& schema)
{
    try {
        return example_problem(docs, value, docs.resolve(schema));
    } catch (const spec_error&) {
        return {};
    }
}

/// The example a mock server serves for a media type: its `example`, else the first of `examples`.
const node* served_example(document_set& docs, const node& media)
{
    if (const node* ex = media.find("example"))
        return ex;
    return first_example(docs, media);
}

/// The responses whose served example contradicts its schema, by status: what a conformance sweep
/// needs to blame an undecodable response on the spec's text ({"<status>": {"media_type",
/// "problems": [{"pointer", "problem"}...]}}, every place, the first problem at each).
boost::json::object contradicting_response_examples(document_set& docs, const node& op_node, const operation_model& op)
{
    boost::json::object out;
    const node* responses_raw = op_node.find("responses");
    if (!responses_raw)
        return out;
    const node& responses = docs.resolve(*responses_raw);
    for (const response_model& r : op.responses) {
        if (r.status < 100 || r.media_type.empty())
            continue; // ranges and default: a mock server serves a status it picks itself
        const node* response_raw = responses.find(std::to_string(r.status));
        if (!response_raw)
            continue;
        const node* content = member_of(docs, docs.resolve(*response_raw), "content");
        const node* media_raw = content ? content->find(r.media_type) : nullptr;
        if (!media_raw)
            continue;
        const node& media = docs.resolve(*media_raw);
        const node* schema = media.find("schema");
        const node* example = served_example(docs, media);
        if (!schema || !example)
            continue;
        std::vector<std::string> problems;
        try {
            problems = example_problems(docs, *example, docs.resolve(*schema));
        } catch (const spec_error&) {
            continue; // a dangling $ref: the generator's error to report
        }
        if (problems.empty())
            continue;
        boost::json::array listed;
        for (const std::string& problem : problems) {
            // "<pointer>: <why>", the root written "/"; as a JSON pointer the root is "".
            const std::size_t colon = problem.find(": ");
            std::string pointer = colon == std::string::npos ? std::string() : problem.substr(0, colon);
            if (pointer == "/")
                pointer.clear();
            listed.push_back(boost::json::object{{"pointer", pointer}, {"problem", problem}});
        }
        boost::json::object entry;
        entry["media_type"] = r.media_type;
        entry["problems"] = std::move(listed);
        out[std::to_string(r.status)] = std::move(entry);
    }
    return out;
}

/// The spec's example for a parameter or media type (`example`, else each of `examples` in
/// order) that its schema accepts. One the schema rejects is the spec's fault, which lint reports
/// (example-mismatch); a request built from it would test the spec, not the client, so it is
/// skipped and the first reason is kept in `rejected`.
const node* usable_example(document_set& docs, const node& holder, const node* schema, std::string& rejected)
{
    std::vector<const node*> candidates;
    if (const node* ex = holder.find("example"))
        candidates.push_back(ex);
    if (const node* examples = holder.find("examples")) {
        if (examples->is_sequence())
            candidates.insert(candidates.end(), examples->items().begin(), examples->items().end());
        else if (examples->is_mapping())
            for (const auto& member : examples->members())
                if (const node& ex = docs.resolve(*member.value); ex.is_mapping())
                    if (const node* value = ex.find("value"))
                        candidates.push_back(value);
    }
    for (const node* candidate : candidates) {
        if (!schema)
            return candidate;
        std::string problem = schema_problem(docs, *candidate, *schema);
        if (problem.empty())
            return candidate;
        if (rejected.empty())
            rejected = std::move(problem);
    }
    return nullptr;
}

/// A value for a parameter. Parameters travel as text, where a oneOf of string and a number
/// accepts a numeric value twice (GitHub's workflow_id: integer or file name): the string
/// alternative's example is then the one that matches exactly one alternative.
boost::json::value parameter_example(document_set& docs, const node& schema_in)
{
    const node& schema = docs.resolve(schema_in);
    for (std::string_view key : {"oneOf", "anyOf"}) {
        const node* alternatives = member_of(docs, schema, key);
        if (!alternatives || !alternatives->is_sequence())
            continue;
        for (const node* alternative : alternatives->items())
            if (declared_type(docs, docs.resolve(*alternative)) == "string") {
                boost::json::value v = synthesize_example(docs, *alternative);
                if (v.is_string() && !v.get_string().empty() &&
                    std::none_of(v.get_string().begin(), v.get_string().end(), [](char c) { return c >= '0' && c <= '9'; }))
                    return v;
                return boost::json::string("name");
            }
    }
    return synthesize_example(docs, schema);
}

} // namespace

boost::json::object example_requests(document_set& docs, const api_model& api)
{
    boost::json::object out;
    const node* paths = docs.root().find("paths");
    for (const operation_model& op : api.operations) {
        const node* item = paths ? paths->find(op.path) : nullptr;
        if (!item)
            continue; // webhooks: nothing to send
        const node& item_node = docs.resolve(*item);
        const node* op_raw = item_node.find(openapi_key(op.method));
        if (!op_raw)
            continue;
        const node& op_node = docs.resolve(*op_raw);

        boost::json::object entry;
        entry["method"] = openapi_key(op.method);
        entry["path"] = op.path;
        boost::json::object params;
        for (const parameter_model& p : op.parameters) {
            const node* param = find_parameter(docs, item_node, op_node, p);
            if (!param)
                continue;
            example_source source = example_source::synthesized;
            boost::json::value v;
            bool have = false;
            std::string rejected;
            const node* schema = param->find("schema");
            if (const node* ex = usable_example(docs, *param, schema, rejected)) {
                v = literal(*ex);
                source = example_source::spec_example;
                have = true;
            } else if (p.required && schema) {
                v = parameter_example(docs, *schema);
                have = true;
            }
            if (!have)
                continue;
            boost::json::object d = describe_value(std::move(v), source);
            if (!rejected.empty())
                d["rejected_spec_example"] = rejected;
            d["in"] = enumerator_name(p.in);
            d["required"] = p.required;
            params[p.wire_name] = std::move(d);
        }
        entry["parameters"] = std::move(params);

        if (op.body) {
            if (const node* rb_raw = op_node.find("requestBody")) {
                const node& rb = docs.resolve(*rb_raw);
                const node* content = member_of(docs, rb, "content");
                const node* media = content ? content->find(op.body->media_type) : nullptr;
                if (media) {
                    const node& m = docs.resolve(*media);
                    example_source source = example_source::synthesized;
                    boost::json::value v;
                    std::string rejected;
                    const node* schema = m.find("schema");
                    if (const node* ex = usable_example(docs, m, schema, rejected)) {
                        v = literal(*ex);
                        source = example_source::spec_example;
                    } else if (schema) {
                        v = synthesize_example(docs, *schema);
                    }
                    boost::json::object b = describe_value(std::move(v), source);
                    if (!rejected.empty())
                        b["rejected_spec_example"] = rejected;
                    b["media_type"] = op.body->media_type;
                    entry["body"] = std::move(b);
                }
            }
        }
        if (boost::json::object contradicting = contradicting_response_examples(docs, op_node, op); !contradicting.empty())
            entry["contradicting_response_examples"] = std::move(contradicting);
        const std::string key = op.operation_id.empty() ? std::string(openapi_key(op.method)) + " " + op.path
                                                        : op.operation_id;
        out[key] = std::move(entry);
    }
    return out;
}

} // namespace specbound::gen
