// SPDX-License-Identifier: MIT
// ForeignNginxTest.cc - README "Mounting": nginx/im.locations.conf included in a site's own
// server {} block (with its own locations, under `user www-data;`) passes `nginx -t`.
#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <string>

#include "tests/support/ChildProcess.h"
#include "tests/support/TempDir.h"

namespace im::test {
namespace {

// A Debian site's nginx.conf as README "Mounting" asks it to be: the upstream and the map in
// http {}, the include beside the site's own locations. Every path nginx writes is under `dir`.
std::string foreignConf(const std::string& dir, bool withWebRoot) {
  // Only root may switch users (Debian's nginx package creates www-data): run as any other
  // user, nginx would ignore the line with a warning, so a non-root run leaves it out and still
  // checks the include with `nginx -t`.
  const std::string user = ::geteuid() == 0 ? "user www-data;\n" : "# not root: no user line\n";
  return user +
         "pid " + dir + "/nginx.pid;\n"
         "events { worker_connections 64; }\n"
         "http {\n"
         "  client_body_temp_path " + dir + "/body;\n"
         "  proxy_temp_path " + dir + "/proxy;\n"
         "  fastcgi_temp_path " + dir + "/fastcgi;\n"
         "  uwsgi_temp_path " + dir + "/uwsgi;\n"
         "  scgi_temp_path " + dir + "/scgi;\n"
         "  access_log " + dir + "/access.log;\n"
         "  upstream im_fcgi { server unix:/tmp/x.sock; }\n" +
         (withWebRoot ? "  map \"\" $im_web_root { default " IM_SOURCE_DIR "/web; }\n" : "") +
         "  server {\n"
         "    listen 127.0.0.1:8080;\n"
         "    server_name site.example.test;\n"
         "    root " + dir + ";\n"
         "    location / { try_files $uri $uri/ =404; }\n"
         "    location ~ \\.php$ { return 200; }\n"
         "    include " IM_SOURCE_DIR "/nginx/im.locations.conf;\n"
         "  }\n"
         "}\n";
}

CommandResult nginxTest(const TempDir& dir, bool withWebRoot) {
  const std::string conf = dir.path() + "/nginx.conf";
  std::ofstream(conf) << foreignConf(dir.path(), withWebRoot);
  return runCommand({"nginx", "-t", "-p", dir.path() + "/", "-c", conf, "-e", dir.path() + "/error.log"});
}

TEST(ForeignNginx, TheIncludeInASitesServerBlockPassesNginxT) {
  TempDir dir("im-foreign-nginx");
  const CommandResult r = nginxTest(dir, true);
  EXPECT_EQ(r.exitCode, 0) << foreignConf(dir.path(), true) << r.output;
  EXPECT_NE(r.output.find("test is successful"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("[warn]"), std::string::npos) << r.output;
}

// What README says of a site that forgets the map: nginx -t names the missing variable.
TEST(ForeignNginx, WithoutTheWebRootMapNginxTNamesTheVariable) {
  TempDir dir("im-foreign-nginx");
  const CommandResult r = nginxTest(dir, false);
  EXPECT_NE(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("unknown \"im_web_root\" variable"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace im::test
