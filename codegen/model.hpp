// The generator's intermediate representation: every model and operation of a spec, with names
// and types resolved. Built from a document_set, read by the emitters. HTTP methods, parameter
// locations and styles, and body encodings are the runtime's descriptor enums.
#pragma once

#include "document.hpp"

#include <specbound/descriptor.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace specbound::gen {

/// A C++ type, as the generated code spells it.
struct type_ref {
    enum class kind : std::uint8_t {
        any,         // boost::json::value
        json_object, // boost::json::object
        boolean,
        int32,
        int64,
        float32,
        float64,
        string,
        date_time,
        date,
        uuid,
        bytes,
        array,       // std::vector<args[0]>
        map,         // std::map<std::string, args[0]>
        model,       // models[model]
        variant,     // std::variant<args...> (only for operation responses)
        no_content,
    };
    kind k = kind::any;
    std::size_t model = 0;
    std::vector<type_ref> args;
    bool nullable = false; // specbound::nullable<T>
    bool boxed = false;    // specbound::boxed<T>: set for recursive containment

    friend bool operator==(const type_ref&, const type_ref&) = default;
};

/// What a schema requires of a value beyond its type (minLength, pattern, minimum, ...), as the
/// runtime's specbound::constraints checks it when validation is on. Only the keywords that apply
/// to the value's C++ type are kept (numbers for numbers, lengths and pattern for strings, counts
/// for arrays), so a value without any costs nothing in the generated code.
struct constraints_model {
    std::optional<double> minimum;
    bool exclusive_minimum = false; // 3.0's `exclusiveMinimum: true`, or 3.1's numeric form as the stricter bound
    std::optional<double> maximum;
    bool exclusive_maximum = false;
    std::optional<double> multiple_of;
    std::optional<std::uint64_t> min_length;
    std::optional<std::uint64_t> max_length;
    std::optional<std::string> pattern; // ECMA-262; left out (with a warning) when std::regex rejects it
    std::optional<std::uint64_t> min_items;
    std::optional<std::uint64_t> max_items;
    bool unique_items = false;
    std::vector<constraints_model> items; // none or one: the elements' (array items, map values)

    [[nodiscard]] bool empty() const noexcept
    {
        return !minimum && !maximum && !multiple_of && !min_length && !max_length && !pattern && !min_items &&
               !max_items && !unique_items && items.empty();
    }
    friend bool operator==(const constraints_model&, const constraints_model&) = default;
};

struct field_model {
    std::string name;      // C++ member name
    std::string wire_name; // JSON key
    type_ref type;
    bool required = false;
    bool deprecated = false; // `deprecated: true`: a [[deprecated]] member
    constraints_model constraints;
    std::string doc;
};

struct enum_value {
    std::string name; // enumerator
    std::string wire;
};

struct model {
    enum class kind : std::uint8_t { object, enumeration, union_ };
    kind k = kind::object;
    std::string name;        // C++ type name
    std::string schema_name; // name in the spec (components key, file stem) or the C++ name for inline schemas
    std::string doc;
    std::string id;          // canonical id of the schema node, for messages

    // object
    std::vector<field_model> fields;
    std::optional<type_ref> additional_properties;
    std::string additional_properties_member;

    // enumeration
    std::vector<enum_value> values;

    // union
    std::vector<type_ref> alternatives;
    std::string discriminator;
    std::vector<std::pair<std::string, std::size_t>> mapping;
    // In C++ a union with a discriminator also ends with specbound::unknown_alternative (not in
    // `alternatives`): kinds a server adds after generation decode into it instead of failing.
    [[nodiscard]] bool has_unknown_alternative() const noexcept { return k == kind::union_ && !discriminator.empty(); }

    std::string header; // header stem (models/<header>.hpp); shared by mutually recursive models
    // Whether validation can find anything in a value of this model: a constrained field or an
    // enum anywhere in what it contains. False lets the runtime skip the walk at compile time.
    bool has_checks = true;
};

struct parameter_model {
    std::string name; // C++ member
    std::string wire_name;
    param_in in = param_in::query;
    param_style style = param_style::form;
    bool explode = true;
    bool required = false;
    bool deprecated = false; // `deprecated: true`: a [[deprecated]] member
    type_ref type;
    constraints_model constraints;
    std::string doc;
};

struct body_model {
    type_ref type;
    std::string media_type;
    body_encoding encoding = body_encoding::json;
    bool required = false;
    constraints_model constraints;
    std::string doc;
};

