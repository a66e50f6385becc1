#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs a test on a private D-Bus that stands for both the session and the system bus, with no display, so that
# the test can own names such as org.freedesktop.login1 and nothing reaches the desktop. Without dbus-run-session
# this fails, and so does the test: it checks COFFER_PRIVATE_BUS.
set -eu
exec dbus-run-session -- sh -c \
    'unset DISPLAY WAYLAND_DISPLAY XDG_SESSION_ID
     export DBUS_SYSTEM_BUS_ADDRESS="$DBUS_SESSION_BUS_ADDRESS" COFFER_PRIVATE_BUS=1
     exec "$@"' private-bus "$@"
