// The default transport of a client: Boost.Beast over TCP/TLS. The only part of the client that
// includes Beast's I/O and OpenSSL.
// Included by <specbound/client.hpp> (header-only use) or compiled once through
// <specbound/src.hpp> (SPECBOUND_SEPARATE_COMPILATION); see <specbound/detail/config.hpp>.
#pragma once

#include <specbound/detail/client_state.hpp>
#include <specbound/http/beast_transport.hpp>

namespace specbound::detail {

SPECBOUND_DECL std::shared_ptr<transport> make_default_transport(const boost::asio::any_io_executor& ex,
                                                                 const http::transport_options& options)
{
    return std::make_shared<http::beast_transport>(ex, options);
}

} // namespace specbound::detail
