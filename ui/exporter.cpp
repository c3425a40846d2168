#include "exporter.h"

#include "io/csvio.h"
#include "labstate.h"
#include "plotstyle.h"

#include <qcustomplot.h>

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QPageLayout>
#include <QPdfWriter>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QStandardPaths>
#include <QSvgGenerator>
#include <QWidget>

#include <cmath>
#include <filesystem>
#include <optional>

namespace ebm {

namespace {

enum class Format { Png, Pdf, Svg };

// Logical pixels per inch: ExportOptions::size is measured in these, whatever the screen.
constexpr double kLogicalDpi = 96.0;
constexpr int kMaxSide = 30000;
constexpr qint64 kMaxPixels = 300'000'000; // 1.2 GB of RGBA: beyond this the allocation is the likely failure
constexpr int kCaptionPointSize = 8;
constexpr int kEncoderTimeoutMs = 30 * 60 * 1000;

std::optional<Format> formatOf(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("png"))
        return Format::Png;
    if (suffix == QLatin1String("pdf"))
        return Format::Pdf;
    if (suffix == QLatin1String("svg"))
        return Format::Svg;
    return std::nullopt;
}

//! Where the figure goes on the canvas: the widget's layout size, scaled and offset (only a visible top-level
//! window, which cannot be resized, is ever scaled), and the caption strip under it.
struct Canvas
{
    QSize size;    //!< the whole figure, logical pixels
    QSize content; //!< the part above the caption
    int captionHeight = 0;
    QString caption; //!< empty: no caption
};

QFont captionFont()
{
    return plotstyle::font(kCaptionPointSize);
}

// Pending resize events of a hidden widget are delivered only when it is shown or rendered; a one-pixel render
// delivers them, so that the layout (and the plot's equal aspect) matches the size before anything is drawn.
void settleLayout(QWidget *widget)
{
    if (widget->isVisible())
        return;
    QImage scratch(1, 1, QImage::Format_ARGB32_Premultiplied);
    widget->render(&scratch, QPoint(), QRegion(0, 0, 1, 1), QWidget::RenderFlags());
}

//! Lays the widget out at the figure's size for its lifetime; its signals stay blocked so that the temporary size
//! (a wider plane, say) triggers no recomputation elsewhere.
class LayoutGuard
{
public:
    LayoutGuard(QWidget *widget, QSize size)
        : m_widget(widget)
        , m_old(widget->size())
        , m_blocker(widget)
    {
        if (size != m_old && !(widget->isWindow() && widget->isVisible())) {
            m_resized = true;
            widget->resize(size);
        }
        settleLayout(widget);
    }
    ~LayoutGuard()
    {
        if (!m_resized)
            return;
        m_widget->resize(m_old);
        settleLayout(m_widget);
        if (auto *plot = m_widget->findChild<QCustomPlot *>())
            plot->replot(QCustomPlot::rpQueuedReplot);
    }
    LayoutGuard(const LayoutGuard &) = delete;
    LayoutGuard &operator=(const LayoutGuard &) = delete;

private:
    QWidget *m_widget;
    QSize m_old;
    QSignalBlocker m_blocker;
    bool m_resized = false;
};

// Plots are drawn through QCustomPlot's own painter path (vector, at the target's resolution); every other widget
// paints itself, without its children, which are then visited in stacking order.
void paintTree(QCPPainter &painter, QWidget *widget, bool root)
{
    if (auto *plot = qobject_cast<QCustomPlot *>(widget)) {
        plot->toPainter(&painter, plot->width(), plot->height());
        return;
    }
    widget->render(&painter, QPoint(), QRegion(), root ? QWidget::DrawWindowBackground : QWidget::RenderFlags());
    for (QObject *object : widget->children()) {
        auto *child = qobject_cast<QWidget *>(object);
        if (!child || child->isWindow() || !child->isVisibleTo(widget))
            continue;
        painter.save();
        painter.translate(child->pos());
        painter.setClipRect(QRect(QPoint(), child->size()), Qt::IntersectClip);
        paintTree(painter, child, false);
        painter.restore();
    }
}

void paintFigure(QCPPainter &painter, QWidget *widget, const Canvas &canvas, bool vector)
{
    // Lossless: Qt's PDF engine would otherwise store the heatmap as JPEG.
    painter.setRenderHint(QPainter::LosslessImageRendering);
    painter.setMode(QCPPainter::pmNonCosmetic); // hairlines scale with the DPI instead of staying one pixel
    if (vector)
        painter.setMode(QCPPainter::pmVectorized);
    const QPalette palette = widget->palette();
    painter.fillRect(QRect(QPoint(), canvas.size), palette.color(QPalette::Window));

    const QSize laidOut = widget->size();
    const double scale =
        std::min(double(canvas.content.width()) / laidOut.width(), double(canvas.content.height()) / laidOut.height());
    painter.save();
    painter.translate(0.5 * (canvas.content.width() - scale * laidOut.width()),
                      0.5 * (canvas.content.height() - scale * laidOut.height()));
    painter.scale(scale, scale);
    painter.setClipRect(QRect(QPoint(), laidOut));
    paintTree(painter, widget, true);
    painter.restore();

    if (canvas.caption.isEmpty())
        return;
    const QRect strip(0, canvas.content.height(), canvas.size.width(), canvas.captionHeight);
    painter.setClipping(false);
    painter.fillRect(strip, palette.color(QPalette::Window));
    const QColor text = palette.color(QPalette::WindowText), back = palette.color(QPalette::Window);
    painter.setPen(
        QColor((text.red() + back.red()) / 2, (text.green() + back.green()) / 2, (text.blue() + back.blue()) / 2));
    painter.setFont(captionFont());
    const QRect textRect = strip.adjusted(8, 0, -8, 0);
    const QString elided =
        QFontMetrics(captionFont(), widget).elidedText(canvas.caption, Qt::ElideRight, textRect.width());
    painter.drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, elided);
}

