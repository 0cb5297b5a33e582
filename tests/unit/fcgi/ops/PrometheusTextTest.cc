// SPDX-License-Identifier: MIT
// PrometheusTextTest.cc - the exposition format scrapers parse: HELP/TYPE, escaped labels,
// cumulative histogram buckets ending in +Inf.
#include "fcgi/ops/PrometheusText.h"

#include <gtest/gtest.h>

using namespace im::fcgi;

TEST(PrometheusText, WritesAFamilyAndEscapesLabelValues) {
  PrometheusText out;
  out.family("im_x_total", "counter", "Things.").sample("im_x_total", {{"route", "a\"b\\c\nd"}}, uint64_t{7});
  EXPECT_EQ(out.take(), "# HELP im_x_total Things.\n# TYPE im_x_total counter\nim_x_total{route=\"a\\\"b\\\\c\\nd\"} 7\n");
}

TEST(PrometheusText, HistogramBucketsAreCumulativeInSeconds) {
  PrometheusText out;
  out.histogram("h", {{"node", "n"}}, {1000, 250000}, {2, 3, 1}, 1500000);
  EXPECT_EQ(out.take(),
            "h_bucket{node=\"n\",le=\"0.001\"} 2\n"
            "h_bucket{node=\"n\",le=\"0.25\"} 5\n"
            "h_bucket{node=\"n\",le=\"+Inf\"} 6\n"
            "h_sum{node=\"n\"} 1.5\n"
            "h_count{node=\"n\"} 6\n");
}
