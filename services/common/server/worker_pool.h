// A fixed set of threads with a bounded queue, for the blocking part of RPCs
// (libpqxx, password hashing, outbound calls): gRPC's callback threads only
// hand work over and never block (grpc/grpc#36609). When the queue is full a
// task is refused at once, so a caller can answer UNAVAILABLE instead of
// piling up work it cannot finish before the deadline.
#ifndef CLINIC_SERVICES_COMMON_SERVER_WORKER_POOL_H_
#define CLINIC_SERVICES_COMMON_SERVER_WORKER_POOL_H_

#include <deque>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace clinic::server {

class WorkerPool {
 public:
  // `threads` >= 1 run tasks; at most `max_queued` wait for one.
  WorkerPool(int threads, int max_queued);
  // Runs what is queued, then joins the threads.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false (and `task` dropped) when the queue is full or the
  // pool is stopping.
  bool TrySubmit(absl::AnyInvocable<void() &&> task);

  // Tasks waiting for a thread now.
  int queued() const;
  int threads() const { return static_cast<int>(threads_.size()); }
  int max_queued() const { return max_queued_; }

  // The process's pool, sized by --workers and --max_queued_calls at first
  // use; never destroyed.
  static WorkerPool* Default();

 private:
  void Loop();

  const int max_queued_;
  mutable absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace clinic::server

#endif  // CLINIC_SERVICES_COMMON_SERVER_WORKER_POOL_H_
