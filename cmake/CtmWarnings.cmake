# One place that decides the warnings of every target of the project.
function(ctm_target_warnings target)
  if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE
      -Wall -Wextra -Wpedantic -Wstrict-prototypes -Wwrite-strings
      -Wshadow -Wformat=2 -Wundef -Wmissing-prototypes)
    if(CONTINUUM_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endif()
endfunction()
