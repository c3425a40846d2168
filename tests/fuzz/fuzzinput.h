// Helpers shared by the fuzz targets: a scratch file they can hand to loaders that take a path, and the
// check that turns a broken invariant into a crash libFuzzer (and the replay runner) reports.
#pragma once

#include <QByteArray>
#include <QDir>
#include <QString>
#include <QTemporaryFile>

#include <cstdio>
#include <cstdlib>

namespace ebm::fuzz {

//! Aborts with \a what when \a condition is false: a violated contract is a finding like a crash.
inline void require(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
        std::abort();
    }
}

//! \brief the path of one scratch file (created once per process, removed at exit) now holding \a bytes
inline QString scratchFile(const QByteArray &bytes)
{
    // In the system's temporary directory ($TMPDIR): scripts/fuzz.sh points it to memory (/dev/shm) for speed.
    static QTemporaryFile file(QDir::tempPath() + QStringLiteral("/ebm-fuzz-XXXXXX.csv"));
    if (!file.isOpen())
        require(file.open(), "the scratch file cannot be created");
    require(file.resize(0) && file.seek(0) && file.write(bytes) == bytes.size() && file.flush(),
            "the scratch file cannot be written");
    return file.fileName();
}

} // namespace ebm::fuzz
