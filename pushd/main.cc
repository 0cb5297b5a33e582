// SPDX-License-Identifier: MIT
// main.cc - im-pushd: one push node (PushdApp does the wiring).
#include <iostream>  // POCO_SERVER_MAIN reports uncaught exceptions on std::cerr

#include "pushd/PushdApp.h"

POCO_SERVER_MAIN(im::pushd::PushdApp)
