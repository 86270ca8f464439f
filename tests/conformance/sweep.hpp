// The conformance sweep: every operation of a generated API, called through the generated client
// against Prism serving the same spec, with a request built from `specbound-gen examples`.
//
// Each operation ends in one outcome: passed, or failed with a reason. A failure is blamed on the
// spec only when the spec's own text and Prism (or the schema itself) prove it, never by a guess
// made at run time:
//   - a request: the body is the media type's own example (specbound-gen examples marks it
//     spec_example; a body the generator built never is), Prism flags that example sent byte for
//     byte, and every place Prism flags in what the client sent (or where the example does not
//     decode) is a place it flags in the example too;
//   - a response: Prism flags the response it serves (the spec's example) and, when it does not
//     decode, at the same JSON pointer where the decoder failed; or, when Prism does not flag it
//     (it does not check what it serves for every spec: GitHub's), the example contradicts its
//     schema, checked by `specbound-gen examples` against the schema's own text rather than the
//     generated model, at that same pointer.
// A request example that contradicts its schema is not sent at all: `specbound-gen examples`
// builds the value instead and says why (rejected_spec_example), and the outcome's detail says so.
// Everything else counts as ours. The expected outcome of every operation that does not pass is
// pinned in the repository (read_expected_failures, verdict), so a failure that appears, changes
// its reason or disappears fails the sweep.
#pragma once

#include <specbound/client.hpp>
#include <specbound/detail/response_handler.hpp>
#include <specbound/json/decode.hpp>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>
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
    std::optional<std::string> raw_body; // replaces the encoded body: the spec's example as written
    std::string violations;              // Prism's sl-violations of the last attempt
    int status = 0;

    void reset()
    {
        raw_body.reset();
        violations.clear();
        status = 0;
    }
};

inline middleware attempt_hook(std::shared_ptr<call_state> state)
{
    return [state = std::move(state)](const attempt_info&, http_request& request,
                                      next_layer next) -> boost::asio::awaitable<transport_result> {
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

/// The spec's examples that `specbound-gen examples` did not use because they contradict their
/// schema (it built those values itself): the spec's faults, reported beside the outcome.
inline std::string rejected_examples(const boost::json::object& example)
{
    std::string out;
    auto note = [&](std::string_view where, const boost::json::value& entry) {
        if (const boost::json::object* e = entry.if_object())
            if (const boost::json::value* r = e->if_contains("rejected_spec_example"); r && r->is_string())
                out += (out.empty() ? "" : "; ") + std::string(where) + ": " + std::string(r->get_string());
    };
    if (const boost::json::value* params = example.if_contains("parameters"); params && params->is_object())
        for (const auto& [name, entry] : params->get_object())
            note("parameter " + std::string(name), entry);
    if (const boost::json::value* body = example.if_contains("body"))
        note("body", *body);
    return out.empty() ? out : "the spec's example contradicts its schema, a synthesized one was sent (" + out + ")";
}

/// How the spec's example for `status` (the one a mock server serves) contradicts its schema at
/// `pointer`, as `specbound-gen examples` found it checking the schema's own text; none when it
/// does not there.
inline std::optional<std::string> response_example_contradiction(const boost::json::object& example, int status,
                                                                 const std::string& pointer)
{
    const boost::json::value* all = example.if_contains("contradicting_response_examples");
    const boost::json::value* entry = all && all->is_object() ? all->get_object().if_contains(std::to_string(status)) : nullptr;
    const boost::json::value* problems = entry && entry->is_object() ? entry->get_object().if_contains("problems") : nullptr;
    if (!problems || !problems->is_array())
        return std::nullopt;
    for (const boost::json::value& p : problems->get_array())
        if (p.is_object() && p.get_object().at("pointer").as_string() == boost::json::string_view(pointer.data(), pointer.size()))
            return std::string(p.get_object().at("problem").as_string());
    return std::nullopt;
}

/// Why the example request could not be put into the generated request type.
struct fill_failure {
    std::string what;
    std::string pointer;    // where in the value the decoder failed
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
                                           f->pointer, false, from_spec(e)};
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
                using member_type = std::remove_cvref_t<decltype(request.*(entry.member))>;
                const boost::json::value& value = b.at("value");
                if constexpr (std::is_same_v<member_type, specbound::bytes> ||
                              std::is_same_v<member_type, std::optional<specbound::bytes>>) {
                    // A binary body's example is the content itself, not base64 (GitHub's
                    // release asset upload: "@example.zip").
                    if (value.is_string() && !specbound::detail::json_like(specbound::detail::media_essence(entry.media_type))) {
                        const auto* first = reinterpret_cast<const std::byte*>(value.get_string().data());
                        request.*(entry.member) = specbound::bytes(first, first + value.get_string().size());
                        return;
                    }
                }
                if (auto f = json::from_value(value, request.*(entry.member)))
                    failure = fill_failure{"body (" + std::string(b.at("source").as_string()) + "): " + f->pointer + " " + f->message,
                                           f->pointer, true, from_spec(b)};
            };
            (fill(entries), ...);
        },
        Op::body);
    if (!bound && !failure)
        failure = fill_failure{"no request body entry for media type " + std::string(b.at("media_type").as_string()), "",
                               true, false};
    return failure;
}

