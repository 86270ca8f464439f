// Pagination through the generated client (spec/pagination.yaml): each pattern's pages and items,
// the pages' calls as a scripted transport sees them, and what a pager refuses.
#include <pagination/pagination.hpp>

#include <specbound/testing/mock_transport.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

using specbound::http_method;
using specbound::testing::mock_transport;

std::string part(int id) { return R"({"id":)" + std::to_string(id) + R"(,"name":"p)" + std::to_string(id) + R"("})"; }

std::string parts(std::initializer_list<int> ids)
{
    std::string out = "[";
    for (int id : ids)
        out += (out.size() > 1 ? "," : "") + part(id);
    return out + "]";
}

struct fixture {
    boost::asio::io_context ioc;
    std::shared_ptr<mock_transport> mock = std::make_shared<mock_transport>();
    pagination::client api{ioc.get_executor(), options(mock)};

    static specbound::client_options options(std::shared_ptr<mock_transport> m)
    {
        specbound::client_options o = specbound::make_options(specbound::bearer_token{"secret-token"});
        o.transport = std::move(m);
        o.retry.initial_backoff = std::chrono::milliseconds(1);
        o.retry.max_backoff = std::chrono::milliseconds(2);
        return o;
    }

    /// Runs `f` (an awaitable) to completion, bounded.
    template <class Awaitable>
    auto run(Awaitable a)
    {
        auto f = boost::asio::co_spawn(ioc, std::move(a), boost::asio::use_future);
        for (int i = 0; i < 1000 && f.wait_for(std::chrono::seconds(0)) != std::future_status::ready; ++i) {
            ioc.restart();
            ioc.run_for(std::chrono::milliseconds(10));
        }
        REQUIRE(f.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
        return f.get();
    }

    std::string target(std::size_t i) const { return std::string(mock->requests().at(i).request.target()); }
};

/// Every item's id, through item_pager::next() until the end.
template <class Items>
boost::asio::awaitable<std::vector<std::int64_t>> ids_of(Items items)
{
    std::vector<std::int64_t> out;
    while (auto p = co_await items.next())
        out.push_back(p->id);
    co_return out;
}

} // namespace

TEST_CASE("link_header: pages follow rel=next, relative or absolute, with the credentials", "[pagination]")
{
    fixture t;
    t.mock->expect(http_method::get, "/v1/bolts?per_page=2")
        .respond_json(200, parts({1, 2}),
                      {{"Link", R"(<https://depot.example.test/v1/bolts?per_page=2&page=2>; rel="next", )"
                                R"(<https://depot.example.test/v1/bolts?per_page=2&page=3>; rel="last")"}});
    // A relative link, rel among several types, and another Link field before it.
    t.mock->expect(http_method::get, "/v1/bolts?per_page=2&page=2")
        .respond_json(200, parts({3, 4}),
                      {{"Link", R"(</v1/bolts?per_page=2&page=1>; rel="prev first")"},
                       {"link", R"(<bolts?per_page=2&page=3>; title="a, b"; rel="last next")"}});
    t.mock->expect(http_method::get, "/v1/bolts?per_page=2&page=3")
        .respond_json(200, parts({5}), {{"Link", R"(</v1/bolts?per_page=2&page=1>; rel="first")"}});

    pagination::list_bolts_request req;
    req.per_page = 2;
    CHECK(t.run(ids_of(t.api.list_bolts_items(req))) == std::vector<std::int64_t>{1, 2, 3, 4, 5});
    REQUIRE(t.mock->requests().size() == 3);
    for (const auto& r : t.mock->requests())
        CHECK(r.request["authorization"] == "Bearer secret-token");
    CHECK(t.mock->all_consumed());
}

TEST_CASE("pages are fetched only when asked, and the pager says when it is done", "[pagination]")
{
    fixture t;
    t.mock->expect(http_method::get, "/v1/bolts")
        .respond_json(200, parts({1}), {{"Link", R"(</v1/bolts?page=2>; rel="next")"}});
    t.mock->expect(http_method::get, "/v1/bolts?page=2").respond_json(200, parts({2}));
    auto pages = t.api.list_bolts_pages(pagination::list_bolts_request{});
    auto first = t.run([&]() -> boost::asio::awaitable<std::optional<std::vector<pagination::part>>> {
        co_return co_await pages.next();
    }());
    REQUIRE(first);
    CHECK(first->at(0).id == 1);
    CHECK(t.mock->requests().size() == 1); // nothing fetched ahead
    CHECK_FALSE(pages.done());
    // The blocking form, from a thread that does not run the context.
    auto second = pages.next(specbound::blocking);
    REQUIRE(second);
    CHECK(second->at(0).id == 2);
    CHECK(pages.done());
    CHECK_FALSE(pages.next(specbound::blocking));
    CHECK(pages.pages() == 2);
    CHECK(t.mock->requests().size() == 2);
}

