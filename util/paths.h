// paths.h: where rlvrbench finds the data it ships (suites/, golden/, models/zoo/ specs) and where it
// keeps what it makes (the zoo cache, the default results database). One answer for every command,
// so an installed binary (`cmake --install`) works outside the checkout it was built from.
//
//   data_dir()     $RLVRBENCH_DATA; else PREFIX/share/rlvrbench when this binary is installed
//                  (PREFIX/bin/rlvrbench with PREFIX/share/rlvrbench/suites beside it); else the
//                  source tree it was built from.
//   zoo_dir()      $RLVRBENCH_ZOO; else SOURCE/results/zoo for a binary of a build tree; else (installed)
//                  $XDG_CACHE_HOME/rlvrbench/zoo, default ~/.cache/rlvrbench/zoo.
//   results_dir()  SOURCE/results for a binary of a build tree whose checkout is still there; else
//                  ./results (the default database is results_dir()/rlvrbench.db, $RLVRBENCH_DB wins).
#pragma once
#include <string>
#include <string_view>

namespace rlvr {

// The source tree this binary was built from (compiled in; it may be gone).
std::string source_dir();
// True when this binary runs from an install prefix (see above), not from its build tree.
bool installed();
std::string data_dir();
// data_dir()/rel, e.g. data_path("models/zoo/synth-micro.toml").
std::string data_path(std::string_view rel);
std::string zoo_dir();
std::string results_dir();

}  // namespace rlvr
