// Checks of contact requests: pure, no I/O. Every invalid field is reported
// (status::Violations) under its path in the request.
#ifndef CLINIC_SERVICES_SCREENINGS_VALIDATION_H_
#define CLINIC_SERVICES_SCREENINGS_VALIDATION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clinic/screenings/v1/screenings.pb.h"

namespace clinic::screenings {

inline constexpr size_t kMaxNameLength = 100;
inline constexpr size_t kMaxPreferredTimesLength = 200;
inline constexpr size_t kMaxConcernLength = 2000;
inline constexpr size_t kMaxNoteLength = 1000;
inline constexpr size_t kMaxCampaignLength = 100;

// Normalizes `r` for storage (trims and folds names, normalizes the phone to
// E.164 where it can, lower-cases the email's domain, clears output-only
// fields) and checks it. `field` is the path prefix ("contact_request").
// `default_region` reads phone numbers without a country code.
absl::Status NormalizeAndValidate(absl::string_view field,
                                  absl::string_view default_region,
                                  v1::ContactRequest& r);

// "contactRequests/{uuid}" -> the lower-case uuid.
absl::StatusOr<std::string> ParseContactRequestName(absl::string_view field,
                                                    absl::string_view name);

// True for the states a request is still worked in (new, contacted).
bool IsOpen(v1::ContactRequestState state);

}  // namespace clinic::screenings

#endif  // CLINIC_SERVICES_SCREENINGS_VALIDATION_H_
