#include "scatterlayer.h"

#include <algorithm>

namespace ebm {

ScatterLayer::ScatterLayer(QCPAxis *keyAxis, QCPAxis *valueAxis)
    : QCPAbstractPlottable(keyAxis, valueAxis)
{
    setSelectable(QCP::stNone);
}

void ScatterLayer::setPoints(const QVector<Point> &points)
{
    m_points = points;
}

double ScatterLayer::selectTest(const QPointF &, bool, QVariant *) const
{
    return -1.0; // never intercepts the mouse: the plane handles dragging itself
}

QCPRange ScatterLayer::getKeyRange(bool &foundRange, QCP::SignDomain) const
{
    foundRange = !m_points.isEmpty();
    QCPRange range(0, 0);
    for (int i = 0; i < m_points.size(); ++i)
        range = i == 0 ? QCPRange(m_points[i].x, m_points[i].x) : (range.expand(m_points[i].x), range);
    return range;
}

QCPRange ScatterLayer::getValueRange(bool &foundRange, QCP::SignDomain, const QCPRange &) const
{
    foundRange = !m_points.isEmpty();
    QCPRange range(0, 0);
    for (int i = 0; i < m_points.size(); ++i)
        range = i == 0 ? QCPRange(m_points[i].y, m_points[i].y) : (range.expand(m_points[i].y), range);
    return range;
}

void ScatterLayer::draw(QCPPainter *painter)
{
    if (!mKeyAxis || !mValueAxis)
        return;
    painter->setPen(m_outline);
    for (const Point &p : m_points) {
        const QPointF centre = coordsToPixels(p.x, p.y);
        painter->setBrush(p.fill);
        const double r = 0.5 * p.diameter * m_scale;
        painter->drawEllipse(centre, r, r);
    }
}

void ScatterLayer::drawLegendIcon(QCPPainter *painter, const QRectF &rect) const
{
    painter->setPen(m_outline);
    painter->setBrush(m_points.isEmpty() ? QColor(Qt::white) : m_points.first().fill);
    const double r = std::min(rect.width(), rect.height()) * 0.3;
    painter->drawEllipse(rect.center(), r, r);
}

} // namespace ebm
