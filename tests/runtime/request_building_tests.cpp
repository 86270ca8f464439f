// Request building: OpenAPI 3 style/explode tables, percent-encoding, bodies, invalid arguments.
#include "test_api.hpp"

#include <specbound/detail/param_style.hpp>
#include <specbound/detail/request_builder.hpp>
#include <specbound/detail/server_url.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <span>
#include <string_view>

using namespace specbound;
using namespace specbound::detail;

namespace {

/// to_param_value for values that can be serialized.
template <class T>
param_value param_of(const T& v, std::string_view what)
{
    build_status st;
    param_value out = to_param_value(v, what, st);
    REQUIRE(st.ok());
    return out;
}

/// Why to_param_value refuses `v` ("" if it does not).
template <class T>
std::string refusal(const T& v, std::string_view what)
{
    build_status st;
    (void)to_param_value(v, what, st);
    return st.failure;
}

// The specification's examples: color = "blue", ["blue","black","brown"], {R:100, G:200, B:150}.
param_value primitive() { return param_of(std::string("blue"), "color"); }
param_value array() { return param_of(std::vector<std::string>{"blue", "black", "brown"}, "color"); }
param_value object() { return param_of(testapi::rgb{100, 200, 150}, "color"); }

std::string query(param_style style, bool explode, const param_value& v)
{
    std::vector<query_pair> pairs;
    build_status st;
    serialize_query_param("color", style, explode, v, pairs, st);
    if (!st.ok())
        return "refused: " + st.failure;
    std::string out;
    for (const auto& p : pairs)
        out += (out.empty() ? "" : "&") + p.key + "=" + p.value;
    return out;
}

base_url example_base() { return parse_base_url("https://api.example.com/v1/"); }

} // namespace

TEST_CASE("path styles follow the OpenAPI style table", "[request][style]")
{
    using s = param_style;
    CHECK(serialize_path_param("color", s::simple, false, primitive()) == "blue");
    CHECK(serialize_path_param("color", s::simple, true, primitive()) == "blue");
    CHECK(serialize_path_param("color", s::simple, false, array()) == "blue,black,brown");
    CHECK(serialize_path_param("color", s::simple, true, array()) == "blue,black,brown");
    CHECK(serialize_path_param("color", s::simple, false, object()) == "R,100,G,200,B,150");
    CHECK(serialize_path_param("color", s::simple, true, object()) == "R=100,G=200,B=150");

    CHECK(serialize_path_param("color", s::label, false, primitive()) == ".blue");
    CHECK(serialize_path_param("color", s::label, true, primitive()) == ".blue");
    CHECK(serialize_path_param("color", s::label, false, array()) == ".blue,black,brown");
    CHECK(serialize_path_param("color", s::label, true, array()) == ".blue.black.brown");
    CHECK(serialize_path_param("color", s::label, false, object()) == ".R,100,G,200,B,150");
    CHECK(serialize_path_param("color", s::label, true, object()) == ".R=100.G=200.B=150");

    CHECK(serialize_path_param("color", s::matrix, false, primitive()) == ";color=blue");
    CHECK(serialize_path_param("color", s::matrix, true, primitive()) == ";color=blue");
    CHECK(serialize_path_param("color", s::matrix, false, array()) == ";color=blue,black,brown");
    CHECK(serialize_path_param("color", s::matrix, true, array()) == ";color=blue;color=black;color=brown");
    CHECK(serialize_path_param("color", s::matrix, false, object()) == ";color=R,100,G,200,B,150");
    CHECK(serialize_path_param("color", s::matrix, true, object()) == ";R=100;G=200;B=150");

    // Empty values (the table's "empty" column).
    param_value empty = param_of(std::string(), "color");
    CHECK(serialize_path_param("color", s::simple, false, empty).empty());
    CHECK(serialize_path_param("color", s::label, false, empty) == ".");
    CHECK(serialize_path_param("color", s::matrix, false, empty) == ";color");
}

