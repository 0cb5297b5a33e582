// SPDX-License-Identifier: MIT
// PrometheusText.h - writes the Prometheus text exposition format (version 0.0.4): a family's
// # HELP and # TYPE lines, then its samples `name{label="value",...} value`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace im::fcgi {

using Labels = std::vector<std::pair<std::string, std::string>>;

class PrometheusText {
 public:
  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

  // `type`: counter, gauge or histogram. Call once per family, before its samples.
  PrometheusText& family(std::string_view name, std::string_view type, std::string_view help);
  PrometheusText& sample(std::string_view name, const Labels& labels, uint64_t value);
  PrometheusText& sample(std::string_view name, const Labels& labels, double value);
  // A histogram's _bucket (cumulative, `le` in seconds from microsecond bounds), _sum and _count.
  PrometheusText& histogram(std::string_view name, const Labels& labels, const std::vector<uint64_t>& boundsUs,
                            const std::vector<uint64_t>& counts, uint64_t sumUs);

  std::string take() { return std::move(text_); }

 private:
  void labels(const Labels& labels);
  std::string text_;
};

}  // namespace im::fcgi
