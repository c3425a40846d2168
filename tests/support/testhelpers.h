// Small helpers shared by several test executables.
#pragma once

#include "math/latents.h"

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QString>

#include <string>
#include <vector>

namespace ebmtest {

//! How many times longer a test should wait for another thread's result: the sanitizers slow the computation down
//! (ASan+UBSan ~3x, TSan up to ~15x) but not the clock. Scale waits for results, never the speed a test asserts.
#if defined(__SANITIZE_THREAD__)
constexpr int kWaitScale = 8;
#elif defined(__SANITIZE_ADDRESS__)
constexpr int kWaitScale = 4;
#else
constexpr int kWaitScale = 1;
#endif

//! \brief "--a 1 --b 2" as the argument vector a subcommand receives
inline std::vector<std::string> splitArgs(const QString &line)
{
    std::vector<std::string> args;
    for (const QString &word : line.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        args.push_back(word.toStdString());
    return args;
}

//! \brief the lines of a text file without the empty one after the final newline; empty if unreadable
inline QList<QByteArray> csvLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> lines = file.readAll().split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

//! \brief the latent set of a data row: N sampled latents, or the continuous latent for 0
inline ebm::LatentSpec latentsFor(int count)
{
    return count == 0 ? ebm::LatentSpec::continuous() : ebm::LatentSpec::sampled(count);
}

} // namespace ebmtest
