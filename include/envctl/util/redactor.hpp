#pragma once
// One redactor for every line envctl prints, logs or stores, its own and its children's: the values of secret
// variables (names containing PASSWORD, SECRET, TOKEN or KEY) are replaced by "***".

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace envctl {

class Redactor {
public:
    static bool is_secret_name(std::string_view variable_name);

    // Registers every secret-named variable's value (values shorter than 3 characters are ignored: redacting
    // "1" everywhere would garble output without protecting anything).
    void add_secrets_from(const std::map<std::string, std::string>& variables);
    void add_secret(std::string value);
    // A text shown as it is even where it contains a secret value: the settings file's name, which envctl's own
    // messages name (the development password `development` is in `.env.development`; redacting it there turned
    // the advice into ".env.***"). Where a secret starts before such a text, the secret is still replaced.
    void add_public(std::string text);

    std::string redact(std::string_view text) const;
    bool empty() const { return secrets_.empty(); }

    // The process-wide redactor that logging, output and subprocess capture go through.
    static Redactor& global();

private:
    std::vector<std::string> secrets_;  // longest first, so a secret containing another is replaced whole
    std::vector<std::string> publics_;
};

}  // namespace envctl
