// The decoder: a boost::json::basic_parser handler that writes straight into C++ objects.
//
// Every C++ type gets a `type_ops` table of plain functions (one per parser event). The handler
// keeps a stack of frames, one per open JSON object/array that is being decoded into a C++ object,
// map or vector; a key selects the slot (ops + address) that receives the next value. Unknown keys
// are skipped by counting nesting, without allocating. Free-form values and unions capture their
// subtree into a boost::json::value. A JSON pointer is built from the frames only on failure.
//
// The parts, in the order their templates need one another's declarations:
//   decoder_handler.hpp     the parser handler, frames, slots, failures
//   decoder_type_ops.hpp    per-type function tables (declarations)
//   decoder_codecs.hpp      objects, maps, arrays, unions decoded while streaming
//   decoder_events.hpp      per-type functions (definitions), names for messages
//   decoder_dom.hpp         decoding from a DOM
//   decoder_unions.hpp      unions decided from a whole value
//   decoder_reader.hpp      the typed reader: decode()'s first try, without the parser
// Instantiation needs them all: include this header, not a part.
#pragma once

#include <specbound/json/detail/decoder_handler.hpp>
#include <specbound/json/detail/decoder_type_ops.hpp>
#include <specbound/json/detail/decoder_codecs.hpp>
#include <specbound/json/detail/decoder_events.hpp>
#include <specbound/json/detail/decoder_dom.hpp>
#include <specbound/json/detail/decoder_unions.hpp>
#include <specbound/json/detail/decoder_reader.hpp>
