# cmake -DNM=<nm> -DCALLER=<caller's object file> -DLIBRARY=<the generated library> -DNAMESPACE=<ns> -P compiled_operations_check.cmake
# With COMPILED_OPERATIONS, the request building and response decoding of the operations are
# defined in the generated library and not in a TU that calls them: the caller's object file
# defines no build_request, handle_response or operation_codec member of the namespace's
# operations, and the library defines the operation_codec members.
foreach(_var IN ITEMS NM CALLER LIBRARY NAMESPACE)
    if(NOT ${_var})
        message(FATAL_ERROR "compiled_operations_check: ${_var} is required")
    endif()
endforeach()

# The defined symbols of `file` (demangled) that match the extended regex `pattern`.
function(defined_matching file pattern out)
    execute_process(COMMAND "${NM}" -C --defined-only "${file}"
                    COMMAND grep -E "${pattern}"
                    OUTPUT_VARIABLE _found RESULTS_VARIABLE _rcs)
    list(GET _rcs 0 _nm_rc)
    if(NOT _nm_rc EQUAL 0)
        message(FATAL_ERROR "compiled_operations_check: ${NM} failed on ${file}")
    endif()
    set(${out} "${_found}" PARENT_SCOPE)
endfunction()

defined_matching("${CALLER}" "specbound::detail::(build_request|handle_response|operation_codec)<${NAMESPACE}::ops::" _in_caller)
if(_in_caller)
    string(REGEX MATCH "^[^\n]*" _first "${_in_caller}")
    message(FATAL_ERROR "compiled_operations_check: the calling TU compiled an operation's code itself: ${_first}")
endif()
# The explicit instantiations (defined whatever the optimisation inlines into them).
foreach(_member IN ITEMS build decode check_request check_response)
    defined_matching("${LIBRARY}" "specbound::detail::operation_codec<${NAMESPACE}::ops::list_pets>::${_member}\\(" _in_library)
    if(NOT _in_library)
        message(FATAL_ERROR "compiled_operations_check: the library does not define operation_codec::${_member} of list_pets")
    endif()
endforeach()
message(STATUS "compiled_operations_check: the calling TU defines none of the operations' code; the library does")
