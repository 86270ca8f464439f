// The state a client and its copies share: the configuration (sans-I/O) and the I/O objects
// around it (executor, strand, transport, the timers OAuth2 waiters sleep on).
#pragma once

#include <specbound/detail/client_config.hpp>
#include <specbound/detail/config.hpp>
#include <specbound/http/transport_options.hpp>
#include <specbound/transport.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <memory>
#include <utility>
#include <vector>

namespace specbound::detail {

/// The Beast transport, made only when the user injects none. Defined beside the Beast transport
/// (impl/default_transport.ipp) so that the call engine does not include Beast's I/O or OpenSSL.
SPECBOUND_DECL std::shared_ptr<transport> make_default_transport(const boost::asio::any_io_executor& ex,
                                                                 const http::transport_options& options);

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
        : ex(std::move(e)), strand(make_client_strand(ex)), config(a, std::move(o))
    {
        transport = config.options.transport ? config.options.transport
                                             : make_default_transport(ex, config.options.http_transport);
        token_fetched.reserve(config.options.credentials.size());
        for (std::size_t i = 0; i < config.options.credentials.size(); ++i)
            token_fetched.emplace_back(ex, std::chrono::steady_clock::time_point::max());
    }

    boost::asio::any_io_executor ex;
    boost::asio::any_io_executor strand; // from make_client_strand
    client_config config;
    std::shared_ptr<specbound::transport> transport;
    /// Per credential: calls waiting for another call's OAuth2 token request sleep on it; it
    /// never expires, cancel() wakes them when the request ends.
    std::vector<boost::asio::steady_timer> token_fetched;
};

} // namespace specbound::detail

#if !defined(SPECBOUND_SEPARATE_COMPILATION)
#include <specbound/impl/default_transport.ipp>
#endif
