// libFuzzer target: the session loader (core/io/session.h), which reads the JSON of a saved session.
// Built only when core/io/session.h exists (tests/fuzz/CMakeLists.txt). Contract checked beyond "no crash,
// no UB, no hang": a rejected session comes with a message saying why, and an accepted one survives
// sessionToJson -> sessionFromJson unchanged (whatever the reader accepts, the writer can write back).
#include "fuzzinput.h"
#include "io/session.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using ebm::fuzz::require;
    const QByteArray json(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    QString error;
    const auto session = ebm::sessionFromJson(json, &error);
    if (!session) {
        require(!error.isEmpty(), "a rejected session without an error message");
        return 0;
    }
    QString again;
    const auto reread = ebm::sessionFromJson(ebm::sessionToJson(*session), &again);
    require(reread.has_value(), "sessionFromJson rejects what sessionToJson wrote");
    require(*reread == *session, "a session changed through sessionToJson -> sessionFromJson");
    return 0;
}
