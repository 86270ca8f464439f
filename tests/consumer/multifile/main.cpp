// Compiles against the generated client: the generated headers exist before this is compiled.
#include <inventory/inventory.hpp>

static_assert(specbound::valid_descriptor<inventory::ops::list_items>);

int main()
{
    return inventory::api.name == "inventory" ? 0 : 1;
}
