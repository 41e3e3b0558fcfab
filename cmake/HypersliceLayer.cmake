# hyperslice_add_layer(NAME SOURCES file... [PUBLIC dep...] [PRIVATE dep...]): one layer of the program
# as the static library hyperslice_NAME (alias hyperslice::NAME), its headers included as
# "NAME/file.hpp" from the source tree or an installed include/hyperslice, built with the project's
# warnings. Every folder of the architecture (docs/architecture.md) is made this one way.
function(hyperslice_add_layer name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;PUBLIC;PRIVATE")
  add_library(hyperslice_${name} STATIC ${arg_SOURCES})
  add_library(hyperslice::${name} ALIAS hyperslice_${name})
  target_include_directories(hyperslice_${name} PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>
                                                       $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/hyperslice>)
  target_link_libraries(hyperslice_${name} PUBLIC ${arg_PUBLIC} PRIVATE ${arg_PRIVATE} $<BUILD_INTERFACE:hyperslice_warnings>)
endfunction()
