// Operations pass: each operation under paths becomes an operation_model, the descriptor the
// emitter writes: its name, parameters, request body, responses, response type and security.
// Webhooks are requests the API sends: only the models of their payloads are built.
#include "model_builder.hpp"

#include "descriptor_names.hpp"
#include "examples.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <span>
#include <string_view>

namespace specbound::gen::detail {

struct picked_media {
    std::string media;
    const node* schema = nullptr;
};

namespace {

int media_rank(std::string_view media)
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

body_encoding encoding_for(std::string_view media)
{
    int rank = media_rank(media);
    if (rank <= 1)
        return body_encoding::json;
    if (rank == 2)
        return body_encoding::form_urlencoded;
    if (rank == 3)
        return body_encoding::multipart;
    if (media.rfind("text/", 0) == 0)
        return body_encoding::text;
    return body_encoding::binary;
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
        if (std::none_of(out.parameters.begin(), out.parameters.end(),
                         [&](const parameter_model& p) { return p.in == param_in::path && p.wire_name == name; }))
            fail(op,
                 "path '" + path + "' uses '{" + name + "}' but the operation has no path parameter '" + name + "'");
    for (const parameter_model& p : out.parameters)
        if (p.in == param_in::path && !placeholders.count(p.wire_name))
            fail(op, "path parameter '" + p.wire_name + "' does not appear in path '" + path + "'");
}

int parse_status(std::string_view key)
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

} // namespace

void builder::read_paths(const node& root)
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
            const std::optional<http_method> method = method_for_key(m.key);
            if (!method)
                continue;
            const node* op = m.value;
            if (op->is_mapping() && op->find("$ref")) {
                docs_.warn(*op, "operation object is a $ref (not allowed by OpenAPI, accepted)");
                op = &docs_.resolve(*op);
            }
            read_operation(std::string(p.key), *method, item, *op, root);
        }
    }
}

