# onboard_embed_files(<out.cpp> <namespace> <function> <files...>)
# Generates a C++ source defining
#   const std::vector<onboard::EmbeddedFile>& <namespace>::<function>();
# with each file's base name and content, sorted by name. Regenerated when a file changes.
set(ONBOARD_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/EmbedScript.cmake)

function(onboard_embed_files out ns fn)
  set(files ${ARGN})
  list(SORT files)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNS=${ns} -DFN=${fn} "-DFILES=${files}"
            -P ${ONBOARD_EMBED_SCRIPT}
    DEPENDS ${files} ${ONBOARD_EMBED_SCRIPT}
    COMMENT "Embedding ${fn}"
    VERBATIM)
endfunction()
