# FindMySQLConnCpp.cmake - Debian's libmysqlcppconn-dev (Connector/C++ 1.1, JDBC-style API)
# as the imported target MySQLConnCpp::MySQLConnCpp.
find_path(MYSQLCONNCPP_INCLUDE_DIR cppconn/driver.h)
find_library(MYSQLCONNCPP_LIBRARY mysqlcppconn)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(MySQLConnCpp REQUIRED_VARS MYSQLCONNCPP_LIBRARY MYSQLCONNCPP_INCLUDE_DIR)
if(MySQLConnCpp_FOUND AND NOT TARGET MySQLConnCpp::MySQLConnCpp)
  add_library(MySQLConnCpp::MySQLConnCpp UNKNOWN IMPORTED)
  set_target_properties(MySQLConnCpp::MySQLConnCpp PROPERTIES IMPORTED_LOCATION ${MYSQLCONNCPP_LIBRARY}
                        INTERFACE_SYSTEM_INCLUDE_DIRECTORIES ${MYSQLCONNCPP_INCLUDE_DIR})
endif()
