// DigitalOcean's sweep also checks that a known operation has the expected shape: the sweep
// itself only proves that whatever was generated agrees with Prism.
#include <digitalocean/api.hpp>
#include <digitalocean/ops/droplets.hpp>

static_assert(digitalocean::ops::droplets_list::method == specbound::http_method::get);
static_assert(digitalocean::ops::droplets_list::path == "/v2/droplets");
static_assert(digitalocean::ops::droplets_get::path == "/v2/droplets/{droplet_id}");
static_assert(specbound::get<0>(digitalocean::ops::droplets_get::parameters).in == specbound::param_in::path);
static_assert(digitalocean::ops::droplets_list::security[0].schemes[0] == "bearer_auth");
static_assert(digitalocean::api.default_server == "https://api.digitalocean.com");
