#include "compareside.h"
#include "repaintpacer.h"

#include "observationplane.h"
#include "plotstyle.h"
#include "trainingarrows.h"
#include "trainingchoices.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ebm {

using namespace trainingchoices;

namespace {

// Cells of the heatmap along the longer side: small planes, redrawn every epoch.
constexpr int kFieldResolution = 160;
const QColor kSideColours[] = {QColor(0x1f, 0x5f, 0xbf), QColor(0xc2, 0x3b, 0x22)};

QString sideName(int index)
{
    return QString(QChar(u'A' + index));
}

} // namespace

CompareSide::CompareSide(int index, QWidget *parent)
    : QWidget(parent)
    , m_index(index)
    , m_fields(new FieldWorker(this))
{
    setObjectName(QStringLiteral("side%1").arg(sideName(index)));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(6);

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("title"));
    m_title->setFont(plotstyle::font(15, true));
    m_title->setStyleSheet(
        QStringLiteral("QLabel { background: %1; color: white; padding: 4px 10px; }").arg(kSideColours[index].name()));
    layout->addWidget(m_title);
    layout->addWidget(buildControls());

    m_plane = new ObservationPlane(this);
    m_plane->setMinimumSize(360, 300);
    m_plane->plot()->legend->setFont(plotstyle::font(10)); // a small plane: the legend must not hide the data
    applyLayers();
    layout->addWidget(m_plane, 3);

    m_lossPlot = new QCustomPlot(this);
    // Segments, not a stroked polyline: a long noisy loss curve replots in a few ms (see trainingpanel.cpp).
    m_lossPlot->setPlottingHint(QCP::phFastPolylines, true);
    m_lossPlot->setObjectName(QStringLiteral("lossCurve"));
    styleAxis(m_lossPlot->xAxis, QStringLiteral("epoch"));
    styleAxis(m_lossPlot->yAxis, QStringLiteral("loss L"));
    m_lossGraph = m_lossPlot->addGraph();
    m_lossGraph->setPen(QPen(kSideColours[index], 3.0));
    m_epochLine = new QCPItemStraightLine(m_lossPlot);
    m_epochLine->setPen(QPen(QColor(0x40, 0x40, 0x48), 1.5, Qt::DashLine));
    m_lossMarker = m_lossPlot->addGraph();
    m_lossMarker->setLineStyle(QCPGraph::lsNone);
    m_lossMarker->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::white, 1.5), QBrush(kSideColours[index]), 13));
    m_lossPlot->yAxis->ticker()->setTickCount(3);
    m_lossPlot->xAxis->setRange(0, 10);
    m_lossPlot->yAxis->setRange(0, 1);
    fitLossPlotHeight();
    layout->addWidget(m_lossPlot, 1);

    m_readout = new QLabel(this);
    m_readout->setObjectName(QStringLiteral("readout"));
    m_readout->setFont(plotstyle::font(14));
    layout->addWidget(m_readout);

    connect(m_fields, &FieldWorker::fieldReady, this, &CompareSide::applyField);
    connect(m_plane, &ObservationPlane::visibleRangeChanged, this, &CompareSide::requestField);
    setConfig(m_config);
}

void CompareSide::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        fitLossPlotHeight(); // presentation mode: larger ticks and labels need a taller curve
}

void CompareSide::fitLossPlotHeight()
{
    m_lossPlot->setMinimumHeight(8 * fontMetrics().height());
}

