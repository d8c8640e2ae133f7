{
  "targets": [
    {
      "target_name": "lxcri_native",
      "sources": [
        "native/addon.cc",
        "native/container.cc",
        "native/errors.cc",
        "native/mountpoint.cc",
        "native/pty.cc",
        "native/ptyrelay.cc",
        "native/execsupport.cc",
        "native/seqpacket.cc",
        "native/syscalls.cc",
        "native/watchreadable.cc",
        "native/workers.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS"
      ],
      "cflags!": ["-fno-exceptions", "-Wno-unused-parameter"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "cflags": [
        "-Wall",
        "-Wextra",
        "-Werror",
        "<!@(pkg-config --cflags lxc)"
      ],
      "cflags_cc": [
        "-std=c++17",
        "-fexceptions"
      ],
      "libraries": [
        "<!@(pkg-config --libs lxc)"
      ]
    }
  ]
}
