// SPDX-License-Identifier: MIT
// PrometheusText.cc - escaping (label values: backslash, quote, newline) and number formatting.
#include "fcgi/ops/PrometheusText.h"

#include <cstdio>

namespace im::fcgi {
namespace {

std::string formatDouble(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

}  // namespace

PrometheusText& PrometheusText::family(std::string_view name, std::string_view type, std::string_view help) {
  text_.append("# HELP ").append(name).append(" ").append(help).append("\n");
  text_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
  return *this;
}

void PrometheusText::labels(const Labels& labels) {
  if (labels.empty()) return;
  text_ += '{';
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) text_ += ',';
    text_.append(labels[i].first).append("=\"");
    for (char c : labels[i].second) {
      if (c == '\\' || c == '"') text_ += '\\';
      if (c == '\n') {
        text_ += "\\n";
        continue;
      }
      text_ += c;
    }
    text_ += '"';
  }
  text_ += '}';
}

PrometheusText& PrometheusText::sample(std::string_view name, const Labels& l, uint64_t value) {
  text_.append(name);
  labels(l);
  text_.append(" ").append(std::to_string(value)).append("\n");
  return *this;
}

PrometheusText& PrometheusText::sample(std::string_view name, const Labels& l, double value) {
  text_.append(name);
  labels(l);
  text_.append(" ").append(formatDouble(value)).append("\n");
  return *this;
}

PrometheusText& PrometheusText::histogram(std::string_view name, const Labels& l, const std::vector<uint64_t>& boundsUs,
                                          const std::vector<uint64_t>& counts, uint64_t sumUs) {
  const std::string base(name);
  uint64_t cumulative = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    cumulative += counts[i];
    Labels withLe = l;
    withLe.emplace_back("le", i < boundsUs.size() ? formatDouble(static_cast<double>(boundsUs[i]) / 1e6) : "+Inf");
    sample(base + "_bucket", withLe, cumulative);
  }
  sample(base + "_sum", l, static_cast<double>(sumUs) / 1e6);
  sample(base + "_count", l, cumulative);
  return *this;
}

}  // namespace im::fcgi
