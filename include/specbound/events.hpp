// Server-sent events: an operation whose response is `text/event-stream`, read as an async
// sequence of events.
//
//   auto events = api.watch_build_events(req);              // specbound::event_stream<ops::watch_build>
//   while (auto e = co_await events.next())                 // std::optional<sse_event<T>>
//       std::cout << e->type << ": " << e->data.status << '\n';
//
// `data` is decoded into the schema the spec declares for the stream when there is one (a JSON
// object per event), or is the text as sent (std::string). next() takes any completion token;
// try_next() completes with a result. The connection opens with the first next(), events are
// parsed as they arrive, and a consumer slower than the server holds the connection's reads back
// (at most event_options::max_buffered events wait), so memory stays bounded.
//
// Reconnection (event_options::reconnect): when the server ends the stream or the connection
// breaks, the stream connects again after the server's `retry` time (or reconnect_delay), sending
// `Last-Event-ID` so the server can resume. An error status (4xx, 5xx; 204 says "stop"), the
// call's deadline (call_options::timeout or deadline, over the whole stream) and close() end it.
// Hostile streams: a line or event larger than max_event_bytes ends the stream with a sink_error.
#pragma once

#include <specbound/body_sink.hpp>
#include <specbound/client.hpp>
#include <specbound/detail/sequence.hpp>
#include <specbound/detail/sse_parser.hpp>
#include <specbound/json/decode.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

namespace specbound {

/// One server-sent event. `Data` is the declared schema's type, or std::string (the text).
template <class Data = std::string>
struct sse_event {
    std::string type; // the `event` field, "message" when the event names none
    Data data{};
    std::string id;   // the last event ID when it was dispatched (what Last-Event-ID resumes from)
    std::optional<std::chrono::milliseconds> retry; // a reconnection time this event set
};

struct event_options {
    /// Connect again when the stream ends or breaks, resuming with Last-Event-ID.
    bool reconnect = false;
    /// Wait before reconnecting, unless the server sent a `retry` time.
    std::chrono::milliseconds reconnect_delay{3000};
    /// Reconnections at most (0: no limit); more ends the stream with the last failure.
    std::size_t max_reconnects = 0;
    /// Events parsed and not yet taken by next() at most; past it, the connection's reads wait.
    std::size_t max_buffered = 64;
    /// The longest line, and the largest event data, accepted.
    std::size_t max_event_bytes = 1024 * 1024;
};

namespace detail {

template <class Op>
struct event_data {
    using type = std::string;
};
template <class Op>
    requires requires { typename Op::event_data_type; }
struct event_data<Op> {
    using type = typename Op::event_data_type;
};

/// What the event channel carries: an event, a failure, or the end (neither).
template <class Event>
struct event_item {
    std::optional<Event> event;
    std::shared_ptr<const error> failure; // an event whose data did not decode, or (last) what ended the stream
    bool last = false;                    // the stream's end: nothing follows
};

/// An event stream's state, on the client's strand: the connection, the parser, the channel the
/// events wait in, reconnection.
template <class Op>
class event_stream_state final : public body_sink, public std::enable_shared_from_this<event_stream_state<Op>> {
public:
    using data_type = typename event_data<Op>::type;
    using event_type = sse_event<data_type>;
    using item = event_item<event_type>;
    using channel_type = boost::asio::experimental::channel<void(boost::system::error_code, item)>;

    event_stream_state(std::shared_ptr<client_state> c, typename Op::request_type r, call_options o, event_options e)
        : client(std::move(c)), request(std::move(r)), options(std::move(o)), limits(e), parser(e.max_event_bytes),
          channel(client->strand, e.max_buffered == 0 ? 1 : e.max_buffered), reconnect_timer(client->strand)
    {
        // The deadline covers the whole stream, reconnections included.
        const auto now = std::chrono::steady_clock::now();
        if (options.timeout && options.timeout->count() > 0)
            deadline = now + *options.timeout;
        if (options.deadline)
            deadline = deadline ? std::min(*deadline, *options.deadline) : *options.deadline;
        options.timeout.reset();
        options.deadline = deadline;
        if (!options.attempt_timeout)
            options.attempt_timeout = std::chrono::hours(24); // a stream is long; the deadline bounds it
    }

    // ---- body_sink: the connection's bytes --------------------------------------------------

    bool restart() override
    {
        if (started)
            return false; // a new connection is a new call (with Last-Event-ID), never a replay
        parser.restart();
        return true;
    }
    [[nodiscard]] bool restartable() const override { return !started; }

