// specbound::client: performs the operations of one API from their descriptors.
//
// Construction
//   specbound::client rt{ex, petstore::api};                                   // no credentials
//   specbound::client rt{ex, petstore::api, specbound::make_options(specbound::bearer_token{tok})};
//   petstore::client api{ex, specbound::bearer_token{tok}};   // generated facade, via make_options
//   client_options::with(credential) chains; client_options::transport injects any transport
//   (e.g. specbound::testing::mock_transport); the default is the Beast transport.
//   Construction checks the options and throws invalid_argument_error for a bad base URL or a
//   credential, default header or User-Agent that cannot go into a header (CR, LF, NUL, ...).
//
// Calls (Op is a generated descriptor such as petstore::ops::show_pet_by_id)
//   async_call<Op>(req, token)      completion void(std::exception_ptr, Op::response_type); the
//                                   exception is the typed error (catch specbound::not_found_error&)
//   async_try_call<Op>(req, token)  completion void(specbound::result<Op::response_type>)
//   call<Op>(req) / try_call<Op>(req)  blocking forms of the above; on a generated facade, pass
//                                   the token specbound::blocking: api.list_pets(req, specbound::blocking)
// Each takes a specbound::call_options after the request for settings of that call only
// (timeouts, retries, headers, query, idempotency key, server): api.list_pets(req, opts, token).
//   async_download<Op>(req, sink, token), async_try_download<Op>   a 2xx body streamed into a
//                                   specbound::body_sink (file_sink, callback_sink), completing with
//                                   the response_metadata (facade: <op>_download for binary responses)
//   async_upload<Op>(req, source, token), async_try_upload<Op>   the request body read from a
//                                   specbound::body_source (file_source, callback_source,
//                                   multipart_source) as it is sent (facade: <op>_upload)
//   async_call_with_metadata<Op>, async_try_call_with_metadata<Op>   the same, completing with
//                                   specbound::with_metadata<Op::response_type>: the value and its
//                                   status, headers and request id (facade: list_pets_with_metadata)
// Any Asio completion token works: use_awaitable (the default), use_future, deferred, a callback.
// Cancellation: bind a cancellation slot to the token; the in-flight attempt and any backoff wait
// stop and the call ends with transport_error(transport_errc::cancelled).
//
// Errors are values inside the library: the try forms never throw, whatever the input or the
// server does; the throwing forms throw exactly once, at the edge. An exception from user code
// (middleware, hooks, a custom transport or sleep) ends the call too: the throwing forms pass it
// on as it is, the try forms report it as unexpected_exception_error; it never escapes the
// executor's run().
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

#include <specbound/body_sink.hpp>
#include <specbound/body_source.hpp>
#include <specbound/descriptor.hpp>
#include <specbound/error.hpp>
#include <specbound/metadata.hpp>
#include <specbound/options.hpp>
#include <specbound/result.hpp>
#include <specbound/transport.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <type_traits>

namespace specbound {

using default_completion_token = boost::asio::use_awaitable_t<>;

/// Completion token of the blocking form: `api.list_pets(request, specbound::blocking)` returns
/// the response (or throws the typed error), `api.try_list_pets(request, specbound::blocking)`
/// returns the result. Works with every generated facade member and with client::async_call.
struct blocking_t {
    constexpr explicit blocking_t() = default;
};
inline constexpr blocking_t blocking{};

/// Any completion token; what tells `call(req, token)` from `call(req, options, token)`.
template <class T>
concept call_token = !std::is_same_v<std::remove_cvref_t<T>, call_options>;

namespace detail {
struct client_state;
} // namespace detail

template <class Op>
class pager;
template <class Op>
class item_pager;
template <class Op>
class event_stream;

class client {
public:
    /// Throws invalid_argument_error for options that cannot work (see above).
    client(boost::asio::any_io_executor ex, const api_description& api, client_options options = {});

    template <class Op, call_token CompletionToken = default_completion_token>
    auto async_call(const typename Op::request_type& request, CompletionToken&& token = {});
    template <class Op, call_token CompletionToken = default_completion_token>
    auto async_call(const typename Op::request_type& request, const call_options& options,
                    CompletionToken&& token = {});

