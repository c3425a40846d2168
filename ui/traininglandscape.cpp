// The training panel's loss landscape: L(w1, w2) as a heatmap with the path of w, computed off the GUI thread over
// a w-range that follows the run.
#include "colormaps.h"
#include "repaintpacer.h"
#include "trainingchoices.h"
#include "trainingpanel.h"

#include <qcustomplot.h>

#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ebm {

namespace {

const QColor kCurrentColor(0xd6, 0x28, 0x28);

LossLandscape computeLandscape(quint64 token, std::vector<Vec2> data, TrainingConfig config, WRange range,
                               std::shared_ptr<std::atomic<bool>> cancel)
{
    LossLandscape result =
        lossLandscape(std::move(data), config, range.lower, range.upper, TrainingPanel::kLandscapeCells, cancel.get());
    result.tag = token;
    return result;
}

} // namespace

void TrainingPanel::buildLandscapePlot()
{
    using trainingchoices::styleAxis;
    m_landscapePlot = new QCustomPlot(this);
    // The path of w as segments, for the reason the loss curve is (trainingpanel.cpp).
    m_landscapePlot->setPlottingHint(QCP::phFastPolylines, true);
    m_landscapePlot->setObjectName(QStringLiteral("landscape"));
    styleAxis(m_landscapePlot->xAxis, QStringLiteral("w₁"));
    styleAxis(m_landscapePlot->yAxis, QStringLiteral("w₂"));
    m_landscapePlot->xAxis->grid()->setVisible(false);
    m_landscapePlot->yAxis->grid()->setVisible(false);
    m_colorMap = new QCPColorMap(m_landscapePlot->xAxis, m_landscapePlot->yAxis);
    m_colorScale = new QCPColorScale(m_landscapePlot);
    m_landscapePlot->plotLayout()->addElement(0, 1, m_colorScale);
    m_colorScale->setType(QCPAxis::atRight);
    m_colorScale->setBarWidth(16);
    styleAxis(m_colorScale->axis(), QStringLiteral("L(w₁, w₂)  (log scale)"));
    m_colorScale->axis()->grid()->setVisible(false);
    m_colorMap->setColorScale(m_colorScale);
    m_colorMap->setGradient(colorGradient(ColorMap::Viridis));
    m_colorMap->setDataScaleType(QCPAxis::stLogarithmic);
    m_colorScale->axis()->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    m_colorScale->axis()->setNumberFormat(QStringLiteral("gb"));
    auto *group = new QCPMarginGroup(m_landscapePlot);
    m_landscapePlot->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, group);
    m_colorScale->setMarginGroup(QCP::msTop | QCP::msBottom, group);

    m_path = new QCPCurve(m_landscapePlot->xAxis, m_landscapePlot->yAxis);
    m_path->setPen(QPen(Qt::white, 3.0));
    m_startMarker = m_landscapePlot->addGraph();
    m_startMarker->setLineStyle(QCPGraph::lsNone);
    m_startMarker->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::white, 3.0), Qt::NoBrush, 14));
    m_currentMarker = m_landscapePlot->addGraph();
    m_currentMarker->setLineStyle(QCPGraph::lsNone);
    m_currentMarker->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::white, 2.5), QBrush(kCurrentColor), 18));
    m_landscapePlot->setMinimumHeight(260);
    showLandscapeRange();
}

void TrainingPanel::fitLandscapeRange()
{
    std::vector<EllipseParams> path{m_config.init};
    path.reserve(m_trace.size() + 1);
    for (const TracePoint &row : m_trace)
        path.push_back(row.w);
    const WRange range = ebm::landscapeRange(m_data, path);
    if (range == m_landscapeRange && m_landscapeToken != 0)
        return;
    m_landscapeRange = range;
    showLandscapeRange();
    startLandscape();
}

void TrainingPanel::showLandscapeRange()
{
    // The colour map's range is of cell centres: half a cell more each side makes the image fill the w-range.
    // The axes move at once, so the path stays in sight while the new landscape is computed.
    const double half = 0.5 * (m_landscapeRange.upper - m_landscapeRange.lower) / (kLandscapeCells - 1);
    m_landscapePlot->xAxis->setRange(m_landscapeRange.lower - half, m_landscapeRange.upper + half);
    m_landscapePlot->yAxis->setRange(m_landscapeRange.lower - half, m_landscapeRange.upper + half);
    RepaintPacer::replot(m_landscapePlot);
}

void TrainingPanel::startLandscape()
{
    if (!m_haveProblem)
        return;
    ++m_landscapeToken;
    if (m_landscapeWatcher.isRunning()) {
        // One grid at a time: stop the running one; its finished() starts the newest request.
        if (m_landscapeCancel)
            *m_landscapeCancel = true;
        m_landscapeWanted = true;
        return;
    }
    m_landscapeWanted = false;
    m_landscapeCancel = std::make_shared<std::atomic<bool>>(false);
    m_landscapeWatcher.setFuture(
        QtConcurrent::run(computeLandscape, m_landscapeToken, m_data, m_config, m_landscapeRange, m_landscapeCancel));
}

void TrainingPanel::onLandscapeFinished()
{
    const LossLandscape result = m_landscapeWatcher.result();
    if (m_landscapeWanted || result.tag != m_landscapeToken) {
        m_landscapeWanted = false;
        --m_landscapeToken; // startLandscape counts it again
        startLandscape();
        return;
    }
    if (result.cancelled || result.values.empty())
        return;

    // Log colours: the valley around the minimum is where the path goes, and a linear scale paints it all one colour.
    double hi = 0.0, lowestPositive = std::numeric_limits<double>::infinity();
    for (double v : result.values) {
        if (std::isfinite(v)) {
            hi = std::max(hi, v);
            if (v > 0.0)
                lowestPositive = std::min(lowestPositive, v);
        }
    }
    if (!(hi > 0.0))
        hi = 1.0;
    const double floor = std::max(hi * 1e-4, std::isfinite(lowestPositive) ? lowestPositive : hi * 1e-4);
    QCPColorMapData *cells = m_colorMap->data();
    cells->setSize(result.nx, result.ny);
    cells->setRange(QCPRange(result.w1Lower, result.w1Upper), QCPRange(result.w2Lower, result.w2Upper));
    m_landscapeValues.clear();
    for (int j = 0; j < result.ny; ++j) {
        for (int i = 0; i < result.nx; ++i) {
            const double v = result.values[size_t(j) * size_t(result.nx) + size_t(i)];
            m_landscapeValues.push_back(v);
            cells->setCell(i, j, std::isfinite(v) ? std::max(v, floor) : hi);
        }
    }
    m_colorMap->setDataRange(QCPRange(floor, std::max(hi, floor * 10.0)));
    m_landscapeShown = result.tag;
    m_landscapePlot->replot();
    emit landscapeUpdated();
}

} // namespace ebm
