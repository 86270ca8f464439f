// The runtime's coroutines, compiled once for every test executable (see tests/CMakeLists.txt).
#include <specbound/src.hpp>
