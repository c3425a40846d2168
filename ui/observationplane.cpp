#include "observationplane.h"

#include <QFontMetricsF>

#include "familyoverlay.h"
#include "plotstyle.h"
#include "scatterlayer.h"

#include <qcustomplot.h>

#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ebm {

namespace {

// Points along the manifold: 2 degrees apart, the chord is within 0.1 px of the ellipse even at full screen.
constexpr int kManifoldSegments = 181;
const QColor kObservationColour(0xff, 0x9f, 0x1c);

} // namespace

ObservationPlane::ObservationPlane(QWidget *parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    setMinimumSize(420, 360);
    setFocusPolicy(Qt::StrongFocus); // arrow keys nudge the observation
    m_plot->setFocusPolicy(Qt::NoFocus);
    m_plot->installEventFilter(this);
    m_plot->setAutoAddPlottableToLegend(false);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);

    plotstyle::styleAxis(m_plot->xAxis, QStringLiteral("y₁"));
    plotstyle::styleAxis(m_plot->yAxis, QStringLiteral("y₂"));

    m_heatmap = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
    m_heatmap->setInterpolate(false); // one grid value, one cell: what is drawn is what was computed
    m_colorScale = new QCPColorScale(m_plot);
    m_plot->plotLayout()->addElement(0, 1, m_colorScale);
    m_colorScale->setType(QCPAxis::atRight);
    m_colorScale->axis()->setLabelFont(plotstyle::font(12));
    m_colorScale->axis()->setTickLabelFont(plotstyle::font(10));
    m_colorScale->setBarWidth(16);
    m_heatmap->setColorScale(m_colorScale);
    auto *marginGroup = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, marginGroup);
    m_colorScale->setMarginGroup(QCP::msBottom | QCP::msTop, marginGroup);

    m_contours = new QCPCurve(m_plot->xAxis, m_plot->yAxis);
    m_contours->setPen(QPen(QColor(255, 255, 255, 120), 1.0));
    m_contours->setName(QStringLiteral("contour lines"));
    m_marginLine = new QCPCurve(m_plot->xAxis, m_plot->yAxis);
    m_marginLine->setPen(QPen(QColor(0xff, 0x4d, 0x6d), 2.5, Qt::DashLine));
    m_marginLine->setName(QStringLiteral("level F = m (margin)"));

    m_manifold = new QCPCurve(m_plot->xAxis, m_plot->yAxis);
    // Opaque: the raster engine strokes a translucent polyline as one path, four times slower (a cost per frame).
    m_manifold->setPen(QPen(Qt::white, 2.5));
    m_manifold->setName(QStringLiteral("model manifold g(z)"));

    m_latentPoints = new ScatterLayer(m_plot->xAxis, m_plot->yAxis);
    m_latentPoints->setName(QStringLiteral("sampled latents g(zₖ)"));

    m_dataPoints = new QCPGraph(m_plot->xAxis, m_plot->yAxis);
    m_dataPoints->setLineStyle(QCPGraph::lsNone);
    m_dataPoints->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::white, 1.6), QBrush(QColor(0xe8, 0x17, 0x5d)), 11));
    m_dataPoints->setName(QStringLiteral("data y"));

    m_negatives = new QCPGraph(m_plot->xAxis, m_plot->yAxis);
    m_negatives->setLineStyle(QCPGraph::lsNone);
    m_negatives->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCross, QPen(QColor(0x35, 0xc9, 0xff), 3), Qt::NoBrush, 12));
    m_negatives->setName(QStringLiteral("negatives ŷ (pushed up)"));

    m_family = std::make_unique<FamilyOverlay>(m_plot); // above the data, below the observation handle

    m_sectionLine = new QCPItemStraightLine(m_plot);
    m_sectionLine->setPen(QPen(QColor(255, 255, 255, 170), 1.5, Qt::DashDotLine));

    m_segment = new QCPItemLine(m_plot);
    m_segment->setPen(QPen(kObservationColour, 2.5, Qt::DashLine));
    m_segment->setHead(QCPLineEnding(QCPLineEnding::esDisc, 8));

    m_handle = new QCPGraph(m_plot->xAxis, m_plot->yAxis);
    m_handle->setLineStyle(QCPGraph::lsNone);
    m_handle->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::white, 3), QBrush(kObservationColour), 22));
    m_handle->setName(QStringLiteral("observation y (drag me)"));

    for (QCPAbstractPlottable *p :
         {static_cast<QCPAbstractPlottable *>(m_manifold), static_cast<QCPAbstractPlottable *>(m_latentPoints),
          static_cast<QCPAbstractPlottable *>(m_dataPoints), static_cast<QCPAbstractPlottable *>(m_handle)})
        p->addToLegend();
    plotstyle::darkLegend(m_plot->legend);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);

    connect(m_plot, &QCustomPlot::mousePress, this, &ObservationPlane::onMousePress);
    connect(m_plot, &QCustomPlot::mouseMove, this, &ObservationPlane::onMouseMove);
    connect(m_plot, &QCustomPlot::mouseRelease, this, &ObservationPlane::onMouseRelease);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { resetView(); });
    // Margins move when the colour bar's label or ticks change width: the axis rect changes size without any
    // resize of the widget, and the scales must be made equal again.
    connect(m_plot, &QCustomPlot::afterLayout, this, &ObservationPlane::onLayout);
    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
            &ObservationPlane::onRangeChanged);
    connect(m_plot->yAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this,
            &ObservationPlane::onRangeChanged);

    setUpLayers();
    setColorMap(ColorMap::Viridis);
    setSectionY1(0.0);
    applyEqualAspect();
}

