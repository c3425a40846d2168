#include "clippingsvg.h"

#include <QFontMetricsF>
#include <QPaintEngine>
#include <QPainter>
#include <QPainterPath>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>
#include <optional>

namespace ebm {

namespace {

//! The part of segment a-b inside r as parameters [t0, t1] (Liang-Barsky); false when none of it is.
bool clipSegment(const QPointF &a, const QPointF &b, const QRectF &r, double &t0, double &t1)
{
    const double dx = b.x() - a.x(), dy = b.y() - a.y();
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {a.x() - r.left(), r.right() - a.x(), a.y() - r.top(), r.bottom() - a.y()};
    t0 = 0.0;
    t1 = 1.0;
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0.0) {
            if (q[i] < 0.0)
                return false;
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0.0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 > t1)
            return false;
    }
    return true;
}

//! The pieces of a polyline inside r, each a polyline again.
QList<QPolygonF> clipPolyline(const QPolygonF &line, const QRectF &r)
{
    QList<QPolygonF> pieces;
    QPolygonF current;
    auto flush = [&] {
        if (current.size() >= 2)
            pieces.append(current);
        current.clear();
    };
    for (qsizetype i = 1; i < line.size(); ++i) {
        const QPointF a = line[i - 1], b = line[i];
        double t0 = 0.0, t1 = 1.0;
        if (!std::isfinite(a.x() + a.y() + b.x() + b.y()) || !clipSegment(a, b, r, t0, t1)) {
            flush();
            continue;
        }
        const QPointF from = a + t0 * (b - a), to = a + t1 * (b - a);
        if (current.isEmpty() || current.last() != from) {
            flush();
            current << from;
        }
        current << to;
        if (t1 < 1.0)
            flush();
    }
    flush();
    return pieces;
}

} // namespace

class ClippingSvgEngine : public QPaintEngine
{
public:
    explicit ClippingSvgEngine(QSvgGenerator *target)
        : QPaintEngine(AllFeatures)
        , m_target(target)
    {
    }

    bool begin(QPaintDevice *) override { return m_painter.begin(m_target); }
    bool end() override { return m_painter.end(); }
    Type type() const override { return QPaintEngine::SVG; }

    void updateState(const QPaintEngineState &state) override
    {
        const DirtyFlags flags = state.state();
        // The transform first: a clip arrives in the coordinates of the transform that comes with it.
        if (flags & DirtyTransform) {
            m_transform = state.transform();
            m_painter.setTransform(m_transform);
        }
        if (flags & DirtyPen)
            m_painter.setPen(state.pen());
        if (flags & DirtyBrush)
            m_painter.setBrush(state.brush());
        if (flags & DirtyBrushOrigin)
            m_painter.setBrushOrigin(state.brushOrigin());
        if (flags & DirtyFont)
            m_painter.setFont(state.font());
        if (flags & DirtyBackground)
            m_painter.setBackground(state.backgroundBrush());
        if (flags & DirtyBackgroundMode)
            m_painter.setBackgroundMode(state.backgroundMode());
        if (flags & DirtyHints) {
            m_painter.setRenderHints(m_painter.renderHints(), false);
            m_painter.setRenderHints(state.renderHints(), true);
        }
        if (flags & DirtyCompositionMode)
            m_painter.setCompositionMode(state.compositionMode());
        if (flags & DirtyOpacity)
            m_painter.setOpacity(state.opacity());
        if (flags & DirtyClipPath)
            clip(state.clipPath(), state.clipOperation());
        if (flags & DirtyClipRegion) {
            QPainterPath path;
            path.addRegion(state.clipRegion());
            clip(path, state.clipOperation());
        }
        if (flags & DirtyClipEnabled)
            m_clipEnabled = state.isClipEnabled();
    }

    void drawPath(const QPainterPath &path) override
    {
        const std::optional<QRectF> clip = partialClip(m_transform.map(path).controlPointRect(), strokeMargin());
        if (!clip) {
            if (m_visible)
                m_painter.drawPath(path);
            return;
        }
        const QPainterPath device = m_transform.map(path);
        if (m_painter.brush().style() != Qt::NoBrush) {
            m_painter.save();
            m_painter.setPen(Qt::NoPen);
            m_painter.drawPath(m_inverse.map(device.intersected(m_clip.path)));
            m_painter.restore();
        }
        if (m_painter.pen().style() != Qt::NoPen)
            strokeClipped(device.toSubpathPolygons(), *clip);
    }

