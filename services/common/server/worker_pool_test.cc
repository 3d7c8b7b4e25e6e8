#include "services/common/server/worker_pool.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace clinic::server {
namespace {

TEST(WorkerPoolTest, RunsEveryQueuedTask) {
  std::atomic<int> ran{0};
  {
    WorkerPool pool(3, 1000);
    for (int i = 0; i < 500; ++i) {
      ASSERT_TRUE(pool.TrySubmit([&] { ran.fetch_add(1); }));
    }
  }  // the destructor runs what is queued
  EXPECT_EQ(ran.load(), 500);
}

TEST(WorkerPoolTest, RefusesBeyondTheQueueBound) {
  WorkerPool pool(1, 2);
  absl::Notification started, release;
  ASSERT_TRUE(pool.TrySubmit([&] {
    started.Notify();
    release.WaitForNotification();
  }));
  started.WaitForNotification();
  EXPECT_TRUE(pool.TrySubmit([] {}));
  EXPECT_TRUE(pool.TrySubmit([] {}));
  EXPECT_EQ(pool.queued(), 2);
  EXPECT_FALSE(pool.TrySubmit([] {}));  // full: refused at once
  release.Notify();
}

}  // namespace
}  // namespace clinic::server