/// Prism's violations (its sl-violations header) split by what they are about: the request the
/// client sent, or the response Prism served from the spec. Each keeps where it is, as a JSON
/// pointer into the body ("" for the body itself) when it is about a body. Anything that is not
/// Prism's documented format counts as a request violation somewhere else than the body.
struct violations {
    struct item {
        std::optional<std::string> body_pointer; // none: not about the body (a parameter, a header)
    };
    std::vector<item> request, response;
    std::string text; // the header, for reports

    explicit violations(const std::string& header) : text(header)
    {
        if (header.empty())
            return;
        // Past some count Prism writes "Too many violations! [...", the list cut short: each
        // complete `location` in it is still read.
        constexpr std::string_view too_many = "Too many violations! ";
        if (header.rfind(too_many, 0) == 0) {
            constexpr std::string_view key = "\"location\":[";
            for (std::size_t at = header.find(key); at != std::string::npos; at = header.find(key, at + 1)) {
                const std::size_t open = at + key.size() - 1, close = header.find(']', open);
                boost::system::error_code ec;
                boost::json::value location = close == std::string::npos
                                                   ? boost::json::value()
                                                   : boost::json::parse(std::string_view(header).substr(open, close - open + 1), ec);
                if (!ec && location.is_array())
                    add(&location.get_array());
            }
            if (request.empty() && response.empty())
                request.push_back({});
            return;
        }
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(header, ec);
        if (ec || !v.is_array()) {
            request.push_back({});
            return;
        }
        for (const boost::json::value& entry : v.as_array()) {
            const boost::json::array* location = nullptr;
            if (const boost::json::object* o = entry.if_object())
                if (const boost::json::value* l = o->if_contains("location"))
                    location = l->if_array();
            add(location);
        }
    }

    /// True when there are request violations and every one is about the request body.
    bool only_about_body() const
    {
        return !request.empty() && std::all_of(request.begin(), request.end(), [](const item& i) { return i.body_pointer; });
    }

    /// True when one of `items` is about the body at `pointer`.
    static bool flags(const std::vector<item>& items, std::string_view pointer)
    {
        return std::any_of(items.begin(), items.end(), [&](const item& i) { return i.body_pointer == pointer; });
    }

    /// True when every request violation here is one `other` has too (same place in the body).
    bool request_covered_by(const violations& other) const
    {
        return std::all_of(request.begin(), request.end(),
                           [&](const item& i) { return i.body_pointer && flags(other.request, *i.body_pointer); });
    }

private:
    void add(const boost::json::array* location)
    {
        const bool about_response = location && !location->empty() && segment(location->at(0)) == "response";
        (about_response ? response : request).push_back({body_pointer(location)});
    }

    static std::string segment(const boost::json::value& v)
    {
        if (const boost::json::string* s = v.if_string())
            return std::string(s->data(), s->size());
        return boost::json::serialize(v); // array indexes may come as numbers
    }

    /// Prism's `location` is a path such as ["request", "body", "items", 0, "name"]: as a JSON
    /// pointer into the body ("/items/0/name"), or none when it is not about a body.
    static std::optional<std::string> body_pointer(const boost::json::array* location)
    {
        if (!location || location->size() < 2 || segment(location->at(1)) != "body")
            return std::nullopt;
        std::string pointer;
        for (std::size_t i = 2; i < location->size(); ++i) {
            pointer += '/';
            for (char c : segment(location->at(i))) {
                if (c == '~')
                    pointer += "~0";
                else if (c == '/')
                    pointer += "~1";
                else
                    pointer += c;
            }
        }
        return pointer;
    }
};

/// Prism's violations for the spec's own body example sent as written instead of what the client
/// encoded; none when the body is not the media type's own JSON example (then nothing the spec
/// wrote whole can be blamed).
template <class Op>
std::optional<violations> spec_body_violations(context& ctx, const boost::json::object& example)
{
    const boost::json::value* body = example.if_contains("body");
    if (!body || !from_spec(body->as_object()) || body->as_object().at("media_type") != "application/json")
        return std::nullopt;
    typename Op::request_type request{};
    boost::json::object parameters_only = example;
    parameters_only.erase("body");
    if (fill_request<Op>(parameters_only, request))
        return std::nullopt;
    ctx.state->reset();
    ctx.state->raw_body = boost::json::serialize(body->as_object().at("value"));
    (void)ctx.client.template try_call<Op>(request);
    violations found(ctx.state->violations);
    ctx.state->reset();
    return found;
}

