// build_model: checks the OpenAPI version, reads the document's top level (info, the default
// server, security schemes), then runs the passes in order: schemas, operations, cycles, headers.
#include "model_builder.hpp"

#include <algorithm>
#include <cctype>

namespace specbound::gen {

namespace detail {

api_model builder::run()
{
    const node& root = docs_.root();
    if (!root.is_mapping())
        throw spec_error(make_diagnostic(diagnostic::severity::error, root,
                                         "the document is not an OpenAPI object (expected a mapping)"));
    const node* version = root.find("openapi");
    if (!version) {
        if (root.find("swagger"))
            throw spec_error(make_diagnostic(diagnostic::severity::error, root,
                                             "Swagger 2.0 documents are not supported; convert to OpenAPI 3"));
        throw spec_error(make_diagnostic(diagnostic::severity::error, root, "missing 'openapi' version field"));
    }
    std::string v = text_of(version);
    if (v.rfind("3.0", 0) != 0 && v.rfind("3.1", 0) != 0)
        throw spec_error(make_diagnostic(diagnostic::severity::error, *version,
                                         "unsupported OpenAPI version '" + v + "' (3.0 and 3.1 are supported)"));
    openapi31_ = v.rfind("3.1", 0) == 0;

    // Names the generated namespace already uses.
    for (const char* n : {"api", "client", "clients", "ops", "operations", "security_schemes", "server_table", "all_operations", "examples"})
        type_names_.reserve(n);

    read_info(root);
    read_security_schemes(root);
    read_component_schemas(root);
    read_paths(root);
    read_webhooks(root);
    if (!root.find("paths") && !root.find("webhooks") && !(root.find("components")))
        throw spec_error(
            make_diagnostic(diagnostic::severity::error, root, "the document has no paths, webhooks or components"));

    const recursion_groups groups = find_recursion_groups(out_.models);
    box_recursive_containment(out_.models, groups);
    mark_models_with_checks(out_.models);
    assign_headers(out_.models, groups);
    split_operation_headers(out_.operations);

    out_.warnings = docs_.warnings();
    out_.notes = docs_.notes();
    for (const source_file* f : docs_.files())
        out_.files.push_back(f->path);
    out_.content_hash = docs_.content_hash();
    return std::move(out_);
}

std::string builder::claim(name_registry& registry, const std::string& base, const node& at, std::string_view what)
{
    std::string name = registry.claim(base);
    if (name != base)
        docs_.note(at, "name-collision",
                   std::string(what) + " would be '" + base + "', a name already taken; it is '" + name + "'");
    return name;
}

void builder::read_info(const node& root)
{
    if (const node* info = root.find("info"); info && info->is_mapping()) {
        out_.title = text_of(info->find("title"));
        out_.version = text_of(info->find("version"));
    }
    out_.servers = read_servers(root.find("servers"));
    if (!out_.servers.empty())
        out_.default_server = with_defaults(out_.servers.front());
}

std::string builder::with_defaults(const server_model& server)
{
    // read_servers checked that every {name} of the url is a variable with a default.
    std::string result;
    const std::string& url = server.url;
    for (std::size_t i = 0; i < url.size(); ++i) {
        if (url[i] != '{') {
            result += url[i];
            continue;
        }
        const std::size_t close = url.find('}', i);
        const std::string name = url.substr(i + 1, close - i - 1);
        for (const server_variable_model& v : server.variables)
            if (v.name == name)
                result += v.default_value;
        i = close;
    }
    return result;
}

std::vector<server_model> builder::read_servers(const node* servers)
{
    std::vector<server_model> out;
    if (!servers)
        return out;
    if (!servers->is_sequence())
        fail(*servers, "'servers' must be a list, found " + described(*servers));
    for (const node* entry : servers->items()) {
        const node& s = docs_.resolve(*entry);
        const node* url = s.is_mapping() ? s.find("url") : nullptr;
        if (!url || !url->is_string())
            fail(url ? *url : s, "a server needs a 'url' string");
        server_model m;
        m.url = text_of(url);
        m.description = text_of(s.find("description"));
        const node* vars = s.find("variables");
        if (vars && !vars->is_mapping())
            fail(*vars, "server 'variables' must be a mapping, found " + described(*vars));
        if (vars) {
            for (const member& v : vars->members()) {
                const node& var = docs_.resolve(*v.value);
                const node* def = var.is_mapping() ? var.find("default") : nullptr;
                // OpenAPI requires the default: the URL a client uses when told nothing.
                if (!def || !def->is_scalar())
                    fail(var, "server variable '" + std::string(v.key) + "' has no default");
                server_variable_model sv;
                sv.name = std::string(v.key);
                sv.default_value = text_of(def);
                if (const node* values = var.find("enum")) {
                    if (!values->is_sequence())
                        fail(*values, "server variable '" + sv.name + "': 'enum' must be a list, found " +
                                          described(*values));
                    for (const node* e : values->items())
                        sv.enum_values.push_back(text_of(e));
                    if (std::find(sv.enum_values.begin(), sv.enum_values.end(), sv.default_value) ==
                        sv.enum_values.end())
                        docs_.warn(*def, "server variable '" + sv.name + "': the default '" + sv.default_value +
                                             "' is not one of its enum values");
                }
                m.variables.push_back(std::move(sv));
            }
        }
        for (std::size_t i = m.url.find('{'); i != std::string::npos; i = m.url.find('{', i + 1)) {
            const std::size_t close = m.url.find('}', i);
            if (close == std::string::npos || m.url.find('{', i + 1) < close)
                fail(*url, "unbalanced '{' in server url '" + m.url + "'");
            const std::string name = m.url.substr(i + 1, close - i - 1);
            if (std::none_of(m.variables.begin(), m.variables.end(),
                             [&](const server_variable_model& v) { return v.name == name; }))
                fail(*url, "server url '" + m.url + "' uses {" + name + "}, which is not among its variables");
        }
        out.push_back(std::move(m));
    }
    return out;
}

void builder::read_security_schemes(const node& root)
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
            std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (scheme == "bearer")
                out.kind = "http_bearer";
            else if (scheme == "basic")
                out.kind = "http_basic";
            else {
                docs_.warn(s, "http security scheme '" + scheme + "' is not supported; scheme '" + out.name +
                                  "' is left out");
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

} // namespace detail

api_model build_model(document_set& docs)
{
    return detail::builder(docs).run();
}

} // namespace specbound::gen
