// 07 — pagination: every Droplet across all pages, as pages and as items, with the pagers
// specbound-gen emitted for DigitalOcean's list operations (it recognised links.pages.next).
//
//   07_pagination BASE_URL       against a mock server (scripts/run-main.sh starts Prism serving
//                                DigitalOcean's spec)
//   DIGITALOCEAN_TOKEN=... 07_pagination
//                                against the real API: read-only, it only lists
//
// A page is requested only when next() is called, each page is a whole call (retries, typed
// errors, cancellation), and a next link that leaves the API's origin or repeats a page is refused
// with specbound::pagination_error instead of being followed.
#include <digitalocean/ops/droplets.hpp>
#include <digitalocean/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

namespace {

boost::asio::awaitable<bool> every_droplet(digitalocean::client& api)
{
    // 1. Pages: each one a droplets_list_response, with its meta.total and links.
    digitalocean::droplets_list_request request{.per_page = 2};
    auto pages = api.droplets_list_pages(request);
    std::int64_t total = -1;
    while (auto page = co_await pages.next()) {
        total = page->meta.total;
        std::cout << "page " << pages.pages() << ": " << (page->droplets ? page->droplets->size() : 0)
                  << " Droplets (" << total << " in all)\n";
    }

    // 2. Items: the same Droplets one at a time, the pages fetched behind the scenes. The try_
    //    form reports a failed page as a value.
    auto droplets = api.droplets_list_items(request);
    std::int64_t seen = 0;
    for (;;) {
        specbound::result<std::optional<digitalocean::droplet>> next = co_await droplets.try_next();
        if (!next) {
            std::cerr << "droplets_list_items failed: " << next.error()->what() << "\n";
            co_return false;
        }
        if (!*next)
            break;
        const digitalocean::droplet& d = **next;
        std::cout << "  Droplet " << d.id << " \"" << d.name << "\" in " << d.region.slug << "\n";
        ++seen;
    }
    std::cout << "07 pagination: " << seen << " Droplets over " << droplets.pages().pages() << " pages\n";
    co_return seen == total;
}

} // namespace

int main(int argc, char** argv)
{
    const char* token = std::getenv("DIGITALOCEAN_TOKEN");
    const char* base_url = argc > 1 ? argv[1] : std::getenv("SPECBOUND_BASE_URL");
    const bool real_api = token && *token;
    if (!real_api && !base_url) {
        std::cerr << "usage: 07_pagination BASE_URL (a mock server), or set DIGITALOCEAN_TOKEN for the real API\n";
        return 2;
    }
    boost::asio::io_context ioc;
    auto options = specbound::make_options(specbound::bearer_token{real_api ? token : "mock-token"});
    if (!real_api)
        options.base_url = base_url;
    digitalocean::client api{ioc.get_executor(), std::move(options)};

    bool ok = false;
    boost::asio::co_spawn(ioc, every_droplet(api), [&](std::exception_ptr e, bool all) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                std::cerr << "07 pagination failed: " << x.what() << "\n";
            }
        }
        ok = all;
    });
    ioc.run();
    if (!ok)
        std::cerr << "07 pagination: the items did not add up to meta.total\n";
    return ok ? 0 : 1;
}