ObservationPlane::~ObservationPlane() = default;

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
    replot(Part::Field);
}

void ObservationPlane::setModelPicture(const EllipseEbm &model, const Vec2 &observation, double beta, bool byPosterior)
{
    QVector<double> t, x, y;
    for (int k = 0; k < kManifoldSegments; ++k) {
        const Vec2 g = decode(model.params(), kTwoPi * k / (kManifoldSegments - 1));
        t.append(k);
        x.append(g.x());
        y.append(g.y());
    }
    m_manifold->setData(t, x, y, true);

    const LatentSpec &latents = model.latents();
    QVector<ScatterLayer::Point> points;
    if (!latents.isContinuous()) {
        const std::vector<double> p = model.posterior(observation, beta);
        const double pMax = *std::max_element(p.begin(), p.end());
        const double base = latents.count() > 200 ? 4.0 : 7.0;
        for (int k = 0; k < latents.count(); ++k) {
            const Vec2 g = decode(model.params(), latents.angle(k));
            // Colour cycles with z; with the posterior on, the area grows with P(z_k | y).
            QColor fill = QColor::fromHsvF(latents.angle(k) / kTwoPi, 0.75, 0.98);
            double diameter = base;
            if (byPosterior) {
                diameter = 3.0 + 24.0 * std::sqrt(p[static_cast<size_t>(k)] / pMax);
                fill.setAlphaF(0.35 + 0.65 * p[static_cast<size_t>(k)] / pMax);
            }
            points.append({g.x(), g.y(), fill, diameter});
        }
    }
    m_latentPoints->setPoints(points);
    m_observation = observation;
    m_inferred = decode(model.params(), model.zeroTemperature(observation).z);
    updateObservationItems();
    replot(Part::Figures);
}

