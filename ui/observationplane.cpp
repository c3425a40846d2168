#include "observationplane.h"

#include <qcustomplot.h>

#include <QVBoxLayout>

#include <cmath>

namespace ebm {

namespace {

constexpr int kManifoldSegments = 361;

QFont plotFont(int pointSize, bool bold = false)
{
    QFont font(QStringLiteral("DejaVu Sans"), pointSize);
    font.setBold(bold);
    return font;
}

void styleAxis(QCPAxis *axis, const QString &label)
{
    axis->setLabel(label);
    axis->setLabelFont(plotFont(13));
    axis->setTickLabelFont(plotFont(11));
}

} // namespace

ObservationPlane::ObservationPlane(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    setMinimumSize(420, 360);

    styleAxis(m_plot->xAxis, QStringLiteral("y₁"));
    styleAxis(m_plot->yAxis, QStringLiteral("y₂"));

    m_heatmap = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
    m_heatmap->setInterpolate(false); // one grid value, one cell: what is drawn is what was computed
    m_colorScale = new QCPColorScale(m_plot);
    m_plot->plotLayout()->addElement(0, 1, m_colorScale);
    m_colorScale->setType(QCPAxis::atRight);
    m_colorScale->axis()->setLabelFont(plotFont(12));
    m_colorScale->axis()->setTickLabelFont(plotFont(10));
    m_colorScale->setBarWidth(16);
    m_heatmap->setColorScale(m_colorScale);
    auto *marginGroup = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, marginGroup);
    m_colorScale->setMarginGroup(QCP::msBottom | QCP::msTop, marginGroup);

    m_manifold = new QCPCurve(m_plot->xAxis, m_plot->yAxis);
    m_manifold->setPen(QPen(QColor(255, 255, 255, 230), 2.5));
    m_manifold->setName(QStringLiteral("model manifold g(z)"));

    m_latentPoints = new QCPGraph(m_plot->xAxis, m_plot->yAxis);
    m_latentPoints->setLineStyle(QCPGraph::lsNone);
    m_latentPoints->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(20, 20, 30), 1.2), QBrush(Qt::white), 7));
    m_latentPoints->setName(QStringLiteral("sampled latents g(zₖ)"));

    m_dataPoints = new QCPGraph(m_plot->xAxis, m_plot->yAxis);
    m_dataPoints->setLineStyle(QCPGraph::lsNone);
    m_dataPoints->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::white, 1.6), QBrush(QColor(0xe8, 0x17, 0x5d)), 11));
    m_dataPoints->setName(QStringLiteral("data y"));

    m_plot->legend->setVisible(true);
    // A dark legend: the manifold is drawn white, which a white legend would hide.
    m_plot->legend->setFont(plotFont(11));
    m_plot->legend->setTextColor(Qt::white);
    m_plot->legend->setBrush(QColor(25, 25, 35, 200));
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->removeItem(m_plot->legend->itemCount() - 4); // the heatmap explains itself via its scale
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);

    setColorMap(ColorMap::Viridis);
    applyEqualAspect();
}

void ObservationPlane::setField(const Grid &grid, const Eigen::MatrixXd &values, const QString &label)
{
    QCPColorMapData *data = m_heatmap->data();
    data->setSize(grid.nx, grid.ny);
    data->setRange(QCPRange(grid.x0, grid.x1), QCPRange(grid.y0, grid.y1));
    for (int j = 0; j < grid.ny; ++j) {
        for (int i = 0; i < grid.nx; ++i)
            data->setCell(i, j, values(j, i));
    }
    m_heatmap->rescaleDataRange(true);
    m_colorScale->axis()->setLabel(label);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ObservationPlane::setManifold(const EllipseParams &w, const LatentSpec &latents)
{
    QVector<double> t, x, y;
    for (int k = 0; k < kManifoldSegments; ++k) {
        const Vec2 g = decode(w, kTwoPi * k / (kManifoldSegments - 1));
        t.append(k);
        x.append(g.x());
        y.append(g.y());
    }
    m_manifold->setData(t, x, y, true);
    QVector<double> lx, ly;
    for (int k = 0; k < latents.count(); ++k) {
        const Vec2 g = decode(w, latents.angle(k));
        lx.append(g.x());
        ly.append(g.y());
    }
    m_latentPoints->setData(lx, ly);
    m_latentPoints->setVisible(!latents.isContinuous());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ObservationPlane::setData(const std::vector<Vec2> &points)
{
    QVector<double> x, y;
    for (const Vec2 &p : points) {
        x.append(p.x());
        y.append(p.y());
    }
    m_dataPoints->setData(x, y);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ObservationPlane::setColorMap(ColorMap map)
{
    m_heatmap->setGradient(colorGradient(map));
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void ObservationPlane::setView(double x0, double x1, double y0, double y1)
{
    m_view[0] = x0;
    m_view[1] = x1;
    m_view[2] = y0;
    m_view[3] = y1;
    applyEqualAspect();
}

double ObservationPlane::displayedValue(int i, int j) const
{
    return m_heatmap->data()->cell(i, j);
}

QRectF ObservationPlane::visibleRange() const
{
    const QCPRange x = m_plot->xAxis->range(), y = m_plot->yAxis->range();
    return {QPointF(x.lower, y.lower), QPointF(x.upper, y.upper)};
}

QSize ObservationPlane::displayedGridSize() const
{
    return {m_heatmap->data()->keySize(), m_heatmap->data()->valueSize()};
}

void ObservationPlane::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    applyEqualAspect();
}

void ObservationPlane::applyEqualAspect()
{
    // The axis rect's size is known only after a layout pass; the first replot provides one.
    m_plot->plotLayout()->update(QCPLayoutElement::upLayout);
    const QRect rect = m_plot->axisRect()->rect();
    const double dx = m_view[1] - m_view[0], dy = m_view[3] - m_view[2];
    const double cx = 0.5 * (m_view[0] + m_view[1]), cy = 0.5 * (m_view[2] + m_view[3]);
    if (rect.width() < 10 || rect.height() < 10) {
        m_plot->xAxis->setRange(m_view[0], m_view[1]);
        m_plot->yAxis->setRange(m_view[2], m_view[3]);
    } else {
        const double pixelsPerUnit = std::min(rect.width() / dx, rect.height() / dy);
        const double hx = 0.5 * rect.width() / pixelsPerUnit, hy = 0.5 * rect.height() / pixelsPerUnit;
        m_plot->xAxis->setRange(cx - hx, cx + hx);
        m_plot->yAxis->setRange(cy - hy, cy + hy);
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    const QRectF visible = visibleRange();
    if (visible != m_lastVisible) {
        m_lastVisible = visible;
        emit visibleRangeChanged(visible);
    }
}

} // namespace ebm
