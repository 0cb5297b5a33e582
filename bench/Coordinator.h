// SPDX-License-Identifier: MIT
// Coordinator.h - the parent of im-loadgen: forks one LoadGen per process (a process can hold at
// most ~19,000 sockets under the 20,000 open-file cap), tells them "go" once the servers report
// the polls held, and merges their results into one JSON object.
#pragma once

#include <string>
#include <vector>

#include "bench/LoadGen.h"

namespace im::bench {

struct RunOptions {
  LoadConfig base;                  // pollers/senders hold the whole set; split per process here
  int procs = 1;
  int sourceBase = 10;              // process k binds 127.0.0.(sourceBase + k)
  std::vector<std::string> heldUrls;  // GET these and sum the number after heldKey
  std::string heldKey = "held_polls";
  double heldFraction = 1.0;        // "held" once this fraction of the polls is reported
  double waitHeldS = 120;
  double holdS = 0;                 // hold mode: keep the polls this long once held
  std::string readyFile;            // written (the held count) once held, for run.sh's RSS probe
};

class Coordinator {
 public:
  explicit Coordinator(RunOptions options) : options_(std::move(options)) {}
  Coordinator(const Coordinator&) = delete;
  Coordinator& operator=(const Coordinator&) = delete;

  // Runs the whole thing; returns the merged result as one JSON object.
  std::string run();

 private:
  struct Child {
    int pid = -1;
    int control = -1;  // parent writes "go" / "stop"
    int results = -1;  // parent reads the child's report until EOF
  };

  void spawn(int k);
  LoadConfig configFor(int k) const;
  uint64_t heldNow() const;
  void tellAll(const char* word);
  void collect(LoadResult& merged);

  RunOptions options_;
  std::vector<Child> children_;
  uint64_t held_ = 0;
  double heldAfterS_ = 0;
};

// Blocking GET http://host:port/path (HTTP/1.0); the body, or "" on any failure.
std::string httpGet(const std::string& url);

}  // namespace im::bench
