// Uses a client generated from spec/petstore.yaml: builds it, and calls an operation against a
// port where nothing listens, which must fail with a typed transport error (no network needed).
#include <petstore/petstore.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

static_assert(specbound::valid_descriptor<petstore::ops::list_pets>);

// specbound_generate() links the compiled runtime (specbound::runtime) unless told HEADER_ONLY.
#if defined(SPECBOUND_CONSUMER_HEADER_ONLY) == defined(SPECBOUND_SEPARATE_COMPILATION)
#error "specbound_generate() did not choose the runtime this executable asked for"
#endif

namespace {

// A port on 127.0.0.1 that nothing listens on: bound by the kernel's choice, then released.
unsigned short closed_port()
{
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor acceptor(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return acceptor.local_endpoint().port();
}

} // namespace

int main()
{
    if (petstore::api.name != "petstore") {
        std::fprintf(stderr, "consumer: unexpected api name\n");
        return 1;
    }

    boost::asio::io_context ioc;
    specbound::client_options options;
    options.base_url = "http://127.0.0.1:" + std::to_string(closed_port());
    options.retry.max_retries = 0;
    options.timeouts.connect = std::chrono::seconds(5);
    options.timeouts.overall = std::chrono::seconds(10);
    petstore::client client{ioc.get_executor(), std::move(options)};

    std::optional<boost::system::error_code> outcome;
    client.try_list_pets(petstore::list_pets_request{},
                         [&](specbound::result<petstore::list_pets_response> r) { outcome = r.code(); });
    ioc.run_for(std::chrono::seconds(20));

    if (!outcome) {
        std::fprintf(stderr, "consumer: the call did not complete within 20 s\n");
        return 1;
    }
    if (*outcome != specbound::transport_errc::connect_failed) {
        std::fprintf(stderr, "consumer: expected connect_failed, got %s: %s\n", outcome->category().name(),
                     outcome->message().c_str());
        return 1;
    }
    std::printf("consumer: %s %s client built; a call to a closed port failed with: %s\n",
                std::string(petstore::api.title).c_str(), std::string(petstore::api.version).c_str(),
                outcome->message().c_str());
    return 0;
}
