// SPECBOUND_DECL and separate compilation.
//
// By default specbound is header-only. GCC emits every inline coroutine in every translation unit
// that sees its definition, used or not, so each TU that includes <specbound/client.hpp> compiles
// the whole call engine and the Beast transport (about 15 s of CPU at -O0). A project with many
// such TUs can compile them once instead:
//   - define SPECBOUND_SEPARATE_COMPILATION for every TU of the program (a compile definition);
//   - include <specbound/src.hpp> in exactly one .cpp file.
// The headers then declare those coroutines and <specbound/src.hpp> defines them. Everything else
// (descriptors, models, request building, decoding) stays in the headers either way.
#pragma once

#if defined(SPECBOUND_SEPARATE_COMPILATION)
#define SPECBOUND_DECL
#else
#define SPECBOUND_DECL inline
#endif
