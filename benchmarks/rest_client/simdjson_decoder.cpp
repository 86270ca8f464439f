// See simdjson_decoder.hpp: compiled with -march=${SPECBOUND_BENCH_SIMDJSON_ARCH}.
#include "simdjson_decoder.hpp"

#include <simdjson.h>

#include <cstdint>
#include <string>

namespace specbound::bench {

static_assert(simdjson_pets_decoder::padding == simdjson::SIMDJSON_PADDING);

struct simdjson_pets_decoder::impl {
    simdjson::ondemand::parser parser; // reused: its buffers are allocated once
};

simdjson_pets_decoder::simdjson_pets_decoder() : impl_(std::make_unique<impl>()) {}
simdjson_pets_decoder::~simdjson_pets_decoder() = default;

const char* simdjson_pets_decoder::implementation() noexcept
{
#define SPECBOUND_BENCH_STR2(x) #x
#define SPECBOUND_BENCH_STR(x) SPECBOUND_BENCH_STR2(x)
    return SPECBOUND_BENCH_STR(SIMDJSON_BUILTIN_IMPLEMENTATION);
}

std::vector<petstore::pet> simdjson_pets_decoder::decode(std::string_view json, std::size_t capacity)
{
    using petstore::pet_status;
    simdjson::ondemand::parser& parser = impl_->parser;
    const simdjson::padded_string_view padded(json.data(), json.size(), capacity);
    std::vector<petstore::pet> out;
    out.reserve(20);
    simdjson::ondemand::document doc = parser.iterate(padded);
    for (simdjson::ondemand::object object : doc.get_array()) {
        petstore::pet& p = out.emplace_back();
        for (simdjson::ondemand::field field : object) {
            const std::string_view key = field.unescaped_key();
            simdjson::ondemand::value v = field.value();
            if (key == "id") {
                p.id = v.get_int64();
            } else if (key == "name") {
                p.name = std::string_view(v.get_string());
            } else if (key == "tag") {
                p.tag.emplace(std::string_view(v.get_string()));
            } else if (key == "status") {
                const std::string_view s = v.get_string();
                p.status = s == "available" ? specbound::open_enum<pet_status>(pet_status::available)
                           : s == "pending" ? specbound::open_enum<pet_status>(pet_status::pending)
                           : s == "sold"    ? specbound::open_enum<pet_status>(pet_status::sold)
                                            : specbound::open_enum<pet_status>::unknown(std::string(s));
            } else if (key == "nickname") {
                if (v.is_null())
                    p.nickname.emplace();
                else
                    p.nickname.emplace(std::string(std::string_view(v.get_string())));
            } else if (key == "age") {
                if (v.is_null())
                    p.age = specbound::nullable<std::int32_t>();
                else
                    p.age = static_cast<std::int32_t>(std::int64_t(v.get_int64()));
            } else if (key == "photoUrls") {
                auto& urls = p.photo_urls.emplace();
                for (auto url : v.get_array())
                    urls.emplace_back(std::string_view(url.get_string()));
            } else if (key == "labels") {
                auto& labels = p.labels.emplace();
                for (simdjson::ondemand::field label : v.get_object())
                    labels.emplace(std::string(std::string_view(label.unescaped_key())),
                                   std::string(std::string_view(label.value().get_string())));
            }
            // `extra` (any JSON) is not in the served pets; other keys are skipped.
        }
    }
    return out;
}

} // namespace specbound::bench
