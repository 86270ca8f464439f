// The page of pets the REST benchmarks serve: a JSON array of 20 Pets of spec/petstore.yaml
// (~3.7 KB), with realistic content and only the schema's fields (no unknown keys, no `extra`):
// id, name, usually tag, status, nickname (a string, sometimes null, sometimes absent), age
// (sometimes null), one photo URL and two or three labels: about 185 bytes a Pet, e.g.
//   {"id":10458,"name":"Pepper","tag":"cat","status":"pending","nickname":"Pepie","age":2,
//    "photoUrls":["https://img.pets.example.com/10458.jpg"],
//    "labels":{"color":"black","size":"medium","vaccinated":"yes"}}
#pragma once

#include <array>
#include <string>

namespace specbound::bench {

inline constexpr int pets_per_page = 20;

inline std::string pets_page()
{
    static constexpr std::array names{"Biscuit", "Pepper",  "Mochi",  "Rex",    "Luna",   "Whiskers",
                                      "Noodle",  "Juniper", "Basil",  "Ziggy",  "Marble", "Pumpkin",
                                      "Clover",  "Bandit",  "Tofu",   "Sable",  "Olive",  "Hazel",
                                      "Wasabi",  "Gizmo"};
    static_assert(names.size() == pets_per_page);
    static constexpr std::array kinds{"dog", "cat", "rabbit", "parrot", "hamster"};
    static constexpr std::array statuses{"available", "pending", "sold"};
    static constexpr std::array colors{"brown", "black", "white", "ginger", "grey", "tabby"};
    static constexpr std::array sizes{"small", "medium", "large"};
    std::string b = "[";
    for (int i = 0; i < pets_per_page; ++i) {
        const std::string id = std::to_string(10421 + i * 37);
        if (i > 0)
            b += ',';
        b += R"({"id":)" + id + R"(,"name":")" + names[i] + '"';
        if (i % 7 != 3)
            b += R"(,"tag":")" + std::string(kinds[i % kinds.size()]) + '"';
        b += R"(,"status":")" + std::string(statuses[i % statuses.size()]) + '"';
        if (i % 5 == 0)
            b += R"(,"nickname":null)";
        else if (i % 5 != 4)
            b += R"(,"nickname":")" + std::string(names[i]).substr(0, 3) + "ie\"";
        if (i % 6 == 5)
            b += R"(,"age":null)";
        else
            b += R"(,"age":)" + std::to_string(1 + i % 13);
        b += R"(,"photoUrls":["https://img.pets.example.com/)" + id + R"(.jpg"])";
        b += R"(,"labels":{"color":")" + std::string(colors[i % colors.size()]) + R"(","size":")" +
             std::string(sizes[i % sizes.size()]) + '"';
        if (i % 4 == 1)
            b += R"(,"vaccinated":"yes")";
        b += "}}";
    }
    b += "]";
    return b;
}

} // namespace specbound::bench
