# Warnings.cmake - the project's warning flags: every warning is an error in our own code.
set(IM_WARNINGS -Wall -Wextra -Werror -Wconversion -Wshadow -Wold-style-cast -Wnon-virtual-dtor)

# im_strict(target): apply the warning set to a target we own (not to third-party headers).
function(im_strict target)
  target_compile_options(${target} PRIVATE ${IM_WARNINGS})
endfunction()
