// SPDX-License-Identifier: Apache-2.0
// The regression run of a fuzz target without libFuzzer (any compiler): calls LLVMFuzzerTestOneInput on
// every file of the folders given, in name order. A crash or a broken property aborts the test; an empty
// corpus fails it (a replay that ran nothing proves nothing).

#include "tests/fuzz/FuzzSupport.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        std::error_code error;
        for (const auto& entry : fs::directory_iterator(argv[i], error)) {
            if (entry.is_regular_file())
                files.push_back(entry.path());
        }
        if (error) {
            std::cerr << argv[i] << ": " << error.message() << '\n';
            return 1;
        }
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        std::cerr << "no corpus files\n";
        return 1;
    }
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        const std::vector<char> data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        if (!in.eof() && in.fail()) {
            std::cerr << file << ": cannot read\n";
            return 1;
        }
        std::cerr << "replay " << file.filename().string() << " (" << data.size() << " bytes)\n";
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    }
    std::cout << files.size() << " inputs replayed\n";
    return 0;
}
