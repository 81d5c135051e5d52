{
  "target_defaults": {
    "cflags_cc!": ["-fno-exceptions"],
    "cflags_cc": ["-O3", "-std=c++17", "-fexceptions", "-ffp-contract=off", "-fno-math-errno", "-Wno-maybe-uninitialized"],
    "defines": ["NAPI_VERSION=8"]
  },
  "targets": [
    {
      "target_name": "kernels_avx512",
      "type": "static_library",
      "sources": ["src/kernels.cc"],
      "defines": ["NABLA_ISA=512"],
      "cflags_cc": ["-mavx512f", "-mavx2", "-mfma", "-fPIC"]
    },
    {
      "target_name": "kernels_avx2",
      "type": "static_library",
      "sources": ["src/kernels.cc"],
      "defines": ["NABLA_ISA=256"],
      "cflags_cc": ["-mavx2", "-mfma", "-fPIC"]
    },
    {
      "target_name": "nabla_native",
      "sources": ["src/addon.cc", "src/pool.cc"],
      "dependencies": ["kernels_avx512", "kernels_avx2"],
      "libraries": ["-lpthread"]
    }
  ]
}