    void drawPolygon(const QPointF *points, int count, PolygonDrawMode mode) override
    {
        if (mode != PolylineMode) {
            QPainterPath path;
            path.addPolygon(QPolygonF(QList<QPointF>(points, points + count)));
            path.closeSubpath();
            path.setFillRule(mode == WindingMode ? Qt::WindingFill : Qt::OddEvenFill);
            drawPath(path);
            return;
        }
        const QPolygonF line(QList<QPointF>(points, points + count));
        const std::optional<QRectF> clip = partialClip(m_transform.map(line).boundingRect(), strokeMargin());
        if (!clip) {
            if (m_visible)
                m_painter.drawPolyline(line);
            return;
        }
        strokeClipped({m_transform.map(line)}, *clip);
    }

    void drawPixmap(const QRectF &r, const QPixmap &pm, const QRectF &sr) override
    {
        drawImage(r, pm.toImage(), sr, Qt::AutoColor);
    }

    void drawImage(const QRectF &r, const QImage &image, const QRectF &sr, Qt::ImageConversionFlags) override
    {
        // QSvgGenerator ignores the source rectangle: the image is cut here, to whole source pixels.
        if (r.isEmpty() || sr.isEmpty())
            return;
        QRectF source = sr;
        if (m_transform.type() <= QTransform::TxScale) {
            const std::optional<QRectF> clip = partialClip(m_transform.mapRect(r), 0.0);
            if (!m_visible)
                return;
            if (clip) {
                const QRectF visible = m_inverse.mapRect(m_transform.mapRect(r) & *clip);
                const double sx = sr.width() / r.width(), sy = sr.height() / r.height();
                source = QRectF(sr.x() + (visible.left() - r.left()) * sx, sr.y() + (visible.top() - r.top()) * sy,
                                visible.width() * sx, visible.height() * sy);
            }
        }
        const QRect pixels(QPoint(int(std::floor(source.left())), int(std::floor(source.top()))),
                           QPoint(int(std::ceil(source.right())) - 1, int(std::ceil(source.bottom())) - 1));
        const QRect whole = pixels & image.rect();
        if (whole.isEmpty())
            return;
        const double sx = r.width() / sr.width(), sy = r.height() / sr.height();
        const QRectF target(r.left() + (whole.left() - sr.left()) * sx, r.top() + (whole.top() - sr.top()) * sy,
                            whole.width() * sx, whole.height() * sy);
        m_painter.drawImage(target, whole == image.rect() ? image : image.copy(whole));
    }

    void drawTextItem(const QPointF &p, const QTextItem &textItem) override
    {
        // Text is never cut, only dropped when it lies wholly outside the clip.
        const QFontMetricsF metrics(textItem.font(), m_target);
        const QRectF box(p.x(), p.y() - metrics.ascent(), metrics.horizontalAdvance(textItem.text()), metrics.height());
        partialClip(m_transform.mapRect(box), 0.0);
        if (m_visible)
            m_painter.drawTextItem(p, textItem);
    }

private:
    void clip(const QPainterPath &logical, Qt::ClipOperation operation)
    {
        const QPainterPath path = m_transform.map(logical);
        if (operation == Qt::NoClip) {
            m_clips.clear();
            m_clipEnabled = false;
        } else if (operation == Qt::ReplaceClip) {
            m_clips = {path};
            m_clipEnabled = true;
        } else {
            m_clips.append(path);
        }
        m_clipDirty = true;
    }

    static bool isAxisAlignedRect(const QPainterPath &path)
    {
        if (path.elementCount() != 5)
            return false;
        for (int i = 1; i < 5; ++i) {
            const QPainterPath::Element a = path.elementAt(i - 1), b = path.elementAt(i);
            if (a.x != b.x && a.y != b.y)
                return false;
        }
        return true;
    }

