// Compile-cost probe (b): a TU that includes the runtime's facade header and does nothing else.
#include <specbound/client.hpp>

int main() {}
