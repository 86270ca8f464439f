// simdjson on-demand into the generated petstore::pet, written by hand for this schema: the
// practical limit of a hand-written client's decoding. Compiled in a translation unit of its own
// (simdjson_decoder.cpp) with -march=${SPECBOUND_BENCH_SIMDJSON_ARCH} (haswell by default): simdjson's
// on-demand API uses only the implementation the compiler's target allows, and the default x86-64
// target would give its scalar fallback. The rest of the benchmark, specbound included, keeps the
// default target, as users build. Nothing of simdjson's types crosses this header.
#pragma once

#include <petstore/models/pet.hpp>

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace specbound::bench {

class simdjson_pets_decoder {
public:
    /// Bytes that must be readable after a document passed to decode().
    static constexpr std::size_t padding = 64; // simdjson::SIMDJSON_PADDING, checked in the .cpp

    simdjson_pets_decoder();
    ~simdjson_pets_decoder();
    simdjson_pets_decoder(const simdjson_pets_decoder&) = delete;
    simdjson_pets_decoder& operator=(const simdjson_pets_decoder&) = delete;

    /// Decodes the JSON array `json` (followed by `capacity - json.size()` >= padding readable
    /// bytes); throws simdjson_error on malformed input.
    std::vector<petstore::pet> decode(std::string_view json, std::size_t capacity);

    /// simdjson's implementation this decoder was compiled for ("haswell", "fallback"...).
    static const char* implementation() noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace specbound::bench