TEST_CASE("query styles follow the OpenAPI style table", "[request][style]")
{
    using s = param_style;
    CHECK(query(s::form, false, primitive()) == "color=blue");
    CHECK(query(s::form, true, primitive()) == "color=blue");
    CHECK(query(s::form, false, array()) == "color=blue,black,brown");
    CHECK(query(s::form, true, array()) == "color=blue&color=black&color=brown");
    CHECK(query(s::form, false, object()) == "color=R,100,G,200,B,150");
    CHECK(query(s::form, true, object()) == "R=100&G=200&B=150");

    CHECK(query(s::space_delimited, false, array()) == "color=blue%20black%20brown");
    CHECK(query(s::space_delimited, true, array()) == "color=blue&color=black&color=brown");
    CHECK(query(s::space_delimited, false, object()) == "color=R%20100%20G%20200%20B%20150");

    CHECK(query(s::pipe_delimited, false, array()) == "color=blue%7Cblack%7Cbrown");
    CHECK(query(s::pipe_delimited, true, array()) == "color=blue&color=black&color=brown");
    CHECK(query(s::pipe_delimited, false, object()) == "color=R%7C100%7CG%7C200%7CB%7C150");

    CHECK(query(s::deep_object, true, object()) == "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150");
    CHECK(query(s::deep_object, true, array()) == "refused: query parameter 'color': deepObject style needs an object value");

    // An empty array: non-exploded is an empty value, exploded is nothing at all.
    param_value none = param_of(std::vector<std::string>{}, "color");
    CHECK(query(s::form, false, none) == "color=");
    CHECK(query(s::form, true, none).empty());
}

TEST_CASE("reserved characters in values are percent-encoded", "[request][encoding]")
{
    param_value v = param_of(std::string("a/b?c#d e,f;g=h&i+j%k|l"), "q");
    CHECK(serialize_path_param("q", param_style::simple, false, v) == "a%2Fb%3Fc%23d%20e%2Cf%3Bg%3Dh%26i%2Bj%25k%7Cl");
    CHECK(query(param_style::form, false, v) == "color=a%2Fb%3Fc%23d%20e%2Cf%3Bg%3Dh%26i%2Bj%25k%7Cl");
    // A comma inside an item stays distinguishable from the style's delimiter.
    param_value items = param_of(std::vector<std::string>{"a,b", "c"}, "q");
    CHECK(query(param_style::form, false, items) == "color=a%2Cb,c");
    // UTF-8 is encoded byte by byte; unreserved characters are left alone.
    CHECK(pct("caf\xc3\xa9-_.~") == "caf%C3%A9-_.~");
}

TEST_CASE("scalar parameter values", "[request][values]")
{
    CHECK(param_of(true, "b").primitive == "true");
    CHECK(param_of(std::int64_t{-42}, "i").primitive == "-42");
    CHECK(param_of(2.5, "d").primitive == "2.5");
    CHECK(refusal(std::numeric_limits<double>::infinity(), "d") == "d: NaN or infinity cannot be sent");
    CHECK(param_of(specbound::open_enum<testapi::pet_status>(testapi::pet_status::sold), "e").primitive == "sold");
    CHECK(param_of(specbound::open_enum<testapi::pet_status>::unknown("lost"), "e").primitive == "lost");
    using namespace std::chrono;
    specbound::date d{year{2024}, month{2}, day{29}};
    CHECK(param_of(d, "d").primitive == "2024-02-29");
    specbound::date_time t = sys_days{d} + hours{13} + minutes{5} + seconds{7} + microseconds{120000};
    CHECK(param_of(t, "t").primitive == "2024-02-29T13:05:07.12Z");
    CHECK(param_of(specbound::date_time{sys_days{d}}, "t").primitive == "2024-02-29T00:00:00Z");
    CHECK(param_of(std::optional<std::int32_t>{}, "o").k == param_value::kind::absent);
    CHECK(param_of(specbound::nullable<std::int32_t>{}, "n").primitive.empty());
}

