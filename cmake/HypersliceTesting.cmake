# Test registration, after Ginkgo and KaMPIng: one function for plain tests, one for MPI tests that
# registers a test per rank count (name.Nranks) run through mpiexec, with --oversubscribe for Open MPI
# and a PROCESSORS budget so `ctest -j` never oversubscribes more than one test's worth. The launcher
# (Open MPI's mpirun or MPICH's Hydra mpiexec) is found from `mpiexec --version`; the Python tests get it
# as HYPERSLICE_LAUNCHER and HYPERSLICE_MPIEXEC.

set(HYPERSLICE_MPIEXEC_PREFLAGS "" CACHE STRING "Extra flags for mpiexec in MPI tests")

# A build target per label, hyperslice-tests-LABEL, that builds the test binaries carrying it: a run
# that selects tests by label builds only those (scripts/sanitize: `scripts/setup tsan
# hyperslice-tests-threads`).
function(_hyperslice_label_targets name)
  foreach(label IN LISTS ARGN)
    if(NOT TARGET hyperslice-tests-${label})
      add_custom_target(hyperslice-tests-${label})
    endif()
    add_dependencies(hyperslice-tests-${label} ${name})
  endforeach()
endfunction()
execute_process(COMMAND ${MPIEXEC_EXECUTABLE} --version OUTPUT_VARIABLE _mpiexec_version ERROR_QUIET)
if(_mpiexec_version MATCHES "Open MPI|OpenRTE")
  set(HYPERSLICE_OPEN_MPI ON)
  set(HYPERSLICE_LAUNCHER openmpi)
  # -q: Open MPI's own notices about non-zero exits would otherwise follow expected error exits.
  set(_mpi_flags --oversubscribe -q)
elseif(_mpiexec_version MATCHES "HYDRA")
  set(HYPERSLICE_HYDRA ON)  # MPICH's mpiexec: oversubscribes without being asked
  set(HYPERSLICE_LAUNCHER hydra)
  set(_mpi_flags "")
else()
  set(HYPERSLICE_LAUNCHER other)
  set(_mpi_flags "")
endif()

function(hyperslice_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main hyperslice_warnings)
  target_compile_definitions(${name} PRIVATE HYPERSLICE_TEST_DATA="${PROJECT_SOURCE_DIR}/tests/data")
  # One ctest test per binary: gtest_discover_tests (CMake 3.25) writes a LABELS list unquoted, so only
  # the first label would survive, and the sanitizer presets select tests by label.
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "unit;${T_LABELS}" TIMEOUT 600)
  _hyperslice_label_targets(${name} ${T_LABELS})
endfunction()

# The tests written in Python run the program: each of their labels' targets builds it.
function(hyperslice_label_program)
  _hyperslice_label_targets(hyperslice ${ARGN})
endfunction()

# hyperslice_add_mpi_test(name SOURCES ... LIBS ... RANKS 1 2 3 [THREADS t])
function(hyperslice_add_mpi_test name)
  cmake_parse_arguments(T "" "THREADS" "SOURCES;LIBS;RANKS;LABELS" ${ARGN})
  if(NOT T_THREADS)
    set(T_THREADS 1)
  endif()
  add_executable(${name} ${T_SOURCES} ${PROJECT_SOURCE_DIR}/tests/mpi_gtest_main.cpp)
  target_link_libraries(${name} PRIVATE ${T_LIBS} MPI::MPI_CXX GTest::gtest hyperslice_warnings)
  target_compile_definitions(${name} PRIVATE HYPERSLICE_TEST_DATA="${PROJECT_SOURCE_DIR}/tests/data")
  foreach(n IN LISTS T_RANKS)
    if(MPIEXEC_MAX_NUMPROCS AND n GREATER MPIEXEC_MAX_NUMPROCS AND NOT HYPERSLICE_OPEN_MPI AND NOT HYPERSLICE_HYDRA)
      message(WARNING "${name}: skipping ${n} ranks (MPIEXEC_MAX_NUMPROCS=${MPIEXEC_MAX_NUMPROCS})")
      continue()
    endif()
    add_test(NAME ${name}.${n}ranks
             COMMAND ${MPIEXEC_EXECUTABLE} ${_mpi_flags} ${HYPERSLICE_MPIEXEC_PREFLAGS} ${MPIEXEC_NUMPROC_FLAG} ${n}
                     $<TARGET_FILE:${name}>)
    math(EXPR procs "${n} * ${T_THREADS}")
    if(procs GREATER 2)
      set(procs 2)
    endif()
    set_tests_properties(${name}.${n}ranks PROPERTIES PROCESSORS ${procs} LABELS "mpi;${T_LABELS}" TIMEOUT 300
                         ENVIRONMENT "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1")
  endforeach()
  _hyperslice_label_targets(${name} mpi ${T_LABELS})
endfunction()
