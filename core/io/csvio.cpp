#include "io/csvio.h"

#include <QFile>
#include <QSaveFile>

#include <cmath>
#include <cstdio>

namespace ebm {

namespace {

constexpr qsizetype kMaxDataFileBytes = 64 * 1024 * 1024;

QString saveError(const QString &path, const QFileDevice &file)
{
    return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
}

} // namespace

QByteArray formatNumber(double value)
{
    char buffer[32];
    const int n = std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return QByteArray(buffer, n);
}

QString writeFileAtomically(const QString &path, const QByteArray &bytes)
{
    if (path == QLatin1String("-")) {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly) || out.write(bytes) != bytes.size())
            return QStringLiteral("cannot write to standard output");
        return {};
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return saveError(path, file);
    if (file.write(bytes) != bytes.size()) {
        file.cancelWriting();
        return saveError(path, file);
    }
    if (!file.commit())
        return saveError(path, file);
    return {};
}

QString writeFieldCsv(const QString &path, const Grid &grid, const Eigen::MatrixXd &values)
{
    QByteArray text("y1,y2,value\n");
    text.reserve(static_cast<qsizetype>(grid.nx) * grid.ny * 60 + 16);
    for (int j = 0; j < grid.ny; ++j) {
        const QByteArray y2 = formatNumber(grid.y2At(j));
        for (int i = 0; i < grid.nx; ++i) {
            text += formatNumber(grid.y1At(i));
            text += ',';
            text += y2;
            text += ',';
            text += formatNumber(values(j, i));
            text += '\n';
        }
    }
    return writeFileAtomically(path, text);
}

QString writeDataCsv(const QString &path, const std::vector<Vec2> &points)
{
    QByteArray text("y1,y2\n");
    for (const Vec2 &p : points)
        text += formatNumber(p.x()) + ',' + formatNumber(p.y()) + '\n';
    return writeFileAtomically(path, text);
}

DataCsv parseDataCsv(const QByteArray &text)
{
    DataCsv result;
    const QList<QByteArray> lines = text.split('\n');
    bool headerSeen = false;
    for (qsizetype n = 0; n < lines.size(); ++n) {
        const QByteArray line = lines[n].trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        auto fail = [&](const QString &what) {
            result.points.clear();
            result.error = QStringLiteral("line %1: %2").arg(n + 1).arg(what);
            return result;
        };
        const QList<QByteArray> cells = line.split(',');
        if (!headerSeen) {
            headerSeen = true;
            if (cells.size() >= 2 && cells[0].trimmed() == "y1" && cells[1].trimmed() == "y2")
                continue;
            return fail(QStringLiteral("expected the header \"y1,y2\""));
        }
        if (cells.size() < 2)
            return fail(QStringLiteral("expected two numbers separated by a comma"));
        bool ok1 = false, ok2 = false;
        const double y1 = cells[0].trimmed().toDouble(&ok1);
        const double y2 = cells[1].trimmed().toDouble(&ok2);
        if (!ok1 || !ok2)
            return fail(QStringLiteral("\"%1\" is not a pair of numbers").arg(QString::fromUtf8(line.left(60))));
        if (!std::isfinite(y1) || !std::isfinite(y2))
            return fail(QStringLiteral("the coordinates must be finite"));
        if (std::abs(y1) > kMaxDataMagnitude || std::abs(y2) > kMaxDataMagnitude)
            return fail(QStringLiteral("the coordinates must lie within +-1e6"));
        result.points.emplace_back(y1, y2);
    }
    if (!headerSeen)
        result.error = QStringLiteral("the file is empty: expected the header \"y1,y2\"");
    return result;
}

DataCsv readDataCsv(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {{}, QStringLiteral("cannot read %1: %2").arg(path, file.errorString())};
    const DataCsv tooLarge{{}, QStringLiteral("%1 is larger than 64 MiB: not a data file").arg(path)};
    if (file.size() > kMaxDataFileBytes)
        return tooLarge;
    // Read in chunks up to the limit rather than readAll(): a device or a pipe (/dev/zero, /dev/stdin) reports
    // size 0, and readAll() on an endless one grew until std::bad_alloc.
    QByteArray text;
    char chunk[64 * 1024];
    for (;;) {
        const qint64 n = file.read(chunk, sizeof chunk);
        if (n < 0)
            return {{}, QStringLiteral("cannot read %1: %2").arg(path, file.errorString())};
        if (n == 0)
            break;
        text.append(chunk, static_cast<qsizetype>(n));
        if (text.size() > kMaxDataFileBytes)
            return tooLarge;
    }
    DataCsv result = parseDataCsv(text);
    if (!result.error.isEmpty())
        result.error = QStringLiteral("%1: %2").arg(path, result.error);
    return result;
}

} // namespace ebm