TEST_CASE("server URLs: variables encoded, relative URLs resolved, choices checked", "[request][url][servers]")
{
    static constexpr std::array<std::string_view, 2> zones{"a", "b"};
    static constexpr std::array<server_variable, 2> variables{{{"zone", "a", zones}, {"base", "api", {}}}};
    const server s{"https://{zone}.example.com/{base}", "Main", variables};
    CHECK(server_url(s, {}, true).value() == "https://a.example.com/api");
    // ':' and '/' stay (a base path may be a path); what could start a query, fragment or user
    // info, or read as an escape, is encoded.
    CHECK(server_url(s, {{"base", "v1/x:y?q#f@u%"}}, true).value() == "https://a.example.com/v1/x:y%3Fq%23f%40u%25");
    CHECK(server_url(s, {{"zone", "b"}, {"zone", "a"}}, true).value() == "https://a.example.com/api"); // the last wins
    CHECK(std::string(server_url(s, {{"zone", "c"}}, true).error()->what()) ==
          "server 'https://{zone}.example.com/{base}' (Main): variable 'zone' must be one of a, b, not 'c'");
    CHECK_FALSE(server_url(s, {{"port", "1"}}, true));
    CHECK(server_url(s, {{"port", "1"}}, false).value() == "https://a.example.com/api"); // another server's

    const base_url client = parse_base_url("https://api.example.com/v1");
    base_url relative = server_base("/v2", &client).value();
    CHECK(relative.to == client.to);
    CHECK(relative.path == "/v2");
    CHECK(server_base("https://other.example.com/x", &client).value().to.host == "other.example.com");
    CHECK_FALSE(server_base("/v2", nullptr)); // a relative URL needs a server to be relative to

    CHECK(chosen_server({}, {}) == nullptr);
    CHECK_THROWS_WITH(chosen_server({}, {.variables = {{"zone", "a"}}}),
                      "client_options::server: the API declares no servers, so no variable 'zone'");
    CHECK(chosen_server(std::span<const server>(&s, 1), {.description = "Main"}) == &s);
}

TEST_CASE("base URL: origin, base path and validation", "[request][url]")
{
    base_url b = example_base();
    CHECK(b.to.scheme == "https");
    CHECK(b.to.host == "api.example.com");
    CHECK(b.to.port == 443);
    CHECK(b.path == "/v1");
    base_url local = parse_base_url("http://127.0.0.1:8080");
    CHECK(local.to.port == 8080);
    CHECK(local.path.empty());
    CHECK(host_header(local.to) == "127.0.0.1:8080");
    CHECK(host_header(b.to) == "api.example.com");
    CHECK(host_header(parse_base_url("http://[::1]:81/").to) == "[::1]:81");
    CHECK_THROWS_AS(parse_base_url("/v1"), invalid_argument_error);
    CHECK_THROWS_AS(parse_base_url("ftp://example.com"), invalid_argument_error);
    CHECK_THROWS_WITH(parse_base_url("https://example.com:84%2043/v1"), "the server URL has an invalid port");
    CHECK_THROWS_WITH(parse_base_url("https://example.com:8x"), "the server URL has an invalid port");
    CHECK_THROWS_AS(parse_base_url("https://user:secret@example.com"), invalid_argument_error);
    try {
        parse_base_url("https://user:secret@example.com");
    } catch (const invalid_argument_error& e) {
        CHECK(std::string(e.what()).find("secret") == std::string::npos);
        CHECK(e.code() == client_errc::invalid_argument);
    }
}

TEST_CASE("a full request: target, headers, cookies, Accept", "[request]")
{
    testapi::list_pets_request r;
    r.limit = 10;
    r.tags = std::vector<std::string>{"dog", "small & cute"};
    r.status = testapi::pet_status::available;
    r.x_trace = "abc";
    http_request req = build_request<testapi::ops::list_pets>(example_base(), r).value();
    CHECK(req.method() == boost::beast::http::verb::get);
    CHECK(req.target() == "/v1/pets?limit=10&tags=dog&tags=small%20%26%20cute&status=available");
    CHECK(req[boost::beast::http::field::host] == "api.example.com");
    CHECK(req[boost::beast::http::field::accept] == "application/json");
    CHECK(req["X-Trace"] == "abc");
    CHECK(req.body().empty());

    testapi::paint_request p;
    p.color = {"red", "green"};
    p.point = testapi::rgb{1, 2, 3};
    p.filter = std::map<std::string, std::string>{{"a", "x y"}, {"b", "z"}};
    p.session = "s;1";
    p.since = specbound::date{std::chrono::year{2020}, std::chrono::month{1}, std::chrono::day{2}};
    http_request preq = build_request<testapi::ops::paint>(example_base(), p).value();
    CHECK(preq.target() == "/v1/colors/;color=red;color=green?point%5BR%5D=1&point%5BG%5D=2&point%5BB%5D=3"
                           "&filter=a%7Cx%20y%7Cb%7Cz&since=2020-01-02");
    CHECK(preq[boost::beast::http::field::cookie] == "session=s%3B1");
}

