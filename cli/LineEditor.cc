// SPDX-License-Identifier: MIT
// LineEditor.cc - the poll(2) loop over stdin and a wake-up pipe, and the redraw dance.
#include "cli/LineEditor.h"

#include <editline/readline.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace im::cli {
namespace {

LineEditor* gEditor = nullptr;  // libedit's callback is a plain function

size_t codePoints(const char* s, size_t bytes) {
  size_t n = 0;
  for (size_t i = 0; i < bytes; ++i) n += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
  return n;
}

int terminalColumns() {
  struct winsize ws {};
  return ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 80;
}

}  // namespace

LineEditor::LineEditor(std::string prompt, LineHandler onLine, KeyHandler onKey)
    : prompt_(std::move(prompt)), onLine_(std::move(onLine)), onKey_(std::move(onKey)) {
  if (::pipe2(wakeFds_, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("pipe2 failed");
  terminal_ = ::isatty(STDIN_FILENO) == 1;
  gEditor = this;
}

LineEditor::~LineEditor() {
  gEditor = nullptr;
  ::close(wakeFds_[0]);
  ::close(wakeFds_[1]);
}

void LineEditor::stop() {
  stopping_.store(true);
  const char byte = 's';
  [[maybe_unused]] const ssize_t n = ::write(wakeFds_[1], &byte, 1);  // full pipe: already awake
}

void LineEditor::print(const std::string& text) {
  std::unique_lock lock(mutex_);
  if (!running_ || std::this_thread::get_id() == inputThread_) {
    lock.unlock();
    if (running_ && terminal_ && !betweenLines_) {
      printAboveLine(text);
    } else {
      writeOut(text + "\n");
    }
    return;
  }
  queue_.push_back(text);
  const uint64_t mine = ++queuedCount_;
  const char byte = 'p';
  [[maybe_unused]] const ssize_t n = ::write(wakeFds_[1], &byte, 1);
  printed_.wait(lock, [&] { return printedCount_ >= mine || !running_; });
}

void LineEditor::setPrompt(const std::string& prompt) {
  prompt_ = prompt;
  if (terminal_ && !betweenLines_) rl_set_prompt(prompt_.c_str());
}

void LineEditor::run() {
  {
    const std::lock_guard lock(mutex_);
    inputThread_ = std::this_thread::get_id();
    running_ = true;
  }
  if (terminal_) {
    runTerminal();
  } else {
    runPlain();
  }
  const std::lock_guard lock(mutex_);
  running_ = false;
  // Whatever is still queued is printed, so no waiting thread is told "shown" for nothing.
  while (!queue_.empty()) {
    writeOut(queue_.front() + "\n");
    queue_.pop_front();
    ++printedCount_;
  }
  printed_.notify_all();
}

void LineEditor::runTerminal() {
  rl_callback_handler_install(prompt_.c_str(), &LineEditor::onLibeditLine);
  while (!stopping_.load()) {
    bool input = false;
    if (!awaitInput(input)) break;
    if (!stopping_.load() && input) {
      const uint64_t linesBefore = linesAccepted_;
      rl_callback_read_char();
      // Not for the key that ended a line: libedit still holds the sent text until the next key.
      if (!stopping_.load() && onKey_ && linesAccepted_ == linesBefore && rl_line_buffer != nullptr) {
        onKey_(std::string(rl_line_buffer, static_cast<size_t>(rl_end)));
      }
    }
  }
  rl_callback_handler_remove();
  writeOut("\n");
}

// libedit calls this with each accepted line (malloc'd, ours to free), or NULL on Ctrl-D.
void LineEditor::onLibeditLine(char* line) {
  LineEditor* const self = gEditor;
  if (line == nullptr) {
    self->stop();
    return;
  }
  const std::string text(line);
  std::free(line);
  if (!text.empty()) add_history(text.c_str());
  ++self->linesAccepted_;
  self->betweenLines_ = true;
  self->onLine_(text);
  self->betweenLines_ = false;
  // libedit leaves its unbuffered mode after a line; installing again re-enters it and shows
  // the prompt, otherwise the next el_gets() would block for a whole line.
  if (!self->stopping_.load()) rl_callback_handler_install(self->prompt_.c_str(), &LineEditor::onLibeditLine);
}

void LineEditor::runPlain() {
  std::string pending;
  while (!stopping_.load()) {
    bool input = false;
    if (!awaitInput(input)) break;
    if (stopping_.load() || !input) continue;
    char buf[4096];
    const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n <= 0) break;  // end of input: like Ctrl-D
    pending.append(buf, static_cast<size_t>(n));
    for (size_t nl = pending.find('\n'); nl != std::string::npos && !stopping_.load(); nl = pending.find('\n')) {
      const std::string line = pending.substr(0, nl);
      pending.erase(0, nl + 1);
      betweenLines_ = true;
      onLine_(line);
      betweenLines_ = false;
    }
  }
}

// Blocks until stdin has input (`input`) or another thread woke us, printing what it queued.
// False when poll(2) failed for good.
bool LineEditor::awaitInput(bool& input) {
  pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {wakeFds_[0], POLLIN, 0}};
  if (::poll(fds, 2, -1) < 0) return errno == EINTR;
  if (fds[1].revents & POLLIN) {
    char buf[64];
    while (::read(wakeFds_[0], buf, sizeof buf) > 0) {
    }
    drainQueue();
  }
  input = (fds[0].revents & (POLLIN | POLLHUP)) != 0;
  return true;
}

void LineEditor::drainQueue() {
  std::unique_lock lock(mutex_);
  while (!queue_.empty()) {
    const std::string text = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    if (terminal_) {
      printAboveLine(text);
    } else {
      writeOut(text + "\n");
    }
    lock.lock();
    ++printedCount_;
  }
  printed_.notify_all();
}

// Erases the prompt and the partial line (all the rows it wraps over), prints, redraws.
void LineEditor::printAboveLine(const std::string& text) {
  const size_t cols = static_cast<size_t>(terminalColumns());
  const size_t point = rl_line_buffer == nullptr ? 0 : codePoints(rl_line_buffer, static_cast<size_t>(rl_point));
  const size_t rowsUp = (codePoints(prompt_.data(), prompt_.size()) + point) / cols;
  std::string out;
  if (rowsUp > 0) out += "\033[" + std::to_string(rowsUp) + "A";
  out += "\r\033[J" + text + "\n";
  writeOut(out);
  rl_forced_update_display();
}

void LineEditor::writeOut(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace im::cli
