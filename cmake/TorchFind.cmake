# cmake/TorchFind.cmake: LibTorch is the one inside a Python environment's PyTorch, found through
# torch.utils.cmake_prefix_path: .venv (ci/setup.sh, torch 2.13.0 CPU, ci/requirements.txt) by
# default; the CUDA build points RLVR_PYTHON at .venv-cuda (ci/cuda_build.sh), a GPU machine at its
# own python3. A missing environment, or a torch of another version in it, stops the configure with
# one line naming what is missing and the command that installs it.
set(RLVR_PYTHON "${PROJECT_SOURCE_DIR}/.venv/bin/python" CACHE FILEPATH
    "the Python whose torch provides LibTorch (ci/setup.sh makes .venv)")
set(RLVR_TORCH_VERSION "2.13.0" CACHE STRING
    "the torch version RLVR_PYTHON must have (its local part such as +cpu ignored; empty: any 2.x)")

# The one line goes to stderr unwrapped (NOTICE); CMake's own error block after it says where.
function(rlvr_torch_fail what)
  message(NOTICE "rlvrbench configure: ${what} (run: bash ci/setup.sh)")
  message(FATAL_ERROR "stopped: no usable LibTorch (the line above)")
endfunction()

if(NOT EXISTS "${RLVR_PYTHON}")
  rlvr_torch_fail("no project environment: ${RLVR_PYTHON} does not exist")
endif()
execute_process(
  COMMAND "${RLVR_PYTHON}" -c "import torch, torch.utils; print(torch.__version__.split('+')[0]); print(torch.utils.cmake_prefix_path)"
  RESULT_VARIABLE _rlvr_rc OUTPUT_VARIABLE _rlvr_out ERROR_VARIABLE _rlvr_err OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT _rlvr_rc EQUAL 0)
  rlvr_torch_fail("${RLVR_PYTHON} cannot import torch")
endif()
string(REPLACE "\n" ";" _rlvr_lines "${_rlvr_out}")
list(GET _rlvr_lines 0 RLVR_TORCH_FOUND_VERSION)
list(GET _rlvr_lines 1 _rlvr_prefix)
if(RLVR_TORCH_VERSION AND NOT RLVR_TORCH_FOUND_VERSION VERSION_EQUAL RLVR_TORCH_VERSION)
  rlvr_torch_fail("${RLVR_PYTHON} has torch ${RLVR_TORCH_FOUND_VERSION}, this build needs ${RLVR_TORCH_VERSION}")
endif()
if(RLVR_TORCH_FOUND_VERSION VERSION_LESS 2)
  rlvr_torch_fail("${RLVR_PYTHON} has torch ${RLVR_TORCH_FOUND_VERSION}, rlvrbench needs PyTorch 2.x")
endif()
list(PREPEND CMAKE_PREFIX_PATH "${_rlvr_prefix}")
find_package(Torch REQUIRED CONFIG)
message(STATUS "rlvrbench: LibTorch ${RLVR_TORCH_FOUND_VERSION} from ${RLVR_PYTHON}")
