// The public contact form as the screenings service's ContactRequest, and
// that service's field errors as the form's: pure, no I/O.
#ifndef CLINIC_SERVICES_BOOKING_CONTACT_FORM_H_
#define CLINIC_SERVICES_BOOKING_CONTACT_FORM_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "clinic/booking/v1/booking_service.pb.h"
#include "clinic/screenings/v1/screenings.pb.h"

namespace clinic::booking {

// The contact request a form submission asks for (source: the web form).
screenings::v1::ContactRequest ToContactRequest(
    const v1::RequestContactRequest& form);

// `status` with its field violations renamed from the contact request's
// paths ("contact_request.preferred_channel") to the form's
// ("preferred_contact"); other statuses unchanged.
absl::Status ForTheForm(const absl::Status& status);

// True if a form's honeypot field (`website`, which people never see) is
// filled: the submission is automated.
bool IsAutomated(absl::string_view honeypot);

}  // namespace clinic::booking

#endif  // CLINIC_SERVICES_BOOKING_CONTACT_FORM_H_
