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
