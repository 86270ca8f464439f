// DigitalOcean's real spec, every operation: a request built by `specbound-gen examples`, sent
// through the generated client to Prism serving the same spec. Prints the counts (passed, failed
// by reason, with the failures the spec itself causes named as such) and fails on any failure
// that is not proven to be the spec's, and on any difference from the pinned list of the spec's
// faults (digitalocean_expected.txt): a new one, one with another reason, one that is gone.
#include "sweep.hpp"

#include "support/prism.hpp"

#include <digitalocean/api.hpp>
#include <digitalocean/ops/droplets.hpp>

#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>

// A known operation has the expected shape.
static_assert(digitalocean::ops::droplets_list::method == specbound::http_method::get);
static_assert(digitalocean::ops::droplets_list::path == "/v2/droplets");
static_assert(digitalocean::ops::droplets_get::path == "/v2/droplets/{droplet_id}");
static_assert(specbound::get<0>(digitalocean::ops::droplets_get::parameters).in == specbound::param_in::path);
static_assert(digitalocean::ops::droplets_list::security[0].schemes[0] == "bearer_auth");
static_assert(digitalocean::api.default_server == "https://api.digitalocean.com");

namespace {

void print_report(const std::vector<specbound::sweep::outcome>& outcomes)
{
    std::map<std::pair<bool, std::string>, int> counts;
    for (const auto& o : outcomes)
        ++counts[{o.spec_fault, o.reason}];
    std::cout << "DigitalOcean conformance sweep: " << outcomes.size() << " operations\n";
    for (const auto& [key, n] : counts)
        std::cout << "  " << (key.second == "passed" ? "" : key.first ? "failed, the spec's fault: " : "failed: ")
                  << key.second << ": " << n << "\n";
    for (const auto& o : outcomes)
        if (o.reason != "passed")
            std::cout << "  - " << o.operation << ": " << (o.spec_fault ? "[spec] " : "") << o.reason << ": " << o.detail
                      << "\n";
    std::cout.flush();
}

} // namespace

TEST_CASE("every DigitalOcean operation passes Prism's validation and decodes", "[conformance][digitalocean]")
{
    const boost::json::object examples = specbound::sweep::read_examples(SPECBOUND_SWEEP_EXAMPLES);
    specbound::test::prism_server prism(SPECBOUND_PRISM_SCRIPT, std::filesystem::path(SPECBOUND_TEST_TMP) / "prism",
                                        SPECBOUND_SWEEP_SPEC);

    boost::asio::io_context ioc;
    auto state = std::make_shared<specbound::sweep::call_state>();
    specbound::client_options options = specbound::make_options(specbound::bearer_token{"sweep-token"});
    options.base_url = prism.url();
    options.retry.max_retries = 0; // a failure must show, not be retried away
    options.middlewares.push_back(specbound::sweep::attempt_hook(state));
    specbound::client client(ioc.get_executor(), digitalocean::api, std::move(options));

    specbound::sweep::context ctx{client, examples, state, {}};
    for (const auto& shard : specbound::sweep::shards())
        shard(ctx);
    print_report(ctx.outcomes);

    CHECK(ctx.outcomes.size() == examples.size()); // every operation swept, once
    const std::vector<std::string> problems =
        specbound::sweep::verdict(ctx.outcomes, specbound::sweep::read_expected_failures(SPECBOUND_SWEEP_EXPECTED));
    for (const std::string& problem : problems)
        UNSCOPED_INFO(problem);
    CHECK(problems.empty());
}