void builder::read_webhooks(const node& root)
{
    const node* hooks = root.find("webhooks");
    if (!hooks || !hooks->is_mapping())
        return;
    // Webhooks are requests the API sends: only their payload models are generated.
    for (const member& h : hooks->members()) {
        const node& item = docs_.resolve(*h.value);
        for (const member& m : item.members()) {
            if (!method_for_key(m.key))
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

type_ref builder::content_type(const picked_media& picked, const std::string& inline_name)
{
    switch (encoding_for(picked.media)) {
    case body_encoding::text: return simple(type_ref::kind::string);
    case body_encoding::binary: return simple(type_ref::kind::bytes);
    default: break;
    }
    if (!picked.schema)
        return type_ref{};
    return schema_type(*picked.schema, inline_hint(inline_name));
}

void builder::read_operation(const std::string& path, http_method method, const node& item, const node& op,
                             const node& root)
{
    if (!op.is_mapping())
        fail(op, "an operation must be a mapping");
    operation_model out;
    out.path = path;
    out.method = method;
    out.operation_id = text_of(op.find("operationId"));
    if (!out.operation_id.empty()) {
        if (auto [it, inserted] = operation_ids_.emplace(out.operation_id, &op); !inserted) {
            const location& first = it->second->where();
            fail(op, "duplicate operationId '" + out.operation_id + "' (first used at " +
                         (first.file ? first.file->display : std::string("?")) + ":" + std::to_string(first.line) +
                         ")");
        }
    }
    // Without an operationId, or with one that makes no readable name (is_opaque_name), the
    // operation is named after its method and path: GET /airports/{id} -> get_airports_id.
    const bool opaque = !out.operation_id.empty() && is_opaque_name(out.operation_id);
    const std::string what = "operation " + std::string(specbound::to_string(method)) + " " + path;
    out.name = claim(operation_names_,
                     out.operation_id.empty() || opaque ? to_identifier(std::string(openapi_key(method)) + " " + path)
                                                        : to_identifier(out.operation_id),
                     op, what);
    if (opaque)
        docs_.warn(*op.find("operationId"),
                   what + ": operationId '" + out.operation_id + "' makes no readable C++ name; it is named '" +
                       out.name + "' after its method and path",
                   "unreadable-operation-id");
    if (out.operation_id.empty())
        docs_.note(op, "missing-operation-id",
                   what + " has no operationId; it is named '" + out.name +
                       "' after its method and path, a name that changes when the path does");
    out.summary = text_of(op.find("summary"));
    out.description = text_of(op.find("description"));
    out.deprecated = truthy(op.find("deprecated"));
    if (const node* tags = op.find("tags"); tags && tags->is_sequence())
        for (const node* t : tags->items())
            out.tags.emplace_back(t->text());
    out.tag_header = out.tags.empty() ? "default" : file_stem(to_identifier(out.tags.front()));

    read_parameters(out, item, op);
    // An operation's servers replace its path item's, which replace the API's.
    const node* servers = op.find("servers");
    out.servers = read_servers(servers ? servers : item.find("servers"));

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
            if (picked.schema)
                b.constraints = constraints_of({picked.schema}, b.type);
            out.body = std::move(b);
        }
    }

    read_responses(out, op);
    read_response_headers(out);
    read_security(out, op, root);
    read_pagination(out, op);
    out.request_name = claim(type_names_, out.name + "_request", op, "the request struct");
    std::string response_name = out.name + "_response";
    const type_ref& rt = out.response_type;
    if (rt.k == type_ref::kind::model && !rt.nullable && out_.models[rt.model].name == response_name)
        out.response_name.clear();
    else
        out.response_name = claim(type_names_, response_name, op, "the response alias");
    out_.operations.push_back(std::move(out));
}

void builder::read_parameters(operation_model& out, const node& item, const node& op)
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
    for (param_in location : param_locations) {
        for (const node* pp : params) {
            const node& p = *pp;
            const std::string in = text_of(p.find("in"));
            const std::optional<param_in> in_location = location_for(in);
            if (!in_location)
                fail(p, "parameter has invalid 'in': '" + in + "' (expected path, query, header or cookie)");
            if (*in_location != location)
                continue;
            parameter_model param;
            const node* name = p.find("name");
            if (!name)
                fail(p, "parameter has no 'name'");
            if (!name->is_scalar())
                fail(*name, "parameter 'name' must be a string, found " + described(*name));
            param.wire_name = text_of(name);
            if (param.wire_name.empty())
                fail(*name, "parameter 'name' is empty");
            if (location == param_in::header) {
                std::string lower = param.wire_name;
                std::transform(lower.begin(), lower.end(), lower.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                if (lower == "accept" || lower == "content-type" || lower == "authorization")
                    continue; // OpenAPI: such header parameters are ignored
            }
            param.in = location;
            param.required = truthy(p.find("required"));
            if (location == param_in::path && !param.required) {
                docs_.warn(p, "path parameter '" + param.wire_name +
                                  "' is not marked required; it is treated as required");
                param.required = true;
            }
            std::string style = text_of(p.find("style"));
            if (style.empty())
                style = (location == param_in::query || location == param_in::cookie) ? "form" : "simple";
            const std::optional<param_style> known_style = style_for(style);
            if (!known_style)
                fail(p, "parameter '" + param.wire_name + "' has unknown style '" + style + "'");
            param.style = *known_style;
            const node* explode = p.find("explode");
            param.explode = explode ? truthy(explode) : param.style == param_style::form;
            param.doc = text_of(p.find("description"));
            param.deprecated = truthy(p.find("deprecated"));
            param.name = claim(members, to_identifier(param.wire_name), p, "parameter '" + param.wire_name + "'");
            std::string inline_name = out.name + "_" + param.name;
            if (const node* schema = p.find("schema")) {
                param.type = schema_type(*schema, inline_hint(inline_name));
                param.constraints = constraints_of({schema}, param.type);
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

void builder::read_responses(operation_model& out, const node& op)
{
    const node* responses = op.find("responses");
    // OpenAPI 3.1 made `responses` optional. Without it nothing is declared: as for any undeclared
    // status, the runtime takes a 2xx as success without a body and anything else as an error.
    if (!responses && !openapi31_)
        fail(op, "operation '" + out.name + "' has no 'responses' (required in OpenAPI 3.0; 3.1 may leave it out)");
    if (responses && !responses->is_mapping())
        fail(*responses, "'responses' must be a mapping of status codes to responses");
    bool seen_success = false;
    for (const member& m : responses ? responses->members() : std::span<const member>()) {
        if (m.key.rfind("x-", 0) == 0)
            continue;
        response_model r;
        r.status = parse_status(m.key);
        if (r.status < 0)
            fail(*m.value,
                 "invalid response key '" + std::string(m.key) + "' (expected a status code, 1XX..5XX or default)");
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
        if (success && picked.media == "text/event-stream") {
            // Server-sent events: the schema, unless it is plain text, is what each event's data holds
            // (OpenAPI 3.2 names it itemSchema; earlier specs put it in schema).
            out.event_stream = true;
            const node* media = resp.find("content");
            const node* entry = media ? media->find("text/event-stream") : nullptr;
            const node* item = entry && entry->is_mapping() ? entry->find("itemSchema") : nullptr;
            if (!item)
                item = picked.schema;
            if (item) {
                type_ref t = schema_type(*item, inline_hint(to_identifier(out.name + "_event")));
                if (t.k != type_ref::kind::string)
                    out.event_data = t;
            }
        }
        if (const node* headers = resp.find("headers"); headers && headers->is_mapping()) {
            for (const member& h : headers->members()) {
                std::string lower(h.key);
                std::transform(lower.begin(), lower.end(), lower.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                if (lower == "content-type")
                    continue;
                r.headers.emplace_back(h.key);
                r.header_types.push_back(header_type(out, h));
            }
        }
        if (success && !seen_success) {
            seen_success = true;
            out.example = response_example(resp, r);
        }
        out.responses.push_back(std::move(r));
    }
    std::vector<type_ref> success;
    for (const response_model& r : out.responses)
        if (((r.status >= 200 && r.status < 300) || r.status == 2) &&
            std::find(success.begin(), success.end(), r.type) == success.end())
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

std::optional<response_example_model> builder::response_example(const node& resp, const response_model& r)
{
    // JSON and text bodies only: a binary example has no faithful spelling in a spec.
    const body_encoding encoding = encoding_for(r.media_type);
    if (r.media_type.empty() || (encoding != body_encoding::json && encoding != body_encoding::text))
        return std::nullopt;
    const node* content = resp.find("content");
    const node* media = content && content->is_mapping() ? content->find(r.media_type) : nullptr;
    if (!media)
        return std::nullopt;
    std::optional<boost::json::value> v;
    try {
        v = media_example(docs_, *media);
    } catch (const spec_error&) {
        return std::nullopt; // an example too large or unreadable: the mock server says it has none
    }
    if (!v)
        return std::nullopt;
    response_example_model out;
    out.status = r.status >= 200 ? r.status : 200; // 2XX: 200
    out.media_type = r.media_type;
    out.body = encoding == body_encoding::text && v->is_string() ? std::string(v->get_string())
                                                                  : boost::json::serialize(*v);
    return out;
}

type_ref builder::header_type(const operation_model& op, const member& header)
{
    // A header is text on the wire: scalars (and their enums) parse from it, anything else stays text.
    const node& h = docs_.resolve(*header.value);
    const node* schema = h.is_mapping() ? h.find("schema") : nullptr;
    if (!schema)
        return simple(type_ref::kind::string);
    type_ref t = schema_type(*schema, inline_hint(to_identifier(op.name + "_" + std::string(header.key) + "_header")));
    switch (t.k) {
    case type_ref::kind::boolean:
    case type_ref::kind::int32:
    case type_ref::kind::int64:
    case type_ref::kind::float32:
    case type_ref::kind::float64:
    case type_ref::kind::string:
    case type_ref::kind::date_time:
    case type_ref::kind::date:
    case type_ref::kind::uuid: break;
    case type_ref::kind::model:
        if (out_.models[t.model].k == model::kind::enumeration)
            break;
        return simple(type_ref::kind::string);
    default: return simple(type_ref::kind::string);
    }
    t.nullable = false;
    t.boxed = false;
    return t;
}

void builder::read_response_headers(operation_model& out)
{
    // The success responses' headers, each name once (case-insensitive); one name declared with two
    // types is text.
    std::vector<header_set_model::field> fields;
    for (const response_model& r : out.responses) {
        if (!((r.status >= 200 && r.status < 300) || r.status == 2))
            continue;
        for (std::size_t i = 0; i < r.headers.size(); ++i) {
            auto same = std::find_if(fields.begin(), fields.end(), [&](const header_set_model::field& f) {
                return f.wire_name.size() == r.headers[i].size() &&
                       std::equal(f.wire_name.begin(), f.wire_name.end(), r.headers[i].begin(), [](char a, char b) {
                           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
                       });
            });
            if (same == fields.end())
                fields.push_back({{}, r.headers[i], r.header_types[i]});
            else if (!(same->type == r.header_types[i]))
                same->type = simple(type_ref::kind::string);
        }
    }
    if (fields.empty())
        return;
    std::sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.wire_name < b.wire_name; });
    // Operations that declare the same headers share one struct, named after the first of them.
    std::string key;
    for (const auto& f : fields)
        key += f.wire_name + '\n' + std::to_string(static_cast<int>(f.type.k)) + ':' + std::to_string(f.type.model) + '\n';
    if (auto it = header_sets_.find(key); it != header_sets_.end()) {
        out.response_headers = it->second;
        return;
    }
    name_registry members;
    for (auto& f : fields)
        f.name = members.claim(to_identifier(f.wire_name));
    header_set_model set;
    set.name = type_names_.claim(out.name + "_response_headers");
    set.fields = std::move(fields);
    out.response_headers = out_.header_sets.size();
    header_sets_.emplace(std::move(key), out_.header_sets.size());
    out_.header_sets.push_back(std::move(set));
}

void builder::read_security(operation_model& out, const node& op, const node& root)
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
            fail(*req, "a security requirement combines " + std::to_string(schemes.size()) +
                           " schemes; at most 4 are supported");
        out.security.push_back(std::move(schemes));
    }
}

} // namespace specbound::gen::detail
