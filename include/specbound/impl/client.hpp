// The client's templates: an operation turned into a call plan, the completion of the caller's
// handler, the blocking form. Included at the end of <specbound/client.hpp>.
#pragma once

#include <specbound/client.hpp>
#include <specbound/body_sink.hpp>
#include <specbound/body_source.hpp>
#include <specbound/detail/call_engine.hpp>
#include <specbound/detail/client_state.hpp>
#include <specbound/detail/config.hpp>
#include <specbound/detail/operation_codec.hpp>
#include <specbound/detail/request_builder.hpp>
#include <specbound/detail/response_handler.hpp>
#include <specbound/validation.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>

#include <any>
#include <chrono>
#include <exception>
#include <future>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>

namespace specbound {
namespace detail {

/// One whole call, driven by a call_engine: the failure that ends it, or null when the plan's
/// decode stored the value. Exceptions leave it only from user code or std::bad_alloc.
SPECBOUND_DECL boost::asio::awaitable<std::shared_ptr<const error>> run_call(std::shared_ptr<client_state> s,
                                                                             std::shared_ptr<call_plan> plan);

/// Hands a finished call to the caller's completion handler. One type for every operation and
/// token, so co_spawn is instantiated once; the per-operation part sits behind `complete`.
struct call_completion {
    struct base {
        virtual ~base() = default;
        /// `e`: an exception from user code; `failure`: the call's error; both null: success.
        virtual void complete(std::exception_ptr e, std::shared_ptr<const error> failure) = 0;
    };
    std::shared_ptr<base> impl;
    void operator()(std::exception_ptr e, std::shared_ptr<const error> failure) const
    {
        impl->complete(std::move(e), std::move(failure));
    }
};

/// Completes `Handler` with void(std::exception_ptr, R), or with void(result<R>) when `Try`.
template <class R, bool Try, class Handler>
struct call_completion_for final : call_completion::base {
    using work_guard = boost::asio::executor_work_guard<boost::asio::associated_executor_t<Handler, boost::asio::any_io_executor>>;

    call_completion_for(Handler h, const boost::asio::any_io_executor& ex, const std::string& context)
        : handler(std::move(h)), work(boost::asio::get_associated_executor(handler, ex)), context(&context)
    {
    }

    void complete(std::exception_ptr e, std::shared_ptr<const error> failure) override
    {
        if constexpr (Try) {
            if (e)
                failure = std::make_shared<unexpected_exception_error>(*context, std::move(e));
            // Each result made where it is passed on: GCC 12 at -O3 warned falsely that the moved
            // variant of a `result r = failure ? ... : ...` local might be uninitialised.
            if (failure)
                boost::asio::dispatch(boost::asio::append(std::move(handler), result<R>(std::move(failure))));
            else
                boost::asio::dispatch(boost::asio::append(std::move(handler), result<R>(std::move(*value))));
        } else {
            // The one place the typed error becomes an exception (made without throwing).
            if (!e && failure)
                e = failure->to_exception_ptr();
            // GCC 12 at -O2 warns falsely, inside Asio's append, that a response variant moved
            // into the completion's tuple may be uninitialised (example 06's droplets_create): a
            // warning for every program that calls such an operation, so it is silenced here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
            boost::asio::dispatch(boost::asio::append(std::move(handler), e, e ? R() : std::move(*value)));
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
        }
        work.reset();
    }

