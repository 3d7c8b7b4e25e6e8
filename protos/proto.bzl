"""clinic_proto: one .proto package -> C++ message (+ gRPC) libraries.

Adding an RPC is editing a .proto and nothing else: this macro runs Debian's
protoc and grpc_cpp_plugin in a genrule and wraps the output in a cc_library
whose headers are included as "clinic/<domain>/v1/<file>.pb.h".
"""

def clinic_proto(name, srcs, deps = [], grpc_srcs = [], visibility = ["//visibility:public"]):
    """Declares <name> (messages) and, if grpc_srcs is set, <name>_grpc.

    Args:
      name: the C++ message library; <name>_files is the .proto filegroup.
      srcs: .proto files with messages only.
      deps: other clinic_proto names (labels) these files import.
      grpc_srcs: .proto files that declare services; their messages are
        compiled into <name> too, their stubs into <name>_grpc.
      visibility: of the generated targets.
    """
    all_srcs = srcs + grpc_srcs
    native.filegroup(
        name = name + "_files",
        srcs = all_srcs + [d + "_files" for d in deps],
        visibility = visibility,
    )
    stems = [s[:-len(".proto")] for s in all_srcs]
    pb_outs = [s + ".pb.h" for s in stems] + [s + ".pb.cc" for s in stems]
    native.genrule(
        name = name + "_gen",
        srcs = [":" + name + "_files"],
        outs = pb_outs,
        cmd = ("protoc -Iprotos --cpp_out=$(GENDIR)/protos " +
               " ".join(["$(location %s)" % s for s in all_srcs])),
        tools = all_srcs,
        message = "protoc (C++) " + native.package_name(),
    )
    native.cc_library(
        name = name,
        srcs = [s + ".pb.cc" for s in stems],
        hdrs = [s + ".pb.h" for s in stems],
        strip_include_prefix = "/protos",
        deps = deps + ["@system//:protobuf"],
        # The gateway finds services through the generated descriptor pool;
        # keep every descriptor even if no symbol is referenced.
        alwayslink = True,
        visibility = visibility,
    )
    if grpc_srcs:
        gstems = [s[:-len(".proto")] for s in grpc_srcs]
        native.genrule(
            name = name + "_grpc_gen",
            srcs = [":" + name + "_files"],
            outs = [s + ".grpc.pb.h" for s in gstems] + [s + ".grpc.pb.cc" for s in gstems],
            cmd = ("protoc -Iprotos --grpc_out=$(GENDIR)/protos " +
                   "--plugin=protoc-gen-grpc=/usr/bin/grpc_cpp_plugin " +
                   " ".join(["$(location %s)" % s for s in grpc_srcs])),
            tools = grpc_srcs,
            message = "protoc (gRPC C++) " + native.package_name(),
        )
        native.cc_library(
            name = name + "_grpc",
            srcs = [s + ".grpc.pb.cc" for s in gstems],
            hdrs = [s + ".grpc.pb.h" for s in gstems],
            strip_include_prefix = "/protos",
            deps = [":" + name, "@system//:grpc"],
            visibility = visibility,
        )
