// specbound::client: performs the operations of one API from their descriptors.
//
// Construction
//   specbound::client rt{ex, petstore::api};                                   // no credentials
//   specbound::client rt{ex, petstore::api, specbound::make_options(specbound::bearer_token{tok})};
//   petstore::client api{ex, specbound::bearer_token{tok}};   // generated facade, via make_options
//   client_options::with(credential) chains; client_options::transport injects any transport
//   (e.g. specbound::testing::mock_transport); the default is the Beast transport.
//
// Calls (Op is a generated descriptor such as petstore::ops::show_pet_by_id)
//   async_call<Op>(req, token)      completion void(std::exception_ptr, Op::response_type); the
//                                   exception is the typed error (catch specbound::not_found_error&)
//   async_try_call<Op>(req, token)  completion void(specbound::result<Op::response_type>)
//   call<Op>(req) / try_call<Op>(req)  blocking forms of the above; on a generated facade, pass
//                                   the token specbound::blocking: api.list_pets(req, specbound::blocking)
// Any Asio completion token works: use_awaitable (the default), use_future, deferred, a callback.
// Cancellation: bind a cancellation slot to the token; the in-flight attempt and any backoff wait
// stop and the call ends with transport_error(transport_errc::cancelled).
//
// The try forms report every specbound::error in the result. Exceptions that are not specbound
// errors (thrown by user middleware or hooks, std::bad_alloc, a mock_transport's "unexpected
// request") are not errors of the API: like any exception leaving an Asio handler, they propagate
// out of the executor's run() (and out of the blocking forms).
//
// Blocking forms: call them from a thread that is not running the client's executor.
//   - io_context executor: the calling thread runs the io_context (run_one loop) until the call
//     completes, so a context that nobody runs yet works; if other threads run it too, the calling
//     thread joins them for the duration of the call.
//   - other executors (thread_pool, ...): the calling thread waits for the executor's own threads.
//   - calling from inside the client's executor (a handler or coroutine on it) would deadlock and
//     throws std::logic_error instead.
//
// GCC 12 caveat: when an awaited operation throws, GCC 12 destroys temporaries of the co_await
// full-expression twice (a compiler bug, reproducible with plain Asio). Write
//   auto req = petstore::show_pet_by_id_request{"42"}; co_await api.show_pet_by_id(req);
// rather than co_await api.show_pet_by_id({"42"}) inside try blocks, or use the try_ forms.
//
// Threading: each client serialises its own work on a strand of the given executor; a client may
// be used from several threads. Copies of a client share state (credentials cache, options).
#pragma once

#include <specbound/detail/config.hpp>

#include <specbound/auth.hpp>
#include <specbound/descriptor.hpp>
#include <specbound/detail/oauth2.hpp>
#include <specbound/detail/request_builder.hpp>
#include <specbound/detail/response_handler.hpp>
#include <specbound/error.hpp>
#include <specbound/http/beast_transport.hpp>
#include <specbound/logging.hpp>
#include <specbound/middleware.hpp>
#include <specbound/options.hpp>
#include <specbound/result.hpp>
#include <specbound/retry.hpp>
#include <specbound/transport.hpp>
#include <specbound/version.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace specbound {

using default_completion_token = boost::asio::use_awaitable_t<>;

/// Completion token of the blocking form: `api.list_pets(request, specbound::blocking)` returns
/// the response (or throws the typed error), `api.try_list_pets(request, specbound::blocking)`
/// returns the result. Works with every generated facade member and with client::async_call.
struct blocking_t {
    constexpr explicit blocking_t() = default;
};
inline constexpr blocking_t blocking{};