    template <class Op, call_token CompletionToken = default_completion_token>
    auto async_try_call(const typename Op::request_type& request, CompletionToken&& token = {});
    template <class Op, call_token CompletionToken = default_completion_token>
    auto async_try_call(const typename Op::request_type& request, const call_options& options,
                        CompletionToken&& token = {});

    template <class Op, call_token CompletionToken = default_completion_token>
    auto async_call_with_metadata(const typename Op::request_type& request, CompletionToken&& token = {});
    template <class Op, call_token CompletionToken = default_completion_token>
    auto async_call_with_metadata(const typename Op::request_type& request, const call_options& options,
                                  CompletionToken&& token = {});

    template <class Op, call_token CompletionToken = default_completion_token>
    auto async_try_call_with_metadata(const typename Op::request_type& request, CompletionToken&& token = {});
    template <class Op, call_token CompletionToken = default_completion_token>
    auto async_try_call_with_metadata(const typename Op::request_type& request, const call_options& options,
                                      CompletionToken&& token = {});

    /// A download: a final 2xx body goes to `sink` as it arrives, decoded (gzip, deflate) and
    /// within call_options::body_limit if set, never held in memory; completion
    /// void(std::exception_ptr, response_metadata). Any other status is the operation's typed
    /// error as usual. A body broken mid-way is fetched again only when the sink can start over
    /// (file_sink can, callback_sink cannot once it handed bytes on). `sink` must outlive the call.
    template <class Op, call_token CompletionToken = default_completion_token>
    auto async_download(const typename Op::request_type& request, body_sink& sink, CompletionToken&& token = {});
    template <class Op, call_token CompletionToken = default_completion_token>
    auto async_download(const typename Op::request_type& request, body_sink& sink, const call_options& options,
                        CompletionToken&& token = {});
    /// async_download completing with void(result<response_metadata>); never throws.
    template <class Op, call_token CompletionToken = default_completion_token>
    auto async_try_download(const typename Op::request_type& request, body_sink& sink, CompletionToken&& token = {});
    template <class Op, call_token CompletionToken = default_completion_token>
    auto async_try_download(const typename Op::request_type& request, body_sink& sink, const call_options& options,
                            CompletionToken&& token = {});

    /// An upload: the request body is read from `source` as it is sent (Content-Length when the
    /// source knows its size, chunked otherwise) instead of the request's body member; completes
    /// like async_call. The request is sent again (retry, 307/308, OAuth2 replay) only when the
    /// source can start over (file_source can; callback_source cannot once read). `source` must
    /// outlive the call. Request compression does not apply to it.
    template <class Op, call_token CompletionToken = default_completion_token>
    auto async_upload(const typename Op::request_type& request, body_source& source, CompletionToken&& token = {});
    template <class Op, call_token CompletionToken = default_completion_token>
    auto async_upload(const typename Op::request_type& request, body_source& source, const call_options& options,
                      CompletionToken&& token = {});
    /// async_upload completing with void(result<Op::response_type>); never throws.
    template <class Op, call_token CompletionToken = default_completion_token>
    auto async_try_upload(const typename Op::request_type& request, body_source& source, CompletionToken&& token = {});
    template <class Op, call_token CompletionToken = default_completion_token>
    auto async_try_upload(const typename Op::request_type& request, body_source& source, const call_options& options,
                          CompletionToken&& token = {});

    template <class Op>
    typename Op::response_type call(const typename Op::request_type& request);

    template <class Op>
    result<typename Op::response_type> try_call(const typename Op::request_type& request);

    [[nodiscard]] boost::asio::any_io_executor get_executor() const noexcept;
    [[nodiscard]] const client_options& options() const noexcept;
    [[nodiscard]] const api_description& api() const noexcept;
    /// The transport in use (the injected one, or the default Beast transport).
    [[nodiscard]] const std::shared_ptr<transport>& get_transport() const noexcept;
    /// OAuth2 token requests made so far for credential `index` (0 for other credentials).
    [[nodiscard]] std::uint64_t oauth2_refreshes(std::size_t index) const;

private:
    template <class Op>
    friend class pager; // a page is a call with a page link (<specbound/pagination.hpp>)
    template <class Op>
    friend class event_stream; // a stream is a download into an event parser (<specbound/events.hpp>)

    std::shared_ptr<detail::client_state> state_;
};

} // namespace specbound

#include <specbound/impl/client.hpp>
