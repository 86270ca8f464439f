// The pagers of spec/pagination.yaml against Prism serving that spec: every page request a pager
// makes (the first, and the next ones with their page, offset or cursor parameters set) must pass
// Prism's validation, and every pager must end: with the last page, or with the typed refusal of
// a mock that answers the same cursor again or never runs out of pages (Prism's static answers).
#include <pagination/pagination.hpp>

#include "support/prism.hpp"

#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace {

const specbound::test::prism_server& pagination_prism()
{
    static const specbound::test::prism_server server(SPECBOUND_PRISM_SCRIPT,
                                                      std::filesystem::path(SPECBOUND_TEST_TMP) / "prism-pagination",
                                                      std::string(SPECBOUND_SPEC_DIR) + "/pagination.yaml");
    return server;
}

struct checked {
    boost::asio::io_context ioc;
    std::shared_ptr<std::vector<std::string>> violations = std::make_shared<std::vector<std::string>>();
    pagination::client api{ioc.get_executor(), options(violations)};

    static specbound::client_options options(std::shared_ptr<std::vector<std::string>> out)
    {
        specbound::client_options o = specbound::make_options(specbound::bearer_token{"prism-token"});
        o.base_url = pagination_prism().url();
        o.retry.max_retries = 0;
        o.middlewares.push_back(specbound::test::record_violations(std::move(out)));
        return o;
    }
};

/// Reads every item (at most 10 pages); how it ended: "end" or the refusal's kind.
template <class Items>
std::string drain(Items items, std::size_t& count)
{
    for (;;) {
        auto r = items.try_next(specbound::blocking);
        if (!r)
            return r.template error_as<specbound::pagination_error>() ? "refused" : std::string(r.error()->what());
        if (!*r)
            return "end";
        ++count;
    }
}

} // namespace

TEST_CASE("every pager's requests pass Prism's validation, and every pager ends", "[prism][pagination]")
{
    checked c;
    const specbound::page_options ten{10};
    const specbound::call_options none;
    std::size_t n = 0;

    pagination::list_bolts_request bolts;
    bolts.per_page = 5;
    CHECK(drain(c.api.list_bolts_items(bolts, none, ten), n) == "end"); // no Link header: one page
    pagination::list_nuts_request nuts;
    nuts.per_page = 1;
    CHECK(drain(c.api.list_nuts_items(nuts, none, ten), n) == "end"); // links.pages is {}: one page
    pagination::list_springs_request springs;
    springs.per_page = 2;
    const std::string springs_end = drain(c.api.list_springs_items(springs, none, ten), n);
    CHECK((springs_end == "end" || springs_end == "refused"));
    // A static mock answers the same cursor every time, and a page that is never empty.
    CHECK(drain(c.api.list_washers_items(pagination::list_washers_request{}, none, ten), n) == "refused");
    CHECK(drain(c.api.list_rivets_items(pagination::list_rivets_request{}, none, ten), n) == "refused");
    CHECK(drain(c.api.list_gears_items(pagination::list_gears_request{}, none, ten), n) == "refused");
    CHECK(n >= 6);
    for (const std::string& v : *c.violations)
        UNSCOPED_INFO(v);
    CHECK(c.violations->empty());
}
