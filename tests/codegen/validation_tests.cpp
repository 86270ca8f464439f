// Validation: the constraints of spec/validation.yaml, carried into the generated tables and
// checked by <specbound/validation.hpp>, directly and through the generated client (opt-in per
// client and per call; a refused request never reaches the transport).
#include <validation/validation.hpp>

#include <specbound/detail/pattern_limits.hpp>
#include <specbound/json/decode.hpp>
#include <specbound/testing/mock_transport.hpp>
#include <specbound/validation.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <catch2/catch.hpp>

#include <array>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace {

using specbound::constraint_kind;
using specbound::validation_error;
using specbound::validation_target;

validation::seed valid_seed()
{
    validation::seed s;
    s.code = "TO-042";
    s.name = "Tomato";
    s.grams = 2.5;
    return s;
}

// The violation of an addSeed request with this body, or null.
std::shared_ptr<const validation_error> body_error(const validation::seed& s)
{
    return specbound::validate_request<validation::ops::add_seed>(validation::add_seed_request{s}, "addSeed");
}

// Requires exactly one violation of `kind` at `pointer` of the request body.
void require_body_violation(const validation::seed& s, constraint_kind kind, const std::string& pointer)
{
    auto e = body_error(s);
    REQUIRE(e != nullptr);
    CHECK(e->target() == validation_target::request_body);
    CHECK(e->constraint() == kind);
    CHECK(e->pointer() == pointer);
    CHECK_FALSE(e->is_response());
}

std::shared_ptr<const validation_error> list_error(const validation::list_seeds_request& r)
{
    return specbound::validate_request<validation::ops::list_seeds>(r, "listSeeds");
}

std::shared_ptr<const validation_error> sowing_error(const validation::plan_sowing_request& r)
{
    return specbound::validate_request<validation::ops::plan_sowing>(r, "planSowing");
}

template <class T>
T run_until_ready(boost::asio::io_context& ioc, std::future<T>& f)
{
    for (int i = 0; i < 1000 && f.wait_for(std::chrono::seconds(0)) != std::future_status::ready; ++i) {
        ioc.restart();
        ioc.run_for(std::chrono::milliseconds(10));
    }
    REQUIRE(f.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
    return f.get();
}

constexpr const char* seed_json = R"({"code": "TO-042", "name": "Tomato", "grams": 2.5})";

} // namespace

TEST_CASE("the generator carries constraints into the tables", "[codegen][validation]")
{
    using traits = specbound::json::object_traits<validation::seed>;
    const specbound::constraints* name = specbound::get<1>(traits::fields).check;
    REQUIRE(name != nullptr);
    CHECK(name->min_length == 2u);
    CHECK(name->max_length == 12u);
    CHECK(specbound::get<2>(traits::fields).check->exclusive_minimum); // grams: 3.0's boolean form
    CHECK(specbound::get<0>(traits::fields).check->pattern == "^[A-Z]{2}-[0-9]{3}$"); // through the $ref
    CHECK(specbound::get<5>(traits::fields).check == nullptr);         // season: an enum checks itself
    const specbound::constraints* labels = specbound::get<9>(traits::fields).check;
    REQUIRE(labels->items != nullptr);
    CHECK(labels->items->min_items == 1u);
    CHECK(labels->items->items->max_length == 10u);
    CHECK(specbound::get<0>(validation::ops::plan_sowing::body).check->max_items == 2u);
}

TEST_CASE("validation: string lengths and patterns on body fields", "[codegen][validation]")
{
    CHECK(body_error(valid_seed()) == nullptr);

    validation::seed s = valid_seed();
    s.name = "Ab"; // minLength 2
    CHECK(body_error(s) == nullptr);
    s.name = "A";
    require_body_violation(s, constraint_kind::min_length, "/name");
    s.name = std::string(12, 'x'); // maxLength 12
    CHECK(body_error(s) == nullptr);
    s.name = std::string(13, 'x');
    require_body_violation(s, constraint_kind::max_length, "/name");
    // Lengths count code points: twelve two-byte letters are 24 bytes and within maxLength 12.
    s.name.clear();
    for (int i = 0; i < 12; ++i)
        s.name += "\xC3\xA9";
    CHECK(body_error(s) == nullptr);
    s.name += "\xC3\xA9";
    require_body_violation(s, constraint_kind::max_length, "/name");

    s = valid_seed();
    s.code = "TO-42"; // ^[A-Z]{2}-[0-9]{3}$
    require_body_violation(s, constraint_kind::pattern, "/code");
    auto e = body_error(s);
    CHECK(e->requirement() == "pattern ^[A-Z]{2}-[0-9]{3}$");
    CHECK(e->value() == "\"TO-42\"");
    CHECK(e->parameter().empty());
    CHECK(e->code() == specbound::client_errc::validation_failed);
    CHECK(std::string(e->what()) == "addSeed: request body at /code breaks pattern ^[A-Z]{2}-[0-9]{3}$");
}

