// Compiles against the generated headers, so they must exist before this is compiled. Only the
// light headers (API facts, descriptors, models): the test is about generation, not the runtime.
#include <inventory/api.hpp>
#include <inventory/ops/items.hpp>

static_assert(specbound::valid_descriptor<inventory::ops::list_items>);

int main()
{
    return inventory::api.name == "inventory" ? 0 : 1;
}
