# FindFcgi.cmake - Debian's libfcgi-dev as the imported target Fcgi::Fcgi.
find_path(FCGI_INCLUDE_DIR fcgiapp.h)
find_library(FCGI_LIBRARY fcgi)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Fcgi REQUIRED_VARS FCGI_LIBRARY FCGI_INCLUDE_DIR)
if(Fcgi_FOUND AND NOT TARGET Fcgi::Fcgi)
  add_library(Fcgi::Fcgi UNKNOWN IMPORTED)
  set_target_properties(Fcgi::Fcgi PROPERTIES IMPORTED_LOCATION ${FCGI_LIBRARY}
                        INTERFACE_SYSTEM_INCLUDE_DIRECTORIES ${FCGI_INCLUDE_DIR})
endif()
