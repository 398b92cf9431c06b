# Suites.cmake: every cell of every suites/*.toml becomes one CTest test named suite/model/reward/seed.
#
# CMake cannot read TOML, so at configure time we build a tiny torch-free host tool from the same
# parser `rlvrbench` uses (suites/lister, a sub-build in <build>/suite_lister) and let it expand each
# suite into a CMake script of rlvr_suite()/rlvr_suite_cell() calls (<build>/suites/NAME.cmake).
# Editing a suite, a golden or the parser reconfigures (CMAKE_CONFIGURE_DEPENDS / CONFIGURE_DEPENDS).
#
# Per suite S:   S/setup     creates/migrates the database once (fixture rlvr_db_S)
#                zoo/M       `rlvrbench zoo build --only M` once per zoo model (fixture rlvr_zoo_M)
#                S/M/R/SEED  `rlvrbench train --suite S.toml --cell S/M/R/SEED`, one per cell
#                S/compare   `rlvrbench compare --suite S.toml --golden golden/S.toml`, after all cells
# Labels: suite, S, M, family, R (and the reward function of an ablation), cpu|gpu. `ctest -LE suite`
# runs only the unit tests; `ctest -L quick` one suite. GPU cells ask for RESOURCE_GROUPS gpus:1:
# run them with `ctest --resource-spec-file <build>/ctest_resources.json` (made here by probing
# `nvidia-smi -L`; no GPU -> an empty gpus pool, so GPU cells are refused instead of run on the CPU).
# Which suites become CTest tests: a list of suite names, "all", or OFF. The default registers the
# short ones (smoke-trl: smoke's cells trained by TRL through tools/trl_runner.py, a few minutes; quick-trl, ~2 h, is opt-in); zoo-full (~35 min on 2 cores, plus its zoo), regime-map (~1 h), mechanism and paper (GPUs and the real checkpoints) are opt-in:
# cmake --preset release -DRLVR_SUITES=all
set(RLVR_SUITES "smoke;quick;smoke-trl" CACHE STRING "Suites registered as CTest tests (list of names, 'all', or OFF)")
set(RLVR_SUITE_DB "" CACHE STRING "Database file the suite tests use (--db); empty: rlvrbench's default")
if(NOT RLVR_SUITES OR NOT RLVR_BUILD_TESTS)
  return()
endif()

# ---- GPU resource spec for ctest --resource-spec-file ----
set(RLVR_RESOURCE_SPEC "${PROJECT_BINARY_DIR}/ctest_resources.json")
find_program(RLVR_NVIDIA_SMI nvidia-smi)
set(_rlvr_gpus "")
if(RLVR_NVIDIA_SMI)
  execute_process(COMMAND "${RLVR_NVIDIA_SMI}" -L OUTPUT_VARIABLE _out RESULT_VARIABLE _rc ERROR_QUIET TIMEOUT 30)
  if(_rc EQUAL 0)
    string(REGEX MATCHALL "(^|\n)GPU [0-9]+:" _lines "${_out}")
    foreach(_l IN LISTS _lines)
      string(REGEX REPLACE ".*GPU ([0-9]+):" "\\1" _id "${_l}")
      list(APPEND _rlvr_gpus "{\"id\": \"${_id}\", \"slots\": 1}")
    endforeach()
  endif()
endif()
list(LENGTH _rlvr_gpus RLVR_GPU_COUNT)
set(_n ${RLVR_GPU_COUNT})
list(JOIN _rlvr_gpus ", " _gpus_json)
file(CONFIGURE OUTPUT "${RLVR_RESOURCE_SPEC}"
     CONTENT "{\"version\": {\"major\": 1, \"minor\": 0}, \"local\": [{\"gpus\": [${_gpus_json}]}]}\n")
message(STATUS "rlvrbench suites: ${_n} GPU(s) in ${RLVR_RESOURCE_SPEC}")

# ---- build the lister ----
set(_lister_dir "${PROJECT_BINARY_DIR}/suite_lister")
set(_lister_sources
  "${PROJECT_SOURCE_DIR}/suites/lister/CMakeLists.txt" "${PROJECT_SOURCE_DIR}/suites/lister/main.cpp"
  "${PROJECT_SOURCE_DIR}/suites/suite.h" "${PROJECT_SOURCE_DIR}/suites/suite_parse.cpp"
  "${PROJECT_SOURCE_DIR}/suites/suite_render.cpp" "${PROJECT_SOURCE_DIR}/suites/suite_science.cpp"
  "${PROJECT_SOURCE_DIR}/suites/suite_science.h" "${PROJECT_SOURCE_DIR}/suites/toml_reader.h"
  "${PROJECT_SOURCE_DIR}/suites/toml_reader.cpp")
