# FindSodium.cmake - Debian's libsodium-dev as the imported target Sodium::Sodium
# (Argon2id password hashes, random tokens, SHA-256 of tokens).
find_path(SODIUM_INCLUDE_DIR sodium.h)
find_library(SODIUM_LIBRARY sodium)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Sodium REQUIRED_VARS SODIUM_LIBRARY SODIUM_INCLUDE_DIR)
if(Sodium_FOUND AND NOT TARGET Sodium::Sodium)
  add_library(Sodium::Sodium UNKNOWN IMPORTED)
  set_target_properties(Sodium::Sodium PROPERTIES IMPORTED_LOCATION ${SODIUM_LIBRARY}
                        INTERFACE_SYSTEM_INCLUDE_DIRECTORIES ${SODIUM_INCLUDE_DIR})
endif()