TEST_CASE("validation: bounds, exclusive bounds and multipleOf", "[codegen][validation]")
{
    validation::seed s = valid_seed();
    s.grams = 0.001; // minimum 0, exclusiveMinimum: true (3.0)
    CHECK(body_error(s) == nullptr);
    s.grams = 0;
    require_body_violation(s, constraint_kind::exclusive_minimum, "/grams");
    CHECK(body_error(s)->requirement() == "exclusiveMinimum 0");
    s.grams = 1000; // maximum 1000
    CHECK(body_error(s) == nullptr);
    s.grams = 1000.5;
    require_body_violation(s, constraint_kind::maximum, "/grams");

    s = valid_seed();
    s.price = 99.99; // maximum 100, exclusiveMaximum: true; multipleOf 0.01
    CHECK(body_error(s) == nullptr);
    s.price = 100;
    require_body_violation(s, constraint_kind::exclusive_maximum, "/price");
    // Decimals that binary doubles cannot hold exactly still count as multiples.
    for (double ok : {0.3, 0.07, 19.99, 0.01, 42.0})
        CHECK(body_error([&] { auto t = valid_seed(); t.price = ok; return t; }()) == nullptr);
    s.price = 0.015;
    require_body_violation(s, constraint_kind::multiple_of, "/price");
    CHECK(body_error(s)->value() == "0.015");
    CHECK(body_error(s)->requirement() == "multipleOf 0.01");

    s = valid_seed();
    s.germination = 95; // integer: minimum 0, maximum 100, multipleOf 5
    CHECK(body_error(s) == nullptr);
    s.germination = 96;
    require_body_violation(s, constraint_kind::multiple_of, "/germination");
    s.germination = 0;
    CHECK(body_error(s) == nullptr);
    s.germination = -5;
    require_body_violation(s, constraint_kind::minimum, "/germination");
    s.germination = 100;
    CHECK(body_error(s) == nullptr);
    s.germination = 105;
    require_body_violation(s, constraint_kind::maximum, "/germination");
}

TEST_CASE("validation: float fields are compared in float precision", "[codegen][validation]")
{
    validation::plan_sowing_request r;
    r.code = "TO-042";
    r.body = std::vector<validation::sowing>{{12, 0.5f}}; // minimum 0.5, multipleOf 0.5
    CHECK(sowing_error(r) == nullptr);
    (*r.body)[0].depth_mm = 1.5f;
    CHECK(sowing_error(r) == nullptr);
    (*r.body)[0].depth_mm = 0.75f;
    auto e = sowing_error(r);
    REQUIRE(e != nullptr);
    CHECK(e->constraint() == constraint_kind::multiple_of);
    CHECK(e->pointer() == "/0/depth_mm");
    (*r.body)[0].depth_mm = 0.4f;
    REQUIRE(sowing_error(r) != nullptr);
    CHECK(sowing_error(r)->constraint() == constraint_kind::minimum);
}