namespace detail {

/// Waiters for one OAuth2 token refresh; the timer never expires, cancel() wakes them.
struct refresh_wait {
    explicit refresh_wait(const boost::asio::any_io_executor& ex)
        : timer(ex, std::chrono::steady_clock::time_point::max())
    {
    }
    boost::asio::steady_timer timer;
    bool done = false;
    std::shared_ptr<const error> failure;
};

struct oauth2_cache {
    bool loaded = false; // load_token was consulted
    std::optional<oauth2_token> token;
    std::chrono::system_clock::time_point refresh_at{};
    std::shared_ptr<refresh_wait> inflight;
    std::uint64_t refreshes = 0; // token requests made, for tests and logs
};

/// The strand a client serialises its work on. On an io_context's own executor (the usual case)
/// it is a strand of that executor type: its copies fit in any_io_executor's inline storage,
/// whereas a strand of any_io_executor does not, and the copies made on every completion and
/// several times per call would each allocate (about 1 us per call, bench_typed_calls).
inline boost::asio::any_io_executor make_client_strand(const boost::asio::any_io_executor& ex)
{
    if (const auto* ioc = ex.target<boost::asio::io_context::executor_type>())
        return boost::asio::make_strand(*ioc);
    return boost::asio::make_strand(ex);
}

/// Whether the calling thread is running a handler on `strand` (made by make_client_strand).
inline bool running_in(const boost::asio::any_io_executor& strand)
{
    using ioc_strand = boost::asio::strand<boost::asio::io_context::executor_type>;
    using any_strand = boost::asio::strand<boost::asio::any_io_executor>;
    if (const auto* s = strand.target<ioc_strand>())
        return s->running_in_this_thread();
    if (const auto* s = strand.target<any_strand>())
        return s->running_in_this_thread();
    return false;
}

struct client_state {
    client_state(boost::asio::any_io_executor e, const api_description& a, client_options o)
        : ex(std::move(e)), strand(make_client_strand(ex)), api(a), options(std::move(o)),
          redact(a.security_schemes, options.logging), oauth(options.credentials.size()),
          rng(std::random_device{}())
    {
        base = parse_base_url(options.base_url.empty() ? api.default_server : std::string_view(options.base_url));
        transport = options.transport;
        if (!transport)
            transport = std::make_shared<http::beast_transport>(ex, options.http_transport);
        if (options.user_agent)
            user_agent = *options.user_agent;
        else
            user_agent = "specbound/" + std::string(version_string) + " " + std::string(api.name) + "/" +
                         std::string(api.version);
    }

    boost::asio::any_io_executor ex;
    boost::asio::any_io_executor strand; // from make_client_strand
    api_description api;
    client_options options;
    base_url base;
    std::shared_ptr<specbound::transport> transport;
    std::string user_agent;
    redaction redact;
    std::vector<oauth2_cache> oauth; // indexed like options.credentials
    std::mt19937_64 rng;             // seeds each call's retry policy; used on the strand only