void ObservationPlane::setFamilyPicture(const FamilyPicture &picture)
{
    const bool family = picture.kind != ModelKind::Ellipse;
    const bool wasShown[] = {m_manifold->visible(), m_latentPoints->visible(), m_dataPoints->visible()};
    m_family->setPicture(picture, m_layers.data, m_layers.latents);
    m_manifold->setVisible(m_layers.manifold && !family);
    m_latentPoints->setVisible(m_layers.latents && !family);
    m_dataPoints->setVisible(m_layers.data && picture.kind != ModelKind::KMeans); // K-means colours its own
    for (QCPAbstractPlottable *p :
         {static_cast<QCPAbstractPlottable *>(m_manifold), static_cast<QCPAbstractPlottable *>(m_latentPoints),
          static_cast<QCPAbstractPlottable *>(m_dataPoints)}) {
        if (p->visible())
            p->addToLegend();
        else
            p->removeFromLegend();
    }
    if (family) {
        m_observation = picture.observation;
        m_inferred = picture.decoded;
        updateObservationItems();
    }
    // The same layers as before: only the figures changed (the legend lists what is shown).
    const bool sameLayers = wasShown[0] == m_manifold->visible() && wasShown[1] == m_latentPoints->visible() &&
                            wasShown[2] == m_dataPoints->visible();
    replot(sameLayers ? Part::Figures : Part::All);
}

const FamilyPicture &ObservationPlane::familyPicture() const
{
    return m_family->picture();
}

void ObservationPlane::setData(const std::vector<Vec2> &points)
{
    QVector<double> x, y;
    for (const Vec2 &p : points) {
        x.append(p.x());
        y.append(p.y());
    }
    m_dataPoints->setData(x, y);
    replot(Part::Figures);
}

void ObservationPlane::setArrows(const std::vector<GradientSample> &gradients)
{
    while (m_arrows.size() > static_cast<qsizetype>(gradients.size()))
        m_plot->removeItem(m_arrows.takeLast());
    while (m_arrows.size() < static_cast<qsizetype>(gradients.size())) {
        auto *arrow = new QCPItemLine(m_plot);
        arrow->setLayer(m_fieldLayer);
        arrow->setPen(QPen(QColor(255, 255, 255, 210), 1.6));
        arrow->setHead(QCPLineEnding(QCPLineEnding::esSpikeArrow, 9, 7));
        arrow->setSelectable(false);
        m_arrows.append(arrow);
    }
    double largest = 0.0, spacing = 1.0;
    for (const GradientSample &g : gradients)
        largest = std::max(largest, g.gradient.norm());
    if (gradients.size() > 1)
        spacing = (gradients[1].at - gradients[0].at).norm();
    for (size_t i = 0; i < gradients.size(); ++i) {
        // Downhill, -grad F; lengths relative to the steepest so the picture reads as a flow.
        const Vec2 step = largest > 0.0 ? Vec2(-0.85 * spacing * gradients[i].gradient / largest) : Vec2::Zero();
        const Vec2 from = gradients[i].at - 0.5 * step;
        m_arrows[static_cast<qsizetype>(i)]->start->setCoords(from.x(), from.y());
        m_arrows[static_cast<qsizetype>(i)]->end->setCoords(from.x() + step.x(), from.y() + step.y());
        m_arrows[static_cast<qsizetype>(i)]->setVisible(m_layers.arrows);
    }
    replot(Part::Field);
}

void ObservationPlane::setContours(const std::vector<ContourSegment> &contours,
                                   const std::vector<ContourSegment> &margin)
{
    // One curve each, the segments separated by NaN gaps (QCPCurve breaks its line there).
    auto fill = [](QCPCurve *curve, const std::vector<ContourSegment> &segments) {
        QVector<double> t, x, y;
        const double gap = std::nan("");
        for (const ContourSegment &s : segments) {
            for (const Vec2 &p : {s.a, s.b, Vec2(gap, gap)}) {
                t.append(t.size());
                x.append(p.x());
                y.append(p.y());
            }
        }
        curve->setData(t, x, y, true);
    };
    fill(m_contours, contours);
    fill(m_marginLine, margin);
    m_contourSegments = static_cast<int>(contours.size());
    replot(Part::Field);
}

