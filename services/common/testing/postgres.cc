#include "services/common/testing/postgres.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace clinic::testing {
namespace {

bool g_durable = false;


[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "PostgresCluster: %s\n", why.c_str());
  std::fflush(stderr);
  std::abort();
}

std::string FindBinDir() {
  if (const char* env = std::getenv("PG_BINDIR"); env && *env) return env;
  for (const char* dir :
       {"/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin",
        "/usr/lib/postgresql/17/bin"}) {
    if (std::filesystem::exists(std::string(dir) + "/initdb")) return dir;
  }
  Die("no PostgreSQL server binaries (install postgresql-15 or set PG_BINDIR)");
}

// Runs argv (as the postgres user when we are root) in `cwd`; returns the
// exit status. Output goes to `log_path`.
int Run(const std::vector<std::string>& argv, const std::string& cwd,
        const std::string& log_path) {
  pid_t pid = fork();
  if (pid < 0) Die("fork failed");
  if (pid == 0) {
    if (geteuid() == 0) {
      struct passwd* pw = getpwnam("postgres");
      if (pw == nullptr) _exit(121);
      if (setgid(pw->pw_gid) != 0 || initgroups("postgres", pw->pw_gid) != 0 ||
          setuid(pw->pw_uid) != 0) {
        _exit(122);
      }
      setenv("HOME", pw->pw_dir, 1);
    }
    if (chdir(cwd.c_str()) != 0) _exit(123);
    FILE* log = std::fopen(log_path.c_str(), "a");
    if (log != nullptr) {
      dup2(fileno(log), 1);
      dup2(fileno(log), 2);
    }
    std::vector<char*> args;
    for (const std::string& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

std::string ReadFile(const std::string& path) {
  std::string out;
  if (FILE* f = std::fopen(path.c_str(), "r")) {
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    std::fclose(f);
  }
  return out;
}

}  // namespace

PostgresCluster::PostgresCluster() : bindir_(FindBinDir()) {
  char tmpl[] = "/tmp/clinic-pg-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) Die("mkdtemp failed");
  dir_ = tmpl;
  chmod(dir_.c_str(), 0700);
  if (geteuid() == 0) {
    struct passwd* pw = getpwnam("postgres");
    if (pw == nullptr) Die("running as root and there is no postgres user");
    if (chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      Die("cannot chown " + dir_ +
          " to postgres (run the test with tags = [\"no-sandbox\"])");
    }
  }
  const std::string data = dir_ + "/data";
  const std::string log = dir_ + "/log";
  if (Run({bindir_ + "/initdb", "-D", data, "-U", "clinic", "--auth=trust",
           "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"},
          dir_, log) != 0) {
    Die("initdb failed:\n" + ReadFile(log));
  }
  const std::string options = absl::StrCat(
      "-k ", dir_, " -c listen_addresses='' -c max_connections=300",
      g_durable ? ""
                : " -c fsync=off -c synchronous_commit=off"
                  " -c full_page_writes=off -c shared_buffers=64MB");
  if (Run({bindir_ + "/pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o",
           options, "start"},
          dir_, log) != 0) {
    Die("pg_ctl start failed:\n" + ReadFile(log));
  }
}

PostgresCluster::~PostgresCluster() {
  Run({bindir_ + "/pg_ctl", "-D", dir_ + "/data", "-m", "immediate", "-w",
       "stop"},
      dir_, "/dev/null");
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void PostgresCluster::UseDurableSettings() { g_durable = true; }

PostgresCluster& PostgresCluster::Get() {
  // Destroyed at exit, which stops the server and removes its files.
  static PostgresCluster cluster;
  return cluster;
}

std::string PostgresCluster::ConnInfo(const std::string& dbname) const {
  return absl::StrCat("host=", dir_, " user=clinic dbname=", dbname);
}

std::string PostgresCluster::NewDatabase() {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  const std::string name = absl::StrCat("test_", next_db_++);
  pqxx::connection conn(ConnInfo("postgres"));
  pqxx::nontransaction n(conn);
  n.exec("CREATE DATABASE " + name);
  return ConnInfo(name);
}

std::string NewTestDatabase() { return PostgresCluster::Get().NewDatabase(); }

}  // namespace clinic::testing
