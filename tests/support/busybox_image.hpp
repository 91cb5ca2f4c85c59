#pragma once
// The tiny image the engine and lifecycle tests run: localhost/envctl/busybox:1.35, busybox-static in an empty
// root (the images work builds the same name; when it exists it is used as is). Services run it with absolute
// paths (/bin/busybox httpd ...), which every build of it has.

#include <string>

namespace envctl::test {

inline constexpr const char* kBusyboxImage = "localhost/envctl/busybox:1.35";

// True when podman and podman-compose are installed and podman can list containers; else false and why.
bool podman_usable(std::string* why_not);

// Makes sure kBusyboxImage exists (importing one from /bin/busybox of busybox-static when it does not).
// Returns false, with the reason, when it cannot.
bool ensure_busybox_image(std::string* why_not);

}  // namespace envctl::test