void ObservationPlane::setTrainingOverlay(const std::vector<PlaneArrow> &pulls, const std::vector<Vec2> &negatives,
                                          const std::vector<PlaneArrow> &pushes)
{
    // Item pools: a training run updates these many times a second, so items are reused, not recreated.
    auto fill = [this](QList<QCPItemLine *> &pool, const std::vector<PlaneArrow> &arrows, const QColor &colour) {
        while (pool.size() > static_cast<qsizetype>(arrows.size()))
            m_plot->removeItem(pool.takeLast());
        while (pool.size() < static_cast<qsizetype>(arrows.size())) {
            auto *line = new QCPItemLine(m_plot);
            line->setPen(QPen(colour, 2.2));
            line->setHead(QCPLineEnding(QCPLineEnding::esSpikeArrow, 10, 8));
            line->setSelectable(false);
            pool.append(line);
        }
        for (size_t i = 0; i < arrows.size(); ++i) {
            pool[static_cast<qsizetype>(i)]->start->setCoords(arrows[i].from.x(), arrows[i].from.y());
            pool[static_cast<qsizetype>(i)]->end->setCoords(arrows[i].to.x(), arrows[i].to.y());
        }
    };
    fill(m_pulls, pulls, QColor(0xff, 0xb0, 0x00));
    fill(m_pushes, pushes, QColor(0x35, 0xc9, 0xff));
    QVector<double> x, y;
    for (const Vec2 &n : negatives) {
        x.append(n.x());
        y.append(n.y());
    }
    m_negatives->setData(x, y);
    const bool listed = m_plot->legend->hasItemWithPlottable(m_negatives);
    if (negatives.empty())
        m_negatives->removeFromLegend();
    else
        m_negatives->addToLegend();
    replot(listed == !negatives.empty() ? Part::Figures : Part::All);
}

void ObservationPlane::setSectionY1(double y1)
{
    m_sectionY1 = y1;
    m_sectionLine->point1->setCoords(y1, 0.0);
    m_sectionLine->point2->setCoords(y1, 1.0);
    replot(Part::Figures);
}

void ObservationPlane::setLayers(const PlaneLayers &layers)
{
    m_layers = layers;
    m_heatmap->setVisible(layers.heatmap);
    m_colorScale->setVisible(layers.heatmap);
    m_manifold->setVisible(layers.manifold);
    m_latentPoints->setVisible(layers.latents);
    m_dataPoints->setVisible(layers.data);
    m_sectionLine->setVisible(layers.section);
    setFamilyPicture(FamilyPicture(m_family->picture())); // its layers follow the same switches
    m_contours->setVisible(layers.contours);
    m_marginLine->setVisible(layers.marginLevel);
    if (layers.marginLevel)
        m_marginLine->addToLegend();
    else
        m_marginLine->removeFromLegend();
    for (QCPItemLine *arrow : std::as_const(m_arrows))
        arrow->setVisible(layers.arrows);
    updateObservationItems();
    replot();
}