TEST_CASE("validation: arrays, uniqueItems, items, maps and nested models", "[codegen][validation]")
{
    validation::seed s = valid_seed();
    s.companions = std::vector<std::string>{"AB-001", "AB-002", "AB-003", "AB-004"}; // maxItems 4
    CHECK(body_error(s) == nullptr);
    s.companions->push_back("AB-005");
    require_body_violation(s, constraint_kind::max_items, "/companions");
    CHECK(body_error(s)->value() == "5 items");
    s.companions = std::vector<std::string>{"AB-001", "AB-002", "AB-001"};
    require_body_violation(s, constraint_kind::unique_items, "/companions");
    CHECK(body_error(s)->value() == "items 0 and 2 are equal");
    s.companions = std::vector<std::string>{"AB-001", "nope"}; // items: the SeedCode pattern
    require_body_violation(s, constraint_kind::pattern, "/companions/1");

    s = valid_seed();
    s.trays = std::map<std::string, std::int32_t>{{"large", 3}, {"small/x", 0}}; // values: minimum 1
    require_body_violation(s, constraint_kind::minimum, "/trays/small~1x");
    (*s.trays)["small/x"] = 1;
    CHECK(body_error(s) == nullptr);

    s = valid_seed();
    s.labels = std::vector<std::vector<std::string>>{{"Sow early"}, {}}; // inner arrays: minItems 1
    require_body_violation(s, constraint_kind::min_items, "/labels/1");
    s.labels = std::vector<std::vector<std::string>>{{"Sow early", "0123456789x"}}; // maxLength 10
    require_body_violation(s, constraint_kind::max_length, "/labels/0/1");

    s = valid_seed();
    s.grower = validation::grower{"", std::nullopt}; // minLength 1
    require_body_violation(s, constraint_kind::min_length, "/grower/name");
    s.grower = validation::grower{"Ada", specbound::nullable<std::string>(specbound::null)};
    CHECK(body_error(s) == nullptr); // null: nothing to check
    s.grower->email = specbound::nullable<std::string>("ada@example.com");
    CHECK(body_error(s) == nullptr);
    s.grower->email = specbound::nullable<std::string>("ada at example.com");
    require_body_violation(s, constraint_kind::pattern, "/grower/email");

    // A top-level body array: maxItems 2, then each item's own.
    validation::plan_sowing_request r;
    r.code = "TO-042";
    r.body = std::vector<validation::sowing>{{1, std::nullopt}, {52, std::nullopt}};
    CHECK(sowing_error(r) == nullptr);
    (*r.body)[1].week = 53;
    REQUIRE(sowing_error(r) != nullptr);
    CHECK(sowing_error(r)->pointer() == "/1/week");
    r.body->push_back({10, std::nullopt});
    REQUIRE(sowing_error(r) != nullptr);
    CHECK(sowing_error(r)->constraint() == constraint_kind::max_items);
    CHECK(sowing_error(r)->pointer().empty());
}

TEST_CASE("validation: an enum value the spec does not list", "[codegen][validation]")
{
    validation::seed s = valid_seed();
    s.season = validation::season::autumn;
    CHECK(body_error(s) == nullptr);
    s.season = specbound::open_enum<validation::season>::unknown("winter");
    require_body_violation(s, constraint_kind::enumeration, "/season");
    CHECK(body_error(s)->value() == "\"winter\"");
}

TEST_CASE("validation: parameters", "[codegen][validation]")
{
    validation::list_seeds_request r;
    CHECK(list_error(r) == nullptr); // nothing set, nothing to check

    for (int ok : {1, 50}) {
        r.limit = ok;
        CHECK(list_error(r) == nullptr);
    }
    for (int bad : {0, 51}) {
        r.limit = bad;
        auto e = list_error(r);
        REQUIRE(e != nullptr);
        CHECK(e->target() == validation_target::parameter);
        CHECK(e->parameter() == "limit");
        CHECK(e->pointer().empty());
        CHECK(e->constraint() == (bad == 0 ? constraint_kind::minimum : constraint_kind::maximum));
        CHECK(e->value() == std::to_string(bad));
    }
    r.limit.reset();

    r.prefix = "to";
    CHECK(list_error(r) == nullptr);
    for (const auto& [bad, kind] : {std::pair{"t", constraint_kind::min_length}, std::pair{"tomato1", constraint_kind::max_length},
                                    std::pair{"to2", constraint_kind::pattern}}) {
        r.prefix = bad;
        REQUIRE(list_error(r) != nullptr);
        CHECK(list_error(r)->constraint() == kind);
    }
    r.prefix.reset();

    r.colours = std::vector<std::string>{};
    REQUIRE(list_error(r) != nullptr);
    CHECK(list_error(r)->constraint() == constraint_kind::min_items);
    r.colours = std::vector<std::string>{"red", "RED"};
    CHECK(list_error(r) == nullptr);
    r.colours = std::vector<std::string>{"red", "red"};
    REQUIRE(list_error(r) != nullptr);
    CHECK(list_error(r)->constraint() == constraint_kind::unique_items);
    r.colours = std::vector<std::string>{"red", "gree"}; // ColourCode: exactly three
    REQUIRE(list_error(r) != nullptr);
    CHECK(list_error(r)->pointer() == "/1");
    CHECK(std::string(list_error(r)->what()) == "listSeeds: parameter 'colours' at /1 breaks maxLength 3");
    r.colours.reset();

    // A header parameter may carry a secret: the error never shows its value.
    r.x_trace_token = "s3cr3t";
    auto e = list_error(r);
    REQUIRE(e != nullptr);
    CHECK(e->parameter() == "X-Trace-Token");
    CHECK(e->value().empty());
    CHECK(std::string(e->what()).find("s3cr3t") == std::string::npos);

    validation::plan_sowing_request path;
    path.code = "to-042";
    REQUIRE(sowing_error(path) != nullptr);
    CHECK(sowing_error(path)->parameter() == "code");
}

