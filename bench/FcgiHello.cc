// SPDX-License-Identifier: MIT
// FcgiHello.cc - im-fcgi-hello: the libfcgi ceiling. N forked workers accept on one unix socket and
// answer a fixed JSON body, with no routing, config, database or Redis: what im-fcgi's trivial route
// is compared with. Usage: im-fcgi-hello SOCKET WORKERS (SIGTERM stops the whole group).
#include <fcgiapp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace {

int serve(int listenFd) {
  FCGX_Request request;
  FCGX_InitRequest(&request, listenFd, 0);
  while (FCGX_Accept_r(&request) >= 0) {
    FCGX_PutS("Status: 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 16\r\n\r\n"
              "{\"status\":\"ok\"}\n",
              request.out);
    FCGX_Finish_r(&request);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fputs("usage: im-fcgi-hello SOCKET WORKERS\n", stderr);
    return 2;
  }
  // As fcgi/process/Supervisor: the same listen queue and libfcgi's close without the 2 s wait,
  // so the ceiling differs from ours only by what our workers do.
  ::setenv("LIBFCGI_OS_CLOSE_POLL_TIMEOUT", "0", 0);
  FCGX_Init();
  const int fd = FCGX_OpenSocket(argv[1], 16384);
  if (fd < 0) {
    std::perror("im-fcgi-hello: FCGX_OpenSocket");
    return 1;
  }
  ::chmod(argv[1], 0666);  // nginx may run as another user, as for fcgi/Supervisor's socket
  const int workers = std::atoi(argv[2]);
  for (int i = 0; i < workers; ++i) {
    if (fork() == 0) {
      prctl(PR_SET_PDEATHSIG, SIGTERM);  // the master's SIGTERM takes the workers with it
      return serve(fd);
    }
  }
  while (wait(nullptr) > 0) {
  }
  return 0;
}
