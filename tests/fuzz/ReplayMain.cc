// SPDX-License-Identifier: MIT
// ReplayMain.cc - the main() of the replay executables: feeds every file of the corpus
// directories (or files) named on the command line to LLVMFuzzerTestOneInput, so seeds and
// every crash ever found run as ordinary tests in every build, gcc included.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputsOf(const fs::path& arg) {
  std::vector<fs::path> files;
  if (fs::is_directory(arg)) {
    for (const auto& entry : fs::directory_iterator(arg)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());  // a stable order makes a failure reproducible
  } else if (fs::is_regular_file(arg)) {
    files.push_back(arg);
  }
  return files;
}

void replay(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::cerr << "replay " << file.string() << " (" << bytes.size() << " bytes)\n";
  // A copy in its own allocation, so ASan catches a read one past the end as the fuzzer would.
  const std::vector<uint8_t> data(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(data.data(), data.size());
}

}  // namespace

int main(int argc, char** argv) {
  size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    for (const auto& file : inputsOf(argv[i])) {
      replay(file);
      ++replayed;
    }
  }
  // An empty or missing corpus would make the test pass while testing nothing.
  if (replayed == 0) {
    std::cerr << "no inputs found\n";
    return 1;
  }
  std::cout << "replayed " << replayed << " inputs\n";
  return 0;
}