    [[nodiscard]] bool logs(log_level l) const noexcept { return options.logging.sink && l >= options.logging.level; }
    void log(log_level l, std::string_view text) const
    {
        if (logs(l))
            options.logging.sink(l, text);
    }
};

inline attempt_limits limits_for(const client_state& s, std::chrono::steady_clock::time_point deadline)
{
    attempt_limits l;
    l.connect_timeout = s.options.timeouts.connect;
    l.attempt_timeout = s.options.timeouts.attempt;
    l.body_limit = s.options.body_limit;
    if (deadline != std::chrono::steady_clock::time_point::max()) {
        // At least 1 ms: the caller checked the deadline, a zero timeout would mean "none" to some transports.
        auto remaining = std::max<std::chrono::steady_clock::duration>(deadline - std::chrono::steady_clock::now(),
                                                                       std::chrono::milliseconds(1));
        if (l.attempt_timeout > remaining)
            l.attempt_timeout = remaining;
        if (l.connect_timeout > remaining)
            l.connect_timeout = remaining;
    }
    return l;
}

inline bool is_cancelled(const boost::asio::cancellation_state& cs) noexcept
{
    return cs.cancelled() != boost::asio::cancellation_type::none;
}

[[noreturn]] inline void throw_transport(const transport_result& r, const std::string& context)
{
    if (r.ec == transport_errc::timeout)
        throw timeout_error(context, r.request_sent);
    throw transport_error(r.ec, context, r.request_sent);
}

/// A current token for credential `index`, fetched (once for all concurrent callers) if needed.
/// `stale` is a token the API just refused: it is replaced even if not expired.
SPECBOUND_DECL boost::asio::awaitable<oauth2_token> oauth2_access_token(std::shared_ptr<client_state> s, std::size_t index,
                                                                        const security_scheme& scheme,
                                                                        std::optional<std::string> stale);

/// Puts the credentials of `plan` on `req`. Returns the OAuth2 token used, if any (for 401 replay).
struct applied_auth {
    std::optional<std::size_t> oauth_index;
    const security_scheme* oauth_scheme = nullptr;
    std::string oauth_token;
};

SPECBOUND_DECL boost::asio::awaitable<applied_auth> apply_auth(std::shared_ptr<client_state> s, const auth_plan& plan,
                                                               http_request& req, std::optional<std::string> stale);

SPECBOUND_DECL boost::asio::awaitable<void> backoff_sleep(const client_state& s, std::chrono::milliseconds d);

/// An operation as the call engine sees it. The engine (retries, auth, middleware, hooks, logging:
/// the largest coroutines of the library) is compiled once; only `build` and `decode` are
/// instantiated per operation, which keeps a client of hundreds of operations cheap to compile.
struct call_plan {
    call_info info;
    std::span<const security_requirement> security;
    const std::string& context;                       // "showPetById (GET /pets/{petId})", static
    std::function<http_request()> build;              // throws invalid_argument_error
    std::function<void(const http_response&, const std::string& context)> decode; // stores the value or throws
};

/// The request of one attempt of `plan`: built, with the User-Agent, the default headers and, when
/// `idempotency_header`, the call's idempotency key (made on first use). Built afresh for each
/// attempt rather than copied: a call of one attempt (nearly all) copies nothing, however large
/// its body, and what middleware or the transport did to one attempt's request cannot leak into
/// the next.
SPECBOUND_DECL http_request attempt_request(const client_state& s, const call_plan& plan, bool idempotency_header,
                                            std::string& idempotency_key);

/// The attempts of one call, up to the response that ends it (not retried); throws the
/// transport or timeout error that ends it otherwise.
SPECBOUND_DECL boost::asio::awaitable<http_response> run_attempts(std::shared_ptr<client_state> s, const call_plan& plan,
                                                                  int& attempts, int& last_status);

/// One whole call: hooks around the attempts, then the final response decoded.
SPECBOUND_DECL boost::asio::awaitable<void> run_call(std::shared_ptr<client_state> s, std::shared_ptr<call_plan> plan);

/// Hands a finished call to the caller's completion handler. One type for every operation and
/// token, so co_spawn is instantiated once; the per-operation part sits behind `complete`.
struct call_completion {
    struct base {
        virtual ~base() = default;
        virtual void complete(std::exception_ptr e) = 0;
    };
    std::shared_ptr<base> impl;
    void operator()(std::exception_ptr e) const { impl->complete(std::move(e)); }
};

/// Completes `Handler` with void(std::exception_ptr, R), or with void(result<R>) when `Try`.
template <class R, bool Try, class Handler>
struct call_completion_for final : call_completion::base {
    using work_guard = boost::asio::executor_work_guard<boost::asio::associated_executor_t<Handler, boost::asio::any_io_executor>>;

    call_completion_for(Handler h, const boost::asio::any_io_executor& ex)
        : handler(std::move(h)), work(boost::asio::get_associated_executor(handler, ex))
    {
    }

    void complete(std::exception_ptr e) override
    {
        if constexpr (Try) {
            result<R> r = e ? result<R>(failure_of(e)) : result<R>(std::move(*value));
            boost::asio::dispatch(boost::asio::append(std::move(handler), std::move(r)));
        } else {
            boost::asio::dispatch(boost::asio::append(std::move(handler), e, e ? R{} : std::move(*value)));
        }
        work.reset();
    }

    /// A specbound::error goes into the result; any other exception (user middleware, bad_alloc)
    /// is not an error of the API and propagates like any exception leaving an Asio handler.
    static std::shared_ptr<const error> failure_of(const std::exception_ptr& e)
    {
        try {
            std::rethrow_exception(e);
        } catch (const error& err) {
            return err.clone();
        }
    }