QWidget *CompareSide::buildControls()
{
    auto *box = new QWidget(this);
    auto *grid = new QGridLayout(box);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(4);
    m_loss = new QComboBox(box);
    m_loss->setObjectName(QStringLiteral("loss"));
    fillLosses(m_loss);
    m_zeroTemperature = new QCheckBox(tr("zero temperature"), box);
    m_zeroTemperature->setObjectName(QStringLiteral("zeroTemperature"));
    m_zeroTemperature->setToolTip(tr("Train with F∞ = min_z E; off: marginalise with F_β"));
    m_beta = new QDoubleSpinBox(box);
    m_beta->setObjectName(QStringLiteral("beta"));
    m_beta->setRange(1e-3, 1e3);
    m_beta->setDecimals(3);
    m_beta->setValue(1.0);
    m_beta->setToolTip(tr("Training β: F_β = −(1/β) log mean_z exp(−βE)"));
    m_learningRate = new QDoubleSpinBox(box);
    m_learningRate->setObjectName(QStringLiteral("learningRate"));
    m_learningRate->setRange(1e-4, 10.0);
    m_learningRate->setDecimals(4);
    m_learningRate->setSingleStep(0.01);
    m_learningRate->setToolTip(tr("η in w ← w − η ∇_w L"));
    m_margin = new QDoubleSpinBox(box);
    m_margin->setObjectName(QStringLiteral("margin"));
    m_margin->setRange(0.0, 100.0);
    m_margin->setDecimals(2);
    m_margin->setSingleStep(0.1);
    m_margin->setToolTip(tr("m of hinge, simple and square-square; the plane draws the level F = m"));
    m_strategy = new QComboBox(box);
    m_strategy->setObjectName(QStringLiteral("negatives"));
    fillStrategies(m_strategy);
    m_negativeCount = new QSpinBox(box);
    m_negativeCount->setObjectName(QStringLiteral("negativeCount"));
    m_negativeCount->setRange(1, 64);
    m_negativeCount->setToolTip(tr("Negatives per data point and epoch"));

    auto label = [box](const QString &text) { return new QLabel(text, box); };
    grid->addWidget(label(tr("Loss")), 0, 0);
    grid->addWidget(m_loss, 0, 1);
    grid->addWidget(m_zeroTemperature, 0, 2, 1, 2);
    grid->addWidget(label(tr("β")), 0, 4, Qt::AlignRight);
    grid->addWidget(m_beta, 0, 5);
    grid->addWidget(label(tr("Negatives")), 1, 0);
    grid->addWidget(m_strategy, 1, 1);
    grid->addWidget(label(tr("× per point")), 1, 2);
    grid->addWidget(m_negativeCount, 1, 3);
    grid->addWidget(label(tr("m")), 1, 4, Qt::AlignRight);
    grid->addWidget(m_margin, 1, 5);
    grid->addWidget(label(tr("η")), 0, 6, Qt::AlignRight);
    grid->addWidget(m_learningRate, 0, 7);
    grid->setColumnStretch(1, 2);
    grid->setColumnStretch(5, 1);
    grid->setColumnStretch(7, 1);

    connect(m_loss, &QComboBox::currentIndexChanged, this, &CompareSide::onControlsChanged);
    connect(m_strategy, &QComboBox::currentIndexChanged, this, &CompareSide::onControlsChanged);
    connect(m_zeroTemperature, &QCheckBox::toggled, this, &CompareSide::onControlsChanged);
    connect(m_beta, &QDoubleSpinBox::valueChanged, this, &CompareSide::onControlsChanged);
    connect(m_learningRate, &QDoubleSpinBox::valueChanged, this, &CompareSide::onControlsChanged);
    connect(m_margin, &QDoubleSpinBox::valueChanged, this, &CompareSide::onControlsChanged);
    connect(m_negativeCount, &QSpinBox::valueChanged, this, &CompareSide::onControlsChanged);
    return box;
}

void CompareSide::setConfig(const TrainingConfig &config)
{
    m_config = config;
    {
        const QSignalBlocker b1(m_loss), b2(m_zeroTemperature), b3(m_beta), b4(m_learningRate), b5(m_margin),
            b6(m_strategy), b7(m_negativeCount);
        selectData(m_loss, int(config.loss.kind));
        m_zeroTemperature->setChecked(std::isinf(config.loss.beta));
        if (!std::isinf(config.loss.beta))
            m_beta->setValue(config.loss.beta);
        m_learningRate->setValue(config.learningRate);
        m_margin->setValue(config.loss.margin);
        selectData(m_strategy, int(config.negatives.strategy));
        m_negativeCount->setValue(config.negatives.count);
    }
    updateEnabled();
    applyLayers();
    requestField();
}

void CompareSide::onControlsChanged()
{
    TrainingConfig c = m_config;
    c.loss.kind = LossKind(m_loss->currentData().toInt());
    c.loss.beta = m_zeroTemperature->isChecked() ? kInfiniteBeta : m_beta->value();
    c.loss.margin = m_margin->value();
    c.learningRate = m_learningRate->value();
    c.negatives.strategy = NegativeStrategy(m_strategy->currentData().toInt());
    c.negatives.count = m_negativeCount->value();
    updateEnabled();
    if (c == m_config)
        return;
    m_config = c;
    applyLayers();
    requestField();
    emit configEdited(c);
}

void CompareSide::updateEnabled()
{
    const LossKind kind = LossKind(m_loss->currentData().toInt());
    m_beta->setEnabled(!m_zeroTemperature->isChecked());
    m_margin->setEnabled(lossUsesMargin(kind));
    m_strategy->setEnabled(lossUsesNegatives(kind));
    m_negativeCount->setEnabled(lossUsesNegatives(kind));
}

void CompareSide::applyLayers()
{
    m_title->setText(QStringLiteral("%1 · %2").arg(sideName(m_index), configSummary(m_config)));
    PlaneLayers layers;
    layers.heatmap = m_heatmap;
    layers.latents = false;
    layers.observation = false;
    layers.section = false;
    layers.marginLevel = lossUsesMargin(m_config.loss.kind);
    m_plane->setLayers(layers);
    // The plane puts its layers in the legend; the ones hidden here do not belong there.
    QCustomPlot *plot = m_plane->plot();
    for (int i = 0; i < plot->plottableCount(); ++i) {
        if (!plot->plottable(i)->visible())
            plot->plottable(i)->removeFromLegend();
    }
}

