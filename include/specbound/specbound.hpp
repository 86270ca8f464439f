// Umbrella header: the whole runtime (generated code includes only what it needs).
#pragma once

#include <specbound/auth.hpp>
#include <specbound/client.hpp>
#include <specbound/descriptor.hpp>
#include <specbound/error.hpp>
#include <specbound/error_code.hpp>
#include <specbound/logging.hpp>
#include <specbound/middleware.hpp>
#include <specbound/options.hpp>
#include <specbound/result.hpp>
#include <specbound/retry.hpp>
#include <specbound/transport.hpp>
#include <specbound/types.hpp>
#include <specbound/version.hpp>
