import os

from conan import ConanFile
from conan.tools.build import check_min_cppstd
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import copy, rm
from conan.tools.gnu import PkgConfigDeps

required_conan_version = ">=2.0"


class SpecboundConan(ConanFile):
    """specbound: a header-only C++20 runtime plus the specbound-gen code generator.

    package_type is "unknown" on purpose: the package is both a header-only library (consumers
    include its headers and link Boost.JSON/URL and OpenSSL through it) and a build tool (the
    generator that specbound_generate() runs). "header-library" would give the generator binary a
    settings-independent package_id, and "application" would hide the headers from `requires`.
    With generator=False it is a plain header-library.

    Consumers: `requires("specbound/<v>")`; when cross-building, also
    `tool_requires("specbound/<v>")` so that a specbound-gen for the build machine is on PATH.
    """

    name = "specbound"
    version = "0.1.0"
    description = "Typed, async C++20 clients generated from OpenAPI 3.0/3.1 descriptions"
    # TO BE FILLED AT RELEASE: url.
    license = "BSL-1.0"
    url = "https://github.com/specbound/specbound"
    topics = ("openapi", "http", "client", "code-generator", "boost-beast", "header-only")
    package_type = "unknown"
    settings = "os", "arch", "compiler", "build_type"
    options = {"generator": [True, False]}
    default_options = {"generator": True}
    # Tests, examples and benchmarks are off in a package build: their folders are not needed.
    exports_sources = "CMakeLists.txt", "LICENSE*", "cmake/*", "include/*", "codegen/*"

    def configure(self):
        if not self.options.generator:
            self.package_type = "header-library"

    def layout(self):
        cmake_layout(self)

    def requirements(self):
        # The runtime's public headers include Boost and OpenSSL headers.
        self.requires("boost/[>=1.81 <2]", transitive_headers=True)
        self.requires("openssl/[>=3 <4]", transitive_headers=True)
        self.requires("zlib/[>=1.2.11 <2]", transitive_headers=True)
        if self.options.generator:
            # Linked into specbound-gen only.
            self.requires("libyaml/[>=0.2.5 <0.3]", visible=False)

    def build_requirements(self):
        self.tool_requires("cmake/[>=3.20 <4]")
        if self.options.generator:
            self.tool_requires("pkgconf/[>=2.0 <3]")

    def validate(self):
        check_min_cppstd(self, 20)

    def package_id(self):
        if not self.info.options.generator:
            self.info.clear()

    def generate(self):
        tc = CMakeToolchain(self)
        tc.cache_variables["SPECBOUND_BUILD_CODEGEN"] = bool(self.options.generator)
        tc.cache_variables["SPECBOUND_BUILD_TESTS"] = False
        tc.cache_variables["SPECBOUND_BUILD_EXAMPLES"] = False
        tc.cache_variables["SPECBOUND_BUILD_BENCHMARKS"] = False
        tc.cache_variables["SPECBOUND_INSTALL"] = True
        tc.generate()
        CMakeDeps(self).generate()
        if self.options.generator:
            # codegen/ finds libyaml with pkg-config (yaml-0.1).
            PkgConfigDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        copy(self, "LICENSE*", self.source_folder, os.path.join(self.package_folder, "licenses"))
        CMake(self).install()
        # CMakeDeps writes the package's config; keep only the specbound_generate() module.
        cmake_dir = os.path.join(self.package_folder, "lib", "cmake", "specbound")
        rm(self, "specbound-config*.cmake", cmake_dir)
        rm(self, "specbound-*targets*.cmake", cmake_dir)

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "specbound")
        self.cpp_info.set_property("cmake_target_name", "specbound::specbound")
        self.cpp_info.set_property(
            "cmake_build_modules", [os.path.join("lib", "cmake", "specbound", "specbound_generate.cmake")])
        self.cpp_info.builddirs = [os.path.join("lib", "cmake", "specbound")]
        self.cpp_info.libdirs = []
        self.cpp_info.bindirs = ["bin"] if self.options.generator else []
        self.cpp_info.requires = ["boost::headers", "boost::json", "boost::url", "openssl::ssl", "openssl::crypto", "zlib::zlib"]
        if self.settings.os in ("Linux", "FreeBSD"):
            self.cpp_info.system_libs = ["pthread"]
