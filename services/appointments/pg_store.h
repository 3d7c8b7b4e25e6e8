// Both stores on one PostgreSQL pool (schema "appointments"): what main and
// the tests that run the whole service construct. Migrations: pg_schema.h.
#ifndef CLINIC_SERVICES_APPOINTMENTS_PG_STORE_H_
#define CLINIC_SERVICES_APPOINTMENTS_PG_STORE_H_

#include "services/appointments/pg_booking_store.h"
#include "services/appointments/pg_catalog_store.h"
#include "services/common/db/pool.h"

namespace clinic::appointments {

class PgSchedulingStore : public PgCatalogStore, public PgBookingStore {
 public:
  // `pool` must outlive the store.
  explicit PgSchedulingStore(db::Pool* pool)
      : PgCatalogStore(pool), PgBookingStore(pool) {}
};

}  // namespace clinic::appointments

#endif  // CLINIC_SERVICES_APPOINTMENTS_PG_STORE_H_
