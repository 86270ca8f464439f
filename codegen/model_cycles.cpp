// Cycles pass: finds the models that contain one another (strongly connected components of the
// containment graph) and boxes their direct containment (specbound::boxed<T>), which C++ needs to
// have such types at all. Containment through an array or a map needs no box.
#include "model_builder.hpp"

#include <algorithm>

namespace specbound::gen::detail {

namespace {

void box_within(type_ref& t, const std::vector<std::size_t>& component, std::size_t scc, bool direct)
{
    if (t.k == type_ref::kind::model && direct && component[t.model] == scc)
        t.boxed = true;
    bool through_container = t.k == type_ref::kind::array || t.k == type_ref::kind::map;
    for (type_ref& a : t.args)
        box_within(a, component, scc, direct && !through_container);
}

} // namespace

void contained_models(const type_ref& t, std::vector<std::size_t>& out)
{
    if (t.k == type_ref::kind::model)
        out.push_back(t.model);
    for (const type_ref& a : t.args)
        contained_models(a, out);
}

std::vector<std::size_t> contained_models(const model& m)
{
    std::vector<std::size_t> out;
    for (const field_model& f : m.fields)
        contained_models(f.type, out);
    if (m.additional_properties)
        contained_models(*m.additional_properties, out);
    for (const type_ref& a : m.alternatives)
        contained_models(a, out);
    return out;
}

recursion_groups find_recursion_groups(const std::vector<model>& models)
{
    // Tarjan's strongly connected components, iteratively (specs can nest deeply).
    const std::size_t n = models.size();
    std::vector<std::vector<std::size_t>> adj(n);
    for (std::size_t i = 0; i < n; ++i)
        adj[i] = contained_models(models[i]);
    constexpr std::size_t unvisited = static_cast<std::size_t>(-1);
    std::vector<std::size_t> index(n, unvisited), low(n, 0);
    recursion_groups groups;
    std::vector<std::size_t>& component = groups.group_of;
    component.assign(n, unvisited);
    std::vector<bool> on_stack(n, false);
    std::vector<std::size_t> stack;
    std::size_t counter = 0;
    for (std::size_t start = 0; start < n; ++start) {
        if (index[start] != unvisited)
            continue;
        std::vector<std::pair<std::size_t, std::size_t>> work{{start, 0}};
        while (!work.empty()) {
            auto& [v, next] = work.back();
            if (next == 0 && index[v] == unvisited) {
                index[v] = low[v] = counter++;
                stack.push_back(v);
                on_stack[v] = true;
            }
            if (next < adj[v].size()) {
                std::size_t w = adj[v][next++];
                if (index[w] == unvisited)
                    work.emplace_back(w, 0);
                else if (on_stack[w])
                    low[v] = std::min(low[v], index[w]);
                continue;
            }
            if (low[v] == index[v]) {
                std::size_t w;
                do {
                    w = stack.back();
                    stack.pop_back();
                    on_stack[w] = false;
                    component[w] = groups.count;
                } while (w != v);
                ++groups.count;
            }
            std::size_t finished = v;
            work.pop_back();
            if (!work.empty())
                low[work.back().first] = std::min(low[work.back().first], low[finished]);
        }
    }
    return groups;
}

void box_recursive_containment(std::vector<model>& models, const recursion_groups& groups)
{
    for (std::size_t i = 0; i < models.size(); ++i) {
        model& m = models[i];
        const std::size_t group = groups.group_of[i];
        for (field_model& f : m.fields)
            box_within(f.type, groups.group_of, group, true);
        for (type_ref& a : m.alternatives)
            box_within(a, groups.group_of, group, true);
        if (m.additional_properties)
            box_within(*m.additional_properties, groups.group_of, group, false);
    }
}

} // namespace specbound::gen::detail
