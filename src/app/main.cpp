// chattwo: the one binary. Parses the command line and hands over to serve().
#include <spdlog/spdlog.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "app/config.hpp"
#include "app/serve.hpp"
#include "ops/logging.hpp"

int main(int argc, char** argv) {
  using namespace chattwo;
  // A closed socket or log pipe must be an error code on write, not the end
  // of the process.
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  app::LoadedConfig config = app::load_config(args, [](const char* name) { return std::getenv(name); });
  if (config.exit_code >= 0) {
    std::fputs(config.output.c_str(), config.exit_code == 0 ? stdout : stderr);
    if (config.exit_code != 0) std::fputc('\n', stderr);
    return config.exit_code;
  }
  if (config.settings.web_dir.empty()) config.settings.web_dir = CHATTWO_DEFAULT_WEB_DIR;

  try {
    ops::init_logging(config.settings.log_format, config.settings.log_level);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "chattwo: %s\n", e.what());
    return 2;
  }
  int code = 1;
  try {
    code = app::serve(config.settings);
  } catch (const std::exception& e) {
    // One line, no stack trace: what went wrong and where.
    spdlog::shutdown();
    std::fprintf(stderr, "chattwo: %s\n", e.what());
    return 1;
  }
  ops::shutdown_logging();
  return code;
}
