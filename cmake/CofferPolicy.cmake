# SPDX-License-Identifier: Apache-2.0
# One INTERFACE target carries the compiler policy for every Coffer target.
add_library(coffer_policy INTERFACE)
target_compile_features(coffer_policy INTERFACE cxx_std_23)
target_compile_definitions(coffer_policy INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_KEYWORDS
    $<$<NOT:$<CONFIG:Debug>>:_FORTIFY_SOURCE=2>
    _GLIBCXX_ASSERTIONS)
target_compile_options(coffer_policy INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
    -fstack-protector-strong -fstack-clash-protection -fcf-protection
    $<$<BOOL:${COFFER_WERROR}>:-Werror>)
target_link_options(coffer_policy INTERFACE
    -Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack)
if(COFFER_SANITIZE)
    target_compile_options(coffer_policy INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
        -fno-sanitize-recover=undefined)
    target_link_options(coffer_policy INTERFACE -fsanitize=address,undefined)
endif()
if(COFFER_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "COFFER_FUZZ needs clang (libFuzzer): use the fuzz preset")
    endif()
    # Every library gets the coverage instrumentation libFuzzer steers by, and both sanitizers; only the
    # fuzz targets link libFuzzer itself (-fsanitize=fuzzer, tests/fuzz/CMakeLists.txt).
    target_compile_options(coffer_policy INTERFACE -fsanitize=fuzzer-no-link,address,undefined
        -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(coffer_policy INTERFACE -fsanitize=address,undefined)
endif()
# libstdc++ 12 offers std::expected only when __cpp_concepts >= 202002L. Clang 16 implements what that
# needs (P0848, conditionally trivial special members) but still reports 201907L (raised in clang 19).
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 16
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 19)
    target_compile_options(coffer_policy INTERFACE -D__cpp_concepts=202002L -Wno-macro-redefined)
endif()