int logicalDpi(const QWidget *widget)
{
    return widget->logicalDpiY() > 0 ? widget->logicalDpiY() : int(kLogicalDpi);
}

QString renderPng(QWidget *widget, const Canvas &canvas, double dpi, QByteArray *bytes)
{
    const double scale = dpi / kLogicalDpi;
    const QSize pixels(qRound(canvas.size.width() * scale), qRound(canvas.size.height() * scale));
    if (pixels.width() > kMaxSide || pixels.height() > kMaxSide ||
        qint64(pixels.width()) * pixels.height() > kMaxPixels)
        return QStringLiteral("the image would be %1 × %2 pixels: too large (at most %3 per side, %4 megapixels)")
            .arg(pixels.width())
            .arg(pixels.height())
            .arg(kMaxSide)
            .arg(kMaxPixels / 1'000'000);
    QImage image(pixels, QImage::Format_ARGB32_Premultiplied);
    if (image.isNull())
        return QStringLiteral("not enough memory for a %1 × %2 image").arg(pixels.width()).arg(pixels.height());
    // The device pixel ratio scales the drawing; the image's DPI must stay the widget's while painting, because
    // fonts are sized from it and would otherwise grow twice.
    image.setDevicePixelRatio(scale);
    image.setDotsPerMeterX(qRound(widget->logicalDpiX() / 0.0254));
    image.setDotsPerMeterY(qRound(logicalDpi(widget) / 0.0254));
    image.fill(Qt::white);
    {
        QCPPainter painter(&image);
        paintFigure(painter, widget, canvas, false);
    }
    image.setDevicePixelRatio(1.0);
    image.setDotsPerMeterX(qRound(dpi / 0.0254));
    image.setDotsPerMeterY(qRound(dpi / 0.0254));
    image.convertTo(QImage::Format_RGB32);
    QBuffer buffer(bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG"))
        return QStringLiteral("cannot encode the PNG image");
    return {};
}

QString renderPdf(QWidget *widget, const Canvas &canvas, double dpi, QByteArray *bytes)
{
    QBuffer buffer(bytes);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    // Device units are the widget's logical pixels, so point-sized fonts come out as on screen; the window
    // transform maps the figure onto the page, whose physical size is size / dpi.
    writer.setResolution(logicalDpi(widget));
    writer.setCreator(QStringLiteral("EBM Lab"));
    writer.setTitle(canvas.caption);
    const QSizeF points = QSizeF(canvas.size) * 72.0 / dpi;
    writer.setPageLayout(QPageLayout(QPageSize(points, QPageSize::Point, QString(), QPageSize::ExactMatch),
                                     QPageLayout::Portrait, QMarginsF(0, 0, 0, 0)));
    QCPPainter painter;
    if (!painter.begin(&writer))
        return QStringLiteral("cannot start the PDF document");
    painter.setWindow(QRect(QPoint(), canvas.size));
    paintFigure(painter, widget, canvas, true);
    if (!painter.end())
        return QStringLiteral("cannot finish the PDF document");
    return {};
}

QString renderSvg(QWidget *widget, const Canvas &canvas, QByteArray *bytes)
{
    QBuffer buffer(bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(canvas.size);
    generator.setViewBox(QRect(QPoint(), canvas.size));
    // The default 72 dpi would write every point-sized font 25% too small.
    generator.setResolution(logicalDpi(widget));
    generator.setTitle(QStringLiteral("EBM Lab"));
    generator.setDescription(canvas.caption);
    QCPPainter painter;
    if (!painter.begin(&generator))
        return QStringLiteral("cannot start the SVG document");
    paintFigure(painter, widget, canvas, true);
    if (!painter.end())
        return QStringLiteral("cannot finish the SVG document");
    return {};
}

QString pretty(double v)
{
    if (std::isinf(v))
        return v > 0 ? QStringLiteral("∞") : QStringLiteral("−∞");
    QString s = QString::number(v, 'g', 4);
    s.replace(QRegularExpression(QStringLiteral("e([+-])0*(\\d)")), QStringLiteral("e\\1\\2"));
    s.replace(QStringLiteral("e+"), QStringLiteral("e"));
    s.replace(QLatin1Char('-'), QChar(0x2212));
    return s;
}

int frameDigits(int count)
{
    return std::max(4, int(QString::number(count).size()));
}

} // namespace

QString exportWidget(QWidget *widget, const QString &path, const ExportOptions &options)
{
    if (!widget)
        return QStringLiteral("nothing to export");
    const std::optional<Format> format = formatOf(path);
    if (!format)
        return QStringLiteral("%1: unknown format; use a name ending in .png, .pdf or .svg").arg(path);
    if (!(options.dpi >= 24.0 && options.dpi <= 2400.0))
        return QStringLiteral("the resolution must be between 24 and 2400 dpi");

    Canvas canvas;
    canvas.size = options.size.isEmpty() ? widget->size() : options.size;
    if (options.caption && !options.captionText.trimmed().isEmpty()) {
        canvas.caption = options.captionText.simplified();
        canvas.captionHeight = int(std::ceil(QFontMetricsF(captionFont(), widget).height() * 1.6));
    }
    canvas.content = canvas.size - QSize(0, canvas.captionHeight);
    if (canvas.content.width() < 16 || canvas.content.height() < 16 || canvas.size.width() > kMaxSide ||
        canvas.size.height() > kMaxSide)
        return QStringLiteral("the size %1 × %2 is not usable: each side must be between 16 and %3 pixels")
            .arg(canvas.size.width())
            .arg(canvas.size.height())
            .arg(kMaxSide);

    QByteArray bytes;
    QString error;
    {
        const LayoutGuard guard(widget, canvas.content);
        switch (*format) {
        case Format::Png:
            error = renderPng(widget, canvas, options.dpi, &bytes);
            break;
        case Format::Pdf:
            error = renderPdf(widget, canvas, options.dpi, &bytes);
            break;
        case Format::Svg:
            error = renderSvg(widget, canvas, &bytes);
            break;
        }
    }
    if (!error.isEmpty())
        return QStringLiteral("%1: %2").arg(path, error);
    return writeFileAtomically(path, bytes);
}

QString provenanceCaption(const LabState &state)
{
    QString version = QCoreApplication::applicationVersion();
#ifdef EBMLAB_VERSION
    if (version.isEmpty())
        version = QStringLiteral(EBMLAB_VERSION);
#endif
    QStringList parts;
    parts << (version.isEmpty() ? QStringLiteral("EBM Lab") : QStringLiteral("EBM Lab %1").arg(version));
    parts << QStringLiteral("w = (%1, %2)").arg(pretty(state.w.w1), pretty(state.w.w2));
    parts << (state.continuousLatent ? QStringLiteral("continuous z")
                                     : QStringLiteral("N = %1").arg(state.latentCount));
    parts << QStringLiteral("β = %1").arg(pretty(state.effectiveBeta()));
    if (state.field == FieldKind::Energy || state.field == FieldKind::Posterior)
        parts << QStringLiteral("z* = %1").arg(pretty(state.zStar));
    parts << QStringLiteral("y = (%1, %2)").arg(pretty(state.observation.x()), pretty(state.observation.y()));
    const DatasetSpec &d = state.dataset;
    const QString at = d.x != 0.0 ? QStringLiteral(" at x = %1").arg(pretty(d.x)) : QString();
    parts << QStringLiteral("data seed %1 (%2 points%3, σ = %4)").arg(d.seed).arg(d.count).arg(at, pretty(d.noise));
    return parts.join(QStringLiteral(" · "));
}

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
    QStringList args{QStringLiteral("-y"),
                     QStringLiteral("-loglevel"),
                     QStringLiteral("error"),
                     QStringLiteral("-framerate"),
                     QString::number(std::max(1, framesPerSecond)),
                     QStringLiteral("-start_number"),
                     QStringLiteral("1"),
                     QStringLiteral("-i"),
                     QDir(directory).filePath(QStringLiteral("frame_%0%1d.png").arg(digits))};
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