void CompareSide::setHeatmapVisible(bool on)
{
    m_heatmap = on;
    applyLayers();
}

void CompareSide::setData(const std::vector<Vec2> &data)
{
    m_data = data;
    m_plane->setData(data);
}

void CompareSide::showRun(const std::vector<TracePoint> &trace, const std::vector<PairReport> &pairs, int lastEpoch,
                          int shownEpoch, const QString &divergence)
{
    // The curve holds the epochs both sides have: it never runs ahead of the other side's.
    const int drawTo = std::min(lastEpoch, int(trace.size()) - 1);
    if (m_drawnEpochs > drawTo + 1 || (m_drawnEpochs > 0 && trace.empty())) {
        m_lossGraph->data()->clear();
        m_drawnEpochs = 0;
    }
    for (int k = m_drawnEpochs; k <= drawTo; ++k)
        m_lossGraph->addData(k, trace[size_t(k)].loss);
    m_drawnEpochs = std::max(0, drawTo + 1);
    bool found = false;
    const QCPRange values = m_lossGraph->getValueRange(found);
    if (found) {
        const double lo = std::min(0.0, values.lower), hi = values.upper > lo ? values.upper : lo + 1.0;
        m_lossPlot->yAxis->setRange(lo, hi + 0.05 * (hi - lo));
    }
    m_lossPlot->xAxis->setRange(0, std::max(10, lastEpoch) * 1.03);

    const int epoch = std::min(shownEpoch, int(trace.size()) - 1);
    m_shownEpoch = epoch;
    if (epoch < 0) {
        m_lossMarker->data()->clear();
        m_epochLine->setVisible(false);
        m_readout->setText(tr("epoch 0"));
        RepaintPacer::replot(m_lossPlot);
        return;
    }
    const TracePoint &row = trace[size_t(epoch)];
    m_lossMarker->setData({double(row.epoch)}, {row.loss});
    m_epochLine->setVisible(shownEpoch < lastEpoch || epoch < shownEpoch);
    m_epochLine->point1->setCoords(row.epoch, 0.0);
    m_epochLine->point2->setCoords(row.epoch, 1.0);
    RepaintPacer::replot(m_lossPlot);

    QString text = tr("epoch %1    w = (%2, %3)    L = %4")
                       .arg(row.epoch)
                       .arg(row.w.w1, 0, 'f', 4)
                       .arg(row.w.w2, 0, 'f', 4)
                       .arg(row.loss, 0, 'g', 5);
    if (!divergence.isEmpty() && epoch == int(trace.size()) - 1)
        text += tr("    diverged: %1").arg(divergence);
    m_readout->setText(text);

    m_shownW = row.w;
    const EllipseEbm model(row.w, m_config.latents);
    m_plane->setModelPicture(model, Vec2::Zero(), m_config.loss.beta, false);
    std::vector<Vec2> negatives;
    for (const PairReport &pair : pairs)
        negatives.push_back(pair.negative);
    const TrainingArrows arrows = trainingArrows(model, m_config.loss.beta, m_data, negatives);
    m_plane->setTrainingOverlay(arrows.pulls, negatives, arrows.pushes);
    requestField();
}

void CompareSide::requestField()
{
    const QRectF view = m_plane->visibleRange();
    if (!view.isValid() || (!m_heatmap && !lossUsesMargin(m_config.loss.kind)))
        return;
    FieldJob job;
    job.w = m_shownW;
    job.latents = m_config.latents;
    const double beta = m_config.loss.beta;
    job.request = {std::isinf(beta) ? FieldKind::ZeroTemperature : FieldKind::FreeEnergy, beta, 0.0};
    const double cell = std::max(view.width(), view.height()) / kFieldResolution;
    job.grid = Grid{view.left(),
                    view.right(),
                    view.top(),
                    view.bottom(),
                    std::max(2, int(std::lround(view.width() / cell)) + 1),
                    std::max(2, int(std::lround(view.height() / cell)) + 1)};
    job.marginLine = lossUsesMargin(m_config.loss.kind);
    job.margin = m_config.loss.margin;
    m_fields->submit(job);
}

void CompareSide::applyField(const FieldResult &result)
{
    // Never backwards; a superseded but newer result is a frame of the run while it plays.
    if (result.generation <= m_shownGeneration)
        return;
    m_shownGeneration = result.generation;
    m_displayedJob = result.job;
    const QString label =
        std::isinf(result.job.request.beta) ? tr("F∞(y)") : tr("F_β(y),  %1").arg(betaText(result.job.request.beta));
    m_plane->setField(result.job.grid, result.values, label);
    m_plane->setContours({}, result.marginContour);
    emit fieldApplied();
}

QVector<double> CompareSide::lossCurve() const
{
    QVector<double> losses;
    for (auto it = m_lossGraph->data()->constBegin(); it != m_lossGraph->data()->constEnd(); ++it)
        losses.push_back(it->value);
    return losses;
}

} // namespace ebm
