// A hand-written descriptor checked by specbound::valid_descriptor. Built as is, it compiles
// (the control); each SPECBOUND_COMPILE_FAIL_* variant breaks one rule and must not compile.
#include <specbound/descriptor.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>

namespace compile_fail {

struct get_item_request {
    std::string item_id;
    std::optional<std::int32_t> limit;
};
struct other_request {
    std::string item_id;
};

struct get_item {
#if defined(SPECBOUND_COMPILE_FAIL_MISSING_PLACEHOLDER)
    static constexpr std::string_view path = "/items"; // {itemId} is a path parameter but not in the template
#elif defined(SPECBOUND_COMPILE_FAIL_EXTRA_PLACEHOLDER)
    static constexpr std::string_view path = "/items/{itemId}/{version}"; // {version} has no parameter
#elif defined(SPECBOUND_COMPILE_FAIL_UNBALANCED_BRACE)
    static constexpr std::string_view path = "/items/{itemId"; // unbalanced
#else
    static constexpr std::string_view path = "/items/{itemId}";
#endif
    using request_type = get_item_request;
    static constexpr std::tuple parameters{
#if defined(SPECBOUND_COMPILE_FAIL_WRONG_OWNER)
        specbound::param<&other_request::item_id>{"itemId", specbound::param_in::path, specbound::param_style::simple, false, true},
#else
        specbound::param<&get_item_request::item_id>{"itemId", specbound::param_in::path, specbound::param_style::simple, false, true},
#endif
        specbound::param<&get_item_request::limit>{"limit", specbound::param_in::query, specbound::param_style::form, true, false}};
};

static_assert(specbound::valid_descriptor<get_item>);

} // namespace compile_fail
