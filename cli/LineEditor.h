// SPDX-License-Identifier: MIT
// LineEditor.h - the input line (libedit through its readline callback interface) and every
// write to the terminal. Output from other threads is queued and printed by the input thread
// above the line being typed, which is then redrawn, so nothing is garbled.
// Flow: run() on the input thread -> onLine per typed line -> stop() from any thread.
// Without a terminal on stdin (a pipe), lines are read plainly and printed as they come.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace im::cli {

class LineEditor {
 public:
  using LineHandler = std::function<void(const std::string& line)>;
  using KeyHandler = std::function<void(const std::string& buffer)>;

  // One LineEditor at a time (libedit's readline interface is global).
  LineEditor(std::string prompt, LineHandler onLine, KeyHandler onKey);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  // Input thread: edits lines until stop() or end of input (Ctrl-D).
  void run();
  // Any thread: makes run() return soon. Async-signal-safe.
  void stop();
  // Any thread: prints `text` (one or more lines, no trailing newline needed) above the input
  // line; returns once it is written, so a caller may then record it as shown.
  void print(const std::string& text);
  // Input thread.
  void setPrompt(const std::string& prompt);

 private:
  void runTerminal();
  void runPlain();
  bool awaitInput(bool& input);
  void drainQueue();
  void printAboveLine(const std::string& text);
  void writeOut(const std::string& text);
  static void onLibeditLine(char* line);

  std::string prompt_;
  LineHandler onLine_;
  KeyHandler onKey_;
  int wakeFds_[2] = {-1, -1};
  std::atomic<bool> stopping_{false};
  std::thread::id inputThread_;
  bool terminal_ = false;
  bool betweenLines_ = false;  // inside onLine: no input line is on the screen
  uint64_t linesAccepted_ = 0;

  std::mutex mutex_;
  std::condition_variable printed_;
  std::deque<std::string> queue_;
  uint64_t queuedCount_ = 0, printedCount_ = 0;
  bool running_ = false;
};

}  // namespace im::cli
