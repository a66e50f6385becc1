# SPDX-License-Identifier: Apache-2.0
# The PostgreSQL test fixture: defines the CTest fixture coffer_postgres and
# coffer_use_postgres(TEST) which makes TEST require it and sets COFFER_TEST_POSTGRES_URL.
#
# coffer_postgres_start initdb's a cluster into <build>/postgres-fixture (or the socket folder, when the
# postgres user cannot reach the build folder) and starts it on a Unix socket only, in /tmp/coffer-pg-<hash of the build folder> (a socket path must stay under ~100 characters, which a
# deep build folder would not); coffer_postgres_stop stops it and removes both folders. The same build folder
# always gives the same paths, so a run that was killed before its cleanup is cleaned up by the next start.
# Tests take a fresh database each through coffer_test_postgres (PostgresTestDatabase.h).
string(SHA256 coffer_postgres_hash "${CMAKE_BINARY_DIR}")
string(SUBSTRING "${coffer_postgres_hash}" 0 12 coffer_postgres_hash)
set(coffer_postgres_socket_dir /tmp/coffer-pg-${coffer_postgres_hash})
set(coffer_postgres_data_dir ${CMAKE_BINARY_DIR}/postgres-fixture)
set_property(GLOBAL PROPERTY COFFER_TEST_POSTGRES_URL
    "postgresql:///coffer_test?host=${coffer_postgres_socket_dir}&port=5432&user=coffer")

add_test(NAME coffer_postgres_start
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/start-postgres.sh ${coffer_postgres_data_dir} ${coffer_postgres_socket_dir})
set_tests_properties(coffer_postgres_start PROPERTIES FIXTURES_SETUP coffer_postgres LABELS integration
    TIMEOUT 180 RESOURCE_LOCK coffer_postgres_cluster)
add_test(NAME coffer_postgres_stop
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/stop-postgres.sh ${coffer_postgres_data_dir} ${coffer_postgres_socket_dir})
set_tests_properties(coffer_postgres_stop PROPERTIES FIXTURES_CLEANUP coffer_postgres LABELS integration
    TIMEOUT 120 RESOURCE_LOCK coffer_postgres_cluster)

function(coffer_use_postgres test)
    get_property(url GLOBAL PROPERTY COFFER_TEST_POSTGRES_URL)
    set_property(TEST ${test} APPEND PROPERTY FIXTURES_REQUIRED coffer_postgres)
    set_property(TEST ${test} APPEND PROPERTY ENVIRONMENT "COFFER_TEST_POSTGRES_URL=${url}")
endfunction()

# A fresh database per test on the fixture's server (no Qt; any test may link it).
pkg_check_modules(COFFER_TEST_LIBPQ REQUIRED IMPORTED_TARGET libpq)
add_library(coffer_test_postgres STATIC
    ${CMAKE_CURRENT_LIST_DIR}/PostgresTestDatabase.cpp
    ${CMAKE_CURRENT_LIST_DIR}/PostgresTestDatabase.h
)
target_include_directories(coffer_test_postgres PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(coffer_test_postgres PUBLIC coffer_policy PRIVATE PkgConfig::COFFER_TEST_LIBPQ)
set_target_properties(coffer_test_postgres PROPERTIES AUTOMOC OFF AUTOUIC OFF AUTORCC OFF)
