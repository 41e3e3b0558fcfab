# What `cmake --install` puts where (GNUInstallDirs), and the Debian package (CPack):
#   bin/hyperslice, bin/hyperslice-sweep            the program and the scaling/tuning sweep
#   share/hyperslice/python/hyperslice_tools/       the Python tools the sweep's front end runs
#   share/hyperslice/configs/                       run configs, the hostfile example, the Slurm requeue script and health check
#   share/doc/hyperslice/                           README, LICENSE, docs/ (with the JSON schemas): the README's links hold
#   share/man/man1/hyperslice*.1                    man pages, generated from the CLI definition
#   share/bash-completion/completions/hyperslice    bash completion, generated likewise
#   lib/libhyperslice_*.a, include/hyperslice/, lib/cmake/hyperslice/   the CMake package
include(CMakePackageConfigHelpers)

# Two components, two Debian packages: runtime (hyperslice) and development (hyperslice-dev).
set(CMAKE_INSTALL_DEFAULT_COMPONENT_NAME runtime)
install(TARGETS hyperslice RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(PROGRAMS scripts/sweep DESTINATION ${CMAKE_INSTALL_BINDIR} RENAME hyperslice-sweep)
install(DIRECTORY python/hyperslice_tools DESTINATION ${CMAKE_INSTALL_DATADIR}/hyperslice/python
        FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
install(FILES configs/default.toml configs/seed-table2.toml configs/seed-table3.toml configs/hostfile.example
        DESTINATION ${CMAKE_INSTALL_DATADIR}/hyperslice/configs)
install(PROGRAMS configs/slurm/hyperslice-requeue.sbatch configs/slurm/hyperslice-healthcheck DESTINATION ${CMAKE_INSTALL_DATADIR}/hyperslice/configs/slurm)
install(FILES README.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs DESTINATION ${CMAKE_INSTALL_DOCDIR})  # as docs/, where the README's links point
# The man pages name the configs and docs under the prefix they are installed to, which is known only at
# install time (`cmake --install --prefix P`, or CPack's /usr): hyperslice-docgen writes them again then,
# into a folder of its own per install (installs may run at once), and they go in gzipped (Debian policy:
# gzip -9n, no name or time stamp). file(INSTALL) honours DESTDIR, as CPack's staging needs.
set(_sweep_pages)
if(HYPERSLICE_SWEEP_DOCS)
  set(_sweep_pages ${PROJECT_BINARY_DIR}/cli/doc/hyperslice-sweep.1)
  install(FILES ${PROJECT_BINARY_DIR}/cli/doc/hyperslice-sweep.bash
          DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME hyperslice-sweep)
endif()
# What the install script needs from configure time, then the script itself (a bracket argument: no
# quoting to get wrong; generator expressions are still expanded).
install(CODE "set(_hs_datadir_rel \"${CMAKE_INSTALL_DATADIR}\")
set(_hs_mandir_rel \"${CMAKE_INSTALL_MANDIR}\")
set(_hs_build \"${PROJECT_BINARY_DIR}\")
set(_hs_pages \"${HYPERSLICE_MAN_PAGES}\")
set(_hs_sweep_pages \"${_sweep_pages}\")
set(_hs_emulator \"${CMAKE_CROSSCOMPILING_EMULATOR}\")" COMPONENT runtime)
install(CODE [[
  if(IS_ABSOLUTE "${_hs_datadir_rel}")
    set(_datadir "${_hs_datadir_rel}")
  else()
    set(_datadir "${CMAKE_INSTALL_PREFIX}/${_hs_datadir_rel}")
  endif()
  string(RANDOM LENGTH 12 _tag)
  set(_dir "${_hs_build}/cli/doc-install-${_tag}")
  file(MAKE_DIRECTORY "${_dir}")
  execute_process(COMMAND ${_hs_emulator} "$<TARGET_FILE:hyperslice-docgen>" "${_dir}" "${_datadir}" COMMAND_ERROR_IS_FATAL ANY)
  set(_all ${_hs_pages})
  foreach(extra IN LISTS _hs_sweep_pages)
    file(COPY "${extra}" DESTINATION "${_dir}")
    get_filename_component(_name "${extra}" NAME)
    list(APPEND _all "${_name}")
  endforeach()
  foreach(page IN LISTS _all)
    execute_process(COMMAND gzip -9nf "${_dir}/${page}" COMMAND_ERROR_IS_FATAL ANY)
    file(INSTALL "${_dir}/${page}.gz" DESTINATION "${CMAKE_INSTALL_PREFIX}/${_hs_mandir_rel}/man1")
  endforeach()
  file(REMOVE_RECURSE "${_dir}")
]] COMPONENT runtime)
install(FILES ${PROJECT_BINARY_DIR}/cli/doc/hyperslice.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME hyperslice)
# Debian's copyright file and changelog, in each package's own doc folder (also by cmake --install).
install(FILES packaging/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES packaging/copyright DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/hyperslice-dev COMPONENT development)
foreach(component_doc runtime:${CMAKE_INSTALL_DOCDIR} development:${CMAKE_INSTALL_DATADIR}/doc/hyperslice-dev)
  string(REPLACE ":" ";" _cd "${component_doc}")
  list(GET _cd 0 _component)
  list(GET _cd 1 _docdir)
  install(CODE "
    string(RANDOM LENGTH 12 _tag)
    set(_gz \"${PROJECT_BINARY_DIR}/changelog-\${_tag}/changelog.gz\")
    file(MAKE_DIRECTORY \"${PROJECT_BINARY_DIR}/changelog-\${_tag}\")
    execute_process(COMMAND gzip -9nc \"${PROJECT_SOURCE_DIR}/packaging/changelog\" OUTPUT_FILE \"\${_gz}\"
                    COMMAND_ERROR_IS_FATAL ANY)
    file(INSTALL \"\${_gz}\" DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${_docdir}\")
    file(REMOVE_RECURSE \"${PROJECT_BINARY_DIR}/changelog-\${_tag}\")
  " COMPONENT ${_component})
endforeach()
# The Lmod module file (environment modules, as HPC sites install tools): relocatable, it finds the
# prefix from its own path.
set(HYPERSLICE_VERSION ${PROJECT_VERSION})
configure_file(packaging/modulefiles/hyperslice.lua.in ${PROJECT_BINARY_DIR}/modulefiles/${PROJECT_VERSION}.lua @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/modulefiles/${PROJECT_VERSION}.lua DESTINATION ${CMAKE_INSTALL_DATADIR}/modulefiles/hyperslice)
set(CMAKE_INSTALL_DEFAULT_COMPONENT_NAME development)

# The libraries as hyperslice::<layer>. Two export sets, so that a consumer of the kernels alone needs
# neither MPI nor hwloc (cmake/hyperslice-config.cmake.in).
foreach(layer kernels base launch topology job engine measure check report modes)
  set_target_properties(hyperslice_${layer} PROPERTIES EXPORT_NAME ${layer})
endforeach()
install(TARGETS hyperslice_kernels EXPORT hyperslice-kernels-targets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS hyperslice_base hyperslice_launch hyperslice_topology hyperslice_job hyperslice_engine hyperslice_measure hyperslice_check hyperslice_report hyperslice_modes EXPORT hyperslice-engine-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY base kernels launch topology job engine measure check report modes DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/hyperslice
        FILES_MATCHING PATTERN "*.hpp")
set(_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/hyperslice)
foreach(set kernels engine)
  install(EXPORT hyperslice-${set}-targets NAMESPACE hyperslice:: DESTINATION ${_cmake_dir})
endforeach()
configure_package_config_file(cmake/hyperslice-config.cmake.in ${PROJECT_BINARY_DIR}/hyperslice-config.cmake
                              INSTALL_DESTINATION ${_cmake_dir})
# 0.x: a minor version may break the interface, so only the same minor version matches.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/hyperslice-config-version.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/hyperslice-config.cmake ${PROJECT_BINARY_DIR}/hyperslice-config-version.cmake
        DESTINATION ${_cmake_dir})

# cpack -G DEB (from the build folder): hyperslice_<v>_<arch>.deb, whose dependencies dpkg-shlibdeps reads
# off the binary (libopenmpi3, libhwloc15, libmpfr6, libgomp1, libfmt9, ...), plus mpirun itself; python3
# for hyperslice-sweep, matplotlib for its plots. hyperslice-dev_<v>_<arch>.deb: libraries, headers and the
# CMake package. Built with a /usr prefix whatever CMAKE_INSTALL_PREFIX is.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME hyperslice)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime development)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME hyperslice)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME hyperslice-dev)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# Whoever publishes packages sets the maintainer; the default is a placeholder in a domain reserved for
# examples (RFC 2606), which lintian accepts and nobody mistakes for a real address.
set(HYPERSLICE_PACKAGE_MAINTAINER "hyperslice developers <hyperslice@example.org>" CACHE STRING
    "Maintainer field of the Debian packages (Name <address>)")
set(CPACK_PACKAGE_CONTACT "${HYPERSLICE_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${HYPERSLICE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# CPack makes the Description field from the summary (its first line) and these lines (the extended
# part; Debian wants them within 80 columns).
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "hyperslice checks MPI across a small cluster's nodes (servers, virtual
machines, notebooks, Raspberry Pis), shows each node's topology and where every
rank and thread is bound, and computes pi from the Leibniz series exactly and
reproducibly over MPI ranks, OpenMP threads and SIMD lanes: the same bits for
any layout, checked against MPFR. hyperslice-sweep runs scaling sweeps and
tunes the ranks x threads layout.")
set(CPACK_DEBIAN_DEVELOPMENT_DESCRIPTION "The static libraries of hyperslice (kernels, exact accumulator, engine,
topology, job and bench layers), their headers and the CMake package:
find_package(hyperslice) gives hyperslice::kernels (series kernels with their
own ISA dispatch and the exact accumulator, needing only MPFR) and
hyperslice::engine.")
set(CPACK_STRIP_FILES ON)  # the program without its symbol tables (Debian policy; lintian: unstripped-binary-or-object)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
if(NOT CMAKE_CROSSCOMPILING)
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "openmpi-bin, python3")
else()
  # A cross build (the aarch64 preset): dpkg-shlibdeps would look the binary's libraries up in this
  # machine's dpkg database, which holds no arm64 packages (the sysroot is extracted, not installed). The
  # packages are what it reads off the x86-64 build (the same names on every Debian architecture);
  # tests/arch/test_aarch64.py checks that every library the aarch64 binary needs is among them.
  set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS
      "openmpi-bin, python3, libc6 (>= 2.34), libfmt9 (>= 9.1.0+ds1), libgcc-s1 (>= 3.0), libgomp1 (>= 6), libhwloc15 (>= 2.9.0), libmpfr6 (>= 3.1.3), libopenmpi3 (>= 4.1.4), libstdc++6 (>= 11), libtomlplusplus3 (>= 3.2.0)")
endif()
if(CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64")
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)  # CPack would ask this machine's dpkg, which says amd64
endif()
set(CPACK_DEBIAN_RUNTIME_PACKAGE_RECOMMENDS "python3-matplotlib, hwloc, bash-completion")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
# The static libraries' link dependencies, as the CMake package finds them.
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS
    "hyperslice (= ${PROJECT_VERSION}), libmpfr-dev, libopenmpi-dev, libhwloc-dev, pkg-config, nlohmann-json3-dev, libfmt-dev, libtomlplusplus-dev")
include(CPack)
