// Therapists' calendar feeds: the URL's token (crypto::NewRandomToken) is
// the only key; the table keeps its SHA-256, one feed per therapist, and a
// new one replaces the old (schema "notifications", 0002_calendar_feeds).
#ifndef CLINIC_SERVICES_NOTIFICATIONS_FEEDS_H_
#define CLINIC_SERVICES_NOTIFICATIONS_FEEDS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/common/db/pool.h"

namespace clinic::notifications {

struct FeedRecord {
  std::string therapist;
  absl::Time create_time;
  std::optional<absl::Time> last_read_time;
};

class FeedStore {
 public:
  // `pool` must outlive the store.
  explicit FeedStore(db::Pool* pool) : pool_(pool) {}

  // Makes (or replaces) the therapist's feed with this token hash.
  absl::StatusOr<FeedRecord> Create(const std::string& therapist,
                                    const std::string& token_hash);
  // NOT_FOUND when the therapist has none.
  absl::StatusOr<FeedRecord> Get(const std::string& therapist);
  // NOT_FOUND when the therapist has none.
  absl::Status Revoke(const std::string& therapist);
  // The feed a token's hash opens, noting the read (at most one write per
  // feed every 5 minutes); NOT_FOUND for none.
  absl::StatusOr<FeedRecord> Open(const std::string& token_hash,
                                  absl::Time now);

 private:
  db::Pool* pool_;
};

}  // namespace clinic::notifications

#endif  // CLINIC_SERVICES_NOTIFICATIONS_FEEDS_H_
