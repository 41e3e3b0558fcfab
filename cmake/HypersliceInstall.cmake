# What `cmake --install` puts where (GNUInstallDirs), and the Debian package (CPack):
#   bin/hyperslice, bin/hyperslice-sweep            the program and the scaling/tuning sweep
#   share/hyperslice/configs/                       run configs, the hostfile example, the Slurm requeue script
#   share/doc/hyperslice/                           README, docs/ (with the JSON schemas)
#   share/man/man1/hyperslice*.1                    man pages, generated from the CLI definition
#   share/bash-completion/completions/hyperslice    bash completion, generated likewise
#   lib/libhyperslice_*.a, include/hyperslice/, lib/cmake/hyperslice/   the CMake package
include(CMakePackageConfigHelpers)

# Two components, two Debian packages: runtime (hyperslice) and development (hyperslice-dev).
set(CMAKE_INSTALL_DEFAULT_COMPONENT_NAME runtime)
install(TARGETS hyperslice RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(PROGRAMS scripts/sweep DESTINATION ${CMAKE_INSTALL_BINDIR} RENAME hyperslice-sweep)
install(FILES configs/default.toml configs/seed-table2.toml configs/seed-table3.toml configs/hostfile.example
        DESTINATION ${CMAKE_INSTALL_DATADIR}/hyperslice/configs)
install(PROGRAMS configs/slurm/hyperslice-requeue.sbatch DESTINATION ${CMAKE_INSTALL_DATADIR}/hyperslice/configs/slurm)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
foreach(page IN LISTS HYPERSLICE_MAN_PAGES)
  install(FILES ${PROJECT_BINARY_DIR}/cli/doc/${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endforeach()
install(FILES ${PROJECT_BINARY_DIR}/cli/doc/hyperslice.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME hyperslice)
set(CMAKE_INSTALL_DEFAULT_COMPONENT_NAME development)

# The libraries as hyperslice::<layer>. Two export sets, so that a consumer of the kernels alone needs
# neither MPI nor hwloc (cmake/hyperslice-config.cmake.in).
foreach(layer kernels base topology job engine perf)
  set_target_properties(hyperslice_${layer} PROPERTIES EXPORT_NAME ${layer})
endforeach()
install(TARGETS hyperslice_kernels EXPORT hyperslice-kernels-targets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS hyperslice_base hyperslice_topology hyperslice_job hyperslice_engine hyperslice_perf EXPORT hyperslice-engine-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY base kernels topology job engine perf DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/hyperslice
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
set(CPACK_PACKAGE_CONTACT "hyperslice developers <hyperslice@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION "hyperslice checks MPI across a small cluster's nodes, shows each node's topology and where
every rank and thread is bound, and computes pi from the Leibniz series exactly and reproducibly over MPI
ranks, OpenMP threads and SIMD lanes, with scaling sweeps and layout tuning.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "openmpi-bin, python3")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_RECOMMENDS "python3-matplotlib, hwloc, bash-completion")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
# The static libraries' link dependencies, as the CMake package finds them.
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS
    "hyperslice (= ${PROJECT_VERSION}), libmpfr-dev, libopenmpi-dev, libhwloc-dev, pkg-config, nlohmann-json3-dev, libfmt-dev, libtomlplusplus-dev")
include(CPack)
