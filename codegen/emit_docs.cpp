#include "emit_docs.hpp"

#include "descriptor_names.hpp"
#include "naming.hpp"

#include <algorithm>
#include <map>
#include <vector>

namespace specbound::gen {

namespace detail {

// Text inside a markdown table cell: one line, pipes escaped.
std::string cell(std::string_view text)
{
    std::string out;
    for (char c : text) {
        if (c == '\n' || c == '\r')
            out += ' ';
        else if (c == '|')
            out += "\\|";
        else
            out += c;
    }
    return out;
}

std::string code(std::string_view text)
{
    // Appending (rather than "`" + cell(text)) also keeps GCC 12's -O3 clear of a false -Wrestrict.
    std::string out = "`";
    out += cell(text);
    out += '`';
    return out;
}

// Types as a reader writes them: `petstore::pet`, not the fully qualified `::petstore::pet`.
std::string doc_type(const type_ref& t, const api_model& api, const std::string& ns)
{
    std::string s = spell_type(t, api, ns);
    const std::string qualified = "::" + ns + "::";
    for (std::size_t pos = s.find(qualified); pos != std::string::npos; pos = s.find(qualified, pos))
        s.erase(pos, 2);
    return s;
}

std::string docs_banner(const api_model& api)
{
    return std::string(generated_docs_marker) + " from \"" + cell(api.title) + "\" version \"" + cell(api.version) + "\". Do not edit. -->\n\n";
}

std::string status_text(int status)
{
    if (status == 0)
        return "default";
    if (status < 100)
        return std::to_string(status) + "XX";
    return std::to_string(status);
}

void operation_section(std::string& out, const operation_model& op, const api_model& api, const std::string& ns)
{
    out += "## " + op.name + "\n\n";
    out += code(std::string(specbound::to_string(op.method)) + " " + op.path) +
           (op.deprecated ? " — **deprecated**" : "") + "\n\n";
    if (!op.summary.empty())
        out += op.summary + "\n\n";
    if (!op.description.empty())
        out += op.description + (op.description.back() == '\n' ? "\n" : "\n\n");
    const std::string response = op.response_name.empty() ? op.name + "_response" : op.response_name;
    out += "```cpp\n";
    out += "#include <" + ns + "/ops/" + op.tag_header + ".hpp>\n\n";
    out += ns + "::" + op.request_name + " request{};\n";
    out += ns + "::" + response + " r = co_await api." + op.name + "(request);\n";
    out += "specbound::result<" + ns + "::" + response + "> t = co_await api.try_" + op.name + "(request);\n";
    out += "// descriptor: " + ns + "::ops::" + op.name + "\n";
    out += "```\n\n";
    if (!op.parameters.empty() || op.body) {
        out += "| Member | Type | In | Wire name | Required | Description |\n|---|---|---|---|---|---|\n";
        for (const parameter_model& p : op.parameters)
            out += "| " + code(p.name) + " | " + code(doc_type(p.type, api, ns)) + " | " + enumerator_name(p.in) +
                   " | " + code(p.wire_name) + " | " + (p.required ? "yes" : "no") + " | " +
                   (p.deprecated ? "**deprecated** " : "") + cell(p.doc) + " |\n";
        if (op.body)
            out += "| `body` | " + code(doc_type(op.body->type, api, ns)) + " | body | " + code(op.body->media_type) + " | " +
                   (op.body->required ? "yes" : "no") + " | " + cell(op.body->doc) + " |\n";
        out += "\n";
    }
    if (op.responses.empty()) { // OpenAPI 3.1 may leave `responses` out
        out += "No responses are declared: any 2xx is success without a body, anything else an error.\n\n";
    } else {
        out += "| Status | Body | Media type |\n|---|---|---|\n";
        for (const response_model& r : op.responses)
            out += "| " + status_text(r.status) + " | " + code(doc_type(r.type, api, ns)) + " | " + (r.media_type.empty() ? "" : code(r.media_type)) + " |\n";
        out += "\n";
    }
    if (!op.security.empty()) {
        out += "Security:";
        for (std::size_t i = 0; i < op.security.size(); ++i) {
            std::string all;
            for (const std::string& s : op.security[i])
                all += (all.empty() ? "" : " + ") + s;
            out += (i ? " or " : " ") + (all.empty() ? std::string("none") : code(all));
        }
        out += "\n\n";
    }
}

void model_section(std::string& out, const model& m, const api_model& api, const std::string& ns)
{
    out += "## " + m.name + "\n\n";
    out += "Schema " + code(m.schema_name) + ", header " + code(ns + "/models/" + m.header + ".hpp") + ".\n\n";
    if (!m.doc.empty())
        out += m.doc + (m.doc.back() == '\n' ? "\n" : "\n\n");
    switch (m.k) {
    case model::kind::enumeration:
        out += "| Enumerator | Wire value |\n|---|---|\n";
        for (const enum_value& v : m.values)
            out += "| " + code(v.name) + " | " + code(v.wire) + " |\n";
        break;
    case model::kind::object:
        out += "| Member | Type | Wire name | Required | Description |\n|---|---|---|---|---|\n";
        for (const field_model& f : m.fields)
            out += "| " + code(f.name) + " | " + code(doc_type(f.type, api, ns)) + " | " + code(f.wire_name) + " | " + (f.required ? "yes" : "no") +
                   " | " + (f.deprecated ? "**deprecated** " : "") + cell(f.doc) + " |\n";
        if (m.additional_properties)
            out += "| " + code(m.additional_properties_member) + " | " + code("std::map<std::string, " + doc_type(*m.additional_properties, api, ns) + ">") +
                   " | (other keys) | no | |\n";
        break;
    case model::kind::union_:
        out += "One of" + (m.discriminator.empty() ? std::string(" (chosen by the value's shape)") : " (discriminator " + code(m.discriminator) + ")") + ":\n\n";
        for (std::size_t i = 0; i < m.alternatives.size(); ++i) {
            std::string values;
            for (const auto& [value, index] : m.mapping)
                if (index == i)
                    values += (values.empty() ? " — " : ", ") + code(value);
            out += "- " + code(doc_type(m.alternatives[i], api, ns)) + values + "\n";
        }
        if (m.has_unknown_alternative())
            out += "- " + code("specbound::unknown_alternative") + " — any other value: the object as received, encoded back unchanged\n";
        break;
    }
    out += "\n";
}

} // namespace detail

file_map emit_docs(const api_model& api, const std::string& ns)
{
    file_map files;
    const std::string banner = detail::docs_banner(api);
    const auto by_tag = operations_by_header(api);

    std::string index = banner + "# " + (api.title.empty() ? ns : api.title) + " " + api.version + "\n\n";
    index += "C++ namespace " + detail::code(ns) + "; include " + detail::code("<" + ns + "/client.hpp>") +
             " and the ops header of each tag you call, or only the per-tag client of each (cheaper to compile).\n\n";
    const auto tag_clients = tag_client_names(api);
    if (!api.default_server.empty())
        index += "Default server: " + detail::code(api.default_server) + "\n\n";
    for (const auto& [tag, ops] : by_tag) {
        index += "- [" + tag + "](" + tag + ".md): ";
        for (std::size_t i = 0; i < ops.size(); ++i)
            index += (i ? ", " : "") + detail::code(ops[i]->name);
        index += "\n";
        std::string page = banner + "# " + tag + "\n\nHeader " + detail::code(ns + "/ops/" + tag + ".hpp") + ".\n\n";
        page += "Per-tag client " + detail::code(ns + "::clients::" + tag_clients.at(tag)) + " (" +
                detail::code("#include <" + ns + "/clients/" + tag + ".hpp>") +
                "): the members below and no other operation's; made from an executor and options, or from a " +
                detail::code(ns + "::client") + "'s " + detail::code("runtime()") + " to share it.\n\n";
        for (const operation_model* op : ops)
            detail::operation_section(page, *op, api, ns);
        files[ns + "/" + tag + ".md"] = page;
    }
    index += "- [models](models.md): " + std::to_string(api.models.size()) + " types\n";
    files[ns + "/README.md"] = index;

    std::vector<const model*> sorted;
    for (const model& m : api.models)
        sorted.push_back(&m);
    std::sort(sorted.begin(), sorted.end(), [](const model* a, const model* b) { return a->name < b->name; });
    std::string models = banner + "# Models\n\n";
    for (const model* m : sorted)
        detail::model_section(models, *m, api, ns);
    files[ns + "/models.md"] = models;
    return files;
}

} // namespace specbound::gen
