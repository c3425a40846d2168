// libFuzzer target: the y1,y2 data loader (core/io/csvio.h), from memory and through a file.
// Contract checked beyond "no crash, no UB": a result is either points (all finite, no error) or an error
// (no points), and reading the same bytes from a file gives the same points, the error prefixed by the path.
#include "fuzzinput.h"
#include "io/csvio.h"

#include <cmath>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using ebm::fuzz::require;
    const QByteArray text(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const ebm::DataCsv parsed = ebm::parseDataCsv(text);
    if (parsed.error.isEmpty()) {
        for (const ebm::Vec2 &p : parsed.points)
            require(std::isfinite(p.x()) && std::isfinite(p.y()), "a parsed point is not finite");
    } else {
        require(parsed.points.empty(), "points returned together with an error");
    }

    const QString path = ebm::fuzz::scratchFile(text);
    const ebm::DataCsv read = ebm::readDataCsv(path);
    require(read.points == parsed.points, "readDataCsv and parseDataCsv disagree on the points");
    require(read.error.isEmpty() == parsed.error.isEmpty(), "readDataCsv and parseDataCsv disagree on success");
    if (!read.error.isEmpty())
        require(read.error == path + QStringLiteral(": ") + parsed.error,
                "readDataCsv's error is not the path + error");
    return 0;
}
