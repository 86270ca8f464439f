// Where calls of a generated client go: the spec's servers (spec/servers.yaml) chosen by index or
// description with their variables, operations with their own servers, and base URLs over both.
#include <tides/tides.hpp>

#include <specbound/testing/mock_transport.hpp>

#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <utility>

namespace {

using specbound::http_method;

// The api's servers are constexpr data: usable at compile time.
static_assert(tides::api.servers.size() == 3);
static_assert(tides::api.servers[1].description == "Staging");
static_assert(tides::ops::list_gauges::servers.empty());
static_assert(tides::ops::list_readings::servers.size() == 1);

struct fixture {
    boost::asio::io_context ioc;
    std::shared_ptr<specbound::testing::mock_transport> mock = std::make_shared<specbound::testing::mock_transport>();

    tides::client make(specbound::client_options options = {})
    {
        options.transport = mock;
        return tides::client{ioc.get_executor(), std::move(options)};
    }

    /// Where the last request went: "https://host:port" and its target.
    [[nodiscard]] std::string last() const
    {
        const auto requests = mock->requests(); // a copy, taken under the mock's lock
        REQUIRE_FALSE(requests.empty());
        const auto& r = requests.back();
        return r.to.scheme + "://" + r.to.host + ":" + std::to_string(r.to.port) + std::string(r.request.target());
    }
};

// The message of the invalid_argument_error constructing a client with `options` throws.
std::string refusal(specbound::client_options options)
{
    boost::asio::io_context ioc;
    try {
        tides::client api{ioc.get_executor(), std::move(options)};
    } catch (const specbound::invalid_argument_error& e) {
        return e.what();
    }
    return "(constructed)";
}

} // namespace

TEST_CASE("the generated api lists every server with its variables", "[codegen][servers]")
{
    const specbound::server& production = tides::api.servers[0];
    CHECK(production.url == "https://{region}.tides.example.test/v1");
    CHECK(production.description == "Production");
    REQUIRE(production.variables.size() == 1);
    CHECK(production.variables[0].name == "region");
    CHECK(production.variables[0].default_value == "eu");
    REQUIRE(production.variables[0].enum_values.size() == 3);
    CHECK(production.variables[0].enum_values[2] == "ap");
    CHECK(tides::api.servers[2].variables[0].enum_values.empty());
    CHECK(tides::api.default_server == "https://eu.tides.example.test/v1");
    CHECK(tides::ops::add_reading::servers[0].url == "https://ingest.tides.example.test/{tenant}");
    CHECK(tides::ops::get_health::servers[0].url == "/status");
}

TEST_CASE("a client calls the server it is told, by index or description, with its variables", "[codegen][servers]")
{
    fixture f;
    f.mock->expect(http_method::get, "/v1/gauges").times(4).respond_json(200, "[]");
    f.mock->expect(http_method::get, "/team%20a%3Fb/gauges").respond_json(200, "[]");

    auto by_default = f.make();
    CHECK(by_default.list_gauges({}, specbound::blocking).empty());
    CHECK(f.last() == "https://eu.tides.example.test:443/v1/gauges");

    specbound::client_options region;
    region.server = {.variables = {{"region", "us"}}}; // the first server, another region
    auto us = f.make(std::move(region));
    (void)us.list_gauges({}, specbound::blocking);
    CHECK(f.last() == "https://us.tides.example.test:443/v1/gauges");

    specbound::client_options staging;
    staging.server = {.index = 1, .variables = {{"port", "9443"}}};
    auto by_index = f.make(std::move(staging));
    (void)by_index.list_gauges({}, specbound::blocking);
    CHECK(f.last() == "https://staging.tides.example.test:9443/v1/gauges");

    // A value without an enum is percent-encoded: it cannot add a query to the base URL.
    specbound::client_options local;
    local.server = {.description = "Local mock", .variables = {{"prefix", "team a?b"}}};
    auto by_description = f.make(std::move(local));
    (void)by_description.list_gauges({}, specbound::blocking);
    CHECK(f.last() == "http://localhost:8080/team%20a%3Fb/gauges");

    // base_url wins over the choice; call_options::base_url over both.
    specbound::client_options both;
    both.server = {.index = 1};
    both.base_url = "https://tides.internal.test/api";
    auto overridden = f.make(std::move(both));
    f.mock->expect(http_method::get, "/api/gauges").respond_json(200, "[]");
    (void)overridden.list_gauges({}, specbound::blocking);
    CHECK(f.last() == "https://tides.internal.test:443/api/gauges");
    specbound::call_options once;
    once.base_url = "https://once.tides.test/v1";
    (void)overridden.list_gauges({}, once, specbound::blocking);
    CHECK(f.last() == "https://once.tides.test:443/v1/gauges");
    CHECK(f.mock->all_consumed());
}