    Handler handler;
    work_guard work;
    const std::string* context;
    std::optional<R> value;
};

/// What a call completes with: the response, the response with its metadata, or (a download,
/// whose body went to a sink) the metadata alone.
enum class call_form { value, with_metadata, download };

template <class Op, call_form Form>
using completion_value_t = std::conditional_t<
    Form == call_form::value, typename Op::response_type,
    std::conditional_t<Form == call_form::with_metadata, with_metadata<typename Op::response_type>, response_metadata>>;

/// The extras of some calls: a pager's next-page link, a download's sink, an upload's source.
struct call_extras {
    std::string page_target;
    body_sink* sink = nullptr;
    body_source* source = nullptr;
};

/// A typed fake's answer to a download: its bytes through the sink, as a server's body would go.
template <class T>
std::shared_ptr<const error> fake_download(const T& value, body_sink& sink, const std::string& context,
                                           std::optional<response_metadata>& out)
{
    if constexpr (requires { std::as_bytes(std::span(value.data(), value.size())); }) {
        const auto bytes = std::as_bytes(std::span(value.data(), value.size()));
        const std::span<const char> chars(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        if (!sink.restart())
            return std::make_shared<sink_error>(context + ": the download's sink could not start the body",
                                                sink.last_error());
        if (auto ec = sink.write(chars); ec || (ec = sink.finish()))
            return std::make_shared<sink_error>(context + ": the download's sink failed: " + ec.message(), ec);
        response_metadata m;
        m.status = 200;
        out.emplace(std::move(m));
        return nullptr;
    } else {
        throw std::logic_error("specbound: a fake's answer to a download must be bytes or text: " + context);
    }
}

template <class Op, bool Try, call_form Form, class Handler>
void start_call(std::shared_ptr<client_state> s, Handler handler, typename Op::request_type request,
                call_options options, call_extras extras)
{
    using R = completion_value_t<Op, Form>;
    constexpr bool WithMetadata = Form == call_form::with_metadata;
    const std::string& context = operation_context<Op>();
    auto slot = boost::asio::get_associated_cancellation_slot(handler);
    auto done = std::make_shared<call_completion_for<R, Try, Handler>>(std::move(handler), s->ex, context);
    // A call that ends before any I/O still completes through the strand, never inline.
    auto finish_now = [&](std::exception_ptr e, std::shared_ptr<const error> failure) {
        boost::asio::post(s->strand, [done, e, failure]() mutable { done->complete(std::move(e), std::move(failure)); });
    };
    const validation_options checks = options.validation.value_or(s->config.options.validation);
    if (checks.requests) {
        // Before anything sees the request: no middleware, hook, fake or transport.
        if (auto failure = operation_codec<Op>::check_request(request, context)) {
            finish_now(nullptr, std::move(failure));
            return;
        }
    }
    if (const auto& interceptor = s->config.options.interceptor) {
        // A typed answer, completed through the strand like any call (never inline).
        std::exception_ptr e;
        std::shared_ptr<const error> failure;
        try {
            std::any answer = interceptor->answer(typeid(Op), &request, context);
            auto* r = std::any_cast<result<typename Op::response_type>>(&answer);
            if (!r)
                e = std::make_exception_ptr(std::logic_error("specbound: no fake handler for " + context));
            else if (!*r)
                failure = r->error_ptr();
            else if constexpr (Form == call_form::download)
                failure = fake_download(**r, *extras.sink, context, done->value);
            else if constexpr (WithMetadata)
                done->value.emplace(R{std::move(**r), response_metadata{}});
            else
                done->value.emplace(std::move(**r));
        } catch (...) {
            e = std::current_exception(); // no handler, or the handler threw: as user code's exceptions
        }
        finish_now(std::move(e), std::move(failure));
        return;
    }
    auto plan = std::make_shared<call_plan>(call_plan{
        {Op::operation_id, Op::method, Op::path},
        std::span<const security_requirement>(Op::security),
        context,
        [request = std::move(request)](const base_url& base) { return operation_codec<Op>::build(base, request); },
        &declares_status<Op>,
        [value = &done->value, validate = checks.responses](const http_response& r, const std::string& ctx,
                                                            [[maybe_unused]] const std::string& url)
            -> std::shared_ptr<const error> {
            if constexpr (Form == call_form::download) {
                // A 2xx body went to the sink (nothing to validate); anything else is the
                // operation's answer as usual.
                (void)validate;
                if (r.result_int() < 200 || r.result_int() >= 300)
                    if (result<typename Op::response_type> out = operation_codec<Op>::decode(r, ctx); !out)
                        return out.error_ptr();
                value->emplace(metadata_of(r, url));
                return nullptr;
            } else {
                result<typename Op::response_type> out = operation_codec<Op>::decode(r, ctx);
                if (!out)
                    return out.error_ptr();
                if (validate)
                    if (auto failure = operation_codec<Op>::check_response(*out, ctx))
                        return failure;
                if constexpr (WithMetadata)
                    value->emplace(R{std::move(*out), metadata_of(r, url)});
                else
                    value->emplace(std::move(*out));
                return nullptr;
            }
        },
        std::move(options),
        std::move(extras.page_target),
        extras.sink,
        extras.source,
        extras.source && s->transport->streams_uploads(),
        operation_servers<Op>()});
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

inline client::client(boost::asio::any_io_executor ex, const api_description& api, client_options options)
    : state_(std::make_shared<detail::client_state>(std::move(ex), api, std::move(options)))
{
}

namespace detail {
/// Starts a call of `Op` for `token`: the one initiation behind every form of client.
template <class Op, bool Try, call_form Form, class CompletionToken>
auto initiate_call(const std::shared_ptr<client_state>& s, const typename Op::request_type& request,
                   const call_options& options, CompletionToken&& token, call_extras extras = {})
{
    using R = completion_value_t<Op, Form>;
    using signature = std::conditional_t<Try, void(result<R>), void(std::exception_ptr, R)>;
    return boost::asio::async_initiate<CompletionToken, signature>(
        [](auto handler, std::shared_ptr<client_state> st, typename Op::request_type req, call_options o,
           call_extras x) {
            start_call<Op, Try, Form>(std::move(st), std::move(handler), std::move(req), std::move(o), std::move(x));
        },
        token, s, request, options, std::move(extras));
}
} // namespace detail

template <class Op, call_token CompletionToken>
auto client::async_call(const typename Op::request_type& request, CompletionToken&& token)
{
    return detail::initiate_call<Op, false, detail::call_form::value>(state_, request, {}, std::forward<CompletionToken>(token));
}

template <class Op, call_token CompletionToken>
auto client::async_call(const typename Op::request_type& request, const call_options& options, CompletionToken&& token)
{
    return detail::initiate_call<Op, false, detail::call_form::value>(state_, request, options, std::forward<CompletionToken>(token));
}

template <class Op, call_token CompletionToken>
auto client::async_try_call(const typename Op::request_type& request, CompletionToken&& token)
{
    return detail::initiate_call<Op, true, detail::call_form::value>(state_, request, {}, std::forward<CompletionToken>(token));
}

template <class Op, call_token CompletionToken>
auto client::async_try_call(const typename Op::request_type& request, const call_options& options,
                            CompletionToken&& token)
{
    return detail::initiate_call<Op, true, detail::call_form::value>(state_, request, options, std::forward<CompletionToken>(token));
}

template <class Op, call_token CompletionToken>
auto client::async_call_with_metadata(const typename Op::request_type& request, CompletionToken&& token)
{
    return detail::initiate_call<Op, false, detail::call_form::with_metadata>(state_, request, {}, std::forward<CompletionToken>(token));
}

template <class Op, call_token CompletionToken>
auto client::async_call_with_metadata(const typename Op::request_type& request, const call_options& options,
                                      CompletionToken&& token)
{
    return detail::initiate_call<Op, false, detail::call_form::with_metadata>(state_, request, options, std::forward<CompletionToken>(token));
}

template <class Op, call_token CompletionToken>
auto client::async_try_call_with_metadata(const typename Op::request_type& request, CompletionToken&& token)
{
    return detail::initiate_call<Op, true, detail::call_form::with_metadata>(state_, request, {}, std::forward<CompletionToken>(token));
}

template <class Op, call_token CompletionToken>
auto client::async_try_call_with_metadata(const typename Op::request_type& request, const call_options& options,
                                          CompletionToken&& token)
{
    return detail::initiate_call<Op, true, detail::call_form::with_metadata>(state_, request, options, std::forward<CompletionToken>(token));
}

template <class Op, call_token CompletionToken>
auto client::async_download(const typename Op::request_type& request, body_sink& sink, CompletionToken&& token)
{
    return detail::initiate_call<Op, false, detail::call_form::download>(state_, request, {},
                                                                        std::forward<CompletionToken>(token),
                                                                        detail::call_extras{{}, &sink});
}

template <class Op, call_token CompletionToken>
auto client::async_download(const typename Op::request_type& request, body_sink& sink, const call_options& options,
                            CompletionToken&& token)
{
    return detail::initiate_call<Op, false, detail::call_form::download>(state_, request, options,
                                                                        std::forward<CompletionToken>(token),
                                                                        detail::call_extras{{}, &sink});
}

template <class Op, call_token CompletionToken>
auto client::async_try_download(const typename Op::request_type& request, body_sink& sink, CompletionToken&& token)
{
    return detail::initiate_call<Op, true, detail::call_form::download>(state_, request, {},
                                                                       std::forward<CompletionToken>(token),
                                                                       detail::call_extras{{}, &sink});
}

template <class Op, call_token CompletionToken>
auto client::async_try_download(const typename Op::request_type& request, body_sink& sink,
                                const call_options& options, CompletionToken&& token)
{
    return detail::initiate_call<Op, true, detail::call_form::download>(state_, request, options,
                                                                       std::forward<CompletionToken>(token),
                                                                       detail::call_extras{{}, &sink});
}

template <class Op, call_token CompletionToken>
auto client::async_upload(const typename Op::request_type& request, body_source& source, CompletionToken&& token)
{
    return detail::initiate_call<Op, false, detail::call_form::value>(state_, request, {},
                                                                     std::forward<CompletionToken>(token),
                                                                     detail::call_extras{{}, nullptr, &source});
}

template <class Op, call_token CompletionToken>
auto client::async_upload(const typename Op::request_type& request, body_source& source, const call_options& options,
                          CompletionToken&& token)
{
    return detail::initiate_call<Op, false, detail::call_form::value>(state_, request, options,
                                                                     std::forward<CompletionToken>(token),
                                                                     detail::call_extras{{}, nullptr, &source});
}

template <class Op, call_token CompletionToken>
auto client::async_try_upload(const typename Op::request_type& request, body_source& source, CompletionToken&& token)
{
    return detail::initiate_call<Op, true, detail::call_form::value>(state_, request, {},
                                                                    std::forward<CompletionToken>(token),
                                                                    detail::call_extras{{}, nullptr, &source});
}

template <class Op, call_token CompletionToken>
auto client::async_try_upload(const typename Op::request_type& request, body_source& source,
                              const call_options& options, CompletionToken&& token)
{
    return detail::initiate_call<Op, true, detail::call_form::value>(state_, request, options,
                                                                    std::forward<CompletionToken>(token),
                                                                    detail::call_extras{{}, nullptr, &source});
}

template <class Op>
typename Op::response_type client::call(const typename Op::request_type& request)
{
    return async_call<Op>(request, blocking);
}

template <class Op>
result<typename Op::response_type> client::try_call(const typename Op::request_type& request)
{
    return async_try_call<Op>(request, blocking);
}

inline boost::asio::any_io_executor client::get_executor() const noexcept { return state_->ex; }
inline const client_options& client::options() const noexcept { return state_->config.options; }
inline const api_description& client::api() const noexcept { return state_->config.api; }
inline const std::shared_ptr<transport>& client::get_transport() const noexcept { return state_->transport; }
inline std::uint64_t client::oauth2_refreshes(std::size_t index) const
{
    return index < state_->config.oauth.size() ? state_->config.oauth[index].refreshes() : 0;
}

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