TEST_CASE("missing or unusable arguments are invalid_argument errors", "[request][errors]")
{
    testapi::paint_request p;
    p.color = {"red"};
    // `since` is a required query parameter.
    result<http_request> r = build_request<testapi::ops::paint>(example_base(), p);
    REQUIRE(r.error_as<invalid_argument_error>());
    CHECK(r.code() == client_errc::invalid_argument);
    CHECK(std::string(r.error()->what()).find("'since'") != std::string::npos);
    // An empty path parameter would change the path.
    CHECK(build_request<testapi::ops::show_pet>(example_base(), testapi::show_pet_request{""})
              .error_as<invalid_argument_error>());
    // A path parameter with a slash stays one segment.
    http_request req = build_request<testapi::ops::show_pet>(example_base(), testapi::show_pet_request{"a/b c"}).value();
    CHECK(req.target() == "/v1/pets/a%2Fb%20c");
    // A header parameter with a line break would split the request.
    testapi::list_pets_request bad;
    bad.x_trace = "x\r\nInjected: 1";
    CHECK(build_request<testapi::ops::list_pets>(example_base(), bad).error_as<invalid_argument_error>());
}

TEST_CASE("JSON, form and multipart bodies", "[request][body]")
{
    testapi::create_pet_request c{{"Rex", std::nullopt}};
    http_request req = build_request<testapi::ops::create_pet>(example_base(), c).value();
    CHECK(req.method() == boost::beast::http::verb::post);
    CHECK(req[boost::beast::http::field::content_type] == "application/json");
    CHECK(req.body() == R"({"name":"Rex"})");
    CHECK(req[boost::beast::http::field::content_length] == std::to_string(req.body().size()));
    CHECK(req[boost::beast::http::field::accept] == "application/json");

    testapi::login_request l;
    l.body = testapi::login_form{"ann", "p&ss word", std::vector<std::int32_t>{1, 2}};
    http_request lreq = build_request<testapi::ops::login>(example_base(), l).value();
    CHECK(lreq[boost::beast::http::field::content_type] == "application/x-www-form-urlencoded");
    CHECK(lreq.body() == "user=ann&password=p%26ss%20word&codes=1&codes=2");
    // The body is optional here: absent means no body at all.
    http_request empty = build_request<testapi::ops::login>(example_base(), testapi::login_request{}).value();
    CHECK(empty.body().empty());
    CHECK(empty.find(boost::beast::http::field::content_type) == empty.end());

    testapi::upload_request u;
    u.body.title = "My \"cat\"";
    u.body.file = specbound::bytes{std::byte{0}, std::byte{0xff}, std::byte{'A'}};
    u.body.tags = std::vector<std::string>{"x", "y"};
    u.body.meta = testapi::pet{1, "m", std::nullopt};
    http_request ureq = build_request<testapi::ops::upload>(example_base(), u).value();
    std::string ct(ureq[boost::beast::http::field::content_type]);
    REQUIRE(ct.rfind("multipart/form-data; boundary=specbound-", 0) == 0);
    std::string boundary = ct.substr(ct.find('=') + 1);
    std::string expected = "--" + boundary +
                           "\r\nContent-Disposition: form-data; name=\"title\"\r\nContent-Type: text/plain; "
                           "charset=utf-8\r\n\r\nMy \"cat\"\r\n--" +
                           boundary +
                           "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: "
                           "application/octet-stream\r\n\r\n" +
                           std::string("\0\xff" "A", 3) + "\r\n--" + boundary +
                           "\r\nContent-Disposition: form-data; name=\"tags\"\r\nContent-Type: text/plain; "
                           "charset=utf-8\r\n\r\nx\r\n--" +
                           boundary +
                           "\r\nContent-Disposition: form-data; name=\"tags\"\r\nContent-Type: text/plain; "
                           "charset=utf-8\r\n\r\ny\r\n--" +
                           boundary +
                           "\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: "
                           "application/json\r\n\r\n{\"id\":1,\"name\":\"m\"}\r\n--" +
                           boundary + "--\r\n";
    CHECK(ureq.body() == expected);
    CHECK(ureq[boost::beast::http::field::accept] == "text/plain");
    // Two requests get different boundaries.
    http_request ureq2 = build_request<testapi::ops::upload>(example_base(), u).value();
    CHECK(ureq2[boost::beast::http::field::content_type] != ureq[boost::beast::http::field::content_type]);
}