TEST_CASE("a bad server choice is refused at construction, saying what is wrong", "[codegen][servers]")
{
    auto with = [](specbound::server_choice choice, std::string base_url = {}) {
        specbound::client_options o;
        o.server = std::move(choice);
        o.base_url = std::move(base_url);
        return refusal(std::move(o));
    };
    CHECK(with({.variables = {{"region", "mars"}}}) ==
          "client_options::server: server 'https://{region}.tides.example.test/v1' (Production): variable 'region' "
          "must be one of eu, us, ap, not 'mars'");
    CHECK(with({.variables = {{"zone", "a"}}}) ==
          "client_options::server: server 'https://{region}.tides.example.test/v1' (Production): has no variable "
          "'zone' (it has: region)");
    CHECK(with({.index = 3}) == "client_options::server: index 3 is past the API's 3 servers");
    CHECK(with({.description = "Moon"}) ==
          "client_options::server: no server is described as 'Moon' (there are 'Production', 'Staging', 'Local mock')");
    CHECK(with({.index = 0, .description = "Staging"}) == "client_options::server: set index or description, not both");
    // The substituted URL is checked like any base URL.
    CHECK(with({.index = 1, .variables = {{"port", "84 43"}}}) ==
          "the server URL 'https://staging.tides.example.test:84%2043/v1': the server URL has an invalid port");
    // A mistake even when base_url replaces the choice.
    CHECK(with({.variables = {{"region", "mars"}}}, "https://tides.internal.test").find("not 'mars'") !=
          std::string::npos);
    CHECK(with({.description = "Staging", .variables = {{"port", "9443"}}}) == "(constructed)");
}

TEST_CASE("an operation with its own servers is called there, unless a base URL says otherwise", "[codegen][servers]")
{
    fixture f;
    tides::list_readings_request readings{.gauge_id = "g1"};
    tides::add_reading_request add{};
    add.gauge_id = "g1";
    add.body.level = 1.25;
    f.mock->expect(http_method::get, "/v1/gauges/g1/readings").times(3).respond_json(200, "[]");
    f.mock->expect(http_method::post, "/public/gauges/g1/readings").respond(202);
    f.mock->expect(http_method::get, "/status/health").respond_json(200, R"({"ok": true})");

    // The user's variables fill the operation's server where the names match.
    specbound::client_options us;
    us.server = {.variables = {{"region", "us"}}};
    auto api = f.make(std::move(us));
    (void)api.list_readings(readings, specbound::blocking); // its path item's server
    CHECK(f.last() == "https://us.archive.tides.example.test:443/v1/gauges/g1/readings");
    (void)api.add_reading(add, specbound::blocking); // its own, over its path item's; tenant: the default
    CHECK(f.last() == "https://ingest.tides.example.test:443/public/gauges/g1/readings");
    CHECK(api.get_health({}, specbound::blocking).ok); // relative: on the client's server
    CHECK(f.last() == "https://us.tides.example.test:443/status/health");

    // call_options::base_url and client_options::base_url go over the operation's servers.
    specbound::call_options once;
    once.base_url = "https://once.tides.test/v1";
    (void)api.list_readings(readings, once, specbound::blocking);
    CHECK(f.last() == "https://once.tides.test:443/v1/gauges/g1/readings");
    specbound::client_options base;
    base.base_url = "https://tides.internal.test/v1";
    auto fixed = f.make(std::move(base));
    (void)fixed.list_readings(readings, specbound::blocking);
    CHECK(f.last() == "https://tides.internal.test:443/v1/gauges/g1/readings");

    // A region the archive does not serve: the call is refused before anything is sent.
    specbound::client_options ap;
    ap.server = {.variables = {{"region", "ap"}}};
    auto in_ap = f.make(std::move(ap));
    const std::size_t sent = f.mock->requests().size();
    specbound::result<tides::list_readings_response> refused = in_ap.try_list_readings(readings, specbound::blocking);
    REQUIRE(refused.error_as<specbound::invalid_argument_error>());
    CHECK(std::string(refused.error()->what()) ==
          "listReadings (GET /gauges/{gaugeId}/readings): the operation's server "
          "'https://{region}.archive.tides.example.test/v1' (Archive): variable 'region' must be one of eu, us, not 'ap'");
    CHECK(f.mock->requests().size() == sent);
    CHECK(f.mock->all_consumed());
}
