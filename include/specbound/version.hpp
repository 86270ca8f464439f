// The runtime's version, for the default User-Agent and for users who check it.
#pragma once

#include <string_view>

#define SPECBOUND_VERSION_MAJOR 0
#define SPECBOUND_VERSION_MINOR 1
#define SPECBOUND_VERSION_PATCH 0

namespace specbound {

inline constexpr std::string_view version_string = "0.1.0";

} // namespace specbound
