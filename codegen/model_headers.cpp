// Header assignment pass: each model goes into models/<header>.hpp, named after the model itself,
// except that models which contain one another (a recursion group) share the header of the
// group's first model, so they are declared together. Names too long for a file name are
// shortened (file_stem).
#include "model_builder.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

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

// Operation header pass: a group of more than max_operations_per_header operations (a big tag, or
// the untagged operations of `default`) is split by path, so that a TU calling one operation
// includes the declarations of a few: by the first path segment the group's operations do not all
// share (`/v2/payments/...` and `/v2/refunds/...` -> <group>_payments, <group>_refunds), again
// by the next segment while a part is still too big, and into numbered parts of consecutive
// operations when the paths no longer tell them apart. ops/<group>.hpp then includes its parts.
// Operations keep the spec's order; the names depend only on the spec, so output is deterministic.
namespace specbound::gen::detail {
namespace {

std::vector<std::string> path_segments(const std::string& path)
{
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at <= path.size()) {
        std::size_t end = path.find('/', at);
        if (end == std::string::npos)
            end = path.size();
        if (end > at)
            out.push_back(path.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

std::string segment_name(const std::string& segment)
{
    std::string s = segment;
    if (s.size() > 2 && s.front() == '{' && s.back() == '}')
        s = "by_" + s.substr(1, s.size() - 2);
    std::string id = to_identifier(s);
    return id.empty() ? "root" : id;
}

void split_group(std::vector<operation_model*>& group, const std::string& name, std::size_t depth,
                 std::set<std::string>& taken, std::vector<std::pair<std::string, std::vector<operation_model*>>>& parts)
{
    if (group.size() <= max_operations_per_header) {
        parts.emplace_back(name, group);
        return;
    }
    // The first segment, from `depth` on, where the group's paths differ.
    std::vector<std::vector<std::string>> segments;
    for (const operation_model* op : group)
        segments.push_back(path_segments(op->path));
    std::size_t at = depth;
    for (;; ++at) {
        bool all_have = true;
        bool differ = false;
        for (const auto& s : segments) {
            if (s.size() <= at) {
                all_have = false;
                break;
            }
            differ = differ || s[at] != segments.front()[at];
        }
        if (!all_have || differ)
            break;
    }
    std::vector<std::string> order;
    std::map<std::string, std::vector<operation_model*>> by_segment;
    for (std::size_t i = 0; i < group.size(); ++i) {
        const std::string key = segments[i].size() > at ? segment_name(segments[i][at]) : "root";
        if (!by_segment.count(key))
            order.push_back(key);
        by_segment[key].push_back(group[i]);
    }
    if (order.size() > 1) {
        for (const std::string& key : order) {
            std::string part = name + "_" + key;
            for (int n = 2; taken.count(part); ++n)
                part = name + "_" + key + "_" + std::to_string(n);
            taken.insert(part);
            split_group(by_segment[key], part, at + 1, taken, parts);
        }
        return;
    }
    // The paths tell the operations apart no further: consecutive parts of at most the maximum.
    for (std::size_t from = 0, n = 1; from < group.size(); from += max_operations_per_header, ++n) {
        std::string part = name + "_" + std::to_string(n);
        while (taken.count(part))
            part += "_";
        taken.insert(part);
        const std::size_t to = std::min(group.size(), from + max_operations_per_header);
        parts.emplace_back(part, std::vector<operation_model*>(group.begin() + static_cast<std::ptrdiff_t>(from),
                                                                group.begin() + static_cast<std::ptrdiff_t>(to)));
    }
}

} // namespace

void split_operation_headers(std::vector<operation_model>& operations)
{
    std::map<std::string, std::vector<operation_model*>> groups;
    std::set<std::string> taken;
    for (operation_model& op : operations) {
        groups[op.tag_header].push_back(&op);
        taken.insert(op.tag_header);
    }
    for (auto& [name, group] : groups) {
        if (group.size() <= max_operations_per_header)
            continue;
        std::vector<std::pair<std::string, std::vector<operation_model*>>> parts;
        split_group(group, name, 0, taken, parts);
        for (auto& [part, ops] : parts)
            for (operation_model* op : ops) {
                op->tag_group = name;
                op->tag_header = file_stem(part);
            }
    }
}

} // namespace specbound::gen::detail