    Handler handler;
    work_guard work;
    std::optional<R> value;
};

template <class Op, bool Try, class Handler>
void start_call(std::shared_ptr<client_state> s, Handler handler, typename Op::request_type request)
{
    using R = typename Op::response_type;
    auto slot = boost::asio::get_associated_cancellation_slot(handler);
    auto done = std::make_shared<call_completion_for<R, Try, Handler>>(std::move(handler), s->ex);
    auto plan = std::make_shared<call_plan>(call_plan{
        {Op::operation_id, Op::method, Op::path},
        std::span<const security_requirement>(Op::security),
        operation_context<Op>(),
        [base = &s->base, request = std::move(request)] { return build_request<Op>(*base, request); },
        [value = &done->value](const http_response& r, const std::string& context) {
            value->emplace(handle_response<Op>(r, context));
        }});
    auto strand = s->strand;
    boost::asio::co_spawn(strand, run_call(std::move(s), std::move(plan)),
                          boost::asio::bind_cancellation_slot(slot, call_completion{std::move(done)}));
}

/// Runs an operation started with use_future to completion from a thread outside the executor.
template <class Start>
auto run_blocking(client_state& s, Start start)
{
    namespace asio = boost::asio;
    if (running_in(s.strand))
        throw std::logic_error("specbound: a blocking call from inside the client's own executor would deadlock; "
                               "use async_call / co_await instead");
    if (const auto* ioc = s.ex.target<asio::io_context::executor_type>()) {
        if (ioc->running_in_this_thread())
            throw std::logic_error("specbound: a blocking call from a thread running the client's io_context "
                                   "would deadlock; use async_call / co_await instead");
        auto f = start(asio::use_future);
        asio::io_context& ctx = ioc->context();
        while (f.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
            if (ctx.stopped())
                ctx.restart();
            ctx.run_one_for(std::chrono::milliseconds(50));
        }
        return f.get();
    }
    if (const auto* pool = s.ex.target<asio::thread_pool::executor_type>(); pool && pool->running_in_this_thread())
        throw std::logic_error("specbound: a blocking call from a thread of the client's thread_pool could "
                               "deadlock; use async_call / co_await instead");
    auto f = start(asio::use_future);
    return f.get();
}

} // namespace detail

class client {
public:
    client(boost::asio::any_io_executor ex, const api_description& api, client_options options = {})
        : state_(std::make_shared<detail::client_state>(std::move(ex), api, std::move(options)))
    {
    }

    template <class Op, class CompletionToken = default_completion_token>
    auto async_call(const typename Op::request_type& request, CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr, typename Op::response_type)>(
            [](auto handler, std::shared_ptr<detail::client_state> s, typename Op::request_type req) {
                detail::start_call<Op, false>(std::move(s), std::move(handler), std::move(req));
            },
            token, state_, request);
    }

    template <class Op, class CompletionToken = default_completion_token>
    auto async_try_call(const typename Op::request_type& request, CompletionToken&& token = {})
    {
        return boost::asio::async_initiate<CompletionToken, void(result<typename Op::response_type>)>(
            [](auto handler, std::shared_ptr<detail::client_state> s, typename Op::request_type req) {
                detail::start_call<Op, true>(std::move(s), std::move(handler), std::move(req));
            },
            token, state_, request);
    }

    template <class Op>
    typename Op::response_type call(const typename Op::request_type& request)
    {
        return async_call<Op>(request, blocking);
    }

    template <class Op>
    result<typename Op::response_type> try_call(const typename Op::request_type& request)
    {
        return async_try_call<Op>(request, blocking);
    }

    [[nodiscard]] boost::asio::any_io_executor get_executor() const noexcept { return state_->ex; }
    [[nodiscard]] const client_options& options() const noexcept { return state_->options; }
    [[nodiscard]] const api_description& api() const noexcept { return state_->api; }
    /// The transport in use (the injected one, or the default Beast transport).
    [[nodiscard]] const std::shared_ptr<transport>& get_transport() const noexcept { return state_->transport; }
    /// OAuth2 token requests made so far for credential `index` (0 for other credentials).
    [[nodiscard]] std::uint64_t oauth2_refreshes(std::size_t index) const
    {
        return index < state_->oauth.size() ? state_->oauth[index].refreshes : 0;
    }

private:
    std::shared_ptr<detail::client_state> state_;
};

} // namespace specbound

/// The blocking token: every specbound call is initiated with (client state, request) as its
/// arguments, so the state that run_blocking needs (executor, deadlock checks) is at hand.
template <class... Signature>
class boost::asio::async_result<specbound::blocking_t, void(Signature...)> {
public:
    template <class Initiation, class... Args>
    static auto initiate(Initiation&& initiation, specbound::blocking_t, std::shared_ptr<specbound::detail::client_state> s,
                         Args&&... args)
    {
        specbound::detail::client_state& state = *s;
        return specbound::detail::run_blocking(state, [&](auto token) {
            return boost::asio::async_initiate<decltype(token), void(Signature...)>(std::move(initiation), token, std::move(s),
                                                                                     std::forward<Args>(args)...);
        });
    }
};

#if !defined(SPECBOUND_SEPARATE_COMPILATION)
#include <specbound/impl/client.ipp>
#endif