struct response_model {
    int status = 0; // 100..599, 1..5 for nXX, 0 for default
    std::string media_type;
    type_ref type; // kind::no_content when there is no body
    std::vector<std::string> headers;
    std::vector<type_ref> header_types; // per header: its schema's scalar type, or string
};

/// The typed response headers a success response declares: one struct, shared by every operation
/// that declares the same headers with the same types.
struct header_set_model {
    struct field {
        std::string name;      // C++ member
        std::string wire_name; // header field name
        type_ref type;
    };
    std::string name; // C++ struct name
    std::vector<field> fields;
};

/// A member of a model: models[model].fields[field].
struct field_step {
    std::size_t model = 0;
    std::size_t field = 0;
    friend bool operator==(const field_step&, const field_step&) = default;
};

/// How a list operation pages (specbound::page_style): recognised from the spec's shape, or
/// declared with x-specbound-pagination.
struct pagination_model {
    page_style style = page_style::page_number;
    std::vector<field_step> items; // response to its item list; empty: the body is the list
    std::vector<field_step> next;  // next_link, cursor: response to the string
    std::vector<field_step> total; // response to the total count; empty: none
    std::string param;             // cursor, page_number, offset: the request member set for the next page
    bool declared = false;         // by x-specbound-pagination
};

/// A servers[] entry (of the API, a path item or an operation). `url` keeps its {variables}.
struct server_variable_model {
    std::string name;
    std::string default_value;
    std::vector<std::string> enum_values; // empty: any value
};

struct server_model {
    std::string url;
    std::string description;
    std::vector<server_variable_model> variables; // in the spec's order
};

/// What the mock server answers for an operation without a handler: its first 2xx response's
/// example (the media type's `example`/`examples`, else one synthesized from its schema).
struct response_example_model {
    int status = 200;
    std::string media_type;
    std::string body; // JSON text for JSON media types, the text itself for text/*
};

struct operation_model {
    std::string operation_id;
    std::string name;        // C++ name (descriptor, facade member)
    std::string summary;
    std::string description;
    http_method method = http_method::get;
    std::string path;
    std::vector<std::string> tags;
    std::string tag_header;  // ops/<tag_header>.hpp
    std::string tag_group;   // the group tag_header was split from (ops/<tag_group>.hpp includes it); empty: not split
    bool deprecated = false; // `deprecated: true`: [[deprecated]] facade members
    std::vector<parameter_model> parameters;
    std::optional<body_model> body;
    std::vector<response_model> responses;
    type_ref response_type;
    std::string request_name;  // <name>_request
    std::string response_name; // <name>_response alias; empty when the response type already has that name
    std::vector<std::vector<std::string>> security; // alternatives of AND-ed scheme names
    std::optional<pagination_model> pagination;
    std::optional<std::size_t> response_headers; // api_model::header_sets index: the 2xx responses' declared headers
    bool event_stream = false;          // a 2xx answers text/event-stream (server-sent events)
    std::optional<type_ref> event_data; // the type each event's data decodes into, when not text
    bool unrecognised_list = false; // a list with paging parameters whose pagination was not recognised
    std::vector<server_model> servers; // the operation's or its path item's; empty: the API's
    std::optional<response_example_model> example; // none: no 2xx with content, binary, or no usable example
};

struct security_scheme_model {
    std::string name;
    std::string kind; // http_bearer, http_basic, api_key_header, api_key_query, api_key_cookie, oauth2, open_id_connect, mutual_tls
    std::string parameter_name;
    std::string token_url;
};

struct api_model {
    std::string title;
    std::string version;
    std::string default_server; // servers[0].url with its variables' defaults
    std::vector<server_model> servers;
    std::vector<security_scheme_model> security_schemes;
    std::vector<model> models;
    std::vector<operation_model> operations;
    std::vector<header_set_model> header_sets;
    std::vector<diagnostic> warnings;
    std::vector<diagnostic> notes; // document_set::notes: for `specbound-gen lint`
    std::uint64_t content_hash = 0;             // FNV-1a 64 over every loaded file's bytes, in load order
    std::vector<std::filesystem::path> files;   // every loaded file, in load order
};

/// Builds the IR. Throws spec_error for a spec it cannot turn into C++; collects warnings.
[[nodiscard]] api_model build_model(document_set& docs);

/// "pagination: 120 of 659 operations (next_link 118, page_number 2); 3 lists not recognised: a, b, c\n",
/// or "" when the API has no paginated or unrecognised list operation.
[[nodiscard]] std::string pagination_summary(const api_model& api);

} // namespace specbound::gen
