// The conformance sweep's judgement, tested rather than trusted. spec/sweep_probe.yaml has
// examples that are wrong on purpose (two request examples, two response examples); its generated
// client must pass the sweep with exactly those blamed on the spec (sweep_probe_expected.txt), or
// with the generator's own request in place of the example that contradicts its schema. A
// copy of the client with injected generator faults (inject_fault.cmake: a required member never
// sent, a number declared a string) must fail it, each fault blamed on the client, even where
// the spec's example is also wrong.
#include "sweep.hpp"

#include "support/prism.hpp"

#include <sweepprobe/api.hpp>
#include <sweepprobe/ops/default.hpp>
#include <sweepprobe_injected/api.hpp>
#include <sweepprobe_injected/ops/default.hpp>

#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>

using specbound::sweep::outcome;

namespace {

/// Every operation of `ops` swept through a client of `api` against Prism at `url`.
template <class Ops>
std::map<std::string, outcome> sweep(const specbound::api_description& api, Ops ops, const std::string& url)
{
    const boost::json::object examples = specbound::sweep::read_examples(SPECBOUND_SWEEP_EXAMPLES);
    boost::asio::io_context ioc;
    auto state = std::make_shared<specbound::sweep::call_state>();
    specbound::client_options options;
    options.base_url = url;
    options.retry.max_retries = 0;
    options.middlewares.push_back(specbound::sweep::attempt_hook(state));
    specbound::client client(ioc.get_executor(), api, std::move(options));
    specbound::sweep::context ctx{client, examples, state, {}};
    ctx.run(ops);
    std::map<std::string, outcome> by_operation;
    for (outcome& o : ctx.outcomes) {
        UNSCOPED_INFO(o.operation << ": " << (o.spec_fault ? "[spec] " : "") << o.reason << ": " << o.detail);
        by_operation[o.operation] = std::move(o);
    }
    return by_operation;
}

std::vector<std::string> problems(const std::map<std::string, outcome>& outcomes)
{
    std::vector<outcome> all;
    for (const auto& [name, o] : outcomes)
        all.push_back(o);
    return specbound::sweep::verdict(all, specbound::sweep::read_expected_failures(SPECBOUND_SWEEP_EXPECTED));
}

} // namespace

TEST_CASE("the sweep blames the spec's own wrong examples on the spec, and nothing else", "[conformance][sweep]")
{
    specbound::test::prism_server prism(SPECBOUND_PRISM_SCRIPT, std::filesystem::path(SPECBOUND_TEST_TMP) / "prism",
                                        SPECBOUND_SWEEP_SPEC);
    const auto outcomes = sweep(sweepprobe::api, sweepprobe::operations::default_{}, prism.url());
    REQUIRE(outcomes.size() == 5);
    CHECK(outcomes.at("getGadget").reason == "passed");
    CHECK(outcomes.at("getGadget").detail.empty());
    // The request example's `contact` is no email: Prism flags it where it flags what the client sent.
    CHECK(outcomes.at("createThing").reason == "spec_example_invalid");
    CHECK(outcomes.at("createThing").spec_fault);
    // The request example's `code` is too long for its schema: the generator built the body
    // instead, the client's request passes, and the outcome says what the spec got wrong.
    CHECK(outcomes.at("replaceThing").reason == "passed");
    CHECK(outcomes.at("replaceThing").detail.find("body: ") != std::string::npos);
    CHECK(outcomes.at("replaceThing").detail.find("maxLength") != std::string::npos);
    // The response examples hold a string weight: Prism flags its own response where the decoder fails.
    CHECK(outcomes.at("listGadgets").reason == "spec_response_example_invalid");
    CHECK(outcomes.at("getGadgetPair").reason == "spec_response_example_invalid");
    const std::vector<std::string> found = problems(outcomes);
    for (const std::string& p : found)
        UNSCOPED_INFO(p);
    CHECK(found.empty());
}

TEST_CASE("an injected generator fault fails the sweep as the client's, never the spec's", "[conformance][sweep]")
{
    specbound::test::prism_server prism(SPECBOUND_PRISM_SCRIPT, std::filesystem::path(SPECBOUND_TEST_TMP) / "prism",
                                        SPECBOUND_SWEEP_SPEC);
    const auto outcomes = sweep(sweepprobe_injected::api, sweepprobe_injected::operations::default_{}, prism.url());
    REQUIRE(outcomes.size() == 5);
    // `name` never sent: Prism flags the body for it as well as for `contact`; the spec's example is
    // flagged for `contact` only, so the body is not the spec's fault.
    CHECK(outcomes.at("createThing").reason == "request_violation");
    CHECK_FALSE(outcomes.at("createThing").spec_fault);
    // The body the generator built in place of the wrong example is no excuse either.
    CHECK(outcomes.at("replaceThing").reason == "request_violation");
    CHECK_FALSE(outcomes.at("replaceThing").spec_fault);
    // A valid example that the faulty model cannot decode: Prism flags nothing.
    CHECK(outcomes.at("getGadget").reason == "response_undecodable");
    CHECK_FALSE(outcomes.at("getGadget").spec_fault);
    // Prism flags /first/weight; the faulty model fails at /second/weight: not the same place.
    CHECK(outcomes.at("getGadgetPair").reason == "response_undecodable");
    CHECK_FALSE(outcomes.at("getGadgetPair").spec_fault);

    const std::vector<std::string> found = problems(outcomes);
    auto reported = [&](std::string_view what) {
        return std::any_of(found.begin(), found.end(), [&](const std::string& p) { return p.find(what) == 0; });
    };
    CHECK(reported("createThing: failed, ours: request_violation"));
    CHECK(reported("replaceThing: failed, ours: request_violation"));
    CHECK(reported("getGadget: failed, ours: response_undecodable"));
    CHECK(reported("getGadgetPair: failed, ours: response_undecodable"));
}
