// The coroutines of the runtime, compiled once: include this in exactly one .cpp file of a
// program whose TUs are all compiled with SPECBOUND_SEPARATE_COMPILATION defined.
// See <specbound/detail/config.hpp>.
#pragma once

#if !defined(SPECBOUND_SEPARATE_COMPILATION)
#error "<specbound/src.hpp> is for SPECBOUND_SEPARATE_COMPILATION builds: define it for every translation unit"
#endif

#include <specbound/impl/beast_transport.ipp>
#include <specbound/impl/client.ipp>
#include <specbound/impl/default_transport.ipp>
#include <specbound/impl/mock_transport.ipp>
#include <specbound/impl/validation.ipp>
