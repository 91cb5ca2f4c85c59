add_library(envctl_warnings INTERFACE)
target_compile_options(envctl_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  -Wcast-align -Wnull-dereference -Wimplicit-fallthrough)
if(ENVCTL_WARNINGS_AS_ERRORS)
  target_compile_options(envctl_warnings INTERFACE -Werror)
endif()
if(ENVCTL_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