    boost::system::error_code write(std::span<const char> bytes) override
    {
        started = true;
        const bool ok = parser.feed(std::string_view(bytes.data(), bytes.size()),
                                    [&](sse_fields&& f) { pending.push_back(to_item(std::move(f))); });
        if (!ok)
            return boost::system::error_code(EMSGSIZE, boost::system::generic_category());
        return {};
    }

    boost::asio::awaitable<void> ready() override
    {
        // Hands the parsed events to the channel; waits while it is full.
        while (!pending.empty() && !closed) {
            item next = std::move(pending.front());
            pending.pop_front();
            auto [ec] = co_await channel.async_send(boost::system::error_code{}, std::move(next),
                                                     boost::asio::as_tuple(boost::asio::use_awaitable));
            if (ec)
                co_return; // closed
        }
    }

    // ---- the connection ---------------------------------------------------------------------

    void start_if_needed()
    {
        if (connecting || closed)
            return;
        connecting = true;
        connect();
    }

    void connect()
    {
        started = false;
        call_options o = options;
        if (!parser.last_event_id().empty())
            o.headers.emplace_back("Last-Event-ID", parser.last_event_id());
        auto self = this->shared_from_this();
        initiate_call<Op, true, call_form::download>(
            client, request, o,
            boost::asio::bind_cancellation_slot(
                connection.slot(), boost::asio::bind_executor(client->strand,
                                                              [self](result<response_metadata> r) { self->ended(std::move(r)); })),
            call_extras{{}, this});
    }

    /// A connection ended: deliver what it parsed, then reconnect or end the stream.
    void ended(result<response_metadata> r)
    {
        if (closed)
            return;
        std::shared_ptr<const error> failure = r ? nullptr : r.error_ptr();
        if (failure && failure->as<sink_error>() && !parser.why().empty())
            failure = std::make_shared<sink_error>(operation_context<Op>() + ": " + parser.why(),
                                                   failure->as<sink_error>()->sink_code());
        if (r && r->status == 204) // the server says: no more
            return send_last(nullptr);
        const bool transient = failure && failure->as<transport_error>() && !failure->as<timeout_error>() &&
                               failure->code() != transport_errc::cancelled;
        const bool deadline_passed = deadline && std::chrono::steady_clock::now() >= *deadline;
        const bool may_reconnect = limits.reconnect && (!failure || transient) && !deadline_passed &&
                                   (limits.max_reconnects == 0 || reconnects < limits.max_reconnects);
        flush([self = this->shared_from_this(), failure, may_reconnect] {
            if (self->closed)
                return;
            if (!may_reconnect)
                return self->send_last(failure);
            ++self->reconnects;
            self->reconnect_timer.expires_after(self->parser.reconnection_time().value_or(self->limits.reconnect_delay));
            self->reconnect_timer.async_wait([self](boost::system::error_code ec) {
                if (!ec && !self->closed)
                    self->connect();
            });
        });
    }

    /// Sends what is still pending (a transport that did not stream delivers the body at once),
    /// then runs `then`.
    template <class Then>
    void flush(Then then)
    {
        if (pending.empty() || closed)
            return then();
        item next = std::move(pending.front());
        pending.pop_front();
        channel.async_send(boost::system::error_code{}, std::move(next),
                           [self = this->shared_from_this(), then = std::move(then)](boost::system::error_code ec) mutable {
                               if (ec)
                                   return;
                               self->flush(std::move(then));
                           });
    }

    /// The last item: the failure, or the end; then nothing more is sent.
    void send_last(std::shared_ptr<const error> failure)
    {
        channel.async_send(boost::system::error_code{}, item{std::nullopt, std::move(failure), true},
                           [](boost::system::error_code) {});
    }

    void close()
    {
        if (closed)
            return;
        closed = true;
        connection.emit(boost::asio::cancellation_type::terminal);
        reconnect_timer.cancel();
        channel.close();
    }

