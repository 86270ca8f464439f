// Hand-written models and descriptors in the shape specbound-gen emits (docs/generated-code.md).
#pragma once

#include <specbound/descriptor.hpp>
#include <specbound/json/traits.hpp>
#include <specbound/types.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

namespace testapi {

enum class pet_status { available, pending, sold };

struct pet {
    std::int64_t id;
    std::string name;
    std::optional<std::string> tag;
    friend bool operator==(const pet&, const pet&) = default;
};

struct new_pet {
    std::string name;
    std::optional<std::string> tag;
};

struct api_problem {
    std::int32_t code;
    std::string message;
};

struct rgb {
    std::int32_t R;
    std::int32_t G;
    std::int32_t B;
};

struct accepted_job {
    std::string job_id;
};

struct upload_form {
    std::string title;
    specbound::bytes file;
    std::optional<std::vector<std::string>> tags;
    std::optional<pet> meta;
};

struct login_form {
    std::string user;
    std::string password;
    std::optional<std::vector<std::int32_t>> codes;
};

} // namespace testapi

template <>
struct specbound::json::enum_traits<testapi::pet_status> {
    static constexpr std::array<std::pair<testapi::pet_status, std::string_view>, 3> values{
        {{testapi::pet_status::available, "available"},
         {testapi::pet_status::pending, "pending"},
         {testapi::pet_status::sold, "sold"}}};
};
template <>
struct specbound::json::object_traits<testapi::pet> {
    static constexpr std::string_view name = "Pet";
    static constexpr std::tuple fields{specbound::json::field<&testapi::pet::id>{"id", true},
                                       specbound::json::field<&testapi::pet::name>{"name", true},
                                       specbound::json::field<&testapi::pet::tag>{"tag", false}};
};
template <>
struct specbound::json::object_traits<testapi::new_pet> {
    static constexpr std::string_view name = "NewPet";
    static constexpr std::tuple fields{specbound::json::field<&testapi::new_pet::name>{"name", true},
                                       specbound::json::field<&testapi::new_pet::tag>{"tag", false}};
};
template <>
struct specbound::json::object_traits<testapi::api_problem> {
    static constexpr std::string_view name = "Error";
    static constexpr std::tuple fields{specbound::json::field<&testapi::api_problem::code>{"code", true},
                                       specbound::json::field<&testapi::api_problem::message>{"message", true}};
};
template <>
struct specbound::json::object_traits<testapi::rgb> {
    static constexpr std::string_view name = "Rgb";
    static constexpr std::tuple fields{specbound::json::field<&testapi::rgb::R>{"R", true},
                                       specbound::json::field<&testapi::rgb::G>{"G", true},
                                       specbound::json::field<&testapi::rgb::B>{"B", true}};
};
template <>
struct specbound::json::object_traits<testapi::accepted_job> {
    static constexpr std::string_view name = "AcceptedJob";
    static constexpr std::tuple fields{specbound::json::field<&testapi::accepted_job::job_id>{"jobId", true}};
};
template <>
struct specbound::json::object_traits<testapi::upload_form> {
    static constexpr std::string_view name = "UploadForm";
    static constexpr std::tuple fields{specbound::json::field<&testapi::upload_form::title>{"title", true},
                                       specbound::json::field<&testapi::upload_form::file>{"file", true},
                                       specbound::json::field<&testapi::upload_form::tags>{"tags", false},
                                       specbound::json::field<&testapi::upload_form::meta>{"meta", false}};
};
template <>
struct specbound::json::object_traits<testapi::login_form> {
    static constexpr std::string_view name = "LoginForm";
    static constexpr std::tuple fields{specbound::json::field<&testapi::login_form::user>{"user", true},
                                       specbound::json::field<&testapi::login_form::password>{"password", true},
                                       specbound::json::field<&testapi::login_form::codes>{"codes", false}};
};

