// Screening protocols as data: loading and checking them, and evaluating a
// set of answers (ranked considerations, red flags). Pure, no I/O.
#ifndef CLINIC_SERVICES_SCREENINGS_PROTOCOL_H_
#define CLINIC_SERVICES_SCREENINGS_PROTOCOL_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clinic/screenings/v1/screenings.pb.h"
#include "google/protobuf/repeated_ptr_field.h"

namespace clinic::screenings {

// Parses a protocol from text-format protobuf and checks it: unique ids,
// every match naming an existing question (and option) of the right kind,
// weights 1 to 10. INVALID_ARGUMENT saying what is wrong and where.
absl::StatusOr<v1::ScreeningProtocol> ParseProtocol(absl::string_view file,
                                                    absl::string_view text);

// Ranks the protocol's causes by the answers and checks its red flags.
// INVALID_ARGUMENT naming every bad answer (answers[i].question, .options,
// .value): an unknown question, an option the question lacks, a value out
// of the scale, the same question twice.
absl::StatusOr<v1::ScreeningEvaluation> Evaluate(
    const v1::ScreeningProtocol& protocol,
    const google::protobuf::RepeatedPtrField<v1::ScreeningAnswer>& answers);

}  // namespace clinic::screenings

#endif  // CLINIC_SERVICES_SCREENINGS_PROTOCOL_H_
