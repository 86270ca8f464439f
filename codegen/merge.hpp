// Section merge: one OpenAPI description per API version, assembled from section files.
//
// Spec repositories often split an API into section files (a header with openapi/info/servers,
// shared components, one file per area with paths) and keep several versions side by side.
// A small YAML config lists the files of each version, relative to the config's folder:
//
//     versions:
//       v1: [v1/header.yaml, shared/components.yaml, v1/pets.yaml]
//       v2: [v2/header.yaml, shared/components.yaml, v2/pets.yaml, v2/owners.yaml]
//
// Each version becomes `<out_dir>/<version>.json`, the deep merge of its files' top-level maps:
//   - `paths` and `webhooks` merge per path, then per member of the path item (get, post,
//     parameters, ...); `components` merges per section (schemas, parameters, ...), then per name;
//   - `tags` entries merge by `name`;
//   - every other top-level key (openapi, info, servers, security, x-...) is taken whole.
// A definition given twice must be identical; otherwise it is a conflict (spec_error naming both
// places). Members keep first-seen order (files in config order), so output is deterministic.
//
// $refs: a local `#/...` ref keeps pointing into the merged document (its components are merged
// in) and must resolve there. A ref into one of the version's own section files becomes local
// (`#/...`). A ref to any other file is rewritten relative to out_dir, so it still names the
// same file; the file and pointer must exist. Refs with a URI scheme are kept verbatim.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace specbound::gen {

/// The merged JSON text of each version, in config order, without writing anything.
/// `out_dir` is where the output will live (file $refs are made relative to it).
/// Throws spec_error on a bad config, unreadable files, conflicts or dangling $refs.
[[nodiscard]] std::vector<std::pair<std::string, std::string>>
merge_versions(const std::filesystem::path& config, const std::filesystem::path& out_dir);

/// Writes `<out_dir>/<version>.json` for every version of `config` (see above). All versions are
/// merged and checked before anything is written; each file is written to a temporary file and
/// renamed into place. On error (spec_error) no output file is created or changed.
/// Called by `specbound-gen merge --config FILE --out DIR`.
void merge_sections(const std::filesystem::path& config, const std::filesystem::path& out_dir);

} // namespace specbound::gen
