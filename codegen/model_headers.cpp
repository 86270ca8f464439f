// Header assignment pass: each model goes into models/<header>.hpp, named after the model itself,
// except that models which contain one another (a recursion group) share the header of the
// group's first model, so they are declared together. Names too long for a file name are
// shortened (file_stem).
#include "model_builder.hpp"

namespace specbound::gen::detail {

void assign_headers(std::vector<model>& models, const recursion_groups& groups)
{
    constexpr std::size_t none = static_cast<std::size_t>(-1);
    std::vector<std::size_t> first(groups.count, none);
    for (std::size_t i = 0; i < models.size(); ++i)
        if (first[groups.group_of[i]] == none)
            first[groups.group_of[i]] = i;
    for (std::size_t i = 0; i < models.size(); ++i)
        models[i].header = file_stem(models[first[groups.group_of[i]]].name);
}

} // namespace specbound::gen::detail