template <class Op>
outcome sweep_operation(context& ctx)
{
    outcome o{std::string(Op::operation_id), "passed", false, {}};
    auto fail = [&](std::string reason, std::string detail, bool spec_fault = false) {
        o.reason = std::move(reason);
        o.detail = o.detail.empty() ? std::move(detail) : std::move(detail) + "; " + o.detail;
        o.spec_fault = spec_fault;
        return o;
    };
    const boost::json::value* found = ctx.examples.if_contains(Op::operation_id);
    if (!found || !found->is_object())
        return fail("no_example_request", "specbound-gen examples has no entry");
    const boost::json::object& example = found->as_object();
    o.detail = rejected_examples(example);

    typename Op::request_type request{};
    if (auto f = fill_request<Op>(example, request)) {
        // The spec's own body example does not decode: its fault only where Prism flags it too.
        if (f->body && f->from_spec)
            if (auto raw = spec_body_violations<Op>(ctx, example); raw && violations::flags(raw->request, f->pointer))
                return fail("spec_example_invalid",
                            "Prism flags the spec's body example where it does not decode: " + f->what, true);
        return fail(f->body ? "body_example_undecodable" : "parameter_example_undecodable", f->what);
    }

    ctx.state->reset();
    result<typename Op::response_type> r = ctx.client.template try_call<Op>(request);
    const violations flagged(ctx.state->violations);
    if (!flagged.request.empty()) {
        // What the client sent is flagged only where the spec's example, sent as written, is too.
        if (flagged.only_about_body())
            if (auto raw = spec_body_violations<Op>(ctx, example); raw && flagged.request_covered_by(*raw))
                return fail("spec_example_invalid",
                            "Prism flags the spec's body example as written, at the same places: " +
                                excerpt(flagged.text),
                            true);
        return fail("request_violation", excerpt(flagged.text, 600));
    }
    const auto* decode_failure = r.template error_as<decode_error>();
    // Prism flags the response it built from the spec's example: the spec contradicts itself.
    // When the response also did not decode, only a flag at the decoder's pointer proves whose
    // fault that is.
    if (!flagged.response.empty() &&
        (!decode_failure || violations::flags(flagged.response, decode_failure->pointer())))
        return fail("spec_response_example_invalid",
                    "Prism flags the response it served from the spec's example" +
                        std::string(decode_failure ? " where it does not decode: " + std::string(decode_failure->what())
                                                   : ": " + excerpt(flagged.text)),
                    true);
    if (r.has_value())
        return o;
    if (decode_failure)
        if (auto problem = response_example_contradiction(example, ctx.state->status, decode_failure->pointer()))
            return fail("spec_response_example_invalid",
                        "the spec's example for this status contradicts its schema where the response does not "
                        "decode (Prism served it unflagged): " + *problem,
                        true);
    if (decode_failure)
        return fail("response_undecodable", excerpt(std::string(decode_failure->what()) + " (Prism: " + flagged.text + ")", 600));
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

/// The example requests `specbound-gen examples` wrote to `path`, by operationId.
inline boost::json::object read_examples(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read the example requests at " + path);
    std::stringstream text;
    text << in.rdbuf();
    return boost::json::parse(text.str()).as_object();
}

/// The operations expected not to pass, operationId -> reason, read from a file of lines
/// "<operationId> <reason>" ('#' starts a comment). Throws when the file cannot be read or a line
/// is not of that form, so a broken list cannot pass by expecting nothing.
inline std::map<std::string, std::string> read_expected_failures(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read the expected failures at " + path);
    std::map<std::string, std::string> expected;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        line = line.substr(0, line.find('#'));
        std::istringstream words(line);
        std::string operation, reason, extra;
        if (!(words >> operation))
            continue;
        if (!(words >> reason) || (words >> extra) || !expected.emplace(operation, reason).second)
            throw std::runtime_error(path + ":" + std::to_string(number) +
                                     ": expected '<operationId> <reason>', each operation once");
    }
    return expected;
}

/// What makes a sweep fail, one line each: a failure the list does not expect (or expects with
/// another reason), and an expected failure that is gone (the list must shrink with it, so that
/// the operation is watched again). A listed failure may be the spec's fault or a known one of
/// ours the list explains; an unlisted one of ours always fails. Empty: the sweep passes. A
/// `partial` sweep (some tags only) does not report listed operations it did not sweep.
inline std::vector<std::string> verdict(const std::vector<outcome>& outcomes,
                                        const std::map<std::string, std::string>& expected, bool partial = false)
{
    std::vector<std::string> problems;
    std::map<std::string, const outcome*> by_operation;
    for (const outcome& o : outcomes)
        by_operation[o.operation] = &o;
    for (const outcome& o : outcomes) {
        if (o.reason == "passed")
            continue;
        const auto it = expected.find(o.operation);
        if (it != expected.end() && it->second == o.reason)
            continue;
        problems.push_back(o.operation + ": failed, " + (o.spec_fault ? "blamed on the spec" : "ours") + ": " +
                           o.reason + ", expected " + (it == expected.end() ? std::string("to pass") : it->second) +
                           ": " + o.detail);
    }
    for (const auto& [operation, reason] : expected) {
        const auto it = by_operation.find(operation);
        if (it == by_operation.end()) {
            if (!partial)
                problems.push_back(operation + ": expected to fail (" + reason + ") but not swept");
        } else if (it->second->reason == "passed")
            problems.push_back(operation + ": expected to fail (" + reason + ") but passes: remove it from the list");
    }
    return problems;
}

} // namespace specbound::sweep