execute_process(
  COMMAND "${CMAKE_COMMAND}" -S "${PROJECT_SOURCE_DIR}/suites/lister" -B "${_lister_dir}" -G "${CMAKE_GENERATOR}"
          "-DCMAKE_MAKE_PROGRAM=${CMAKE_MAKE_PROGRAM}" "-DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}"
          "-DCMAKE_PREFIX_PATH=${CMAKE_PREFIX_PATH}" -DCMAKE_BUILD_TYPE=Release
  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
if(_rc EQUAL 0)
  execute_process(COMMAND "${CMAKE_COMMAND}" --build "${_lister_dir}" RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
endif()
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "rlvrbench suites: building the suite lister failed (set -DRLVR_SUITES=OFF to skip suites):\n${_out}")
endif()
set(RLVR_SUITE_LISTER "${_lister_dir}/rlvr_suite_lister")

# ---- registration ----
set(_rlvr_db_args "")
if(RLVR_SUITE_DB)
  set(_rlvr_db_args --db "${RLVR_SUITE_DB}")
endif()

# rlvr_suite(NAME S FILE PATH DEVICE cpu|gpu ZOO ON|OFF GOLDEN PATH MODELS M...): the suite's fixtures.
function(rlvr_suite)
  cmake_parse_arguments(PARSE_ARGV 0 A "" "NAME;FILE;DEVICE;ZOO;GOLDEN" "MODELS")
  set_property(GLOBAL PROPERTY RLVR_SUITE_${A_NAME}_FILE "${A_FILE}")
  set_property(GLOBAL PROPERTY RLVR_SUITE_${A_NAME}_ZOO "${A_ZOO}")
  set_property(GLOBAL PROPERTY RLVR_SUITE_${A_NAME}_GOLDEN "${A_GOLDEN}")
  set_property(GLOBAL PROPERTY RLVR_SUITE_${A_NAME}_CELLS "")
  add_test(NAME ${A_NAME}/setup COMMAND $<TARGET_FILE:rlvrbench> suite setup "${A_FILE}" ${_rlvr_db_args})
  set_tests_properties(${A_NAME}/setup PROPERTIES FIXTURES_SETUP rlvr_db_${A_NAME} LABELS "suite;${A_NAME};setup")
  if(A_ZOO)
    foreach(m IN LISTS A_MODELS)
      get_property(done GLOBAL PROPERTY RLVR_ZOO_${m} SET)
      if(done)
        # Another suite registered it (ctest runs a fixture once however many need it): label it
        # with this suite too, so `-L S` / `-LE S` select the zoo builds with the suite's cells.
        set_property(TEST zoo/${m} APPEND PROPERTY LABELS ${A_NAME})
        continue()
      endif()
      set_property(GLOBAL PROPERTY RLVR_ZOO_${m} ON)
      add_test(NAME zoo/${m} COMMAND $<TARGET_FILE:rlvrbench> zoo build --only ${m})
      # One lock: zoo members share a pretrained base, and two builds would race to make it.
      set_tests_properties(zoo/${m} PROPERTIES FIXTURES_SETUP rlvr_zoo_${m} RESOURCE_LOCK rlvr_zoo
                           LABELS "suite;zoo;${m};${A_NAME}" TIMEOUT 7200)
    endforeach()
  endif()
endfunction()

# rlvr_suite_cell(SUITE S NAME S/M/R/SEED MODEL M FAMILY F REWARD R SEED N STEPS N TIMEOUT T GPU ON|OFF
#                 RANKS N LABELS L...)
# RANKS > 1 (the suite's `ranks`): `train --nproc N`, PROCESSORS N, and on GPU RESOURCE_GROUPS
# "N,gpus:1" (one GPU a rank; the launcher pins rank i to group i's GPU).
function(rlvr_suite_cell)
  cmake_parse_arguments(PARSE_ARGV 0 A "" "SUITE;NAME;MODEL;FAMILY;REWARD;SEED;STEPS;TIMEOUT;GPU;RANKS" "LABELS")
  get_property(file GLOBAL PROPERTY RLVR_SUITE_${A_SUITE}_FILE)
  get_property(zoo GLOBAL PROPERTY RLVR_SUITE_${A_SUITE}_ZOO)
  if(NOT A_RANKS)
    set(A_RANKS 1)
  endif()
  set(nproc "")
  if(A_RANKS GREATER 1)
    set(nproc --nproc ${A_RANKS})
  endif()
  add_test(NAME ${A_NAME} COMMAND $<TARGET_FILE:rlvrbench> train --suite "${file}" --cell ${A_NAME} ${nproc} ${_rlvr_db_args})
  set(fixtures rlvr_db_${A_SUITE})
  if(zoo)
    list(APPEND fixtures rlvr_zoo_${A_MODEL})
  endif()
  set_tests_properties(${A_NAME} PROPERTIES LABELS "${A_LABELS}" TIMEOUT ${A_TIMEOUT} FIXTURES_REQUIRED "${fixtures}")
  if(A_RANKS GREATER 1)
    set_tests_properties(${A_NAME} PROPERTIES PROCESSORS ${A_RANKS})
  endif()
  if(A_GPU)
    if(A_RANKS GREATER 1)
      set_tests_properties(${A_NAME} PROPERTIES RESOURCE_GROUPS "${A_RANKS},gpus:1")
    else()
      set_tests_properties(${A_NAME} PROPERTIES RESOURCE_GROUPS "gpus:1")
    endif()
    if(RLVR_GPU_COUNT LESS A_RANKS)
      # Fewer GPUs here than the cell's ranks: listed but never run (ctest reports it disabled, not passed).
      set_tests_properties(${A_NAME} PROPERTIES DISABLED TRUE)
    endif()
  endif()
  set_property(GLOBAL APPEND PROPERTY RLVR_SUITE_${A_SUITE}_CELLS ${A_NAME})
endfunction()

# rlvr_suite_power(SUITE S MUTANTS A... SEEDS N...): S/power, the suite's check of its own detection
# power: `rlvrbench power` trains the mutants and a control on fresh seeds and passes only when every
# mutant is CAUGHT and the control raises no false alarm. After S/compare (same database).
function(rlvr_suite_power)
  cmake_parse_arguments(PARSE_ARGV 0 A "" "SUITE" "MUTANTS;SEEDS")
  get_property(file GLOBAL PROPERTY RLVR_SUITE_${A_SUITE}_FILE)
  get_property(zoo GLOBAL PROPERTY RLVR_SUITE_${A_SUITE}_ZOO)
  string(REPLACE ";" "," mutants "${A_MUTANTS}")
  string(REPLACE ";" "," seeds "${A_SEEDS}")
  add_test(NAME ${A_SUITE}/power COMMAND $<TARGET_FILE:rlvrbench> power "${file}" --mutants ${mutants} --seeds ${seeds} --quiet ${_rlvr_db_args})
  set(fixtures rlvr_db_${A_SUITE})
  set_property(GLOBAL PROPERTY RLVR_SUITE_${A_SUITE}_POWER ON)
  set_tests_properties(${A_SUITE}/power PROPERTIES LABELS "suite;${A_SUITE};power" TIMEOUT 900 FIXTURES_REQUIRED "${fixtures}")
endfunction()

file(GLOB _rlvr_suite_files CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/suites/*.toml")
file(GLOB _rlvr_golden_files CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/golden/*.toml")
set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${_rlvr_suite_files} ${_rlvr_golden_files} ${_lister_sources})
file(MAKE_DIRECTORY "${PROJECT_BINARY_DIR}/suites")
foreach(_suite IN LISTS _rlvr_suite_files)
  get_filename_component(_stem "${_suite}" NAME_WE)
  if(NOT RLVR_SUITES STREQUAL "all" AND NOT _stem IN_LIST RLVR_SUITES)
    message(STATUS "rlvrbench suites: ${_stem} not registered (RLVR_SUITES=${RLVR_SUITES})")
    continue()
  endif()
  set(_script "${PROJECT_BINARY_DIR}/suites/${_stem}.cmake")
  execute_process(COMMAND "${RLVR_SUITE_LISTER}" "${_suite}" "${_script}" RESULT_VARIABLE _rc ERROR_VARIABLE _err)
  if(NOT _rc EQUAL 0)
    string(STRIP "${_err}" _err)
    message(FATAL_ERROR "rlvrbench suites: ${_err}")
  endif()
  include("${_script}")
  # The suite's name is the file's stem unless `name` says otherwise: read it back from the script.
  file(STRINGS "${_script}" _head REGEX "^rlvr_suite\\(NAME ")
  string(REGEX REPLACE "^rlvr_suite\\(NAME ([^ ]+) .*" "\\1" _name "${_head}")
  get_property(_cells GLOBAL PROPERTY RLVR_SUITE_${_name}_CELLS)
  get_property(_golden GLOBAL PROPERTY RLVR_SUITE_${_name}_GOLDEN)
  if(NOT IS_ABSOLUTE "${_golden}")
    set(_golden "${PROJECT_SOURCE_DIR}/${_golden}")
  endif()
  list(LENGTH _cells _n)
  if(EXISTS "${_golden}")
    add_test(NAME ${_name}/compare COMMAND $<TARGET_FILE:rlvrbench> compare --suite "${_suite}" --golden "${_golden}" ${_rlvr_db_args})
    # DEPENDS orders it after every cell (failed cells included: compare reports them as FAILED RUN).
    set_tests_properties(${_name}/compare PROPERTIES DEPENDS "${_cells}" FIXTURES_REQUIRED rlvr_db_${_name}
                         LABELS "suite;${_name};compare")
    message(STATUS "rlvrbench suites: ${_name}: ${_n} cells + ${_name}/compare against ${_golden}")
    get_property(_power GLOBAL PROPERTY RLVR_SUITE_${_name}_POWER SET)
    if(_power)
      # After compare (and its cells), and with the zoo models the cells need.
      set(_zoo_fixtures "")
      foreach(_c IN LISTS _cells)
        get_test_property(${_c} FIXTURES_REQUIRED _f)
        list(APPEND _zoo_fixtures ${_f})
      endforeach()
      list(REMOVE_DUPLICATES _zoo_fixtures)
      set_tests_properties(${_name}/power PROPERTIES DEPENDS "${_name}/compare" FIXTURES_REQUIRED "${_zoo_fixtures}")
    endif()
  else()
    message(STATUS "rlvrbench suites: ${_name}: ${_n} cells, no golden (${_golden}) so no compare test")
  endif()
endforeach()
