# specbound_generate(TARGET <name> SPEC <root spec file> NAMESPACE <c++ namespace> [OUTPUT_DIR <dir>])
# Placeholder until the codegen's CLI is settled: see issue 4.
