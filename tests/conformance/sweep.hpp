// The conformance sweep: every operation of a generated API, called through the generated client
// against Prism serving the same spec, with a request built from `specbound-gen examples`.
//
// Each operation ends in one outcome: passed, or failed with a reason. A failure is blamed on the
// spec only when Prism itself proves it: Prism flags the spec's own example sent byte for byte as
// the spec wrote it, or the spec's response example does not decode while a response Prism
// generates from the schema does. Everything else counts as ours.
#pragma once

#include <specbound/client.hpp>
#include <specbound/json/decode.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace specbound::sweep {

struct outcome {
    std::string operation; // operationId
    std::string reason;    // "passed" or why it failed
    bool spec_fault = false;
    std::string detail;
};

/// What the middleware does to and learns from the attempt in flight.
struct call_state {
    std::string prefer;                  // Prism's Prefer header ("dynamic=true"), "" for none
    std::optional<std::string> raw_body; // replaces the encoded body: the spec's example as written
    std::string violations;              // Prism's sl-violations of the last attempt
    int status = 0;

    void reset()
    {
        prefer.clear();
        raw_body.reset();
        violations.clear();
        status = 0;
    }
};

inline middleware attempt_hook(std::shared_ptr<call_state> state)
{
    return [state = std::move(state)](const attempt_info&, http_request& request,
                                      next_layer next) -> boost::asio::awaitable<transport_result> {
        if (!state->prefer.empty())
            request.set("Prefer", state->prefer);
        if (state->raw_body) {
            request.body() = *state->raw_body;
            request.prepare_payload();
        }
        transport_result r = co_await next(request);
        if (!r.ec) {
            state->status = r.response.result_int();
            if (auto it = r.response.find("sl-violations"); it != r.response.end())
                state->violations = std::string(it->value());
        }
        co_return r;
    };
}

struct context {
    specbound::client& client;
    const boost::json::object& examples; // specbound-gen examples output
    std::shared_ptr<call_state> state;
    std::vector<outcome> outcomes;

    template <class... Ops>
    void run(operation_list<Ops...> ops);
};

/// Shards (one per translation unit, for compile time and memory) register themselves here.
inline std::vector<std::function<void(context&)>>& shards()
{
    static std::vector<std::function<void(context&)>> all;
    return all;
}

inline bool register_shard(std::function<void(context&)> shard)
{
    shards().push_back(std::move(shard));
    return true;
}

namespace detail {

constexpr std::string_view location_name(param_in in) noexcept
{
    switch (in) {
    case param_in::path: return "path";
    case param_in::query: return "query";
    case param_in::header: return "header";
    case param_in::cookie: return "cookie";
    }
    return "";
}

inline std::string excerpt(std::string_view s, std::size_t limit = 300)
{
    return s.size() <= limit ? std::string(s) : std::string(s.substr(0, limit)) + "...";
}

inline bool from_spec(const boost::json::object& entry)
{
    const boost::json::value* source = entry.if_contains("source");
    return source && source->is_string() && source->get_string() == "spec_example";
}

/// Why the example request could not be put into the generated request type.
struct fill_failure {
    std::string what;
    bool body = false;      // the body did not decode (a parameter otherwise)
    bool from_spec = false; // the value is the spec's own example
};

template <class Op>
std::optional<fill_failure> fill_request(const boost::json::object& example, typename Op::request_type& request)
{
    std::optional<fill_failure> failure;
    const boost::json::object* params = nullptr;
    if (const boost::json::value* p = example.if_contains("parameters"))
        params = p->if_object();
    specbound::apply(
        [&](const auto&... p) {
            [[maybe_unused]] auto fill = [&](const auto& param) {
                if (failure || !params)
                    return;
                const boost::json::value* entry = params->if_contains(param.name);
                if (!entry || !entry->is_object() || entry->as_object().at("in").as_string() != location_name(param.in))
                    return;
                const boost::json::object& e = entry->as_object();
                if (auto f = json::from_value(e.at("value"), request.*(param.member)))
                    failure = fill_failure{"parameter " + std::string(param.name) + " (" + e.at("source").as_string().c_str() +
                                               " " + excerpt(boost::json::serialize(e.at("value")), 120) + "): " + f->pointer +
                                               " " + f->message,
                                           false, from_spec(e)};
            };
            (fill(p), ...);
        },
        Op::parameters);
    const boost::json::value* body = example.if_contains("body");
    if (failure || !body)
        return failure;
    const boost::json::object& b = body->as_object();
    bool bound = false;
    specbound::apply(
        [&](const auto&... entries) {
            [[maybe_unused]] auto fill = [&](const auto& entry) {
                if (bound || entry.media_type != b.at("media_type").as_string())
                    return;
                bound = true;
                if (auto f = json::from_value(b.at("value"), request.*(entry.member)))
                    failure = fill_failure{"body (" + std::string(b.at("source").as_string()) + "): " + f->pointer + " " + f->message,
                                           true, from_spec(b)};
            };
            (fill(entries), ...);
        },
        Op::body);
    if (!bound && !failure)
        failure = fill_failure{"no request body entry for media type " + std::string(b.at("media_type").as_string()), true, false};
    return failure;
}

/// Prism's violations split by what they are about: the request we sent, or the response Prism
/// built from the spec's own example (which proves the spec contradicts itself). Anything that
/// is not Prism's documented format counts as a request violation.
struct violations {
    boost::json::array request, response;

