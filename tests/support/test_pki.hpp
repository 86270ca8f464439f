// A throw-away PKI generated at test time with OpenSSL's C API, written as PEM files to a
// temporary directory that is removed when the object goes away.
//
//   ca            trust anchor for everything below except self_signed
//   server        127.0.0.1 + localhost (SAN), valid now
//   expired       same names, validity ended yesterday
//   wrong_host    valid, for wrong.example only
//   self_signed   127.0.0.1 + localhost, signed by itself
//   client        clientAuth certificate for mutual TLS
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace specbound::test {

namespace detail {

struct pkey_deleter {
    void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct x509_deleter {
    void operator()(X509* p) const noexcept { X509_free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_deleter>;
using x509_ptr = std::unique_ptr<X509, x509_deleter>;

inline void check(bool ok, const char* what)
{
    if (!ok)
        throw std::runtime_error(std::string("test PKI: ") + what + " failed");
}

inline pkey_ptr make_key()
{
    // P-256: fast to generate, accepted everywhere.
    pkey_ptr k(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    check(k != nullptr, "EVP_PKEY_Q_keygen");
    return k;
}

inline void add_ext(X509* cert, X509* issuer, int nid, const char* value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    check(ext != nullptr, "X509V3_EXT_conf_nid");
    const int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    check(ok == 1, "X509_add_ext");
}

struct cert_spec {
    std::string common_name;
    std::string san;               // e.g. "IP:127.0.0.1,DNS:localhost"; empty for none
    long not_before_offset = -3600; // seconds from now
    long not_after_offset = 86400;
    bool is_ca = false;
    bool client_auth = false;
};

inline x509_ptr make_cert(const cert_spec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key, long serial)
{
    x509_ptr cert(X509_new());
    check(cert != nullptr, "X509_new");
    check(X509_set_version(cert.get(), 2) == 1, "X509_set_version");
    check(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial) == 1, "serial");
    check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), spec.not_before_offset) != nullptr, "notBefore");
    check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), spec.not_after_offset) != nullptr, "notAfter");
    check(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");
    X509_NAME* name = X509_get_subject_name(cert.get());
    check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>("specbound tests"), -1, -1, 0) == 1,
          "subject O");
    check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1,
                                     0) == 1,
          "subject CN");
    X509* signer = issuer ? issuer : cert.get();
    check(X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) == 1, "issuer");
    add_ext(cert.get(), signer, NID_subject_key_identifier, "hash");
    if (issuer)
        add_ext(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
    if (spec.is_ca) {
        add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
        add_ext(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
        add_ext(cert.get(), signer, NID_ext_key_usage, spec.client_auth ? "clientAuth" : "serverAuth");
    }
    if (!spec.san.empty())
        add_ext(cert.get(), signer, NID_subject_alt_name, spec.san.c_str());
    check(X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "X509_sign");
    return cert;
}

inline void write_file(const std::filesystem::path& path, const std::function<int(FILE*)>& writer)
{
    FILE* f = std::fopen(path.c_str(), "wb");
    check(f != nullptr, "fopen");
    const int ok = writer(f);
    const int closed = std::fclose(f);
    check(ok == 1 && closed == 0, "writing PEM");
}

} // namespace detail

/// Paths of one identity: certificate (PEM) and its private key (PEM).
struct identity {
    std::string cert, key;
};

class test_pki {
public:
    test_pki()
    {
        std::string tmpl = (std::filesystem::temp_directory_path() / "specbound-pki-XXXXXX").string();
        std::vector<char> buf(tmpl.begin(), tmpl.end());
        buf.push_back('\0');
        detail::check(::mkdtemp(buf.data()) != nullptr, "mkdtemp");
        dir_ = buf.data();
        try {
            build();
        } catch (...) {
            std::error_code ec;
            std::filesystem::remove_all(dir_, ec);
            throw;
        }
    }

    test_pki(const test_pki&) = delete;
    test_pki& operator=(const test_pki&) = delete;

    ~test_pki()
    {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    const std::filesystem::path& directory() const noexcept { return dir_; }
    std::string ca_file() const { return (dir_ / "ca.pem").string(); }
    const identity& server() const noexcept { return server_; }
    const identity& expired() const noexcept { return expired_; }
    const identity& wrong_host() const noexcept { return wrong_host_; }
    const identity& self_signed() const noexcept { return self_signed_; }
    const identity& client() const noexcept { return client_; }

private:
    identity save(const std::string& name, X509* cert, EVP_PKEY* key)
    {
        identity id{(dir_ / (name + ".pem")).string(), (dir_ / (name + ".key")).string()};
        detail::write_file(id.cert, [&](FILE* f) { return PEM_write_X509(f, cert); });
        detail::write_file(id.key, [&](FILE* f) {
            return PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
        });
        return id;
    }

    void build()
    {
        const std::string local_names = "IP:127.0.0.1,DNS:localhost";
        auto ca_key = detail::make_key();
        auto ca = detail::make_cert({"specbound test CA", "", -3600, 86400 * 2, true, false}, ca_key.get(),
                                    nullptr, nullptr, 1);
        save("ca", ca.get(), ca_key.get());

        auto issue = [&](const std::string& name, const detail::cert_spec& spec, long serial) {
            auto key = detail::make_key();
            auto cert = detail::make_cert(spec, key.get(), ca.get(), ca_key.get(), serial);
            return save(name, cert.get(), key.get());
        };
        server_ = issue("server", {"127.0.0.1", local_names, -3600, 86400, false, false}, 2);
        expired_ = issue("expired", {"127.0.0.1", local_names, -86400 * 3, -86400, false, false}, 3);
        wrong_host_ = issue("wrong_host", {"wrong.example", "DNS:wrong.example", -3600, 86400, false, false}, 4);
        client_ = issue("client", {"specbound test client", "", -3600, 86400, false, true}, 5);

        auto ss_key = detail::make_key();
        auto ss = detail::make_cert({"127.0.0.1", local_names, -3600, 86400, false, false}, ss_key.get(), nullptr,
                                    nullptr, 6);
        self_signed_ = save("self_signed", ss.get(), ss_key.get());
    }

    std::filesystem::path dir_;
    identity server_, expired_, wrong_host_, self_signed_, client_;
};

} // namespace specbound::test
