#include "exporter.h"

#include "clippingsvg.h"
#include "io/csvio.h"
#include "labstate.h"
#include "plotstyle.h"

#include <qcustomplot.h>

#include <QAbstractSlider>
#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QImage>
#include <QPageLayout>
#include <QPdfWriter>
#include <QPointer>
#include <QRegularExpression>
#include <QResizeEvent>
#include <QSignalBlocker>
#include <QSvgGenerator>
#include <QWidget>

#include <cmath>
#include <optional>
#include <utility>
#include <vector>

namespace ebm {

namespace {

enum class Format { Png, Pdf, Svg };

// Logical pixels per inch: ExportOptions::size is measured in these, whatever the screen.
constexpr double kLogicalDpi = 96.0;
constexpr int kMaxSide = 30000;
constexpr qint64 kMaxPixels = 300'000'000; // 1.2 GB of RGBA: beyond this the allocation is the likely failure
constexpr int kCaptionPointSize = 8;

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

//! The figure: the widget's picture over the caption strip.
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

QList<QCustomPlot *> plotsIn(QWidget *widget)
{
    QList<QCustomPlot *> plots = widget->findChildren<QCustomPlot *>();
    if (auto *plot = qobject_cast<QCustomPlot *>(widget))
        plots.prepend(plot);
    return plots;
}

void layOut(QCustomPlot *plot)
{
    for (auto phase : {QCPLayoutElement::upPreparation, QCPLayoutElement::upMargins, QCPLayoutElement::upLayout})
        plot->plotLayout()->update(phase);
}

// A plot lays itself out only when it draws, and a plot that fits its ranges to its axis rect on resize (the
// equal-aspect plane) fits them with the margins of its last layout, which for a hidden or just resized widget are
// stale. Laying each plot out and announcing its size again lets it refit with the margins the figure will have;
// twice, because new ranges bring new tick labels and so new margins.
void fitPlots(QWidget *widget)
{
    for (int pass = 0; pass < 2; ++pass) {
        for (QCustomPlot *plot : plotsIn(widget)) {
            layOut(plot);
            QResizeEvent event(plot->size(), plot->size());
            QCoreApplication::sendEvent(plot, &event);
        }
    }
}

//! Lays the widget out at the figure's size for its lifetime. The signals of the widget and its panels stay blocked,
//! so that the temporary layout (a wider plane, say) triggers no recomputation elsewhere. Afterwards the old size and
//! every axis range come back exactly as they were.
class LayoutGuard
{
public:
    LayoutGuard(QWidget *widget, QSize size)
        : m_widget(widget)
        , m_old(widget->size())
    {
        m_blockers.emplace_back(widget);
        for (QWidget *child : widget->findChildren<QWidget *>()) {
            if (!qobject_cast<QCustomPlot *>(child))
                m_blockers.emplace_back(child);
        }
        for (QCustomPlot *plot : plotsIn(widget)) {
            for (QCPAxisRect *rect : plot->axisRects()) {
                for (QCPAxis *axis : rect->axes())
                    m_ranges.push_back({axis, axis->range()});
            }
        }
        if (size != m_old && !(widget->isWindow() && widget->isVisible())) {
            m_resized = true;
            widget->resize(size);
        }
        settleLayout(widget);
        fitPlots(widget);
    }
    ~LayoutGuard()
    {
        if (m_resized) {
            m_widget->resize(m_old);
            settleLayout(m_widget);
        }
        for (const auto &[axis, range] : m_ranges) {
            if (axis && axis->range() != range) {
                const QSignalBlocker silent(axis.data());
                axis->setRange(range);
            }
        }
        for (QCustomPlot *plot : plotsIn(m_widget)) {
            layOut(plot); // pixel mapping is right at once, not only after the queued replot
            plot->replot(QCustomPlot::rpQueuedReplot);
        }
    }
    LayoutGuard(const LayoutGuard &) = delete;
    LayoutGuard &operator=(const LayoutGuard &) = delete;

private:
    QWidget *m_widget;
    QSize m_old;
    std::vector<QSignalBlocker> m_blockers;
    bool m_resized = false;
    std::vector<std::pair<QPointer<QCPAxis>, QCPRange>> m_ranges;
};

// Plots are drawn through QCustomPlot's own painter path (vector, at the target's resolution); every other widget
// paints itself, without its children, which are then visited in stacking order. \a visible is the part of the
// widget its ancestors show (in its own coordinates): a widget paints only that, because a painter's clip does not
// hold inside a paint event that sets its own (a spin box scrolled out of the parameter dock drew its digits over
// the tabs below it).
void paintTree(QCPPainter &painter, QWidget *widget, bool root, const QRect &visible)
{
    if (auto *plot = qobject_cast<QCustomPlot *>(widget)) {
        plot->toPainter(&painter, plot->width(), plot->height());
        return;
    }
    if (qobject_cast<QAbstractSlider *>(widget) && painter.device()->devType() != QInternal::Image) {
        // Fusion draws a slider's handle from a pixmap cached for the screen, which a scaled PDF or SVG painter
        // misplaces or drops. A slider holds no text, so a fine raster of it loses nothing.
        constexpr qreal kOversample = 4.0;
        QImage image(widget->size() * kOversample, QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(kOversample);
        image.fill(Qt::transparent);
        widget->render(&image, visible.topLeft(), QRegion(visible), QWidget::RenderFlags());
        painter.drawImage(QRectF(QPointF(), QSizeF(widget->size())), image);
        return;
    }
    widget->render(&painter, visible.topLeft(), QRegion(visible),
                   root ? QWidget::DrawWindowBackground : QWidget::RenderFlags());
    for (QObject *object : widget->children()) {
        auto *child = qobject_cast<QWidget *>(object);
        if (!child || child->isWindow() || !child->isVisibleTo(widget))
            continue;
        const QRect shown = visible.intersected(child->geometry()).translated(-child->pos());
        if (shown.isEmpty()) // scrolled away or covered by its parent's edge
            continue;
        painter.save();
        painter.translate(child->pos());
        painter.setClipRect(shown, Qt::IntersectClip);
        paintTree(painter, child, false, shown);
        painter.restore();
    }
}

//! The most common colour along the widget's bottom row.
QColor bottomColour(QWidget *widget)
{
    QImage row(widget->width(), 1, QImage::Format_RGB32);
    row.fill(widget->palette().color(QPalette::Window));
    {
        QCPPainter painter(&row);
        painter.translate(0, 1 - widget->height());
        paintTree(painter, widget, true, widget->rect());
    }
    QHash<QRgb, int> counts;
    QRgb best = row.pixel(0, 0);
    for (int x = 0; x < row.width(); ++x) {
        const int n = ++counts[row.pixel(x, 0)];
        if (n > counts.value(best))
            best = row.pixel(x, 0);
    }
    return QColor(best);
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
    paintTree(painter, widget, true, widget->rect());
    painter.restore();

    if (canvas.caption.isEmpty())
        return;
    // The strip continues the figure's bottom edge (a white plot, a grey status bar, a dark theme).
    const QColor back = bottomColour(widget);
    const QRect strip(0, canvas.content.height(), canvas.size.width(), canvas.captionHeight);
    painter.setClipping(false);
    painter.fillRect(strip, back);
    painter.setPen(back.lightness() > 128 ? QColor(105, 105, 105) : QColor(175, 175, 175));
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
    writer.setTitle(canvas.caption.isEmpty() ? QStringLiteral("EBM Lab figure") : canvas.caption);
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
    ClippingSvgDevice device(&generator);
    QCPPainter painter;
    if (!painter.begin(&device))
        return QStringLiteral("cannot start the SVG document");
    paintFigure(painter, widget, canvas, true);
    if (!painter.end())
        return QStringLiteral("cannot finish the SVG document");
    // QSvgGenerator states the size in millimetres, which Qt's own SVG renderer reads at 90 dpi (6% small);
    // plain numbers are CSS pixels (1/96 inch) to every renderer.
    const qsizetype start = bytes->indexOf("<svg "), end = bytes->indexOf('>', start);
    if (start < 0 || end < 0)
        return QStringLiteral("the SVG generator wrote no <svg> element");
    static const QRegularExpression size(QStringLiteral("width=\"[^\"]*\" height=\"[^\"]*\""));
    QString tag = QString::fromLatin1(bytes->mid(start, end - start));
    tag.replace(size, QStringLiteral("width=\"%1\" height=\"%2\"").arg(canvas.size.width()).arg(canvas.size.height()));
    bytes->replace(start, end - start, tag.toLatin1());
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
        canvas.captionHeight = captionHeight(widget);
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
        if (options.prepare) {
            options.prepare();
            fitPlots(widget); // new data may bring new tick labels, and so new margins
        }
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

int captionHeight(const QWidget *widget)
{
    return int(std::ceil(QFontMetricsF(captionFont(), widget).height() * 1.6));
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

PyTorchFigure pytorchFigure(const LabState &state, const Grid &grid, const std::vector<Vec2> &data)
{
    PyTorchFigure f;
    f.w1 = state.w.w1;
    f.w2 = state.w.w2;
    f.latentCount = state.continuousLatent ? 0 : state.latentCount;
    f.beta = state.effectiveBeta();
    f.field = static_cast<int>(state.field); // FieldKind's order is the script's: F_beta, F_inf, E, posterior
    f.z = state.zStar;
    f.x0 = grid.x0;
    f.x1 = grid.x1;
    f.y0 = grid.y0;
    f.y1 = grid.y1;
    f.nx = grid.nx;
    f.ny = grid.ny;
    for (const Vec2 &p : data)
        f.data.emplace_back(p.x(), p.y());
    f.caption = provenanceCaption(state);
    return f;
}

} // namespace ebm
