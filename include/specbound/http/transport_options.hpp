// Options of the Beast transport: TLS trust and identity, proxies, pool sizing.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace specbound::http {

struct tls_options {
    /// Verify the server's certificate chain and host name. On by default.
    bool verify_peer = true;

    /// Extra trust anchors (PEM file and/or hashed directory), added to the system store.
    std::string ca_file, ca_directory;

    /// Load OpenSSL's default verify paths (when the first https connection is made, not at
    /// construction). Turn off to trust only ca_file/ca_directory.
    bool use_system_trust = true;

    /// Client identity for mutual TLS (PEM). Both or neither.
    std::string client_certificate_file, client_private_key_file;

    /// Accept any certificate, including self-signed, expired or issued for another host.
    /// Loudly named so that it shows in code review; never use it against real services.
    bool danger_accept_invalid_certificates = false;
};

struct proxy_options {
    /// "http://[user:pass@]host:port"; empty means no proxy for that scheme.
    std::string http_proxy, https_proxy;

    /// Comma-separated hosts that bypass the proxy: "example.com", ".example.com" (suffix), "*".
    std::string no_proxy;

    /// When a field above is empty, read HTTP_PROXY / HTTPS_PROXY / NO_PROXY (or lower-case).
    bool from_environment = true;
};

struct transport_options {
    tls_options tls;
    proxy_options proxy;

    /// Open connections (busy or idle) per origin; callers beyond it wait, first come first served.
    std::size_t max_connections_per_origin = 16;

    /// Pooled connections idle for longer than this are closed instead of reused.
    std::chrono::steady_clock::duration idle_timeout = std::chrono::seconds(60);

    /// A pooled connection idle for this long or longer is probed before reuse for a close (or
    /// unsolicited bytes) from the server: one non-blocking recv, a system call. One given back
    /// more recently is reused without the probe for requests that the client sends again on a
    /// new connection if a reused one loses them before any answer (idempotent methods, calls
    /// with an idempotency key: attempt_limits::replayed_if_lost); other requests are always
    /// probed. Zero: probe before every reuse.
    std::chrono::steady_clock::duration stale_probe_after = std::chrono::milliseconds(100);

    /// Capacity reserved for each connection's read buffer: Beast's default issues many small reads.
    std::size_t initial_read_buffer = 16 * 1024;

    /// Largest accepted response header block.
    std::size_t header_limit = 64 * 1024;
};

} // namespace specbound::http
