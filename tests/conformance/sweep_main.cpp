// A real spec's operations (all, or those of some tags: SPECBOUND_SWEEP_PARTIAL), each with a
// request built by `specbound-gen examples`, sent through the generated client to Prism serving the
// same spec. Prints the counts (passed, failed by reason, with the failures the spec itself causes
// named as such) and fails on any failure that is not proven to be the spec's, and on any
// difference from the pinned list of failures (SPECBOUND_SWEEP_EXPECTED): a new one, one with
// another reason, one that is gone. Built once per API by specbound_conformance_sweep().
#include "sweep.hpp"

#include "support/prism.hpp"

#include SPECBOUND_SWEEP_API_HEADER

#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>

namespace {

void print_report(const std::vector<specbound::sweep::outcome>& outcomes)
{
    std::map<std::pair<bool, std::string>, int> counts;
    for (const auto& o : outcomes)
        ++counts[{o.spec_fault, o.reason}];
    std::cout << SPECBOUND_SWEEP_TITLE << ": " << outcomes.size() << " operations\n";
    for (const auto& [key, n] : counts)
        std::cout << "  " << (key.second == "passed" ? "" : key.first ? "failed, the spec's fault: " : "failed: ")
                  << key.second << ": " << n << "\n";
    const auto substituted = std::count_if(outcomes.begin(), outcomes.end(), [](const auto& o) {
        return o.reason == "passed" && !o.detail.empty();
    });
    std::cout << "  of those passed, with values the generator built in place of the spec's examples that "
                 "contradict their schema (the spec's fault, see `specbound-gen lint`): "
              << substituted << "\n";
    for (const auto& o : outcomes)
        if (o.reason != "passed" || !o.detail.empty())
            std::cout << "  - " << o.operation << ": " << (o.spec_fault ? "[spec] " : "") << o.reason << ": " << o.detail
                      << "\n";
    std::cout.flush();
}

} // namespace

TEST_CASE("every swept operation passes Prism's validation and decodes", "[conformance]")
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
    specbound::client client(ioc.get_executor(), SPECBOUND_SWEEP_API, std::move(options));

    specbound::sweep::context ctx{client, examples, state, {}};
    for (const auto& shard : specbound::sweep::shards())
        shard(ctx);
    print_report(ctx.outcomes);

    constexpr bool partial = SPECBOUND_SWEEP_PARTIAL;
    if (!partial)
        CHECK(ctx.outcomes.size() == examples.size()); // every operation swept, once
    const std::vector<std::string> problems = specbound::sweep::verdict(
        ctx.outcomes, specbound::sweep::read_expected_failures(SPECBOUND_SWEEP_EXPECTED), partial);
    for (const std::string& problem : problems)
        UNSCOPED_INFO(problem);
    CHECK(problems.empty());
}
