// What the scheduling services are configured with.
#ifndef CLINIC_SERVICES_APPOINTMENTS_OPTIONS_H_
#define CLINIC_SERVICES_APPOINTMENTS_OPTIONS_H_

#include <functional>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/appointments/staff_directory.h"
#include "services/common/clients/patients.h"

namespace clinic::appointments {

struct SchedulingOptions {
  // The clock; tests inject their own.
  std::function<absl::Time()> now = absl::Now;
  // How long HoldSlot keeps a slot.
  absl::Duration hold_ttl = absl::Minutes(5);
  // Where UpdateProviderSchedule looks up the therapist (an active
  // therapist) and records their credentials for appointment types'
  // allowed_credentials. Null: not checked, credentials stay unknown.
  StaffDirectory* staff = nullptr;
  // Where BookAppointment and CreateWaitlistEntry check, for a staff
  // caller, that the patient exists. Null: not checked.
  clients::PatientDirectory* patients = nullptr;
  // The key manage-link tokens are made with (manage_token.h); empty: no
  // manage links (IssueManageToken is FAILED_PRECONDITION).
  std::string manage_key;
  // Waitlist offers (BookingStore::AdvanceOffers): how long a freed time is
  // held for the patient offered it, and how near its start it stops being
  // offered. No offers without a manage_key (their links need it).
  absl::Duration offer_hold = absl::Hours(2);
  absl::Duration offer_min_notice = absl::Hours(1);
};

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_OPTIONS_H_