namespace testapi {

inline constexpr std::array<specbound::security_scheme, 6> schemes{{
    {"bearerAuth", specbound::security_scheme_kind::http_bearer, "", ""},
    {"apiKeyHeader", specbound::security_scheme_kind::api_key_header, "X-API-Key", ""},
    {"apiKeyQuery", specbound::security_scheme_kind::api_key_query, "api_key", ""},
    {"basicAuth", specbound::security_scheme_kind::http_basic, "", ""},
    {"oauth", specbound::security_scheme_kind::oauth2, "", "https://auth.example.com/oauth/token"},
    {"apiKeyCookie", specbound::security_scheme_kind::api_key_cookie, "sid", ""},
}};

inline constexpr specbound::api_description api{"testapi", "Test API", "1.2.3", "https://api.example.com/v1",
                                                schemes};

// ---- GET /pets --------------------------------------------------------------------------------
struct list_pets_request {
    std::optional<std::int32_t> limit;
    std::optional<std::vector<std::string>> tags;
    std::optional<specbound::open_enum<pet_status>> status;
    std::optional<std::string> x_trace;
};
namespace ops {
struct list_pets {
    static constexpr std::string_view operation_id = "listPets";
    static constexpr std::string_view name = "list_pets";
    static constexpr specbound::http_method method = specbound::http_method::get;
    static constexpr std::string_view path = "/pets";
    using request_type = list_pets_request;
    using response_type = std::vector<pet>;
    static constexpr std::tuple parameters{
        specbound::param<&list_pets_request::limit>{"limit", specbound::param_in::query, specbound::param_style::form,
                                                    true, false},
        specbound::param<&list_pets_request::tags>{"tags", specbound::param_in::query, specbound::param_style::form,
                                                   true, false},
        specbound::param<&list_pets_request::status>{"status", specbound::param_in::query,
                                                     specbound::param_style::form, true, false},
        specbound::param<&list_pets_request::x_trace>{"X-Trace", specbound::param_in::header,
                                                      specbound::param_style::simple, false, false}};
    static constexpr std::tuple body{};
    static constexpr std::tuple responses{specbound::response<200, std::vector<pet>>{"application/json"},
                                          specbound::response<specbound::status_default, api_problem>{"application/json"}};
    static constexpr std::array<specbound::security_requirement, 2> security{{{{"bearerAuth"}}, {{"apiKeyHeader"}}}};
    static constexpr std::array<std::string_view, 1> tags{"pets"};
    static constexpr bool deprecated = false;
};
} // namespace ops
static_assert(specbound::valid_descriptor<ops::list_pets>);

// ---- GET /pets/{petId} --------------------------------------------------------------------------
struct show_pet_request {
    std::string pet_id;
};
namespace ops {
struct show_pet {
    static constexpr std::string_view operation_id = "showPetById";
    static constexpr std::string_view name = "show_pet";
    static constexpr specbound::http_method method = specbound::http_method::get;
    static constexpr std::string_view path = "/pets/{petId}";
    using request_type = show_pet_request;
    using response_type = pet;
    static constexpr std::tuple parameters{specbound::param<&show_pet_request::pet_id>{
        "petId", specbound::param_in::path, specbound::param_style::simple, false, true}};
    static constexpr std::tuple body{};
    static constexpr std::tuple responses{specbound::response<200, pet>{"application/json"},
                                          specbound::response<404, api_problem>{"application/json"},
                                          specbound::response<specbound::status_range(5), api_problem>{"application/problem+json"},
                                          specbound::response<specbound::status_default, api_problem>{"application/json"}};
    static constexpr std::array<specbound::security_requirement, 0> security{};
    static constexpr std::array<std::string_view, 1> tags{"pets"};
    static constexpr bool deprecated = false;
};
} // namespace ops
static_assert(specbound::valid_descriptor<ops::show_pet>);

// ---- POST /pets ---------------------------------------------------------------------------------
struct create_pet_request {
    new_pet body;
};
namespace ops {
struct create_pet {
    static constexpr std::string_view operation_id = "createPet";
    static constexpr std::string_view name = "create_pet";
    static constexpr specbound::http_method method = specbound::http_method::post;
    static constexpr std::string_view path = "/pets";
    using request_type = create_pet_request;
    using response_type = std::variant<pet, accepted_job>;
    static constexpr std::tuple parameters{};
    static constexpr std::tuple body{specbound::request_body<&create_pet_request::body>{
        "application/json", specbound::body_encoding::json, true}};
    static constexpr std::tuple responses{specbound::response<201, pet>{"application/json"},
                                          specbound::response<202, accepted_job>{"application/json"},
                                          specbound::response<409, api_problem>{"application/json"},
                                          specbound::response<422, api_problem>{"application/json"}};
    static constexpr std::array<specbound::security_requirement, 1> security{{{{"oauth"}}}};
    static constexpr std::array<std::string_view, 1> tags{"pets"};
    static constexpr bool deprecated = false;
};
} // namespace ops

// ---- DELETE /pets/{petId} -----------------------------------------------------------------------
struct delete_pet_request {
    std::int64_t pet_id;
};
namespace ops {
struct delete_pet {
    static constexpr std::string_view operation_id = "deletePet";
    static constexpr std::string_view name = "delete_pet";
    static constexpr specbound::http_method method = specbound::http_method::delete_;
    static constexpr std::string_view path = "/pets/{petId}";
    using request_type = delete_pet_request;
    using response_type = specbound::no_content;
    static constexpr std::tuple parameters{specbound::param<&delete_pet_request::pet_id>{
        "petId", specbound::param_in::path, specbound::param_style::simple, false, true}};
    static constexpr std::tuple body{};
    static constexpr std::tuple responses{specbound::response<204, specbound::no_content>{},
                                          specbound::response<specbound::status_default, api_problem>{"application/json"}};
    static constexpr std::array<specbound::security_requirement, 2> security{{{{"apiKeyQuery"}}, {{}}}};
    static constexpr std::array<std::string_view, 1> tags{"pets"};
    static constexpr bool deprecated = false;
};
} // namespace ops

// ---- PATCH /pets/{petId} (form) -----------------------------------------------------------------
struct login_request {
    std::optional<login_form> body;
};
namespace ops {
struct login {
    static constexpr std::string_view operation_id = "login";
    static constexpr std::string_view name = "login";
    static constexpr specbound::http_method method = specbound::http_method::post;
    static constexpr std::string_view path = "/login";
    using request_type = login_request;
    using response_type = specbound::no_content;
    static constexpr std::tuple parameters{};
    static constexpr std::tuple body{specbound::request_body<&login_request::body>{
        "application/x-www-form-urlencoded", specbound::body_encoding::form_urlencoded, false}};
    static constexpr std::tuple responses{specbound::response<204, specbound::no_content>{}};
    static constexpr std::array<specbound::security_requirement, 1> security{{{{"basicAuth"}}}};
    static constexpr std::array<std::string_view, 1> tags{"auth"};
    static constexpr bool deprecated = false;
};
} // namespace ops

// ---- POST /uploads (multipart) ------------------------------------------------------------------
struct upload_request {
    upload_form body;
};
namespace ops {
struct upload {
    static constexpr std::string_view operation_id = "upload";
    static constexpr std::string_view name = "upload";
    static constexpr specbound::http_method method = specbound::http_method::post;
    static constexpr std::string_view path = "/uploads";
    using request_type = upload_request;
    using response_type = std::string;
    static constexpr std::tuple parameters{};
    static constexpr std::tuple body{specbound::request_body<&upload_request::body>{
        "multipart/form-data", specbound::body_encoding::multipart, true}};
    static constexpr std::tuple responses{specbound::response<200, std::string>{"text/plain"}};
    static constexpr std::array<specbound::security_requirement, 0> security{};
    static constexpr std::array<std::string_view, 1> tags{"files"};
    static constexpr bool deprecated = false;
};
} // namespace ops

// ---- GET /colors/{color} with every kind of parameter, for style tests ---------------------------
struct paint_request {
    std::vector<std::string> color;
    std::optional<rgb> point;
    std::optional<std::map<std::string, std::string>> filter;
    std::optional<std::string> session;
    std::optional<specbound::date> since;
};
namespace ops {
struct paint {
    static constexpr std::string_view operation_id = "paint";
    static constexpr std::string_view name = "paint";
    static constexpr specbound::http_method method = specbound::http_method::get;
    static constexpr std::string_view path = "/colors/{color}";
    using request_type = paint_request;
    using response_type = specbound::no_content;
    static constexpr std::tuple parameters{
        specbound::param<&paint_request::color>{"color", specbound::param_in::path, specbound::param_style::matrix,
                                                true, true},
        specbound::param<&paint_request::point>{"point", specbound::param_in::query,
                                                specbound::param_style::deep_object, true, false},
        specbound::param<&paint_request::filter>{"filter", specbound::param_in::query,
                                                 specbound::param_style::pipe_delimited, false, false},
        specbound::param<&paint_request::session>{"session", specbound::param_in::cookie,
                                                  specbound::param_style::form, true, false},
        specbound::param<&paint_request::since>{"since", specbound::param_in::query, specbound::param_style::form,
                                                true, true}};
    static constexpr std::tuple body{};
    static constexpr std::tuple responses{specbound::response<204, specbound::no_content>{}};
    static constexpr std::array<specbound::security_requirement, 0> security{};
    static constexpr std::array<std::string_view, 1> tags{"colors"};
    static constexpr bool deprecated = false;
};
} // namespace ops
static_assert(specbound::valid_descriptor<ops::paint>);

// ---- GET /me (API key in a cookie, next to a cookie parameter) -------------------------------------
struct whoami_request {
    std::optional<std::string> theme;
};
namespace ops {
struct whoami {
    static constexpr std::string_view operation_id = "whoami";
    static constexpr std::string_view name = "whoami";
    static constexpr specbound::http_method method = specbound::http_method::get;
    static constexpr std::string_view path = "/me";
    using request_type = whoami_request;
    using response_type = specbound::no_content;
    static constexpr std::tuple parameters{specbound::param<&whoami_request::theme>{
        "theme", specbound::param_in::cookie, specbound::param_style::form, true, false}};
    static constexpr std::tuple body{};
    static constexpr std::tuple responses{specbound::response<204, specbound::no_content>{}};
    static constexpr std::array<specbound::security_requirement, 1> security{{{{"apiKeyCookie"}}}};
    static constexpr std::array<std::string_view, 1> tags{"auth"};
    static constexpr bool deprecated = false;
};
} // namespace ops

} // namespace testapi
