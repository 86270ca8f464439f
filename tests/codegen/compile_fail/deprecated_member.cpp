// What spec/forward_compat.yaml deprecates is [[deprecated]] in the generated code. Built as is (the
// control, with the project's -Werror), ordinary code around those members compiles without a
// warning: copies, moves, designated initializers that leave them out, JSON both ways, the
// operation's other members. Each SPECBOUND_COMPILE_FAIL_* variant names one deprecated member
// and must fail with -Werror=deprecated-declarations.
#include <forward_compat/forward_compat.hpp>

#include <specbound/json/decode.hpp>
#include <specbound/json/encode.hpp>

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace compile_fail {

bool ordinary_use()
{
    forward_compat::outage outage{.category = "outage", .service = "dns", .zones = std::vector<std::string>{"eu"}};
    forward_compat::outage copy = outage;
    forward_compat::outage moved = std::move(copy);
    forward_compat::notice notice = moved;
    std::vector<forward_compat::notice> feed{notice, notice};
    forward_compat::summary summary{.open = 3};
    forward_compat::list_notices_request request{.cursor = "c1"};
    forward_compat::list_notices_request other = request;
    (void)specbound::json::decode(specbound::json::encode(feed), feed);
    (void)specbound::json::decode(R"({"open":1,"legacy_total":9})", summary);
    // The operations' members that are not deprecated, as a call would name them.
    using listed = decltype(std::declval<forward_compat::client&>().try_list_notices(other));
    static_assert(!std::is_void_v<listed>);
#if defined(SPECBOUND_COMPILE_FAIL_FIELD)
    moved.zone = "eu-1";
#elif defined(SPECBOUND_COMPILE_FAIL_PARAMETER)
    other.page = 2;
#elif defined(SPECBOUND_COMPILE_FAIL_OPERATION)
    using summarized = decltype(std::declval<forward_compat::client&>().try_get_summary({}));
    static_assert(!std::is_void_v<summarized>);
#elif defined(SPECBOUND_COMPILE_FAIL_OPERATION_WITH_METADATA)
    using acknowledged = decltype(std::declval<forward_compat::client&>().acknowledge_notice_with_metadata({"n1"}));
    static_assert(!std::is_void_v<acknowledged>);
#endif
    return feed.size() == 2 && moved == outage && summary.open == 1;
}

} // namespace compile_fail
