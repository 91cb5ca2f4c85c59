#pragma once
// JSON documents are redacted value by value, before they are serialized: a secret is found whatever JSON escaping
// would make of it (a quote, a backslash, non-ASCII), and a secret that looks like JSON syntax (`true`, `1234`)
// cannot corrupt the document, since only string values are touched. Text lines still go through
// Redactor::redact as they are.

#include <nlohmann/json.hpp>

#include "envctl/util/redactor.hpp"

namespace envctl {

// `doc` with every string value (at any depth, object keys excepted) redacted.
template <class Json>
Json redacted(Json doc, const Redactor& redactor = Redactor::global()) {
    if (doc.is_string()) {
        doc = redactor.redact(doc.template get_ref<const typename Json::string_t&>());
    } else if (doc.is_structured()) {
        for (auto& item : doc) item = redacted(std::move(item), redactor);
    }
    return doc;
}

}  // namespace envctl
