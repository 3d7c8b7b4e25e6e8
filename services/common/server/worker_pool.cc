#include "services/common/server/worker_pool.h"

#include <algorithm>
#include <utility>

#include "absl/flags/flag.h"

ABSL_FLAG(int, workers, 16,
          "Threads running calls' blocking work (database, hashing); about "
          "--db_pool_size.");
ABSL_FLAG(int, max_queued_calls, 1000,
          "Calls waiting for a worker beyond which new calls are refused with "
          "UNAVAILABLE (the gateway adds Retry-After).");

namespace clinic::server {

WorkerPool::WorkerPool(int threads, int max_queued)
    : max_queued_(std::max(0, max_queued)) {
  threads = std::max(1, threads);
  threads_.reserve(threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

WorkerPool::~WorkerPool() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& t : threads_) t.join();
}

bool WorkerPool::TrySubmit(absl::AnyInvocable<void() &&> task) {
  absl::MutexLock lock(&mu_);
  if (stopping_ || static_cast<int>(queue_.size()) >= max_queued_) {
    return false;
  }
  queue_.push_back(std::move(task));
  return true;
}

int WorkerPool::queued() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(queue_.size());
}

void WorkerPool::Loop() {
  while (true) {
    absl::AnyInvocable<void() &&> task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](WorkerPool* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
            return p->stopping_ || !p->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // stopping, nothing left
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    std::move(task)();
  }
}

WorkerPool* WorkerPool::Default() {
  static WorkerPool* const kPool = new WorkerPool(
      absl::GetFlag(FLAGS_workers), absl::GetFlag(FLAGS_max_queued_calls));
  return kPool;
}

}  // namespace clinic::server
