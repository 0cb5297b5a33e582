// SPDX-License-Identifier: MIT
// ApiError.cc - maps the error vocabulary to HTTP and renders the error body.
#include "common/ApiError.h"

#include "common/Json.h"

namespace im::common {

int toHttpStatus(ErrorCode code) {
  switch (code) {
#define IM_ERROR_STATUS(name, status, text) \
  case ErrorCode::name:                     \
    return status;
    IM_API_ERRORS(IM_ERROR_STATUS)
#undef IM_ERROR_STATUS
  }
  return 500;
}

std::string_view toCode(ErrorCode code) {
  switch (code) {
#define IM_ERROR_CODE(name, status, text) \
  case ErrorCode::name:                   \
    return text;
    IM_API_ERRORS(IM_ERROR_CODE)
#undef IM_ERROR_CODE
  }
  return "internal";
}

std::string renderError(ErrorCode code, std::string_view message) {
  JsonWriter w;
  w.beginObject();
  w.key("error").string(toCode(code));
  w.key("message").string(message);
  w.endObject();
  return w.take();
}

}  // namespace im::common
