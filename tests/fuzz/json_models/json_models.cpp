// Fuzz target: JSON text decoded into every model of spec/fuzz_models.yaml (objects, optional and
// nullable members, open enums, maps, additionalProperties, recursion, unions with and without a
// discriminator, allOf, date, date-time, uuid, byte, int64, double).
//
// Input: one byte choosing the model, then the JSON text. Decoding must fail as a value or
// succeed, the typed reader and the parser's route alike where the reader succeeds; a decoded value that encodes (a value JSON cannot carry, e.g. a date past 9999 after
// its offset is applied, is refused by try_encode, which is fine) must decode again to an equal
// value whose encoding is the same text. Anything else aborts with both texts.
#include <specbound/json/decode.hpp>
#include <specbound/json/encode.hpp>

#include <fuzzmodels/models/annotations.hpp>
#include <fuzzmodels/models/answer.hpp>
#include <fuzzmodels/models/area.hpp>
#include <fuzzmodels/models/attachment.hpp>
#include <fuzzmodels/models/choice_question.hpp>
#include <fuzzmodels/models/citation.hpp>
#include <fuzzmodels/models/free_question.hpp>
#include <fuzzmodels/models/identifiers.hpp>
#include <fuzzmodels/models/link.hpp>
#include <fuzzmodels/models/located_answer.hpp>
#include <fuzzmodels/models/milestone.hpp>
#include <fuzzmodels/models/phase.hpp>
#include <fuzzmodels/models/photo.hpp>
#include <fuzzmodels/models/question.hpp>
#include <fuzzmodels/models/recording.hpp>
#include <fuzzmodels/models/reference.hpp>
#include <fuzzmodels/models/release.hpp>
#include <fuzzmodels/models/review.hpp>
#include <fuzzmodels/models/scale_question.hpp>
#include <fuzzmodels/models/site.hpp>
#include <fuzzmodels/models/survey.hpp>
#include <fuzzmodels/models/timed_answer.hpp>
#include <fuzzmodels/models/window.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace m = fuzzmodels;

[[noreturn]] void finding(std::string_view model, std::string_view what, std::string_view input, std::string_view first,
                          std::string_view second)
{
    std::fprintf(stderr, "json_models: %.*s: %.*s\n  input:   %.*s\n  encoded: %.*s\n  again:   %.*s\n",
                 static_cast<int>(model.size()), model.data(), static_cast<int>(what.size()), what.data(),
                 static_cast<int>(input.size()), input.data(), static_cast<int>(first.size()), first.data(),
                 static_cast<int>(second.size()), second.data());
    std::abort();
}

template <class T>
void round_trip(std::string_view model, std::string_view json)
{
    // decode() tries the typed reader, then the parser: where the reader succeeds, the parser's
    // route must succeed with the same value.
    T by_reader;
    if (specbound::json::detail::read_into(json, by_reader)) {
        T by_parser;
        if (auto failure = specbound::json::detail::parse_into(json, by_parser))
            finding(model, "the typed reader took what the parser refuses: " + failure->message, json, "", "");
        if (!(by_reader == by_parser))
            finding(model, "the typed reader and the parser decode differently", json, "", "");
    }
    T first;
    if (specbound::json::decode(json, first))
        return;
    std::string text;
    if (specbound::json::try_encode(first, text))
        return;
    T second;
    if (auto failure = specbound::json::decode(text, second))
        finding(model, "the encoded value does not decode: " + failure->message + " at '" + failure->pointer + "'",
                json, text, "");
    std::string again;
    if (const char* why = specbound::json::try_encode(second, again))
        finding(model, std::string("the decoded copy does not encode: ") + why, json, text, "");
    if (!(first == second))
        finding(model, "the round trip changed the value", json, text, again);
    if (again != text)
        finding(model, "the round trip changed the encoding", json, text, again);
}

using round_trip_fn = void (*)(std::string_view, std::string_view);

struct model_entry {
    std::string_view name;
    round_trip_fn run;
};

// Every top-level model, and the inline map, array and nullable shapes as top-level values.
constexpr model_entry models[] = {
    {"Survey", &round_trip<m::survey>},
    {"Site", &round_trip<m::site>},
    {"Phase", &round_trip<m::phase>},
    {"open Phase", &round_trip<specbound::open_enum<m::phase>>},
    {"Question", &round_trip<m::question>},
    {"ChoiceQuestion", &round_trip<m::choice_question>},
    {"ScaleQuestion", &round_trip<m::scale_question>},
    {"FreeQuestion", &round_trip<m::free_question>},
    {"Answer", &round_trip<m::answer>},
    {"LocatedAnswer", &round_trip<m::located_answer>},
    {"TimedAnswer", &round_trip<m::timed_answer>},
    {"Attachment", &round_trip<m::attachment>},
    {"Photo", &round_trip<m::photo>},
    {"Recording", &round_trip<m::recording>},
    {"Reference", &round_trip<m::reference>},
    {"Link", &round_trip<m::link>},
    {"Citation", &round_trip<m::citation>},
    {"Milestone", &round_trip<m::milestone>},
    {"Review", &round_trip<m::review>},
    {"Release", &round_trip<m::release>},
    {"Area", &round_trip<m::area>},
    {"Annotations", &round_trip<m::annotations>},
    {"Window", &round_trip<m::window>},
    {"nullable Window", &round_trip<specbound::nullable<m::window>>},
    {"Identifiers", &round_trip<m::identifiers>},
    {"Tally", &round_trip<std::map<std::string, std::int64_t>>},
    {"Timeline", &round_trip<std::vector<m::milestone>>},
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const model_entry& entry = models[data[0] % std::size(models)];
    entry.run(entry.name, std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
    return 0;
}
