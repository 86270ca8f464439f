#include "emit.hpp"

#include "descriptor_names.hpp"
#include "model_builder.hpp"
#include "naming.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <set>

namespace specbound::gen {

namespace detail {

constexpr std::string_view std_includes =
    "#include <array>\n"
    "#include <cstddef>\n"
    "#include <cstdint>\n"
    "#include <map>\n"
    "#include <optional>\n"
    "#include <string>\n"
    "#include <string_view>\n"
    "#include <tuple>\n"
    "#include <utility>\n"
    "#include <variant>\n"
    "#include <vector>\n";

std::string hex64(std::uint64_t v)
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

std::string qualified(const model& m, const std::string& ns)
{
    return "::" + ns + "::" + m.name;
}

void model_refs(const type_ref& t, std::set<std::size_t>& out)
{
    if (t.k == type_ref::kind::model)
        out.insert(t.model);
    for (const type_ref& a : t.args)
        model_refs(a, out);
}

std::string includes_for(const std::set<std::size_t>& refs, const api_model& api, const std::string& prefix, const std::string& self)
{
    std::set<std::string> headers;
    for (std::size_t i : refs)
        if (api.models[i].header != self)
            headers.insert(api.models[i].header);
    std::string out;
    for (const std::string& h : headers)
        out += "#include \"" + prefix + h + ".hpp\"\n";
    return out;
}

std::string field_decl(const type_ref& t, bool required, const api_model& api, const std::string& ns)
{
    std::string s = spell_type(t, api, ns);
    return required ? s : "std::optional<" + s + ">";
}

std::string status_key(int status)
{
    if (status == 0)
        return "specbound::status_default";
    if (status < 100)
        return "specbound::status_range(" + std::to_string(status) + ")";
    return std::to_string(status);
}

// `[[deprecated("...")]] ` for what the spec deprecates: its description as the message when that
// is one short line, else a plain one.
std::string deprecated_attribute(std::string_view description)
{
    constexpr std::size_t short_line = 100;
    while (!description.empty() && std::isspace(static_cast<unsigned char>(description.back())))
        description.remove_suffix(1);
    const bool fits = !description.empty() && description.size() <= short_line &&
                      description.find_first_of("\r\n") == std::string_view::npos;
    return "[[deprecated(" + cpp_string_literal(fits ? description : "deprecated in the API description") + ")]] ";
}

// GCC and Clang warn wherever a [[deprecated]] member is named, and also in the special members
// they synthesize for its struct (at the struct's line) whenever any code copies, moves or
// default-constructs one. The generated code naming such members, their structs and the field and
// parameter tables, is wrapped in these; user code that names a deprecated member still warns.
constexpr std::string_view allow_deprecated_begin = "#if defined(__GNUC__)\n#pragma GCC diagnostic push\n"
                                                    "#pragma GCC diagnostic ignored \"-Wdeprecated-declarations\"\n#endif\n";
constexpr std::string_view allow_deprecated_end = "#if defined(__GNUC__)\n#pragma GCC diagnostic pop\n#endif\n";

bool has_deprecated_field(const model& m)
{
    return std::any_of(m.fields.begin(), m.fields.end(), [](const field_model& f) { return f.deprecated; });
}

bool has_deprecated_parameter(const operation_model& op)
{
    return std::any_of(op.parameters.begin(), op.parameters.end(), [](const parameter_model& p) { return p.deprecated; });
}

// The shortest text that reads back as the same double (a valid C++ literal: "0.1", "1e+300").
std::string number_literal(double v)
{
    std::array<char, 32> buf{};
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    std::string out = ec == std::errc() ? std::string(buf.data(), end) : std::to_string(v);
    // A double literal whatever the value: 9223372036854775808 alone is an integer too large for any type.
    if (out.find_first_of(".eE") == std::string::npos)
        out += ".0";
    return out;
}

// `static constexpr specbound::constraints <name>{...};`, after those of its elements
// (`<name>_items`), for a member's or parameter's table entry to point to. The names cannot meet
// another's: `<member>_constraints` ends in "_constraints", an element's in "_items".
void emit_constraints(std::string& out, const constraints_model& c, const std::string& name, const std::string& indent)
{
    if (!c.items.empty())
        emit_constraints(out, c.items.front(), name + "_items", indent);
    std::string init;
    auto add = [&](const char* member, const std::string& value) { init += (init.empty() ? "." : ", .") + std::string(member) + " = " + value; };
    if (c.minimum)
        add("minimum", number_literal(*c.minimum));
    if (c.minimum && c.exclusive_minimum)
        add("exclusive_minimum", "true");
    if (c.maximum)
        add("maximum", number_literal(*c.maximum));
    if (c.maximum && c.exclusive_maximum)
        add("exclusive_maximum", "true");
    if (c.multiple_of)
        add("multiple_of", number_literal(*c.multiple_of));
    if (c.min_length)
        add("min_length", std::to_string(*c.min_length));
    if (c.max_length)
        add("max_length", std::to_string(*c.max_length));
    if (c.pattern)
        add("pattern", cpp_string_literal(*c.pattern));
    if (c.min_items)
        add("min_items", std::to_string(*c.min_items));
    if (c.max_items)
        add("max_items", std::to_string(*c.max_items));
    if (c.unique_items)
        add("unique_items", "true");
    if (!c.items.empty())
        add("items", "&" + name + "_items");
    out += indent + "static constexpr specbound::constraints " + name + "{" + init + "};\n";
}

// ", &<member>_constraints" for a table entry whose value is constrained, else nothing.
std::string constraints_argument(const constraints_model& c, const std::string& member)
{
    return c.empty() ? std::string() : ", &" + member + "_constraints";
}

void emit_model_body(std::string& out, const model& m, const api_model& api, const std::string& ns)
{
    std::string doc = m.doc;
    if (m.has_unknown_alternative())
        doc += (doc.empty() ? "" : "\n\n") + std::string("Chosen by its discriminator `") + m.discriminator +
               "`. A value the spec does not map decodes as the last\n"
               "alternative, specbound::unknown_alternative, which keeps the object and encodes it back unchanged.";
    out += doc_comment(doc, "");
    switch (m.k) {
    case model::kind::enumeration: {
        out += "enum class " + m.name + " {\n";
        for (const enum_value& v : m.values)
            out += "    " + v.name + (v.name == v.wire ? ",\n" : ", // " + comment_line(v.wire) + "\n");
        out += "};\n\n";
        break;
    }
    case model::kind::object: {
        if (has_deprecated_field(m))
            out += allow_deprecated_begin;
        out += "struct " + m.name + " {\n";
        for (const field_model& f : m.fields) {
            out += doc_comment(f.doc, "    ");
            out += "    " + (f.deprecated ? deprecated_attribute(f.doc) : std::string()) +
                   field_decl(f.type, f.required, api, ns) + " " + f.name + "{};\n";
        }
        if (m.additional_properties)
            out += "    std::map<std::string, " + spell_type(*m.additional_properties, api, ns) + "> " + m.additional_properties_member + "{};\n";
        out += "    friend bool operator==(const " + m.name + "&, const " + m.name + "&) = default;\n";
        out += "};\n";
        if (has_deprecated_field(m))
            out += allow_deprecated_end;
        out += "\n";
        break;
    }
    case model::kind::union_: {
        out += "struct " + m.name + " : std::variant<";
        for (std::size_t i = 0; i < m.alternatives.size(); ++i)
            out += (i ? ", " : "") + spell_type(m.alternatives[i], api, ns);
        if (m.has_unknown_alternative())
            out += ", specbound::unknown_alternative";
        out += "> {\n    using variant::variant;\n";
        out += "    friend bool operator==(const " + m.name + "&, const " + m.name + "&) = default;\n";
        out += "};\n\n";
        break;
    }
    }
}

void emit_model_traits(std::string& out, const model& m, const std::string& ns)
{
    const std::string q = ns + "::" + m.name;
    switch (m.k) {
    case model::kind::enumeration: {
        out += "template <>\nstruct specbound::json::enum_traits<" + q + "> {\n";
        out += "    static constexpr std::array<std::pair<" + q + ", std::string_view>, " + std::to_string(m.values.size()) + "> values{{\n";
        for (std::size_t i = 0; i < m.values.size(); ++i)
            out += "        {" + q + "::" + m.values[i].name + ", " + cpp_string_literal(m.values[i].wire) + "}" + (i + 1 < m.values.size() ? ",\n" : "}};\n");
        out += "};\n\n";
        break;
    }
    case model::kind::object: {
        if (has_deprecated_field(m))
            out += allow_deprecated_begin;
        out += "template <>\nstruct specbound::json::object_traits<" + q + "> {\n";
        out += "    static constexpr std::string_view name = " + cpp_string_literal(m.schema_name) + ";\n";
        if (m.fields.empty()) {
            out += "    static constexpr specbound::list<> fields{};\n";
        } else {
            // specbound::list, not std::tuple: tuple's constrained constructors made these tables
            // most of a large API's compile time (see list.hpp).
            for (const field_model& f : m.fields)
                if (!f.constraints.empty())
                    emit_constraints(out, f.constraints, f.name + "_constraints", "    ");
            out += "    static constexpr specbound::list fields{\n";
            for (std::size_t i = 0; i < m.fields.size(); ++i) {
                const field_model& f = m.fields[i];
                out += "        specbound::json::field<&" + q + "::" + f.name + ">{" + cpp_string_literal(f.wire_name) + ", " +
                       (f.required ? "true" : "false") + constraints_argument(f.constraints, f.name) + "}" +
                       (i + 1 < m.fields.size() ? ",\n" : "};\n");
            }
        }
        if (m.additional_properties)
            out += "    static constexpr auto additional_properties = &" + q + "::" + m.additional_properties_member + ";\n";
        if (!m.has_checks)
            out += "    static constexpr bool nothing_to_validate = true; // no constraint or enum in what it holds\n";
        out += "};\n";
        if (has_deprecated_field(m))
            out += allow_deprecated_end;
        out += "\n";
        break;
    }
    case model::kind::union_: {
        out += "template <>\nstruct specbound::json::variant_traits<" + q + "> {\n";
        out += "    static constexpr std::string_view name = " + cpp_string_literal(m.schema_name) + ";\n";
        out += "    static constexpr std::string_view discriminator = " + cpp_string_literal(m.discriminator) + ";\n";
        out += "    static constexpr std::array<std::pair<std::string_view, std::size_t>, " + std::to_string(m.mapping.size()) + "> mapping{";
        if (!m.mapping.empty()) {
            out += "{";
            for (std::size_t i = 0; i < m.mapping.size(); ++i)
                out += (i ? ", " : "") + std::string("{") + cpp_string_literal(m.mapping[i].first) + ", " + std::to_string(m.mapping[i].second) + "}";
            out += "}";
        }
        out += "};\n};\n\n";
        break;
    }
    }
}

std::string emit_model_header(const std::vector<std::size_t>& members, const api_model& api, const std::string& ns, const std::string& banner)
{
    const std::string& self = api.models[members.front()].header;
    std::set<std::size_t> refs;
    bool needs_json = false;
    for (std::size_t i : members) {
        const model& m = api.models[i];
        auto visit = [&](const type_ref& t) {
            model_refs(t, refs);
            std::string s = spell_type(t, api, ns);
            needs_json = needs_json || s.find("boost::json") != std::string::npos;
        };
        for (const field_model& f : m.fields)
            visit(f.type);
        if (m.additional_properties)
            visit(*m.additional_properties);
        for (const type_ref& a : m.alternatives)
            visit(a);
    }
    std::string out = banner + "#pragma once\n\n";
    out += "#include <specbound/json/traits.hpp>\n#include <specbound/types.hpp>\n\n";
    if (needs_json)
        out += "#include <boost/json/object.hpp>\n#include <boost/json/value.hpp>\n\n";
    out += std_includes;
    std::string deps = includes_for(refs, api, "", self);
    if (!deps.empty())
        out += "\n" + deps;
    out += "\nnamespace " + ns + " {\n\n";
    if (members.size() > 1) {
        // Mutually recursive models: declared first, they refer to each other through boxed/vector.
        for (std::size_t i : members)
            out += "struct " + api.models[i].name + ";\n";
        out += "\n";
    }
    for (std::size_t i : members)
        emit_model_body(out, api.models[i], api, ns);
    out += "} // namespace " + ns + "\n\n";
    for (std::size_t i : members)
        emit_model_traits(out, api.models[i], ns);
    out.pop_back();
    return out;
}

std::string security_literal(const std::vector<std::vector<std::string>>& security)
{
    std::string out = "    static constexpr std::array<specbound::security_requirement, " + std::to_string(security.size()) + "> security{";
    if (!security.empty()) {
        out += "{";
        for (std::size_t i = 0; i < security.size(); ++i) {
            out += i ? ", " : "";
            if (security[i].empty()) {
                out += "specbound::security_requirement{}";
                continue;
            }
            out += "specbound::security_requirement{{";
            for (std::size_t j = 0; j < security[i].size(); ++j)
                out += (j ? ", " : "") + cpp_string_literal(security[i][j]);
            out += "}}";
        }
        out += "}";
    }
    return out + "};\n";
}

/// `specbound::field_path<&a::b, &c::d>`, or `void` for an empty path when `empty_is_void`.
std::string field_path(const std::vector<field_step>& path, const api_model& api, const std::string& ns, bool empty_is_void)
{
    if (path.empty() && empty_is_void)
        return "void";
    std::string out = "specbound::field_path<";
    for (std::size_t i = 0; i < path.size(); ++i) {
        const model& m = api.models.at(path[i].model);
        out += (i ? ", &" : "&") + qualified(m, ns) + "::" + m.fields.at(path[i].field).name;
    }
    return out + ">";
}

/// Op::pagination, what specbound::pager follows.
std::string pagination_struct(const pagination_model& p, const std::string& request, const api_model& api,
                              const std::string& ns)
{
    std::string out = "    struct pagination {\n";
    out += std::string("        static constexpr specbound::page_style style = specbound::page_style::") +
           enumerator_name(p.style) + ";\n";
    out += "        using items = " + field_path(p.items, api, ns, false) + ";\n";
    out += "        using next = " + field_path(p.next, api, ns, true) + ";\n";
    out += "        using total = " + field_path(p.total, api, ns, true) + ";\n";
    if (p.param.empty())
        out += "        static constexpr std::nullptr_t param = nullptr;\n";
    else
        out += "        static constexpr auto param = &" + request + "::" + p.param + ";\n";
    return out + "    };\n";
}

/// `servers` as constexpr data, cheap to compile: a struct `server_table` of plain arrays (each
/// variable's enum values, each server's variables, and the servers in `list`, which the API's or
/// the descriptor's std::span<const specbound::server> points to). "" for no servers.
std::string server_table(const std::vector<server_model>& servers, const std::string& indent)
{
    if (servers.empty())
        return {};
    const std::string in = indent + "    ";
    std::string out = indent + "struct server_table {\n";
    std::string list = in + "static constexpr std::array<specbound::server, " + std::to_string(servers.size()) + "> list{{\n";
    for (std::size_t i = 0; i < servers.size(); ++i) {
        const server_model& s = servers[i];
        const std::string n = std::to_string(i);
        std::string variables = "{}";
        if (!s.variables.empty()) {
            std::string rows;
            for (std::size_t j = 0; j < s.variables.size(); ++j) {
                const server_variable_model& v = s.variables[j];
                std::string values = "{}";
                if (!v.enum_values.empty()) {
                    values = "enum_" + n + "_" + std::to_string(j);
                    out += in + "static constexpr std::array<std::string_view, " + std::to_string(v.enum_values.size()) + "> " + values + "{";
                    for (std::size_t k = 0; k < v.enum_values.size(); ++k)
                        out += (k ? ", " : "") + cpp_string_literal(v.enum_values[k]);
                    out += "};\n";
                }
                rows += (j ? ",\n" : "") + in + "    {" + cpp_string_literal(v.name) + ", " + cpp_string_literal(v.default_value) + ", " + values + "}";
            }
            variables = "variables_" + n;
            out += in + "static constexpr std::array<specbound::server_variable, " + std::to_string(s.variables.size()) + "> " + variables + "{{\n" + rows + "}};\n";
        }
        list += in + "    {" + cpp_string_literal(s.url) + ", " + cpp_string_literal(s.description) + ", " + variables + "}" + (i + 1 < servers.size() ? ",\n" : "}};\n");
    }
    return out + list + indent + "};\n";
}

void emit_operation(std::string& out, const operation_model& op, const api_model& api, const std::string& ns)
{
    const std::string request = "::" + ns + "::" + op.request_name;
    if (has_deprecated_parameter(op))
        out += allow_deprecated_begin; // up to the descriptor's parameter table
    // Request struct.
    out += "/// Request of `" + op.name + "` (" + std::string(specbound::to_string(op.method)) + " " +
           comment_line(op.path) + ")\n";
    out += "struct " + op.request_name + " {\n";
    for (const parameter_model& p : op.parameters) {
        out += doc_comment(p.doc, "    ");
        out += "    " + (p.deprecated ? deprecated_attribute(p.doc) : std::string()) +
               field_decl(p.type, p.required, api, ns) + " " + p.name + "{}; // " + enumerator_name(p.in) +
               " " + comment_line(p.wire_name) + "\n";
    }
    if (op.body) {
        out += doc_comment(op.body->doc, "    ");
        out += "    " + field_decl(op.body->type, op.body->required, api, ns) + " body{}; // " + comment_line(op.body->media_type) + "\n";
    }
    out += "};\n";
    std::string response = spell_type(op.response_type, api, ns);
    if (!op.response_name.empty()) {
        out += "using " + op.response_name + " = " + response + ";\n";
        response = "::" + ns + "::" + op.response_name;
    }
    out += "\nnamespace ops {\n";
    std::string doc = op.summary;
    if (!op.description.empty())
        doc += (doc.empty() ? "" : "\n\n") + op.description;
    out += doc_comment(doc, "");
    out += "struct " + op.name + " {\n";
    out += "    static constexpr std::string_view operation_id = " + cpp_string_literal(op.operation_id) + ";\n";
    out += "    static constexpr std::string_view name = " + cpp_string_literal(op.name) + ";\n";
    out += "    static constexpr std::string_view summary = " + cpp_string_literal(op.summary) + ";\n";
    out += std::string("    static constexpr specbound::http_method method = specbound::http_method::") +
           enumerator_name(op.method) + ";\n";
    out += "    static constexpr std::string_view path = " + cpp_string_literal(op.path) + ";\n";
    out += "    using request_type = " + request + ";\n";
    out += "    using response_type = " + response + ";\n";
    for (const parameter_model& p : op.parameters)
        if (!p.constraints.empty())
            emit_constraints(out, p.constraints, p.name + "_constraints", "    ");
    if (op.body && !op.body->constraints.empty())
        emit_constraints(out, op.body->constraints, "body_constraints", "    ");
    if (op.parameters.empty()) {
        out += "    static constexpr specbound::list<> parameters{};\n";
    } else {
        out += "    static constexpr specbound::list parameters{\n";
        for (std::size_t i = 0; i < op.parameters.size(); ++i) {
            const parameter_model& p = op.parameters[i];
            out += "        specbound::param<&" + request + "::" + p.name + ">{" + cpp_string_literal(p.wire_name) +
                   ", specbound::param_in::" + enumerator_name(p.in) +
                   ", specbound::param_style::" + enumerator_name(p.style) + ", " + (p.explode ? "true" : "false") +
                   ", " + (p.required ? "true" : "false") + constraints_argument(p.constraints, p.name) + "}" +
                   (i + 1 < op.parameters.size() ? ",\n" : "};\n");
        }
    }
    if (op.body)
        out += "    static constexpr specbound::list body{specbound::request_body<&" + request + "::body>{" +
               cpp_string_literal(op.body->media_type) +
               ", specbound::body_encoding::" + enumerator_name(op.body->encoding) + ", " +
               (op.body->required ? "true" : "false") + constraints_argument(op.body->constraints, "body") + "}};\n";
    else
        out += "    static constexpr specbound::list<> body{};\n";
    if (op.responses.empty()) {
        out += "    static constexpr specbound::list<> responses{};\n";
    } else {
        out += "    static constexpr specbound::list responses{\n";
        for (std::size_t i = 0; i < op.responses.size(); ++i) {
            const response_model& r = op.responses[i];
            out += "        specbound::response<" + status_key(r.status) + ", " + spell_type(r.type, api, ns) +
                   (r.headers.empty() ? std::string() : ", " + std::to_string(r.headers.size())) + ">{";
            if (!r.media_type.empty() || !r.headers.empty()) {
                out += cpp_string_literal(r.media_type);
                if (!r.headers.empty()) {
                    out += ", {";
                    for (std::size_t j = 0; j < r.headers.size(); ++j)
                        out += (j ? ", " : "") + cpp_string_literal(r.headers[j]);
                    out += "}";
                }
            }
            out += std::string("}") + (i + 1 < op.responses.size() ? ",\n" : "};\n");
        }
    }
    out += security_literal(op.security);
    out += "    static constexpr std::array<std::string_view, " + std::to_string(op.tags.size()) + "> tags{";
    for (std::size_t i = 0; i < op.tags.size(); ++i)
        out += (i ? ", " : "") + cpp_string_literal(op.tags[i]);
    out += "};\n";
    out += std::string("    static constexpr bool deprecated = ") + (op.deprecated ? "true" : "false") + ";\n";
    // The operation's own servers (OpenAPI's operation or path item `servers`); empty: the API's.
    out += server_table(op.servers, "    ");
    out += std::string("    static constexpr std::span<const specbound::server> servers{") + (op.servers.empty() ? "" : "server_table::list") + "};\n";
    if (op.pagination)
        out += pagination_struct(*op.pagination, request, api, ns);
    if (op.event_data)
        out += "    using event_data_type = " + spell_type(*op.event_data, api, ns) + "; // each server-sent event's data\n";
    if (op.response_headers)
        out += "    using response_headers = ::" + ns + "::" + api.header_sets.at(*op.response_headers).name +
               "; // the declared response headers, typed: specbound::declared_headers\n";
    out += "};\n} // namespace ops\n";
    if (has_deprecated_parameter(op))
        out += allow_deprecated_end;
    out += "static_assert(specbound::valid_descriptor<ops::" + op.name + ">);\n\n";
}

std::string emit_ops_header(const std::vector<const operation_model*>& ops, const api_model& api, const std::string& ns,
                            const std::string& banner, const std::string& compiled_in)
{
    std::set<std::size_t> refs;
    bool needs_json = false;
    auto visit = [&](const type_ref& t) {
        model_refs(t, refs);
        needs_json = needs_json || spell_type(t, api, ns).find("boost::json") != std::string::npos;
    };
    for (const operation_model* op : ops) {
        for (const parameter_model& p : op->parameters)
            visit(p.type);
        if (op->body)
            visit(op->body->type);
        for (const response_model& r : op->responses)
            visit(r.type);
        visit(op->response_type);
        if (op->event_data)
            visit(*op->event_data);
    }
    std::string out = banner + "#pragma once\n\n";
    out += "#include <specbound/descriptor.hpp>\n";
    if (!compiled_in.empty())
        out += "#include <specbound/detail/operation_codec.hpp>\n";
    out += "#include <specbound/types.hpp>\n\n";
    if (needs_json)
        out += "#include <boost/json/object.hpp>\n#include <boost/json/value.hpp>\n\n";
    // Descriptors also name std::span (their servers), which model headers do not.
    std::string includes(std_includes);
    includes.insert(includes.find("#include <string>\n"), "#include <span>\n");
    out += includes;
    std::string deps = includes_for(refs, api, "../models/", "");
    if (std::any_of(ops.begin(), ops.end(), [](const operation_model* op) { return op->response_headers.has_value(); }))
        deps += "#include \"../response_headers.hpp\"\n";
    if (!deps.empty())
        out += "\n" + deps;
    out += "\nnamespace " + ns + " {\n\n";
    for (const operation_model* op : ops)
        emit_operation(out, *op, api, ns);
    // The header's operations as one type, for code that visits them all.
    out += "namespace operations {\n/// The operations of ops/" + ops.front()->tag_header + ".hpp.\n";
    out += "using " + to_identifier(ops.front()->tag_header) + " = specbound::operation_list<";
    for (std::size_t i = 0; i < ops.size(); ++i)
        out += std::string(i ? ",\n    " : "\n    ") + "ops::" + ops[i]->name;
    out += ">;\n} // namespace operations\n\n";
    out += "} // namespace " + ns + "\n";
    if (!compiled_in.empty()) {
        out += "\n// Compiled once, in " + compiled_in + " (specbound-gen --operation-sources): a TU that calls these\n"
               "// operations compiles none of their request building or response decoding.\n";
        for (const operation_model* op : ops)
            out += "extern template struct specbound::detail::operation_codec<" + ns + "::ops::" + op->name + ">;\n";
    }
    return out;
}

/// Marks in `reached` (by model index) the models an operation compiles code for: those its
/// parameters, body and responses name, and everything those hold.
void mark_models_compiled_for(const operation_model& op, const api_model& api, std::vector<bool>& reached)
{
    std::vector<std::size_t> pending;
    for (const parameter_model& p : op.parameters)
        contained_models(p.type, pending);
    if (op.body)
        contained_models(op.body->type, pending);
    for (const response_model& r : op.responses)
        contained_models(r.type, pending);
    while (!pending.empty()) {
        const std::size_t m = pending.back();
        pending.pop_back();
        if (reached[m])
            continue;
        reached[m] = true;
        for (std::size_t inner : contained_models(api.models[m]))
            pending.push_back(inner);
    }
}

/// The ops headers (by tag_header, each with its operations) spread over `count` sources so that
/// the costliest source costs little: a compiler's memory and time grow with the models a source
/// decodes and encodes (each compiled once per source, however many operations share it) and with
/// its operations. Headers go costliest first, each to the source that costs least once it is
/// added (what the source compiles already is not counted again; ties: the lowest index).
/// Returns the source index by tag_header.
std::map<std::string, std::size_t> assign_operation_sources(const std::map<std::string, std::vector<const operation_model*>>& by_tag,
                                                            const api_model& api, std::size_t count)
{
    // In units of what a field costs. Fitted to GitHub's 32 sources at -O0 -g1 (peak memory
    // ~716 MB + 3.25 MB a model + 0.18 MB a field, r = 0.97): a model costs about 20 fields
    // besides its own; an operation (request building, response variant, descriptor) about 40.
    constexpr std::size_t model_base_cost = 20;
    constexpr std::size_t operation_cost = 40;
    std::vector<std::size_t> model_cost(api.models.size());
    for (std::size_t m = 0; m < api.models.size(); ++m)
        model_cost[m] = model_base_cost + api.models[m].fields.size() + api.models[m].alternatives.size();

    struct header {
        std::string tag;
        std::vector<std::size_t> models; // compiled for its operations, ascending
        std::size_t operations_cost = 0;
        std::size_t cost = 0; // alone in a source
    };
    std::vector<header> headers;
    for (const auto& [tag, ops] : by_tag) {
        std::vector<bool> reached(api.models.size(), false);
        for (const operation_model* op : ops)
            mark_models_compiled_for(*op, api, reached);
        header h{tag, {}, operation_cost * ops.size(), operation_cost * ops.size()};
        for (std::size_t m = 0; m < reached.size(); ++m)
            if (reached[m]) {
                h.models.push_back(m);
                h.cost += model_cost[m];
            }
        headers.push_back(std::move(h));
    }
    std::stable_sort(headers.begin(), headers.end(), [](const header& a, const header& b) { return a.cost > b.cost; });

    std::vector<std::size_t> load(count, 0);
    std::vector<std::vector<bool>> compiled(count, std::vector<bool>(api.models.size(), false));
    std::map<std::string, std::size_t> source_of;
    for (const header& h : headers) {
        std::size_t best = 0, best_load = static_cast<std::size_t>(-1);
        for (std::size_t s = 0; s < count; ++s) {
            std::size_t added = h.operations_cost;
            for (std::size_t m : h.models)
                if (!compiled[s][m])
                    added += model_cost[m];
            if (load[s] + added < best_load) {
                best = s;
                best_load = load[s] + added;
            }
        }
        load[best] = best_load;
        for (std::size_t m : h.models)
            compiled[best][m] = true;
        source_of[h.tag] = best;
    }
    return source_of;
}

std::string operation_source_name(std::size_t index) { return "operations_" + std::to_string(index) + ".cpp"; }

/// One source of --operation-sources: the explicit instantiations of the operations of `headers`
/// (tag_headers, each a key of `by_tag`).
std::string emit_operation_source(const std::vector<std::string>& headers,
                                  const std::map<std::string, std::vector<const operation_model*>>& by_tag,
                                  const std::string& ns, const std::string& banner)
{
    std::string out = banner + "// The request building and response decoding of the operations of these ops headers,\n"
                               "// compiled once (specbound-gen --operation-sources).\n";
    out += "#include <specbound/detail/operation_codec.hpp>\n";
    if (!headers.empty())
        out += "\n";
    for (const std::string& header : headers)
        out += "#include \"ops/" + header + ".hpp\"\n";
    if (!headers.empty())
        out += "\n";
    for (const std::string& header : headers)
        for (const operation_model* op : by_tag.at(header))
            out += "template struct specbound::detail::operation_codec<" + ns + "::ops::" + op->name + ">;\n";
    return out;
}

const char* scheme_kind(const std::string& k)
{
    return k.c_str();
}

/// The typed response headers of every header set, and their header_traits.
std::string emit_response_headers(const api_model& api, const std::string& ns, const std::string& banner)
{
    std::set<std::size_t> refs;
    for (const header_set_model& set : api.header_sets)
        for (const auto& f : set.fields)
            model_refs(f.type, refs);
    std::string out = banner + "#pragma once\n\n#include <specbound/response_headers.hpp>\n#include <specbound/types.hpp>\n\n";
    out += "#include <cstdint>\n#include <optional>\n#include <string>\n";
    if (std::string deps = includes_for(refs, api, "models/", ""); !deps.empty())
        out += "\n" + deps;
    out += "\nnamespace " + ns + " {\n\n";
    for (const header_set_model& set : api.header_sets) {
        out += "/// Declared response headers (specbound::declared_headers reads them); empty when absent.\n";
        out += "struct " + set.name + " {\n";
        for (const auto& f : set.fields)
            out += "    " + field_decl(f.type, false, api, ns) + " " + f.name + "{}; // " + comment_line(f.wire_name) + "\n";
        out += "    friend bool operator==(const " + set.name + "&, const " + set.name + "&) = default;\n};\n\n";
    }
    out += "} // namespace " + ns + "\n";
    for (const header_set_model& set : api.header_sets) {
        const std::string q = ns + "::" + set.name;
        out += "\ntemplate <>\nstruct specbound::header_traits<" + q + "> {\n    static constexpr specbound::list fields{";
        for (std::size_t i = 0; i < set.fields.size(); ++i)
            out += std::string(i ? ",\n        " : "\n        ") + "specbound::header_field<&" + q + "::" + set.fields[i].name +
                   ">{" + cpp_string_literal(set.fields[i].wire_name) + "}";
        out += "};\n};\n";
    }
    return out;
}

std::string emit_api_header(const api_model& api, const std::string& ns, const std::string& banner)
{
    std::string out = banner + "#pragma once\n\n#include <specbound/descriptor.hpp>\n\n#include <array>\n#include <span>\n#include <string_view>\n\n";
    out += "namespace " + ns + " {\n\n";
    out += "inline constexpr std::array<specbound::security_scheme, " + std::to_string(api.security_schemes.size()) + "> security_schemes{";
    if (!api.security_schemes.empty()) {
        out += "{\n";
        for (std::size_t i = 0; i < api.security_schemes.size(); ++i) {
            const security_scheme_model& s = api.security_schemes[i];
            out += "    specbound::security_scheme{" + cpp_string_literal(s.name) + ", specbound::security_scheme_kind::" + scheme_kind(s.kind) +
                   ", " + cpp_string_literal(s.parameter_name) + ", " + cpp_string_literal(s.token_url) + "}" +
                   (i + 1 < api.security_schemes.size() ? ",\n" : "}");
        }
    }
    out += "};\n\n";
    if (!api.servers.empty())
        out += "/// The spec's servers, for client_options::server (specbound::server_choice).\n" + server_table(api.servers, "") + "\n";
    out += "/// " + comment_line(api.title) + " " + comment_line(api.version) + "\n";
    out += "inline constexpr specbound::api_description api{" + cpp_string_literal(ns) + ", " + cpp_string_literal(api.title) + ", " +
           cpp_string_literal(api.version) + ", " + cpp_string_literal(api.default_server) + ", security_schemes, " +
           (api.servers.empty() ? "{}" : "server_table::list") + "};\n\n";
    out += "} // namespace " + ns + "\n";
    return out;
}

/// Whether an operation's success body is binary or text: what `<op>_download` streams.
bool downloadable(const operation_model& op)
{
    if (op.response_type.k == type_ref::kind::bytes)
        return true;
    if (op.response_type.k != type_ref::kind::string)
        return false;
    return std::any_of(op.responses.begin(), op.responses.end(), [](const response_model& r) {
        return ((r.status >= 200 && r.status < 300) || r.status == 2) && !r.media_type.empty() &&
               r.media_type.find("json") == std::string::npos;
    });
}

/// The facade's member names of one operation; empty when the operation has no such member.
struct member_names {
    std::string call, try_call, with_metadata, try_with_metadata;
    std::string download, try_download, upload, try_upload, events, pages, items;
};

bool uploadable(const operation_model& op)
{
    return op.body && (op.body->encoding == body_encoding::binary || op.body->encoding == body_encoding::text ||
                       op.body->encoding == body_encoding::multipart);
}

/// Every operation's member names, claimed in the spec's order in one scope: the whole client
/// and each per-tag client spell an operation's members the same.
std::map<const operation_model*, member_names> claim_member_names(const api_model& api)
{
    name_registry members;
    members.reserve("runtime");
    members.reserve("runtime_");
    members.reserve("client");
    std::map<const operation_model*, member_names> out;
    for (const operation_model& op : api.operations) {
        member_names& n = out[&op];
        n.call = members.claim(op.name);
        n.try_call = members.claim("try_" + op.name);
        n.with_metadata = members.claim(op.name + "_with_metadata");
        n.try_with_metadata = members.claim("try_" + op.name + "_with_metadata");
        if (downloadable(op)) {
            n.download = members.claim(op.name + "_download");
            n.try_download = members.claim("try_" + op.name + "_download");
        }
        if (uploadable(op)) {
            n.upload = members.claim(op.name + "_upload");
            n.try_upload = members.claim("try_" + op.name + "_upload");
        }
        if (op.event_stream)
            n.events = members.claim(op.name + "_events");
        if (op.pagination) {
            n.pages = members.claim(op.name + "_pages");
            n.items = members.claim(op.name + "_items");
        }
    }
    return out;
}

/// The members of one operation in a facade class whose specbound::client is `runtime_`.
std::string emit_client_members(const operation_model& op, const member_names& n)
{
    std::string out;
    std::string doc = op.summary.empty() ? op.name : op.summary;
    // Every member of a deprecated operation, so that any way of calling it warns.
    const std::string attribute = op.deprecated ? deprecated_attribute(op.description) : std::string();
    out += "\n    /// " + comment_line(doc) + " (" + std::string(specbound::to_string(op.method)) + " " + comment_line(op.path) + ")\n";
    out += "    /// Completion signature void(std::exception_ptr, " + (op.response_name.empty() ? op.name + "_response" : op.response_name) + "); throws the typed error.\n";
    // Each form also takes specbound::call_options after the request.
    for (const auto& [member, runtime_call] : {std::pair{n.call, "async_call"}, std::pair{n.try_call, "async_try_call"}}) {
        if (member == n.try_call)
            out += "    /// Completion signature void(specbound::result<...>); never throws.\n";
        const std::string head = "    template <specbound::call_token CompletionToken = specbound::default_completion_token>\n    " + attribute + "auto " +
                                 member + "(const " + op.request_name + "& request, ";
        const std::string call_head = "        return runtime_." + std::string(runtime_call) + "<ops::" + op.name + ">(request, ";
        out += head + "CompletionToken&& token = {})\n    {\n" + call_head + "std::forward<CompletionToken>(token));\n    }\n";
        out += head + "const specbound::call_options& options, CompletionToken&& token = {})\n    {\n" + call_head +
               "options, std::forward<CompletionToken>(token));\n    }\n";
    }
    // The same with the response's status, headers and request id: ([options,] [token]).
    out += "    /// " + n.call + " and " + n.try_call + " completing with specbound::with_metadata<...>.\n";
    for (const auto& [member, runtime_call] : {std::pair{n.with_metadata, "async_call_with_metadata"},
                                               std::pair{n.try_with_metadata, "async_try_call_with_metadata"}})
        out += "    template <class... Args>\n    " + attribute + "auto " + member + "(const " + op.request_name +
               "& request, Args&&... args)\n    {\n        return runtime_." + runtime_call + "<ops::" + op.name +
               ">(request, std::forward<Args>(args)...);\n    }\n";
    if (!n.download.empty()) {
        // A binary or text body streamed into a specbound::body_sink: (sink, [options], [token]).
        out += "    /// The body of " + n.call + " streamed into a specbound::body_sink (a file_sink, a callback_sink), never held\n"
               "    /// in memory; completes with specbound::response_metadata (try_: a result).\n";
        for (const auto& [member, runtime_call] : {std::pair{n.download, "async_download"}, std::pair{n.try_download, "async_try_download"}})
            out += "    template <class... Args>\n    " + attribute + "auto " + member + "(const " + op.request_name +
                   "& request, specbound::body_sink& sink, Args&&... args)\n    {\n        return runtime_." + runtime_call +
                   "<ops::" + op.name + ">(request, sink, std::forward<Args>(args)...);\n    }\n";
    }
    if (!n.upload.empty()) {
        // The body read from a specbound::body_source as it is sent: (source, [options], [token]).
        out += "    /// " + n.call + " with its body read from a specbound::body_source (a file_source, a multipart_source...)\n"
               "    /// as it is sent, never built in memory; the request's body member is not used.\n";
        for (const auto& [member, runtime_call] : {std::pair{n.upload, "async_upload"}, std::pair{n.try_upload, "async_try_upload"}})
            out += "    template <class... Args>\n    " + attribute + "auto " + member + "(const " + op.request_name +
                   "& request, specbound::body_source& source, Args&&... args)\n    {\n        return runtime_." +
                   runtime_call + "<ops::" + op.name + ">(request, source, std::forward<Args>(args)...);\n    }\n";
    }
    if (!n.events.empty()) {
        out += "    /// The server-sent events of " + n.call + " (specbound::event_stream), read as they arrive.\n";
        out += "    template <class... Args>\n    " + attribute + "auto " + n.events + "(const " + op.request_name +
               "& request, Args&&... args)\n    {\n        return specbound::event_stream<ops::" + op.name +
               ">(runtime_, request, std::forward<Args>(args)...);\n    }\n";
    }
    if (!n.pages.empty()) {
        // Pagers: ([call_options], [page_options]); their next() takes the completion token.
        out += "    /// The pages (specbound::pager) and the items (specbound::item_pager) of " + n.call + ", fetched as needed.\n";
        for (const auto& [member, pager] : {std::pair{n.pages, "pager"}, std::pair{n.items, "item_pager"}})
            out += "    template <class... Args>\n    " + attribute + "auto " + member + "(const " + op.request_name +
                   "& request, Args&&... args)\n    {\n        return specbound::" + pager + "<ops::" + op.name +
                   ">(runtime_, request, std::forward<Args>(args)...);\n    }\n";
    }
    return out;
}

/// A facade class's #includes after its own: the runtime, and events and pagination when `ops` use them.
std::string facade_includes(const std::vector<const operation_model*>& ops)
{
    const bool paginated = std::any_of(ops.begin(), ops.end(), [](const operation_model* op) { return op->pagination.has_value(); });
    const bool events = std::any_of(ops.begin(), ops.end(), [](const operation_model* op) { return op->event_stream; });
    return std::string("#include <specbound/client.hpp>\n") + (events ? "#include <specbound/events.hpp>\n" : "") +
           (paginated ? "#include <specbound/pagination.hpp>\n" : "") + "\n#include <utility>\n\n";
}

/// A facade class's constructors and runtime(): `name` spells the class.
std::string facade_constructors(const std::string& name)
{
    std::string out = "    explicit " + name + "(boost::asio::any_io_executor ex, specbound::client_options options = {})\n"
                      "        : runtime_(std::move(ex), api, std::move(options))\n    {\n    }\n\n";
    out += "    /// Credentials, e.g. specbound::bearer_token{\"...\"}.\n";
    out += "    template <class... Credentials>\n"
           "        requires(sizeof...(Credentials) > 0)\n"
           "    explicit " + name + "(boost::asio::any_io_executor ex, Credentials&&... credentials)\n"
           "        : runtime_(std::move(ex), api, specbound::make_options(std::forward<Credentials>(credentials)...))\n    {\n    }\n\n";
    return out;
}

std::string emit_client_header(const api_model& api, const std::map<const operation_model*, member_names>& names,
                               const std::string& ns, const std::string& banner)
{
    std::vector<const operation_model*> all;
    for (const operation_model& op : api.operations)
        all.push_back(&op);
    std::string out = banner + "#pragma once\n\n#include \"api.hpp\"\n\n" + facade_includes(all);
    out += "namespace " + ns + " {\n\n";
    for (const operation_model& op : api.operations)
        out += "struct " + op.request_name + ";\n";
    out += "\nnamespace ops {\n";
    for (const operation_model& op : api.operations)
        out += "struct " + op.name + ";\n";
    out += "} // namespace ops\n\n";
    out += "/// " + comment_line(api.title) + " " + comment_line(api.version) + ": one member per operation.\n";
    out += "/// Include the ops/<tag>.hpp headers of the operations you call; clients/<tag>.hpp has a client of\n";
    out += "/// one header's operations only, cheaper to compile for a program that calls a few.\n";
    out += "/// Members take any Asio completion token: co_await by default, specbound::blocking to block;\n";
    out += "/// and, after the request, specbound::call_options for settings of that call only.\n";
    out += "class client {\npublic:\n" + facade_constructors("client");
    out += "    specbound::client& runtime() noexcept { return runtime_; }\n";
    for (const operation_model& op : api.operations)
        out += emit_client_members(op, names.at(&op));
    out += "\nprivate:\n    specbound::client runtime_;\n};\n\n} // namespace " + ns + "\n";
    return out;
}

/// The class of clients/<tag_header>.hpp: a C++ name of its own, unique among the tags' classes,
/// and neither a keyword nor one of its members' names (a member cannot be named as its class).
std::map<std::string, std::string> claim_tag_client_names(const std::map<std::string, std::vector<const operation_model*>>& by_tag,
                                                          const std::map<const operation_model*, member_names>& names)
{
    // Names the class's body spells unqualified, which a class of that name in ns::clients would hide.
    std::set<std::string> hidden{"api", "ops", "specbound", "boost", "std", "clients", "runtime", "runtime_"};
    for (const auto& [op, n] : names)
        hidden.insert(op->request_name);
    name_registry classes;
    for (const std::string& h : hidden)
        classes.reserve(h);
    std::map<std::string, std::string> out;
    for (const auto& [tag, ops] : by_tag) {
        std::set<std::string> taken;
        for (const operation_model* op : ops) {
            const member_names& n = names.at(op);
            for (const std::string* m : {&n.call, &n.try_call, &n.with_metadata, &n.try_with_metadata, &n.download, &n.try_download,
                                         &n.upload, &n.try_upload, &n.events, &n.pages, &n.items})
                taken.insert(*m);
        }
        std::string base = tag;
        if (is_reserved_word(base) || taken.count(base) != 0 || hidden.count(base) != 0)
            base += "_client";
        out[tag] = classes.claim(base);
    }
    return out;
}

/// clients/<tag_header>.hpp: a client with the members of that ops header's operations only (and
/// that header included), so that a TU calling a few operations declares no others.
std::string emit_tag_client_header(const std::string& tag, const std::string& name, const std::vector<const operation_model*>& ops,
                                   const std::map<const operation_model*, member_names>& names, const api_model& api,
                                   const std::string& ns, const std::string& banner)
{
    std::string out = banner + "#pragma once\n\n#include \"../api.hpp\"\n#include \"../ops/" + tag + ".hpp\"\n\n" + facade_includes(ops);
    out += "namespace " + ns + "::clients {\n\n";
    out += "/// " + comment_line(api.title) + " " + comment_line(api.version) + ": the operations of ops/" + tag +
           ".hpp only, with the\n/// members of " + ns + "::client. Made from a specbound::client (" + ns +
           "::client::runtime()), it shares that\n/// client's connections, credentials and options.\n";
    out += "class " + name + " {\npublic:\n" + facade_constructors(name);
    out += "    explicit " + name + "(specbound::client runtime) noexcept\n        : runtime_(std::move(runtime))\n    {\n    }\n\n";
    out += "    specbound::client& runtime() noexcept { return runtime_; }\n";
    for (const operation_model* op : ops)
        out += emit_client_members(*op, names.at(op));
    out += "\nprivate:\n    specbound::client runtime_;\n};\n\n} // namespace " + ns + "::clients\n";
    return out;
}

} // namespace detail

std::map<std::string, std::vector<const operation_model*>> operations_by_header(const api_model& api)
{
    std::map<std::string, std::vector<const operation_model*>> by_tag;
    for (const operation_model& op : api.operations)
        by_tag[op.tag_header].push_back(&op);
    return by_tag;
}

std::map<std::string, std::string> tag_client_names(const api_model& api)
{
    return detail::claim_tag_client_names(operations_by_header(api), detail::claim_member_names(api));
}

std::string spell_type(const type_ref& t, const api_model& api, const std::string& ns)
{
    std::string s;
    switch (t.k) {
    case type_ref::kind::any: return "boost::json::value"; // holds null itself
    case type_ref::kind::json_object: s = "boost::json::object"; break;
    case type_ref::kind::boolean: s = "bool"; break;
    case type_ref::kind::int32: s = "std::int32_t"; break;
    case type_ref::kind::int64: s = "std::int64_t"; break;
    case type_ref::kind::float32: s = "float"; break;
    case type_ref::kind::float64: s = "double"; break;
    case type_ref::kind::string: s = "std::string"; break;
    case type_ref::kind::date_time: s = "specbound::date_time"; break;
    case type_ref::kind::date: s = "specbound::date"; break;
    case type_ref::kind::uuid: s = "specbound::uuid"; break;
    case type_ref::kind::bytes: s = "specbound::bytes"; break;
    case type_ref::kind::array: s = "std::vector<" + spell_type(t.args.at(0), api, ns) + ">"; break;
    case type_ref::kind::map: s = "std::map<std::string, " + spell_type(t.args.at(0), api, ns) + ">"; break;
    case type_ref::kind::model: {
        const model& m = api.models.at(t.model);
        s = detail::qualified(m, ns);
        if (m.k == model::kind::enumeration)
            s = "specbound::open_enum<" + s + ">";
        if (t.boxed)
            s = "specbound::boxed<" + s + ">";
        break;
    }
    case type_ref::kind::variant: {
        s = "std::variant<";
        for (std::size_t i = 0; i < t.args.size(); ++i)
            s += (i ? ", " : "") + spell_type(t.args[i], api, ns);
        s += ">";
        break;
    }
    case type_ref::kind::no_content: return "specbound::no_content";
    }
    if (t.nullable)
        s = "specbound::nullable<" + s + ">";
    return s;
}

std::string file_banner(const api_model& api)
{
    return std::string(generated_marker) + " from \"" + comment_line(api.title) + "\" version \"" + comment_line(api.version) +
           "\". Do not edit.\n// Spec content hash (FNV-1a 64 of every loaded file): " + detail::hex64(api.content_hash) + "\n";
}

file_map emit_cpp(const api_model& api, const std::string& ns, const emit_options& options)
{
    file_map files;
    const std::string banner = file_banner(api);

    // Models, grouped by header (mutually recursive models share their first member's header).
    std::map<std::string, std::vector<std::size_t>> by_header;
    for (std::size_t i = 0; i < api.models.size(); ++i)
        by_header[api.models[i].header].push_back(i);
    for (const auto& [header, members] : by_header) {
        files[ns + "/models/" + header + ".hpp"] = detail::emit_model_header(members, api, ns, banner);
        for (std::size_t i : members)
            if (file_stem(api.models[i].name) != header)
                files[ns + "/models/" + file_stem(api.models[i].name) + ".hpp"] =
                    banner + "#pragma once\n\n// " + api.models[i].name + " is defined with the models it recursively contains.\n#include \"" + header + ".hpp\"\n";
    }

    const auto by_tag = operations_by_header(api);
    std::map<std::string, std::size_t> source_of;
    if (options.operation_sources > 0)
        source_of = detail::assign_operation_sources(by_tag, api, options.operation_sources);
    for (const auto& [tag, ops] : by_tag) {
        const auto source = source_of.find(tag);
        const std::string compiled_in =
            source == source_of.end() ? std::string() : ns + "/" + detail::operation_source_name(source->second);
        files[ns + "/ops/" + tag + ".hpp"] = detail::emit_ops_header(ops, api, ns, banner, compiled_in);
    }
    if (options.operation_sources > 0) {
        std::vector<std::vector<std::string>> headers_of(options.operation_sources);
        for (const auto& [tag, source] : source_of)
            headers_of[source].push_back(tag);
        for (std::size_t i = 0; i < headers_of.size(); ++i)
            files[ns + "/" + detail::operation_source_name(i)] = detail::emit_operation_source(headers_of[i], by_tag, ns, banner);
    }
    // A group split into parts (model_headers.cpp) keeps its header: it includes the parts.
    std::map<std::string, std::vector<const operation_model*>> by_group;
    for (const operation_model& op : api.operations)
        if (!op.tag_group.empty())
            by_group[op.tag_group].push_back(&op);
    for (const auto& [group, ops] : by_group) {
        std::string out = banner + "#pragma once\n\n// The operations of " + group + ", split by path into these headers: include the one you call.\n";
        std::set<std::string> included;
        for (const operation_model* op : ops)
            if (included.insert(op->tag_header).second)
                out += "#include \"" + op->tag_header + ".hpp\"\n";
        out += "\nnamespace " + ns + " {\nnamespace operations {\n/// Every operation of " + group + ".\n";
        out += "using " + to_identifier(group) + " = specbound::operation_list<";
        for (std::size_t i = 0; i < ops.size(); ++i)
            out += std::string(i ? ",\n    " : "\n    ") + "ops::" + ops[i]->name;
        out += ">;\n} // namespace operations\n} // namespace " + ns + "\n";
        files[ns + "/ops/" + group + ".hpp"] = out;
    }

    files[ns + "/api.hpp"] = detail::emit_api_header(api, ns, banner);
    if (!api.header_sets.empty())
        files[ns + "/response_headers.hpp"] = detail::emit_response_headers(api, ns, banner);
    const auto member_names = detail::claim_member_names(api);
    files[ns + "/client.hpp"] = detail::emit_client_header(api, member_names, ns, banner);
    const auto tag_clients = detail::claim_tag_client_names(by_tag, member_names);
    for (const auto& [tag, ops] : by_tag)
        files[ns + "/clients/" + tag + ".hpp"] = detail::emit_tag_client_header(tag, tag_clients.at(tag), ops, member_names, api, ns, banner);

    // Every operation as one type list (operations.hpp, in the umbrella), and their example answers
    // (examples.hpp, which only the mock server's users include: client code does not pay for them).
    std::string all = banner + "#pragma once\n\n#include <specbound/descriptor.hpp>\n";
    if (!by_tag.empty())
        all += "\n";
    for (const auto& [tag, ops] : by_tag)
        all += "#include \"ops/" + tag + ".hpp\"\n";
    all += "\nnamespace " + ns + " {\n\n/// Every operation of the API, in the spec's order (specbound::testing::mock_server routes them).\n";
    all += "using all_operations = specbound::operation_list<";
    for (std::size_t i = 0; i < api.operations.size(); ++i)
        all += std::string(i ? ",\n    " : "\n    ") + "ops::" + api.operations[i].name;
    all += ">;\n\n} // namespace " + ns + "\n";
    files[ns + "/operations.hpp"] = all;

    std::vector<const operation_model*> with_example;
    for (const operation_model& op : api.operations)
        if (op.example)
            with_example.push_back(&op);
    std::string examples = banner + "#pragma once\n\n#include \"operations.hpp\"\n\n#include <specbound/descriptor.hpp>\n\n#include <array>\n\n";
    examples += "namespace " + ns + " {\n\n";
    examples += "/// Each operation's example answer: its first 2xx response's example, or one made from its schema.\n";
    examples += "/// What specbound::testing::mock_server serves for an operation without a handler.\n";
    examples += "inline constexpr std::array<specbound::response_example, " + std::to_string(with_example.size()) + "> examples{";
    if (!with_example.empty()) {
        examples += "{";
        for (std::size_t i = 0; i < with_example.size(); ++i) {
            const operation_model& op = *with_example[i];
            examples += std::string(i ? ",\n" : "\n") + "    {" + cpp_string_literal(op.name) + ", " + std::to_string(op.example->status) +
                        ", " + cpp_string_literal(op.example->media_type) + ",\n     " + cpp_string_literal(op.example->body) + "}";
        }
        examples += "}";
    }
    examples += "};\n\n} // namespace " + ns + "\n";
    files[ns + "/examples.hpp"] = examples;

    std::string umbrella = banner + "#pragma once\n\n#include \"client.hpp\"\n#include \"operations.hpp\"\n";
    if (!by_tag.empty())
        umbrella += "\n";
    for (const auto& [tag, ops] : by_tag)
        umbrella += "#include \"ops/" + tag + ".hpp\"\n";
    for (const auto& [group, ops] : by_group)
        umbrella += "#include \"ops/" + group + ".hpp\"\n";
    // Models no operation uses (webhook payloads, unreferenced components) are reachable too.
    if (!by_header.empty())
        umbrella += "\n";
    for (const auto& [header, members] : by_header)
        umbrella += "#include \"models/" + header + ".hpp\"\n";
    files[ns + "/" + ns + ".hpp"] = umbrella;
    return files;
}

} // namespace specbound::gen
