# Cross-compiling for aarch64 (a Raspberry Pi 3/4/5 with a 64-bit OS, an Ampere or Graviton server) on an
# x86-64 Debian host: Debian's g++-aarch64-linux-gnu against a sysroot of Debian's arm64 packages that
# `scripts/setup aarch64` extracts with mmdebstrap (build/sysroot-arm64; docs/arm.md). The tests run
# under qemu-user (CMAKE_CROSSCOMPILING_EMULATOR, its library prefix the same sysroot).
# On a Pi itself none of this is needed: a plain `cmake -B build && cmake --build build` builds natively.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

if(NOT HYPERSLICE_SYSROOT)
  set(HYPERSLICE_SYSROOT "${CMAKE_CURRENT_LIST_DIR}/../build/sysroot-arm64")
endif()
get_filename_component(HYPERSLICE_SYSROOT "${HYPERSLICE_SYSROOT}" ABSOLUTE)
if(NOT EXISTS "${HYPERSLICE_SYSROOT}/usr/lib/aarch64-linux-gnu")
  message(FATAL_ERROR "no arm64 sysroot at ${HYPERSLICE_SYSROOT}: run scripts/setup aarch64 (it makes one with mmdebstrap)")
endif()
set(CMAKE_SYSROOT "${HYPERSLICE_SYSROOT}")
set(_multiarch "${HYPERSLICE_SYSROOT}/usr/lib/aarch64-linux-gnu")
# The libraries' own dependencies (libopen-rte, libevent, ...) are found inside the sysroot at link time.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,-rpath-link,${_multiarch} -Wl,-rpath-link,${_multiarch}/openmpi/lib")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "${CMAKE_EXE_LINKER_FLAGS_INIT}")
set(CMAKE_FIND_ROOT_PATH "${HYPERSLICE_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)  # build tools (git, gzip, python) are the host's
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# pkg-config (hwloc, mpfr) reads the sysroot's .pc files and prefixes their paths with it.
set(ENV{PKG_CONFIG_LIBDIR} "${_multiarch}/pkgconfig:${HYPERSLICE_SYSROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${HYPERSLICE_SYSROOT}")
# The sysroot's mpicxx is an aarch64 program that would print host paths: FindMPI is given Open MPI's
# header folder and library instead (what its ompi-cxx.pc says), which it accepts without a wrapper.
set(MPI_CXX_SKIP_MPICXX ON)
foreach(lang C CXX)
  set(MPI_${lang}_HEADER_DIR "${_multiarch}/openmpi/include")
  set(MPI_${lang}_LIB_NAMES mpi)
endforeach()
set(MPI_mpi_LIBRARY "${_multiarch}/openmpi/lib/libmpi.so")
set(MPIEXEC_EXECUTABLE /usr/bin/mpirun)  # the host's Open MPI 4.1.4 launches aarch64 ranks too (docs/arm.md)

find_program(HYPERSLICE_QEMU_AARCH64 qemu-aarch64-static)
if(HYPERSLICE_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${HYPERSLICE_QEMU_AARCH64};-L;${HYPERSLICE_SYSROOT}")
endif()