TEST_CASE("validation: patterns std::regex cannot check are skipped, not fatal", "[codegen][validation]")
{
    using specbound::detail::match_pattern;
    using specbound::detail::pattern_result;
    CHECK(match_pattern("^[a-z]+$", "abc") == pattern_result::match);
    CHECK(match_pattern("[0-9]", "abc") == pattern_result::no_match);
    CHECK(match_pattern("[0-9]", "ab5c") == pattern_result::match); // unanchored, as JSON Schema says
    CHECK(match_pattern("([a-z", "abc") == pattern_result::not_checked);
    CHECK(match_pattern("(a{1000}){1000}", "a") == pattern_result::not_checked);
    CHECK(match_pattern("^[a-z]+$", std::string(specbound::detail::max_pattern_subject + 1, 'a')) ==
          pattern_result::not_checked);
    CHECK(match_pattern("^[a-z]+$", std::string(specbound::detail::max_pattern_subject, 'a')) == pattern_result::match);
}

TEST_CASE("validation through the client: off by default, per client, per call", "[codegen][validation]")
{
    boost::asio::io_context ioc;
    validation::add_seed_request bad{valid_seed()};
    bad.body.name = "X"; // minLength 2

    SECTION("off by default: the invalid value is sent")
    {
        auto mock = std::make_shared<specbound::testing::mock_transport>();
        mock->expect(specbound::http_method::post, "/v1/seeds").respond_json(201, seed_json);
        specbound::client_options options;
        options.transport = mock;
        validation::client api{ioc.get_executor(), std::move(options)};
        auto f = api.try_add_seed(bad, boost::asio::use_future);
        CHECK(run_until_ready(ioc, f).has_value());
        REQUIRE(mock->requests().size() == 1);
        CHECK(mock->requests()[0].request.body().find("\"X\"") != std::string::npos);
    }
    SECTION("on for the client: refused, and nothing reaches the transport")
    {
        auto mock = std::make_shared<specbound::testing::mock_transport>();
        specbound::client_options options;
        options.transport = mock;
        options.validation.requests = true;
        validation::client api{ioc.get_executor(), std::move(options)};
        auto f = api.try_add_seed(bad, boost::asio::use_future);
        specbound::result<validation::seed> r = run_until_ready(ioc, f);
        REQUIRE_FALSE(r.has_value());
        const auto* e = r.error_as<validation_error>();
        REQUIRE(e != nullptr);
        CHECK(e->pointer() == "/name");
        CHECK(std::string(e->what()) == "addSeed (POST /seeds): request body at /name breaks minLength 2");
        CHECK(mock->requests().empty());

        // The throwing form throws the typed error.
        auto thrown = api.add_seed(bad, boost::asio::use_future);
        CHECK_THROWS_AS(run_until_ready(ioc, thrown), validation_error);
        CHECK(mock->requests().empty());

        // A valid request goes through.
        mock->expect(specbound::http_method::post, "/v1/seeds").respond_json(201, seed_json);
        auto good = api.try_add_seed(validation::add_seed_request{valid_seed()}, boost::asio::use_future);
        CHECK(run_until_ready(ioc, good).has_value());
        CHECK(mock->requests().size() == 1);

        // call_options turns it off for one call.
        mock->expect(specbound::http_method::post, "/v1/seeds").respond_json(201, seed_json);
        specbound::call_options off;
        off.validation = specbound::validation_options{};
        auto sent = api.try_add_seed(bad, off, boost::asio::use_future);
        CHECK(run_until_ready(ioc, sent).has_value());
        CHECK(mock->requests().size() == 2);
    }
    SECTION("on for one call only")
    {
        auto mock = std::make_shared<specbound::testing::mock_transport>();
        specbound::client_options options;
        options.transport = mock;
        validation::client api{ioc.get_executor(), std::move(options)};
        specbound::call_options on;
        on.validation = specbound::validation_options{true, false};
        auto f = api.try_add_seed(bad, on, boost::asio::use_future);
        specbound::result<validation::seed> r = run_until_ready(ioc, f);
        REQUIRE_FALSE(r.has_value());
        CHECK(r.error_as<validation_error>() != nullptr);
        CHECK(mock->requests().empty());
    }
}

