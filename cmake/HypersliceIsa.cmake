# Per-ISA translation units: hyperslice_add_isa_sources(target prefix) adds prefix_sse2.cpp,
# prefix_avx2.cpp and prefix_avx512.cpp to target, each compiled with its own ISA's flags only (-mavx2
# without -mfma: nothing can fuse), plus xsimd's headers. Used by the kernels and the divider probe.
set(HYPERSLICE_ISA_FLAGS "sse2|-msse2" "avx2|-mavx2" "avx512|-mavx512f")

function(hyperslice_add_isa_sources target prefix)
  if(NOT HYPERSLICE_X86)
    return()
  endif()
  foreach(isa_flags IN LISTS HYPERSLICE_ISA_FLAGS)
    string(REPLACE "|" ";" parts "${isa_flags}")
    list(GET parts 0 isa)
    list(GET parts 1 flag)
    target_sources(${target} PRIVATE ${prefix}_${isa}.cpp)
    set_source_files_properties(${prefix}_${isa}.cpp PROPERTIES COMPILE_OPTIONS "${flag}")
  endforeach()
  # xsimd's headers only (its exported target drags in an optional xtl link dependency).
  target_include_directories(${target} PRIVATE $<TARGET_PROPERTY:xsimd,INTERFACE_INCLUDE_DIRECTORIES>)
endfunction()