    std::shared_ptr<client_state> client;
    typename Op::request_type request;
    call_options options;
    event_options limits;
    sse_parser parser;
    channel_type channel;
    boost::asio::steady_timer reconnect_timer;
    boost::asio::cancellation_signal connection;
    std::deque<item> pending;
    std::optional<std::chrono::steady_clock::time_point> deadline;
    std::size_t reconnects = 0;
    bool connecting = false;
    bool started = false;
    bool closed = false;
    std::atomic<bool> end_delivered{false}; // the consumer has received the last item (on its executor)

private:
    item to_item(sse_fields&& f)
    {
        item out;
        event_type e;
        e.type = std::move(f.type);
        e.id = std::move(f.id);
        e.retry = f.retry;
        if constexpr (std::is_same_v<data_type, std::string>) {
            e.data = std::move(f.data);
        } else {
            if (std::optional<json::decode_failure> bad = json::decode(f.data, e.data)) {
                // The event's text (the server's) stays out of what(): pointer, detail and excerpt hold it.
                out.failure = std::make_shared<decode_error>(client_errc::decode_failed,
                                                             operation_context<Op>() +
                                                                 ": an event's data does not match the stream's schema",
                                                             200, bad->pointer, bad->message, f.data);
                return out;
            }
        }
        out.event = std::move(e);
        return out;
    }
};

} // namespace detail

/// The events of an operation whose response is text/event-stream.
template <class Op>
class event_stream {
public:
    using event_type = typename detail::event_stream_state<Op>::event_type;

    event_stream(client& c, typename Op::request_type request, call_options options = {}, event_options limits = {})
        : state_(std::make_shared<detail::event_stream_state<Op>>(c.state_, std::move(request), std::move(options), limits))
    {
    }
    event_stream(event_stream&&) noexcept = default;
    event_stream& operator=(event_stream&&) noexcept = default;
    event_stream(const event_stream&) = delete;
    event_stream& operator=(const event_stream&) = delete;
    /// Closes the connection.
    ~event_stream() { close(); }

    /// The next event, or nullopt when the stream has ended: completion void(std::exception_ptr,
    /// std::optional<event_type>). An event whose data does not decode is a decode_error for
    /// that event only: next() again reads on.
    template <call_token CompletionToken = default_completion_token>
    auto next(CompletionToken&& token = {})
    {
        return initiate<false>(std::forward<CompletionToken>(token));
    }

    /// next() completing with void(result<std::optional<event_type>>); never throws.
    template <call_token CompletionToken = default_completion_token>
    auto try_next(CompletionToken&& token = {})
    {
        return initiate<true>(std::forward<CompletionToken>(token));
    }

    /// Ends the stream: the connection closes, next() answers the end.
    void close()
    {
        if (!state_)
            return;
        boost::asio::dispatch(state_->client->strand, [st = state_] { st->close(); });
    }

    /// The last event ID received (what a reconnection resumes from). Read it between next() calls.
    [[nodiscard]] std::string last_event_id() const { return state_->parser.last_event_id(); }
    /// Reconnections made so far.
    [[nodiscard]] std::size_t reconnects() const noexcept { return state_->reconnects; }

private:
    using state = detail::event_stream_state<Op>;
    using value = std::optional<event_type>;

    template <bool Try, class CompletionToken>
    auto initiate(CompletionToken&& token)
    {
        return detail::initiate_next<Try, event_type>(
            std::forward<CompletionToken>(token), state_->client, state_, [](auto cs, auto st, auto handler) {
                auto strand = cs->strand;
                boost::asio::dispatch(strand, [h = std::move(handler), st]() mutable { receive<Try>(std::move(st), std::move(h)); });
            });
    }

    template <bool Try, class Handler>
    static void deliver(Handler& h, std::shared_ptr<const error> failure, value v)
    {
        detail::complete_next<Try, event_type>(h, std::move(failure), std::move(v));
    }

    template <bool Try, class Handler>
    static void receive(std::shared_ptr<state> st, Handler h)
    {
        namespace asio = boost::asio;
        auto ex = asio::get_associated_executor(h, st->client->ex);
        if (st->end_delivered || st->closed) {
            asio::post(ex, [h = std::move(h)]() mutable { deliver<Try>(h, nullptr, std::nullopt); });
            return;
        }
        st->start_if_needed();
        auto slot = asio::get_associated_cancellation_slot(h);
        st->channel.async_receive(asio::bind_cancellation_slot(
            slot, asio::bind_executor(ex, [h = std::move(h), st](boost::system::error_code ec,
                                                                  typename state::item it) mutable {
                if (ec) { // closed by close(), or this next() was cancelled
                    if (ec == asio::experimental::error::channel_closed || ec == asio::experimental::error::channel_cancelled)
                        return deliver<Try>(h, nullptr, std::nullopt);
                    return deliver<Try>(h, std::make_shared<transport_error>(transport_errc::cancelled,
                                                                            detail::operation_context<Op>(), true),
                                        std::nullopt);
                }
                if (it.last)
                    st->end_delivered = true; // next() after it answers the end at once
                deliver<Try>(h, std::move(it.failure), std::move(it.event));
            })));
    }

    std::shared_ptr<state> state_;
};

} // namespace specbound
