// Every RPC of every clinic service states who may call it (the
// clinic.api.v1.access option), and the option is coherent. The services are
// found in the generated descriptor pool of //protos:all_services_cc, the
// same set the gateway serves.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor_database.h>

#include <string>
#include <vector>

#include "clinic/api/v1/access.pb.h"
#include "gtest/gtest.h"

namespace clinic {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::FileDescriptor;
using google::protobuf::MethodDescriptor;

std::vector<const MethodDescriptor*> AllClinicMethods() {
  std::vector<std::string> files;
  DescriptorPool::internal_generated_database()->FindAllFileNames(&files);
  std::vector<const MethodDescriptor*> methods;
  for (const std::string& file : files) {
    if (file.rfind("clinic/", 0) != 0) continue;
    const FileDescriptor* fd =
        DescriptorPool::generated_pool()->FindFileByName(file);
    if (fd == nullptr) continue;
    for (int s = 0; s < fd->service_count(); ++s) {
      for (int m = 0; m < fd->service(s)->method_count(); ++m) {
        methods.push_back(fd->service(s)->method(m));
      }
    }
  }
  return methods;
}

TEST(AccessOptionTest, FindsTheServices) {
  std::vector<std::string> names;
  for (const MethodDescriptor* m : AllClinicMethods()) {
    names.push_back(m->full_name());
  }
  for (const char* expected : {"clinic.patients.v1.PatientService.GetPatient",
                               "clinic.staff.v1.StaffService.Login"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end())
        << expected;
  }
}

TEST(AccessOptionTest, EveryRpcHasACoherentAccessOption) {
  const std::vector<const MethodDescriptor*> methods = AllClinicMethods();
  ASSERT_GE(methods.size(), 6u);
  for (const MethodDescriptor* m : methods) {
    SCOPED_TRACE(m->full_name());
    ASSERT_TRUE(m->options().HasExtension(api::v1::access))
        << m->full_name() << " has no (clinic.api.v1.access) option";
    const api::v1::Access& access = m->options().GetExtension(api::v1::access);
    const int kinds = (access.allow_anonymous() ? 1 : 0) +
                      (access.staff_roles_size() > 0 ? 1 : 0) +
                      (access.internal_only() ? 1 : 0);
    EXPECT_EQ(kinds, 1) << "an RPC is exactly one of: public, for staff "
                           "roles, or internal only";
    if (access.also_services()) {
      EXPECT_GT(access.staff_roles_size(), 0)
          << "also_services goes with staff_roles only";
    }
    for (int role : access.staff_roles()) {
      EXPECT_NE(role, api::v1::STAFF_ROLE_UNSPECIFIED);
      EXPECT_TRUE(api::v1::StaffRole_IsValid(role));
    }
  }
}

}  // namespace
}  // namespace clinic