void ObservationPlane::setColorMap(ColorMap map)
{
    m_heatmap->setGradient(colorGradient(map));
    replot();
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

QSize ObservationPlane::displayedGridSize() const
{
    return {m_heatmap->data()->keySize(), m_heatmap->data()->valueSize()};
}

QRectF ObservationPlane::visibleRange() const
{
    const QCPRange x = m_plot->xAxis->range(), y = m_plot->yAxis->range();
    return {QPointF(x.lower, y.lower), QPointF(x.upper, y.upper)};
}

int ObservationPlane::arrowCount() const
{
    return static_cast<int>(std::count_if(m_arrows.begin(), m_arrows.end(), [](auto *a) { return a->visible(); }));
}

QPoint ObservationPlane::toPixels(const Vec2 &y) const
{
    return QPointF(m_plot->xAxis->coordToPixel(y.x()), m_plot->yAxis->coordToPixel(y.y())).toPoint();
}

Vec2 ObservationPlane::toPlane(const QPointF &pixel) const
{
    return {m_plot->xAxis->pixelToCoord(pixel.x()), m_plot->yAxis->pixelToCoord(pixel.y())};
}

bool ObservationPlane::eventFilter(QObject *watched, QEvent *event)
{
    // The plot's own resize, not this widget's: when a hidden window is shown, the parent's pending resize
    // arrives before the child's, and the plot would still report its old viewport.
    if (watched == m_plot && event->type() == QEvent::Resize) {
        m_plot->setViewport(QRect(QPoint(0, 0), static_cast<QResizeEvent *>(event)->size()));
        applyEqualAspect();
    }
    return QWidget::eventFilter(watched, event);
}

void ObservationPlane::onLayout()
{
    stabiliseColourBar();
    if (m_plot->axisRect()->rect().size() != m_fittedSize)
        applyEqualAspect();
}

void ObservationPlane::stabiliseColourBar()
{
    // The colour bar's ticks follow the field's range, the range follows the plane's width, and the width follows
    // the ticks' margin: a margin sized to each field's labels swung the plane between two widths for ever (a
    // beta sweep at 640x480). So the margin has room for labels as wide as "-88.88" in the present fonts, whatever
    // the field, computed as QCustomPlot lays an axis out (ticks, paddings, labels); wider labels only grow it.
    QCPAxis *axis = m_colorScale->axis();
    QCPAxisRect *bar = axis->axisRect();
    const QFontMetricsF ticks(axis->tickLabelFont()), label(axis->labelFont());
    const double labelHeight = axis->label().isEmpty() ? 0.0 : axis->labelPadding() + label.height();
    const int floor = static_cast<int>(
        std::ceil(std::max(0, std::max(axis->tickLengthOut(), axis->subTickLengthOut())) + axis->tickLabelPadding() +
                  ticks.horizontalAdvance(QStringLiteral("-88.88")) + labelHeight + axis->padding() + axis->offset()));
    const int margin = bar->margins().right(), least = bar->minimumMargins().right();
    const int wanted = std::max(floor, margin > least ? margin : least);
    if (wanted != least) {
        const QMargins m = bar->minimumMargins();
        bar->setMinimumMargins(QMargins(m.left(), m.top(), wanted, m.bottom()));
        replot();
    }
}

void ObservationPlane::onRangeChanged()
{
    if (!m_applyingAspect) { // the user panned or zoomed: that is the new view
        const QRectF visible = visibleRange();
        m_view[0] = visible.left();
        m_view[1] = visible.right();
        m_view[2] = visible.top();
        m_view[3] = visible.bottom();
    }
    announceVisibleRange();
}

void ObservationPlane::announceVisibleRange()
{
    const QRectF visible = visibleRange();
    if (visible != m_lastVisible) {
        m_lastVisible = visible;
        emit visibleRangeChanged(visible);
    }
}

void ObservationPlane::applyEqualAspect()
{
    // The axis rect's size is known only after a layout pass.
    m_plot->plotLayout()->update(QCPLayoutElement::upLayout);
    const QRect rect = m_plot->axisRect()->rect();
    m_fittedSize = rect.size();
    const double dx = m_view[1] - m_view[0], dy = m_view[3] - m_view[2];
    const double cx = 0.5 * (m_view[0] + m_view[1]), cy = 0.5 * (m_view[2] + m_view[3]);
    m_applyingAspect = true;
    if (rect.width() < 10 || rect.height() < 10) {
        m_plot->xAxis->setRange(m_view[0], m_view[1]);
        m_plot->yAxis->setRange(m_view[2], m_view[3]);
    } else {
        const double pixelsPerUnit = std::min(rect.width() / dx, rect.height() / dy);
        const double hx = 0.5 * rect.width() / pixelsPerUnit, hy = 0.5 * rect.height() / pixelsPerUnit;
        m_plot->xAxis->setRange(cx - hx, cx + hx);
        m_plot->yAxis->setRange(cy - hy, cy + hy);
    }
    m_applyingAspect = false;
    announceVisibleRange();
    replot();
}

void ObservationPlane::updateObservationItems()
{
    m_handle->setData({m_observation.x()}, {m_observation.y()});
    m_handle->setVisible(m_layers.observation);
    m_segment->start->setCoords(m_observation.x(), m_observation.y());
    m_segment->end->setCoords(m_inferred.x(), m_inferred.y());
    m_segment->setVisible(m_layers.observation);
}

} // namespace ebm
