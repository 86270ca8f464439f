// How a list operation pages: recognised from the shape of its parameters and response, or
// declared with the operation's `x-specbound-pagination`. Read by the emitter into
// `Op::pagination`, which specbound::pager follows (<specbound/pagination.hpp>).
//
// Recognised, in this order (the first that fits wins), for GET operations whose success body is
// a list or an object with one list member, or one with a usual name (items, data, results...),
// or one list of objects (the items):
//   link_header  a 2xx response declares a `Link` header (GitHub)
//   next_link    the body has a string `next`, `next_url`, `nextLink`, ... within three levels
//                (DigitalOcean's links.pages.next, through its anyOf)
//   cursor       the body has a `next_cursor`, `next_token`, `nextPageToken`, ... string and the
//                operation a `cursor`, `page_token`, ... string query parameter
//   page_number  an integer `page` query parameter
//   offset       an integer `offset` (or `skip`) query parameter
// A total (`total`, `total_count`, ... within two levels) ends numbered pages early. A GET list
// with paging parameters that fits none is reported (lint note `unrecognised-pagination`, and the
// generator's summary) and stays a plain call.
#include "descriptor_names.hpp"
#include "model_builder.hpp"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <span>

namespace specbound::gen::detail {

namespace {

std::string folded(std::string_view s)
{
    std::string out;
    for (char c : s)
        if (c != '_' && c != '-' && c != '.' && c != '@')
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool one_of(std::string_view name, std::span<const std::string_view> names)
{
    const std::string f = folded(name);
    return std::find(names.begin(), names.end(), f) != names.end();
}

bool one_of(std::string_view name, std::initializer_list<std::string_view> names)
{
    return one_of(name, std::span<const std::string_view>(names.begin(), names.size()));
}

// Names compared folded: lower case, without '_', '-', '.', '@'.
constexpr std::string_view next_link_names[] = {"next", "nexturl", "nextlink", "nextpageurl",
                                                                     "nextpagelink", "odatanextlink", "nexthref"};
constexpr std::string_view cursor_names[] = {
    "nextcursor", "nexttoken", "nextpagetoken", "cursor", "continuationtoken", "nextmarker", "endcursor", "nextpagecursor"};
constexpr std::string_view cursor_params[] = {
    "cursor", "pagetoken", "nexttoken", "continuationtoken", "marker", "after", "pagecursor", "nextpagetoken"};
constexpr std::string_view total_names[] = {"total", "totalcount", "totalitems", "totalresults",
                                                                 "totalsize", "totalentries", "totalrecords"};
constexpr std::string_view item_names[] = {"items", "data", "results", "values", "entries",
                                                                "records", "list", "elements", "content"};
constexpr std::string_view paging_params[] = {
    "page", "perpage", "pagesize", "limit", "offset", "cursor", "after", "before", "startingafter", "endingbefore",
    "pagetoken", "maxresults", "marker", "skip", "top", "size", "pagenumber", "count"};

bool is_integer(const type_ref& t) { return t.k == type_ref::kind::int32 || t.k == type_ref::kind::int64; }

/// The object models a value of type `t` can be: the model itself, or a union's object alternatives.
std::vector<std::size_t> object_models(const type_ref& t, const std::vector<model>& models)
{
    std::vector<std::size_t> out;
    if (t.k != type_ref::kind::model)
        return out;
    const model& m = models[t.model];
    if (m.k == model::kind::object)
        out.push_back(t.model);
    else if (m.k == model::kind::union_)
        for (const type_ref& a : m.alternatives)
            if (a.k == type_ref::kind::model && models[a.model].k == model::kind::object)
                out.push_back(a.model);
    return out;
}

/// The shallowest member (breadth first, in declaration order) within `depth` levels whose type
/// satisfies `fits` and whose name `named` accepts.
template <class Fits, class Named>
std::optional<std::vector<field_step>> find_member(const type_ref& root, const std::vector<model>& models,
                                                   std::size_t depth, Fits fits, Named named)
{
    struct item {
        type_ref type;
        std::vector<field_step> path;
    };
    std::deque<item> queue{{root, {}}};
    while (!queue.empty()) {
        item at = std::move(queue.front());
        queue.pop_front();
        for (std::size_t m : object_models(at.type, models)) {
            for (std::size_t f = 0; f < models[m].fields.size(); ++f) {
                const field_model& field = models[m].fields[f];
                std::vector<field_step> path = at.path;
                path.push_back({m, f});
                if (named(field.wire_name) && fits(field.type))
                    return path;
                if (path.size() < depth)
                    queue.push_back({field.type, std::move(path)});
            }
        }
    }
    return std::nullopt;
}

} // namespace

void builder::read_pagination(operation_model& out, const node& op)
{
    const std::vector<model>& models = out_.models;
    const node* declared = op.find("x-specbound-pagination");
    if (declared && declared->is_scalar() && declared->as_bool() == std::optional<bool>(false))
        return;
    const type_ref& body = out.response_type;
    auto query_param = [&](auto accept) -> const parameter_model* {
        for (const parameter_model& p : out.parameters)
            if (p.in == param_in::query && accept(p))
                return &p;
        return nullptr;
    };
    auto is_string = [](const type_ref& t) { return t.k == type_ref::kind::string; };
    auto is_list = [](const type_ref& t) { return t.k == type_ref::kind::array; };

    if (declared) {
        read_declared_pagination(out, *declared);
        return;
    }
    if (out.method != http_method::get || body.nullable)
        return;

    // The items: the body, or its one list member (several: the one with a usual name).
    std::optional<std::vector<field_step>> items;
    if (body.k == type_ref::kind::array) {
        items.emplace();
    } else if (body.k == type_ref::kind::model && models[body.model].k == model::kind::object) {
        std::vector<std::size_t> lists;
        const model& m = models[body.model];
        for (std::size_t f = 0; f < m.fields.size(); ++f)
            if (is_list(m.fields[f].type))
                lists.push_back(f);
        if (lists.size() > 1) {
            // Several lists (items beside e.g. the values a filter accepts): the one with a usual
            // name, else the only list of objects.
            auto named = std::find_if(lists.begin(), lists.end(),
                                      [&](std::size_t f) { return one_of(m.fields[f].wire_name, item_names); });
            std::vector<std::size_t> of_objects;
            for (std::size_t f : lists)
                if (!object_models(m.fields[f].type.args.at(0), models).empty())
                    of_objects.push_back(f);
            if (named != lists.end())
                lists = {*named};
            else if (of_objects.size() == 1)
                lists = of_objects;
            else
                lists.clear();
        }
        if (lists.size() == 1)
            items = std::vector<field_step>{{body.model, lists.front()}};
    }
    if (!items)
        return;

    pagination_model p;
    p.items = *items;
    if (auto total = find_member(body, models, 2, is_integer, [](std::string_view n) { return one_of(n, total_names); }))
        p.total = *total;

    const bool link_header = std::any_of(out.responses.begin(), out.responses.end(), [](const response_model& r) {
        return ((r.status >= 200 && r.status < 300) || r.status == 2) &&
               std::any_of(r.headers.begin(), r.headers.end(), [](const std::string& h) { return folded(h) == "link"; });
    });
    const parameter_model* cursor_param =
        query_param([&](const parameter_model& q) { return is_string(q.type) && one_of(q.wire_name, cursor_params); });
    const parameter_model* page_param =
        query_param([&](const parameter_model& q) { return is_integer(q.type) && one_of(q.wire_name, {"page", "pagenumber"}); });
    const parameter_model* offset_param =
        query_param([&](const parameter_model& q) { return is_integer(q.type) && one_of(q.wire_name, {"offset", "skip"}); });

    if (link_header) {
        p.style = page_style::link_header;
    } else if (auto next = find_member(body, models, 3, is_string,
                                       [](std::string_view n) { return one_of(n, next_link_names); })) {
        p.style = page_style::next_link;
        p.next = *next;
    } else if (auto cursor = cursor_param ? find_member(body, models, 3, is_string,
                                                        [](std::string_view n) { return one_of(n, cursor_names); })
                                          : std::nullopt) {
        p.style = page_style::cursor;
        p.next = *cursor;
        p.param = cursor_param->name;
    } else if (page_param) {
        p.style = page_style::page_number;
        p.param = page_param->name;
    } else if (offset_param) {
        p.style = page_style::offset;
        p.param = offset_param->name;
    } else {
        if (query_param([](const parameter_model& q) { return one_of(q.wire_name, paging_params); })) {
            out.unrecognised_list = true;
            docs_.note(op, "unrecognised-pagination",
                       "operation '" + out.name + "' returns a list and has paging parameters, but no pagination "
                       "pattern specbound-gen knows; declare it with x-specbound-pagination to get pagers");
        }
        return;
    }
    out.pagination = std::move(p);
}

void builder::read_declared_pagination(operation_model& out, const node& declared)
{
    const std::vector<model>& models = out_.models;
    if (!declared.is_mapping())
        fail(declared, "x-specbound-pagination must be false or a mapping (style, items, next, param, total)");
    const node* style = declared.find("style");
    if (!style)
        fail(declared, "x-specbound-pagination needs a 'style': link_header, next_link, cursor, page_number or offset");
    const std::string s = text_of(style);
    if (s == "none")
        return;
    constexpr page_style styles[] = {page_style::link_header, page_style::next_link, page_style::cursor,
                                     page_style::page_number, page_style::offset};
    auto found = std::find_if(std::begin(styles), std::end(styles), [&](page_style e) { return enumerator_name(e) == s; });
    if (found == std::end(styles))
        fail(*style, "unknown pagination style '" + s + "' (link_header, next_link, cursor, page_number, offset or none)");
    pagination_model p;
    p.style = *found;
    p.declared = true;

    // A dotted path of JSON member names from the response body.
    auto path_of = [&](const char* key, bool required, auto fits, const char* expected) {
        std::vector<field_step> path;
        const node* n = declared.find(key);
        if (!n) {
            if (required)
                fail(declared, "x-specbound-pagination with style '" + s + "' needs '" + key + "'");
            return path;
        }
        const std::string text = text_of(n);
        type_ref at = out.response_type;
        std::size_t begin = 0;
        while (!text.empty() && begin <= text.size()) {
            const std::size_t dot = std::min(text.find('.', begin), text.size());
            const std::string name = text.substr(begin, dot - begin);
            bool stepped = false;
            for (std::size_t m : object_models(at, models)) {
                const auto& fields = models[m].fields;
                auto f = std::find_if(fields.begin(), fields.end(), [&](const field_model& x) { return x.wire_name == name; });
                if (f != fields.end()) {
                    path.push_back({m, static_cast<std::size_t>(f - fields.begin())});
                    at = f->type;
                    stepped = true;
                    break;
                }
            }
            if (!stepped)
                fail(*n, std::string("x-specbound-pagination ") + key + ": the response of '" + out.name +
                             "' has no member '" + name + "' at '" + text.substr(0, dot) + "'");
            begin = dot + 1;
        }
        if (!fits(at))
            fail(*n, std::string("x-specbound-pagination ") + key + ": '" + text + "' is not " + expected);
        return path;
    };
    auto is_string = [](const type_ref& t) { return t.k == type_ref::kind::string; };
    p.items = path_of("items", false, [](const type_ref& t) { return t.k == type_ref::kind::array; }, "a list");
    if (p.style == page_style::next_link || p.style == page_style::cursor)
        p.next = path_of("next", true, is_string, "a string");
    p.total = path_of("total", false, is_integer, "an integer");
    if (p.style == page_style::cursor || p.style == page_style::page_number || p.style == page_style::offset) {
        const node* param = declared.find("param");
        if (!param)
            fail(declared, "x-specbound-pagination with style '" + s + "' needs 'param', the query parameter to set");
        const std::string wire = text_of(param);
        auto q = std::find_if(out.parameters.begin(), out.parameters.end(),
                              [&](const parameter_model& x) { return x.in == param_in::query && x.wire_name == wire; });
        if (q == out.parameters.end())
            fail(*param, "x-specbound-pagination param: '" + out.name + "' has no query parameter '" + wire + "'");
        if (p.style == page_style::cursor ? !is_string(q->type) : !is_integer(q->type))
            fail(*param, "x-specbound-pagination param: '" + wire + "' must be " +
                             (p.style == page_style::cursor ? "a string" : "an integer") + " for style '" + s + "'");
        p.param = q->name;
    }
    if (p.items.empty() && out.response_type.k != type_ref::kind::array)
        fail(declared, "x-specbound-pagination: the response of '" + out.name +
                           "' is not a list; name its list member with 'items'");
    out.pagination = std::move(p);
}

} // namespace specbound::gen::detail

namespace specbound::gen {

std::string pagination_summary(const api_model& api)
{
    std::map<std::string, std::size_t> by_style;
    std::size_t paginated = 0;
    std::vector<std::string> unrecognised;
    for (const operation_model& op : api.operations) {
        if (op.pagination) {
            ++paginated;
            ++by_style[enumerator_name(op.pagination->style)];
        } else if (op.unrecognised_list) {
            unrecognised.push_back(op.name);
        }
    }
    if (paginated == 0 && unrecognised.empty())
        return {};
    std::string out = "pagination: " + std::to_string(paginated) + " of " + std::to_string(api.operations.size()) +
                      " operations";
    if (!by_style.empty()) {
        out += " (";
        bool first = true;
        for (const auto& [style, n] : by_style) {
            out += (first ? "" : ", ") + style + " " + std::to_string(n);
            first = false;
        }
        out += ")";
    }
    if (!unrecognised.empty()) {
        out += "; " + std::to_string(unrecognised.size()) +
               " list operations with paging parameters not recognised (x-specbound-pagination declares them):";
        for (std::size_t i = 0; i < unrecognised.size() && i < 20; ++i)
            out += (i ? ", " : " ") + unrecognised[i];
        if (unrecognised.size() > 20)
            out += ", ...";
    }
    return out + "\n";
}

} // namespace specbound::gen