TEST_CASE("next_link: the body's link, through the union that holds it, until a page has none", "[pagination]")
{
    fixture t;
    t.mock->expect(http_method::get, "/v1/nuts?per_page=1")
        .respond_json(200, R"({"nuts":[)" + part(1) + R"(],"links":{"pages":{"next":"https://depot.example.test/v1/nuts?page=2&per_page=1","last":"https://depot.example.test/v1/nuts?page=2&per_page=1"}},"meta":{"total":2}})");
    t.mock->expect(http_method::get, "/v1/nuts?page=2&per_page=1")
        .respond_json(200, R"({"nuts":[)" + part(2) + R"(],"links":{"pages":{"first":"https://depot.example.test/v1/nuts?page=1&per_page=1","prev":"https://depot.example.test/v1/nuts?page=1&per_page=1"}},"meta":{"total":2}})");
    pagination::list_nuts_request req;
    req.per_page = 1;
    CHECK(t.run(ids_of(t.api.list_nuts_items(req))) == std::vector<std::int64_t>{1, 2});
    CHECK(t.mock->all_consumed());
}

TEST_CASE("a next link to another origin is refused, and the credentials never go there", "[pagination]")
{
    fixture t;
    t.mock->expect(http_method::get, "/v1/nuts")
        .respond_json(200, R"({"nuts":[)" + part(1) + R"(],"links":{"pages":{"next":"https://collector.example.test/v1/nuts?page=2"}},"meta":{"total":9}})");
    auto pages = t.api.list_nuts_pages(pagination::list_nuts_request{});
    auto outcome = t.run([&]() -> boost::asio::awaitable<std::pair<std::size_t, specbound::result<std::optional<pagination::list_nuts_response>>>> {
        auto first = co_await pages.try_next();
        auto second = co_await pages.try_next();
        co_return std::pair{first && *first ? (*first)->nuts->size() : 0, std::move(second)};
    }());
    CHECK(outcome.first == 1); // the page with the link was delivered
    REQUIRE_FALSE(outcome.second);
    const auto* e = outcome.second.error_as<specbound::pagination_error>();
    REQUIRE(e);
    CHECK(e->code() == specbound::client_errc::pagination_refused);
    CHECK(e->page() == 1);
    CHECK(e->link() == "https://collector.example.test/v1/nuts?page=2");
    CHECK(std::string(e->what()).find("another origin") != std::string::npos);
    CHECK(t.mock->requests().size() == 1);
    // Refused for good: asking again does not send anything either.
    CHECK_FALSE(pages.try_next(specbound::blocking));
    CHECK(t.mock->requests().size() == 1);
}

TEST_CASE("a page cycle is refused: a link or a cursor seen before", "[pagination]")
{
    SECTION("link back to a page already followed")
    {
        fixture t;
        t.mock->expect(http_method::get, "/v1/bolts").respond_json(200, parts({1}), {{"Link", "</v1/bolts?page=2>; rel=next"}});
        t.mock->expect(http_method::get, "/v1/bolts?page=2").respond_json(200, parts({2}), {{"Link", "</v1/bolts?page=3>; rel=next"}});
        t.mock->expect(http_method::get, "/v1/bolts?page=3").respond_json(200, parts({3}), {{"Link", "</v1/bolts?page=2>; rel=next"}});
        auto items = t.api.list_bolts_items(pagination::list_bolts_request{});
        std::vector<std::int64_t> seen;
        REQUIRE_THROWS_AS(t.run([&]() -> boost::asio::awaitable<void> {
                              while (auto p = co_await items.next())
                                  seen.push_back(p->id);
                          }()),
                          specbound::pagination_error);
        CHECK(seen == std::vector<std::int64_t>{1, 2, 3}); // nothing lost before the refusal
        CHECK(t.mock->requests().size() == 3);
    }
    SECTION("link back to the first page")
    {
        fixture t;
        t.mock->expect(http_method::get, "/v1/bolts?per_page=5").respond_json(200, parts({1}), {{"Link", "</v1/bolts?per_page=5>; rel=next"}});
        auto pages = t.api.list_bolts_pages(pagination::list_bolts_request{5, std::nullopt});
        CHECK(pages.next(specbound::blocking));
        CHECK_THROWS_AS(pages.next(specbound::blocking), specbound::pagination_error);
        CHECK(t.mock->requests().size() == 1);
    }
    SECTION("a cursor already followed")
    {
        fixture t;
        t.mock->expect(http_method::get, "/v1/washers").respond_json(200, R"({"data":[)" + part(1) + R"(],"meta":{"next_cursor":"c1"}})");
        t.mock->expect(http_method::get, "/v1/washers?cursor=c1").respond_json(200, R"({"data":[)" + part(2) + R"(],"meta":{"next_cursor":"c1"}})");
        auto pages = t.api.list_washers_pages(pagination::list_washers_request{});
        CHECK(pages.next(specbound::blocking));
        CHECK(pages.next(specbound::blocking));
        auto third = pages.try_next(specbound::blocking);
        REQUIRE_FALSE(third);
        CHECK(third.error_as<specbound::pagination_error>());
        CHECK(t.mock->requests().size() == 2);
    }
}

TEST_CASE("cursor: sent back in its parameter until the body has none (null or absent)", "[pagination]")
{
    fixture t;
    t.mock->expect(http_method::get, "/v1/washers?limit=2").respond_json(200, R"({"data":[)" + part(1) + "," + part(2) + R"(],"meta":{"next_cursor":"a b/c"}})");
    t.mock->expect(http_method::get, "/v1/washers?cursor=a%20b%2Fc&limit=2").respond_json(200, R"({"data":[)" + part(3) + R"(],"meta":{"next_cursor":"z"}})");
    t.mock->expect(http_method::get, "/v1/washers?cursor=z&limit=2").respond_json(200, R"({"data":[],"meta":{"next_cursor":null}})");
    pagination::list_washers_request req;
    req.limit = 2;
    CHECK(t.run(ids_of(t.api.list_washers_items(req))) == std::vector<std::int64_t>{1, 2, 3});
    CHECK(t.mock->all_consumed());
}

TEST_CASE("page_number: the next page until the total is reached, or an empty page", "[pagination]")
{
    SECTION("the total ends it without asking for more")
    {
        fixture t;
        t.mock->expect(http_method::get, "/v1/springs?per_page=2").respond_json(200, R"({"springs":[)" + part(1) + "," + part(2) + R"(],"total_count":3})");
        t.mock->expect(http_method::get, "/v1/springs?page=2&per_page=2").respond_json(200, R"({"springs":[)" + part(3) + R"(],"total_count":3})");
        pagination::list_springs_request req;
        req.per_page = 2;
        CHECK(t.run(ids_of(t.api.list_springs_items(req))) == std::vector<std::int64_t>{1, 2, 3});
        CHECK(t.mock->requests().size() == 2);
    }
    SECTION("an empty page ends it and is not a page; a starting page is kept")
    {
        fixture t;
        t.mock->expect(http_method::get, "/v1/springs?page=4").respond_json(200, R"({"springs":[)" + part(7) + "]}");
        t.mock->expect(http_method::get, "/v1/springs?page=5").respond_json(200, R"({"springs":[]})");
        pagination::list_springs_request req;
        req.page = 4;
        auto pages = t.api.list_springs_pages(req);
        CHECK(pages.next(specbound::blocking));
        CHECK_FALSE(pages.next(specbound::blocking));
        CHECK(pages.pages() == 1);
        CHECK(pages.done());
    }
}

TEST_CASE("offset: advances by the items received, ends with an empty page", "[pagination]")
{
    fixture t;
    t.mock->expect(http_method::get, "/v1/rivets?limit=2").respond_json(200, parts({1, 2}));
    t.mock->expect(http_method::get, "/v1/rivets?offset=2&limit=2").respond_json(200, parts({3}));
    t.mock->expect(http_method::get, "/v1/rivets?offset=3&limit=2").respond_json(200, "[]");
    pagination::list_rivets_request req;
    req.limit = 2;
    CHECK(t.run(ids_of(t.api.list_rivets_items(req))) == std::vector<std::int64_t>{1, 2, 3});
    CHECK(t.mock->all_consumed());
}

TEST_CASE("declared with x-specbound-pagination: nested items and cursor", "[pagination]")
{
    fixture t;
    t.mock->expect(http_method::get, "/v1/gears").respond_json(200, R"({"batch":{"gears":[)" + part(1) + R"(],"resume_from":"g2"}})");
    t.mock->expect(http_method::get, "/v1/gears?from=g2").respond_json(200, R"({"batch":{"gears":[)" + part(2) + R"(]}})");
    CHECK(t.run(ids_of(t.api.list_gears_items(pagination::list_gears_request{}))) == std::vector<std::int64_t>{1, 2});
}

TEST_CASE("each page is a whole call: retried, and a failed page can be asked for again", "[pagination]")
{
    fixture t;
    t.mock->expect(http_method::get, "/v1/rivets").respond_json(200, parts({1}));
    t.mock->expect(http_method::get, "/v1/rivets?offset=1").respond(503); // retried by the engine
    t.mock->expect(http_method::get, "/v1/rivets?offset=1").respond_json(200, parts({2}));
    t.mock->expect(http_method::get, "/v1/rivets?offset=2").respond(404, R"({"message":"gone"})");
    t.mock->expect(http_method::get, "/v1/rivets?offset=2").respond_json(200, "[]");
    auto pages = t.api.list_rivets_pages(pagination::list_rivets_request{});
    CHECK(pages.next(specbound::blocking)->at(0).id == 1);
    CHECK(pages.next(specbound::blocking)->at(0).id == 2);
    auto failed = pages.try_next(specbound::blocking);
    REQUIRE_FALSE(failed);
    CHECK(failed.error_as<specbound::not_found_error>());
    CHECK_FALSE(pages.done());
    CHECK_FALSE(pages.next(specbound::blocking)); // the same page again: empty, the end
    CHECK(t.mock->all_consumed());
    CHECK(t.mock->requests().size() == 5);
}

TEST_CASE("page_options::max_pages: more pages is an error, never a silent end", "[pagination]")
{
    fixture t;
    t.mock->expect(http_method::get, "/v1/springs").respond_json(200, R"({"springs":[)" + part(1) + "]}");
    t.mock->expect(http_method::get, "/v1/springs?page=2").respond_json(200, R"({"springs":[)" + part(2) + "]}");
    auto pages = t.api.list_springs_pages(pagination::list_springs_request{}, specbound::call_options{},
                                          specbound::page_options{2});
    CHECK(pages.next(specbound::blocking));
    CHECK(pages.next(specbound::blocking));
    auto third = pages.try_next(specbound::blocking);
    REQUIRE_FALSE(third);
    REQUIRE(third.error_as<specbound::pagination_error>());
    CHECK(std::string(third.error()->what()).find("max_pages") != std::string::npos);
    CHECK(t.mock->requests().size() == 2);
}

TEST_CASE("per-call options apply to every page; their query only to the first", "[pagination]")
{
    fixture t;
    t.mock->expect(http_method::get, "/v1/bolts?trace=1")
        .respond_json(200, parts({1}), {{"Link", "</v1/bolts?page=2&trace=1>; rel=next"}});
    t.mock->expect(http_method::get, "/v1/bolts?page=2&trace=1").respond_json(200, parts({2}));
    specbound::call_options o;
    o.headers = {{"X-Tenant", "blue"}};
    o.query = {{"trace", "1"}};
    CHECK(t.run(ids_of(t.api.list_bolts_items(pagination::list_bolts_request{}, o))) == std::vector<std::int64_t>{1, 2});
    for (const auto& r : t.mock->requests())
        CHECK(r.request["x-tenant"] == "blue");
    CHECK(t.mock->all_consumed());
}

TEST_CASE("the generated descriptors say how each operation pages", "[pagination]")
{
    using specbound::page_style;
    STATIC_REQUIRE(pagination::ops::list_bolts::pagination::style == page_style::link_header);
    STATIC_REQUIRE(pagination::ops::list_nuts::pagination::style == page_style::next_link);
    STATIC_REQUIRE(pagination::ops::list_washers::pagination::style == page_style::cursor);
    STATIC_REQUIRE(pagination::ops::list_springs::pagination::style == page_style::page_number);
    STATIC_REQUIRE(pagination::ops::list_rivets::pagination::style == page_style::offset);
    STATIC_REQUIRE(pagination::ops::list_gears::pagination::style == page_style::cursor);
    STATIC_REQUIRE_FALSE(specbound::paginated_operation<pagination::ops::list_pulleys>);
    STATIC_REQUIRE_FALSE(specbound::paginated_operation<pagination::ops::list_chains>);
    STATIC_REQUIRE(std::is_same_v<specbound::page_item_t<pagination::ops::list_nuts>, pagination::part>);
}
