# FindHiredis.cmake - Debian's libhiredis-dev (0.14) as the imported target Hiredis::Hiredis.
find_path(HIREDIS_INCLUDE_DIR hiredis/hiredis.h)
find_library(HIREDIS_LIBRARY hiredis)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Hiredis REQUIRED_VARS HIREDIS_LIBRARY HIREDIS_INCLUDE_DIR)
if(Hiredis_FOUND AND NOT TARGET Hiredis::Hiredis)
  add_library(Hiredis::Hiredis UNKNOWN IMPORTED)
  set_target_properties(Hiredis::Hiredis PROPERTIES IMPORTED_LOCATION ${HIREDIS_LIBRARY}
                        INTERFACE_SYSTEM_INCLUDE_DIRECTORIES ${HIREDIS_INCLUDE_DIR})
endif()
