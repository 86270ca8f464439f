// DigitalOcean's public spec (read in place from the shared specs folder), generated at build time:
// the umbrella header compiles and a known operation has the expected shape.
#include <digitalocean/digitalocean.hpp>

#include <catch2/catch.hpp>

#include <type_traits>

static_assert(digitalocean::ops::droplets_list::method == specbound::http_method::get);
static_assert(digitalocean::ops::droplets_list::path == "/v2/droplets");
static_assert(digitalocean::ops::droplets_get::path == "/v2/droplets/{droplet_id}");
static_assert(specbound::get<0>(digitalocean::ops::droplets_get::parameters).in == specbound::param_in::path);
static_assert(digitalocean::ops::droplets_list::security[0].schemes[0] == "bearer_auth");
static_assert(digitalocean::api.default_server == "https://api.digitalocean.com");

TEST_CASE("DigitalOcean client is generated", "[codegen][digitalocean]")
{
    digitalocean::droplets_list_request request{};
    request.per_page = 20;
    CHECK(request.per_page == 20);
    CHECK(digitalocean::api.title == "DigitalOcean API");
}
