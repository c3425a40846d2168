// Frames of a sweep or a training run as numbered PNGs, and the optional animation encoder (ffmpeg).
#include "exporter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#include <algorithm>
#include <filesystem>

namespace ebm {

namespace {

constexpr int kEncoderTimeoutMs = 30 * 60 * 1000;

int frameDigits(int count)
{
    return std::max(4, int(QString::number(count).size()));
}

} // namespace

QString framePath(const QString &directory, int index, int count)
{
    return QDir(directory).filePath(
        QStringLiteral("frame_%1.png").arg(index + 1, frameDigits(count), 10, QLatin1Char('0')));
}

QString exportFrames(const QString &directory, int count,
                     const std::function<QString(int index, QString path)> &renderFrame)
{
    if (count < 1)
        return QStringLiteral("the number of frames must be at least 1");
    if (!QDir().mkpath(directory))
        return QStringLiteral("cannot create the directory %1").arg(directory);
    for (int i = 0; i < count; ++i) {
        const QString error = renderFrame(i, framePath(directory, i, count));
        if (!error.isEmpty())
            return QStringLiteral("frame %1 of %2: %3").arg(i + 1).arg(count).arg(error);
    }
    // An encoder reads frame_0001, frame_0002, … until one is missing: leftovers of a longer sequence would join.
    static const QRegularExpression name(QStringLiteral("^frame_(\\d+)\\.png$"));
    QDir dir(directory);
    for (const QString &file : dir.entryList({QStringLiteral("frame_*.png")}, QDir::Files)) {
        const QRegularExpressionMatch m = name.match(file);
        if (m.hasMatch() && (m.captured(1).toLongLong() > count || m.captured(1).size() != frameDigits(count)))
            dir.remove(file);
    }
    return {};
}

QString findEncoder()
{
    return QStandardPaths::findExecutable(QStringLiteral("ffmpeg"));
}

QString encodeAnimation(const QString &directory, const QString &outputPath, int framesPerSecond)
{
    const QString ffmpeg = findEncoder();
    if (ffmpeg.isEmpty())
        return QStringLiteral("no encoder: install ffmpeg to write GIF or MP4 (the frames are in %1)").arg(directory);
    const QFileInfo out(outputPath);
    const QString suffix = out.suffix().toLower();
    if (suffix != QLatin1String("gif") && suffix != QLatin1String("mp4"))
        return QStringLiteral("%1: unknown format; use a name ending in .gif or .mp4").arg(outputPath);
    int digits = 0;
    for (const QString &file : QDir(directory).entryList({QStringLiteral("frame_*1.png")}, QDir::Files)) {
        static const QRegularExpression first(QStringLiteral("^frame_(0*1)\\.png$"));
        if (const QRegularExpressionMatch m = first.match(file); m.hasMatch())
            digits = int(m.captured(1).size());
    }
    if (digits == 0)
        return QStringLiteral("no frames in %1 (expected frame_0001.png, …)").arg(directory);

    // ffmpeg picks the container from the suffix, so the temporary name keeps it.
    const QString partial = out.dir().filePath(QStringLiteral(".%1.partial.%2").arg(out.completeBaseName(), suffix));
    QStringList args{
        QStringLiteral("-y"),
        QStringLiteral("-loglevel"),
        QStringLiteral("error"),
        QStringLiteral("-framerate"),
        QString::number(std::max(1, framesPerSecond)),
        QStringLiteral("-start_number"),
        QStringLiteral("1"),
        QStringLiteral("-i"),
        QDir(directory).filePath(QStringLiteral("frame_%0") + QString::number(digits) + QStringLiteral("d.png"))};
    if (suffix == QLatin1String("gif"))
        args << QStringLiteral("-vf") << QStringLiteral("split[a][b];[a]palettegen[p];[b][p]paletteuse")
             << QStringLiteral("-loop") << QStringLiteral("0");
    else // H.264 in yuv420p needs even sides
        args << QStringLiteral("-vf") << QStringLiteral("pad=ceil(iw/2)*2:ceil(ih/2)*2") << QStringLiteral("-c:v")
             << QStringLiteral("libx264") << QStringLiteral("-pix_fmt") << QStringLiteral("yuv420p")
             << QStringLiteral("-movflags") << QStringLiteral("+faststart");
    args << partial;

    QProcess process;
    process.start(ffmpeg, args);
    const bool finished = process.waitForFinished(kEncoderTimeoutMs);
    if (!finished || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        process.kill();
        process.waitForFinished(5000);
        QFile::remove(partial);
        const QString why = QString::fromLocal8Bit(process.readAllStandardError()).trimmed().right(400);
        return QStringLiteral("ffmpeg could not write %1%2").arg(outputPath, why.isEmpty() ? QString() : ": " + why);
    }
    std::error_code ec;
    std::filesystem::rename(QFile::encodeName(partial).constData(), QFile::encodeName(outputPath).constData(),
                            ec); // replaces atomically
    if (ec) {
        QFile::remove(partial);
        return QStringLiteral("cannot write %1: %2").arg(outputPath, QString::fromStdString(ec.message()));
    }
    return {};
}
} // namespace ebm