TEST_CASE("validation of responses", "[codegen][validation]")
{
    boost::asio::io_context ioc;
    const std::string listing = R"([{"code": "TO-042", "name": "Tomato", "grams": 2.5},
                                    {"code": "BE-007", "name": "Bean", "grams": 0, "season": "summer"}])";
    auto mock = std::make_shared<specbound::testing::mock_transport>();
    mock->expect(specbound::http_method::get, "/v1/seeds").times(2).respond_json(200, listing);
    specbound::client_options options;
    options.transport = mock;
    options.validation.responses = true;
    validation::client api{ioc.get_executor(), std::move(options)};

    auto f = api.try_list_seeds({}, boost::asio::use_future);
    specbound::result<std::vector<validation::seed>> r = run_until_ready(ioc, f);
    REQUIRE_FALSE(r.has_value());
    const auto* e = r.error_as<validation_error>();
    REQUIRE(e != nullptr);
    CHECK(e->is_response());
    CHECK(e->target() == validation_target::response_body);
    CHECK(e->pointer() == "/1/grams"); // exclusiveMinimum 0
    CHECK(e->constraint() == constraint_kind::exclusive_minimum);
    CHECK(e->value() == "0");
    // what() shows neither the server's values nor a pointer into them.
    CHECK(std::string(e->what()) == "listSeeds (GET /seeds): response body breaks exclusiveMinimum 0");

    // Off for this call: the same body is accepted as it decodes.
    specbound::call_options off;
    off.validation = specbound::validation_options{};
    auto accepted = api.try_list_seeds({}, off, boost::asio::use_future);
    specbound::result<std::vector<validation::seed>> ok = run_until_ready(ioc, accepted);
    REQUIRE(ok.has_value());
    CHECK(ok->size() == 2);
    CHECK(mock->all_consumed());
}

// The first violation validate_response finds in `json` decoded as T: its pointer, or "" if none.
template <class T>
std::string response_violation(const std::string& json)
{
    T value;
    REQUIRE_FALSE(specbound::json::decode(json, value));
    auto e = specbound::validate_response(value, "op");
    return e ? e->pointer() : std::string();
}

TEST_CASE("validation compiles no walk of what has nothing to check, and walks the rest", "[codegen][validation]")
{
    using specbound::detail::unchecked_model;
    using specbound::detail::walked_fields;
    // The generator marks a model with no constraint or enum anywhere in what it holds, a
    // recursive one too (Shelf holds Shelves) ...
    STATIC_REQUIRE(unchecked_model<validation::note>);
    STATIC_REQUIRE(unchecked_model<validation::shelf>);
    // ... and not one that holds a check through a field (Crate -> Batch -> Season), a cycle (Vine
    // <-> Tendril, whose length has a minimum), additional properties (Bins) or a union's
    // alternative (Bed -> Planting -> Batch).
    STATIC_REQUIRE_FALSE(unchecked_model<validation::batch>);
    STATIC_REQUIRE_FALSE(unchecked_model<validation::crate>);
    STATIC_REQUIRE_FALSE(unchecked_model<validation::vine>);
    STATIC_REQUIRE_FALSE(unchecked_model<validation::tendril>);
    STATIC_REQUIRE_FALSE(unchecked_model<validation::bins>);
    STATIC_REQUIRE_FALSE(unchecked_model<validation::bed>);

    // Only the fields that can break something are walked: Crate's batch (not its unchecked
    // shelf, nor a plain number), Batch's season (not its note); every field of Seed.
    STATIC_REQUIRE(walked_fields<validation::crate>() == std::array<std::size_t, 1>{2});
    STATIC_REQUIRE(walked_fields<validation::batch>() == std::array<std::size_t, 1>{1});
    STATIC_REQUIRE(walked_fields<validation::seed>().size() == 10);
    STATIC_REQUIRE(walked_fields<validation::note>().empty());

    // What is walked still finds what breaks, wherever it sits.
    CHECK(response_violation<validation::crate>(R"({"shelf": {"notes": [{"text": "a"}]}, "weight": 2,
                                                    "batch": {"note": {"text": "b"}, "season": "winter"}})") ==
          "/batch/season");
    CHECK(response_violation<validation::crate>(R"({"batch": {"season": "summer"}})").empty());
    CHECK(response_violation<validation::vine>(R"({"tendril": {"length": 2, "vine": {"tendril": {"length": 0}}}})") ==
          "/tendril/vine/tendril/length");
    CHECK(response_violation<validation::bins>(R"({"name": "n", "a": {"season": "spring"}, "b": {"season": "x"}})") ==
          "/b/season");
    CHECK(response_violation<validation::bed>(R"({"planting": {"season": "x"}})") == "/planting/season");
    CHECK(response_violation<validation::shelf>(R"({"label": {"text": "t"}, "shelves": [{"notes": [{"text": "n"}]}]})").empty());
}
