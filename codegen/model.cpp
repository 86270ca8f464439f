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
    for (const char* n : {"api", "client", "ops", "operations", "security_schemes"})
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
    assign_headers(out_.models, groups);

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
