// specbound::runtime: the runtime's coroutines (call engine, transports), compiled once for every
// target that links a client made by specbound_generate() (cmake/specbound_generate.cmake). The
// library is built in the consumer's project, with its compiler and flags, from this file; its
// users are compiled with SPECBOUND_SEPARATE_COMPILATION (a PUBLIC definition of the library).
#include <specbound/src.hpp>
