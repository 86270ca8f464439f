# cmake -DIN_DIR=<generated dir> -DOUT_DIR=<dir> -DSTAMP=<file> -P inject_fault.cmake
#
# Copies the sweep probe's generated client (namespace sweepprobe, spec/sweep_probe.yaml) into the
# namespace sweepprobe_injected with two faults a generator could make: Thing's required member
# `name` left out of its JSON fields (never sent, never read), and Gadget's `weight` declared a
# string instead of a number. sweep_probe_tests.cpp checks that the sweep blames these on the
# client, not on the spec. Every edit must apply, or the script fails: a fault that silently
# failed to inject would make that test pass for nothing.
foreach(_var IN ITEMS IN_DIR OUT_DIR STAMP)
    if(NOT DEFINED ${_var})
        message(FATAL_ERROR "inject_fault.cmake: ${_var} is required")
    endif()
endforeach()

file(REMOVE_RECURSE "${OUT_DIR}")
file(GLOB_RECURSE _headers RELATIVE "${IN_DIR}/sweepprobe" "${IN_DIR}/sweepprobe/*.hpp")
if(NOT _headers)
    message(FATAL_ERROR "inject_fault.cmake: no generated headers in ${IN_DIR}/sweepprobe")
endif()

# Replaces <from> by <to> in <text_var>; fails when <from> does not occur exactly once.
function(_inject text_var from to what)
    string(FIND "${${text_var}}" "${from}" _at)
    string(FIND "${${text_var}}" "${from}" _last REVERSE)
    if(_at EQUAL -1 OR NOT _at EQUAL _last)
        message(FATAL_ERROR "inject_fault.cmake: cannot inject '${what}': '${from}' must occur exactly once")
    endif()
    string(REPLACE "${from}" "${to}" _text "${${text_var}}")
    set(${text_var} "${_text}" PARENT_SCOPE)
endfunction()

foreach(_header IN LISTS _headers)
    file(READ "${IN_DIR}/sweepprobe/${_header}" _text)
    if(_header STREQUAL "models/thing.hpp")
        _inject(_text "        specbound::json::field<&sweepprobe::thing::name>{\"name\", true},\n" ""
                "Thing.name dropped from the JSON fields")
    elseif(_header STREQUAL "models/gadget.hpp")
        _inject(_text "    double weight{};" "    std::string weight{};" "Gadget.weight as a string")
    endif()
    string(REGEX REPLACE "sweepprobe([^_a-z0-9]|$)" "sweepprobe_injected\\1" _text "${_text}")
    file(WRITE "${OUT_DIR}/sweepprobe_injected/${_header}" "${_text}")
endforeach()
file(TOUCH "${STAMP}")