    explicit violations(const std::string& header)
    {
        if (header.empty())
            return;
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(header, ec);
        if (ec || !v.is_array()) {
            request.push_back(boost::json::string(header));
            return;
        }
        for (boost::json::value& item : v.as_array())
            (location_is(item, 0, "response") ? response : request).push_back(std::move(item));
    }

    /// True when there are request violations and every one is about the request body.
    bool only_about_body() const
    {
        return !request.empty() &&
               std::all_of(request.begin(), request.end(), [](const auto& item) { return location_is(item, 1, "body"); });
    }

private:
    /// Prism's `location` is a path such as ["request", "body", "name"].
    static bool location_is(const boost::json::value& item, std::size_t index, std::string_view what)
    {
        const boost::json::value* location = item.is_object() ? item.as_object().if_contains("location") : nullptr;
        if (!location || !location->is_array() || location->as_array().size() <= index)
            return false;
        const boost::json::string* step = location->as_array()[index].if_string();
        return step && std::string_view(step->data(), step->size()) == what;
    }
};

/// The spec's own body example, sent as written instead of what the client encoded: true when
/// Prism flags it too, which proves the spec contradicts itself.
template <class Op>
bool prism_rejects_spec_body(context& ctx, const boost::json::object& example)
{
    const boost::json::value* body = example.if_contains("body");
    if (!body || !from_spec(body->as_object()) || body->as_object().at("media_type") != "application/json")
        return false;
    typename Op::request_type request{};
    boost::json::object parameters_only = example;
    parameters_only.erase("body");
    if (fill_request<Op>(parameters_only, request))
        return false;
    ctx.state->reset();
    ctx.state->raw_body = boost::json::serialize(body->as_object().at("value"));
    (void)ctx.client.template try_call<Op>(request);
    const bool rejected = violations(ctx.state->violations).only_about_body();
    ctx.state->reset();
    return rejected;
}

template <class Op>
outcome sweep_operation(context& ctx)
{
    outcome o{std::string(Op::operation_id), "passed", false, {}};
    auto fail = [&](std::string reason, std::string detail, bool spec_fault = false) {
        o.reason = std::move(reason);
        o.detail = std::move(detail);
        o.spec_fault = spec_fault;
        return o;
    };
    const boost::json::value* found = ctx.examples.if_contains(Op::operation_id);
    if (!found || !found->is_object())
        return fail("no_example_request", "specbound-gen examples has no entry");
    const boost::json::object& example = found->as_object();

    typename Op::request_type request{};
    if (auto f = fill_request<Op>(example, request)) {
        if (f->body && f->from_spec && prism_rejects_spec_body<Op>(ctx, example))
            return fail("spec_example_invalid", "Prism rejects the spec's body example; it does not decode: " + f->what, true);
        return fail(f->body ? "body_example_undecodable" : "parameter_example_undecodable", f->what);
    }

    ctx.state->reset();
    result<typename Op::response_type> r = ctx.client.template try_call<Op>(request);
    const std::string header = ctx.state->violations;
    const violations flagged(header);
    if (!flagged.request.empty()) {
        if (flagged.only_about_body() && prism_rejects_spec_body<Op>(ctx, example))
            return fail("spec_example_invalid", "Prism rejects the spec's body example as written: " + excerpt(header), true);
        return fail("request_violation", excerpt(boost::json::serialize(flagged.request), 600));
    }
    // A response Prism itself flags proves the spec's example wrong; when it also did not decode,
    // the schema-generated retry below decides whose fault that is.
    if (!flagged.response.empty() && !r.template error_as<decode_error>())
        return fail("spec_response_example_invalid",
                    "Prism flags the response it built from the spec's example: " +
                        excerpt(boost::json::serialize(flagged.response)),
                    true);
    if (r.has_value())
        return o;
    if (const auto* d = r.template error_as<decode_error>()) {
        // Prism answers with the spec's response example; one it generates from the schema tells
        // a wrong example from a wrong model.
        ctx.state->reset();
        ctx.state->prefer = "dynamic=true";
        result<typename Op::response_type> generated = ctx.client.template try_call<Op>(request);
        ctx.state->reset();
        if (generated.has_value())
            return fail("spec_response_example_invalid",
                        "the spec's response example does not decode, a schema-generated one does: " + std::string(d->what()), true);
        return fail("response_undecodable", excerpt(d->what(), 600));
    }
    if (const auto* a = r.template error_as<api_error>()) {
        if (!a->body_decode_failure().empty())
            return fail("error_body_undecodable", "HTTP " + std::to_string(a->status()) + ": " + a->body_decode_failure());
        return fail("unexpected_status", "HTTP " + std::to_string(a->status()) + ": " + excerpt(a->body()));
    }
    return fail("call_failed", r.error()->what());
}

} // namespace detail

template <class... Ops>
void context::run(operation_list<Ops...> ops)
{
    for_each_operation(ops, [&](auto op) { outcomes.push_back(detail::sweep_operation<typename decltype(op)::type>(*this)); });
}

} // namespace specbound::sweep