    //! The intersection of the clips, and whether it is a plain rectangle (almost always: axis rects, widgets).
    const auto &effectiveClip()
    {
        if (m_clipDirty) {
            m_clipDirty = false;
            m_clip.rectangular = std::all_of(m_clips.begin(), m_clips.end(), isAxisAlignedRect);
            m_clip.bounds = m_clips.front().boundingRect();
            for (const QPainterPath &path : m_clips)
                m_clip.bounds &= path.boundingRect();
            m_clip.path = QPainterPath();
            if (m_clip.rectangular) {
                m_clip.path.addRect(m_clip.bounds);
            } else { // a region with holes, say a menu bar's empty area around its items
                m_clip.path = m_clips.front();
                for (qsizetype i = 1; i < m_clips.size(); ++i)
                    m_clip.path = m_clip.path.intersected(m_clips[i]);
                m_clip.bounds = m_clip.path.boundingRect();
            }
        }
        return m_clip;
    }

    //! How far a stroke reaches beyond its geometry, in device units.
    double strokeMargin() const
    {
        const QPen &pen = m_painter.pen();
        if (pen.style() == Qt::NoPen)
            return 0.0;
        const double width = pen.isCosmetic() ? std::max(1.0, pen.widthF())
                                              : pen.widthF() * std::sqrt(std::abs(m_transform.determinant()));
        return std::max(1.0, width) * (pen.joinStyle() == Qt::MiterJoin ? pen.miterLimit() : 1.0) + 1.0;
    }

    //! The clip rectangle in device units when \a bounds (grown by \a margin) is partly inside it; nothing when it
    //! needs no clipping. m_visible tells whether anything is left to draw.
    std::optional<QRectF> partialClip(const QRectF &bounds, double margin)
    {
        m_visible = true;
        if (!m_clipEnabled || m_clips.isEmpty())
            return std::nullopt;
        const auto &clip = effectiveClip();
        const QRectF reach = bounds.adjusted(-margin, -margin, margin, margin);
        if (clip.rectangular ? clip.bounds.contains(reach) : clip.path.contains(reach))
            return std::nullopt;
        bool invertible = false;
        m_inverse = m_transform.inverted(&invertible);
        const bool touches = clip.rectangular ? clip.bounds.intersects(reach) : clip.path.intersects(reach);
        m_visible = invertible && (reach.isEmpty() ? clip.path.contains(reach.center()) : touches);
        // Strokes and images are cut to the bounding rectangle; fills to the exact clip.
        return m_visible ? std::optional<QRectF>(clip.bounds) : std::nullopt;
    }

    void strokeClipped(const QList<QPolygonF> &device, const QRectF &clip)
    {
        m_painter.save();
        m_painter.setBrush(Qt::NoBrush);
        for (const QPolygonF &line : device) {
            for (const QPolygonF &piece : clipPolyline(line, clip))
                m_painter.drawPolyline(m_inverse.map(piece));
        }
        m_painter.restore();
    }

    QSvgGenerator *m_target;
    QPainter m_painter;
    QTransform m_transform;
    QTransform m_inverse;
    QList<QPainterPath> m_clips; //!< in device units; the clip is their intersection
    bool m_clipEnabled = false;
    bool m_clipDirty = true;
    struct
    {
        QRectF bounds;
        QPainterPath path;
        bool rectangular = true;
    } m_clip;
    bool m_visible = true;
};

ClippingSvgDevice::ClippingSvgDevice(QSvgGenerator *target)
    : m_target(target)
    , m_engine(std::make_unique<ClippingSvgEngine>(target))
{
}

ClippingSvgDevice::~ClippingSvgDevice() = default;

QPaintEngine *ClippingSvgDevice::paintEngine() const
{
    return m_engine.get();
}

int ClippingSvgDevice::metric(PaintDeviceMetric metric) const
{
    switch (metric) {
    case PdmWidth:
        return m_target->width();
    case PdmHeight:
        return m_target->height();
    case PdmWidthMM:
        return m_target->widthMM();
    case PdmHeightMM:
        return m_target->heightMM();
    case PdmNumColors:
        return m_target->colorCount();
    case PdmDepth:
        return m_target->depth();
    case PdmDpiX:
        return m_target->logicalDpiX();
    case PdmDpiY:
        return m_target->logicalDpiY();
    case PdmPhysicalDpiX:
        return m_target->physicalDpiX();
    case PdmPhysicalDpiY:
        return m_target->physicalDpiY();
    case PdmDevicePixelRatio:
        return 1;
    default:
        return QPaintDevice::metric(metric);
    }
}

} // namespace ebm
