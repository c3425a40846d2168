#include "trainingpanel.h"

#include "math/losslandscape.h"

#include "colormaps.h"
#include "plotstyle.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QSlider>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ebm {

namespace {

const QColor kLossColor(0x1b, 0x3a, 0x7a);
const QColor kCurrentColor(0xd6, 0x28, 0x28);
const QColor kNoteColor(0x40, 0x40, 0x48);

// The speed slider is logarithmic: position p gives 10^(p / 10) epochs per second; the top position is "as fast as
// it computes".
constexpr int kSpeedPositions = 30;
constexpr int kDefaultSpeedPosition = 13; // 20 epochs per second: each epoch is visible

double speedAt(int position)
{
    if (position >= kSpeedPositions)
        return std::numeric_limits<double>::infinity();
    return std::round(std::pow(10.0, position / 10.0));
}

QString speedText(double epochsPerSecond)
{
    return std::isinf(epochsPerSecond) ? QStringLiteral("max") : QStringLiteral("%1 /s").arg(epochsPerSecond);
}

QString number(double v, int decimals = 4)
{
    return QString::number(v, 'f', decimals);
}

const struct
{
    LossKind kind;
    const char *label;
} kLosses[] = {
    {LossKind::Energy, "energy"},
    {LossKind::Hinge, "hinge"},
    {LossKind::Log, "log"},
    {LossKind::Simple, "simple"},
    {LossKind::SquareSquare, "square-square"},
    {LossKind::Nll, "NLL"},
};

const struct
{
    NegativeStrategy strategy;
    const char *label;
} kStrategies[] = {
    {NegativeStrategy::Uniform, "uniform in view"},
    {NegativeStrategy::Noise, "data + noise"},
    {NegativeStrategy::Offending, "most offending"},
};

LossLandscape computeLandscape(quint64 token, std::vector<Vec2> data, TrainingConfig config,
                               std::shared_ptr<std::atomic<bool>> cancel)
{
    LossLandscape result = lossLandscape(std::move(data), config, TrainingPanel::kWLower, TrainingPanel::kWUpper,
                                         TrainingPanel::kLandscapeCells, cancel.get());
    result.tag = token;
    return result;
}

// The path of w on the landscape: a point per epoch made every replot of a long run cost more (random negatives make
// w jitter for ever: 0.1 s per replot at 3e4 epochs, replotted every frame). A point joins only when it is a visible
// step from the previous one, and past kMaxPathPoints every other point goes; the markers show the exact w.
constexpr double kPathStep = (TrainingPanel::kWUpper - TrainingPanel::kWLower) / 2000.0;
constexpr int kMaxPathPoints = 4000;

void appendToPath(QCPCurve *path, const TracePoint &row)
{
    QCPCurveDataContainer &data = *path->data();
    if (!data.isEmpty()) {
        const QCPCurveData &last = *(data.constEnd() - 1);
        if (std::hypot(row.w.w1 - last.key, row.w.w2 - last.value) < kPathStep)
            return;
    }
    path->addData(row.epoch, row.w.w1, row.w.w2);
    if (data.size() > kMaxPathPoints) {
        QVector<QCPCurveData> kept;
        for (int i = 0; i < data.size() - 1; i += 2)
            kept.push_back(*(data.constBegin() + i));
        kept.push_back(*(data.constEnd() - 1)); // the newest stays, so the line reaches the current marker
        data.set(kept, true);
    }
}

void styleAxis(QCPAxis *axis, const QString &label)
{
    plotstyle::styleAxis(axis, label);
    axis->setLabelFont(plotstyle::font(15));
    axis->setTickLabelFont(plotstyle::font(13));
    axis->setBasePen(QPen(Qt::black, 1.5));
    axis->setTickPen(QPen(Qt::black, 1.5));
    axis->setSubTickPen(QPen(Qt::black, 1.0));
    axis->grid()->setPen(QPen(QColor(0, 0, 0, 35), 1.0));
}

QLabel *heading(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setFont(plotstyle::font(14, true));
    return label;
}

} // namespace

TrainingPanel::TrainingPanel(QWidget *parent)
    : QWidget(parent)
    , m_worker(new TrainingWorker(this))
{
    setAutoFillBackground(true);
    QPalette background = palette();
    background.setColor(QPalette::Window, Qt::white);
    setPalette(background);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);
    layout->addWidget(buildControls());

    // The loss curve: loss against epoch, with the shown epoch marked.
    m_lossPlot = new QCustomPlot(this);
    m_lossPlot->setObjectName(QStringLiteral("lossCurve"));
    styleAxis(m_lossPlot->xAxis, QStringLiteral("epoch"));
    styleAxis(m_lossPlot->yAxis, QStringLiteral("loss L"));
    m_lossGraph = m_lossPlot->addGraph();
    m_lossGraph->setPen(QPen(kLossColor, 3.0));
    m_lossEpochLine = new QCPItemStraightLine(m_lossPlot);
    m_lossEpochLine->setPen(QPen(kCurrentColor, 1.5, Qt::DashLine));
    m_lossEpochLine->setVisible(false);
    m_lossMarker = m_lossPlot->addGraph();
    m_lossMarker->setLineStyle(QCPGraph::lsNone);
    m_lossMarker->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::white, 1.5), QBrush(kCurrentColor), 13));
    m_lossPlot->yAxis->ticker()->setTickCount(4);
    m_lossPlot->xAxis->setRange(0, 10);
    m_lossPlot->yAxis->setRange(0, 1);
    m_lossPlot->setMinimumHeight(150);
    // A noisy loss of 10^4 epochs is a zigzag even after QCustomPlot's adaptive sampling, and Qt strokes the joins of a
    // wide polyline slowly (~0.2 s per replot at 3e4 epochs here): drawn as segments it is a few ms.
    m_lossPlot->setPlottingHint(QCP::phFastPolylines, true);
    layout->addWidget(m_lossPlot, 2);

    // The landscape L(w1, w2) with the path of w.
    m_landscapePlot = new QCustomPlot(this);
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
    // The colour map's range is of cell centres: half a cell more each side makes the image fill [0, 3]^2.
    const double half = 0.5 * (kWUpper - kWLower) / (kLandscapeCells - 1);
    m_landscapePlot->xAxis->setRange(kWLower - half, kWUpper + half);
    m_landscapePlot->yAxis->setRange(kWLower - half, kWUpper + half);

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
    m_landscapePlot->setPlottingHint(QCP::phFastPolylines, true); // the path of w too (see the loss plot)
    layout->addWidget(m_landscapePlot, 4);

    // The timeline: every epoch of the trace, to scrub back through and replay.
    auto *timelineRow = new QHBoxLayout;
    timelineRow->addWidget(heading(QStringLiteral("Epoch"), this));
    m_timeline = new QSlider(Qt::Horizontal, this);
    m_timeline->setObjectName(QStringLiteral("timeline"));
    m_timeline->setRange(0, 0);
    m_timeline->setToolTip(tr("Scrub back through the run: the plane shows w at that epoch"));
    timelineRow->addWidget(m_timeline, 1);
    m_timelineLabel = new QLabel(this);
    m_timelineLabel->setFont(plotstyle::font(14));
    m_timelineLabel->setMinimumWidth(QFontMetrics(m_timelineLabel->font()).horizontalAdvance("00000 / 00000"));
    m_timelineLabel->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    timelineRow->addWidget(m_timelineLabel);
    m_replay = new QPushButton(tr("Replay"), this);
    m_replay->setObjectName(QStringLiteral("replay"));
    m_replay->setToolTip(tr("Replay the run from the shown epoch at the chosen speed"));
    timelineRow->addWidget(m_replay);
    layout->addLayout(timelineRow);

    m_readout = new QLabel(this);
    m_readout->setObjectName(QStringLiteral("readout"));
    m_readout->setFont(plotstyle::font(15));
    layout->addWidget(m_readout);

    m_replayTimer = new QTimer(this);
    connect(m_replayTimer, &QTimer::timeout, this, &TrainingPanel::replayTick);
    connect(m_replay, &QPushButton::clicked, this, [this] {
        if (m_replayTimer->isActive()) {
            m_replayTimer->stop();
            m_replay->setText(tr("Replay"));
            return;
        }
        if (m_trace.size() < 2)
            return;
        if (m_timeline->value() >= m_timeline->maximum())
            m_timeline->setValue(0);
        m_replay->setText(tr("Stop"));
        m_replayTimer->start(16);
    });
    connect(m_timeline, &QSlider::valueChanged, this, &TrainingPanel::onTimelineMoved);

    connect(m_worker, &TrainingWorker::progress, this, &TrainingPanel::onProgress);
    connect(m_worker, &TrainingWorker::trainingFailed, this, &TrainingPanel::onTrainingFailed);
    connect(&m_landscapeWatcher, &QFutureWatcher<LossLandscape>::finished, this, &TrainingPanel::onLandscapeFinished);

    auto *space = new QShortcut(QKeySequence(Qt::Key_Space), this);
    space->setContext(Qt::WidgetWithChildrenShortcut);
    connect(space, &QShortcut::activated, this, &TrainingPanel::togglePlay);

    m_config.latents = LatentSpec::sampled(48);
    m_config.loss.beta = kInfiniteBeta;
    applySpeed();
    m_worker->setEpochLimit(m_epochLimit);
    updateEnabledControls();
    updatePlayButton();
    showEpoch(0, false);
}

TrainingPanel::~TrainingPanel()
{
    m_replayTimer->stop();
    if (m_landscapeCancel)
        *m_landscapeCancel = true;
    m_landscapeWatcher.waitForFinished();
}

QWidget *TrainingPanel::buildControls()
{
    auto *box = new QWidget(this);
    auto *grid = new QGridLayout(box);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(10);
    grid->setVerticalSpacing(4);

    m_loss = new QComboBox(box);
    m_loss->setObjectName(QStringLiteral("loss"));
    for (const auto &loss : kLosses)
        m_loss->addItem(QString::fromUtf8(loss.label), int(loss.kind));
    m_zeroTemperature = new QCheckBox(tr("zero temperature (β = ∞)"), box);
    m_zeroTemperature->setObjectName(QStringLiteral("zeroTemperature"));
    m_zeroTemperature->setChecked(true);
    m_beta = new QDoubleSpinBox(box);
    m_beta->setObjectName(QStringLiteral("beta"));
    m_beta->setDecimals(3);
    m_beta->setRange(0.001, 1000.0);
    m_beta->setValue(1.0);
    m_beta->setToolTip(tr("Training inverse temperature: F = F_β (marginalised energy)"));

    m_learningRate = new QDoubleSpinBox(box);
    m_learningRate->setObjectName(QStringLiteral("learningRate"));
    m_learningRate->setDecimals(4);
    m_learningRate->setRange(0.0001, 10.0);
    m_learningRate->setSingleStep(0.01);
    m_learningRate->setValue(m_config.learningRate);
    m_margin = new QDoubleSpinBox(box);
    m_margin->setObjectName(QStringLiteral("margin"));
    m_margin->setDecimals(2);
    m_margin->setRange(0.0, 100.0);
    m_margin->setSingleStep(0.1);
    m_margin->setValue(m_config.loss.margin);

    m_strategy = new QComboBox(box);
    m_strategy->setObjectName(QStringLiteral("negatives"));
    for (const auto &s : kStrategies)
        m_strategy->addItem(QString::fromUtf8(s.label), int(s.strategy));
    m_negativeCount = new QSpinBox(box);
    m_negativeCount->setObjectName(QStringLiteral("negativeCount"));
    m_negativeCount->setRange(1, 64);
    m_negativeCount->setValue(m_config.negatives.count);
    m_negativeCount->setToolTip(tr("Negatives per data point and epoch"));
    m_epochs = new QSpinBox(box);
    m_epochs->setObjectName(QStringLiteral("epochs"));
    m_epochs->setRange(1, 1000000);
    m_epochs->setValue(m_epochLimit);
    m_epochs->setToolTip(tr("Playing stops at this epoch"));

    m_play = new QPushButton(box);
    m_play->setObjectName(QStringLiteral("play"));
    m_play->setToolTip(tr("Play / pause (Space)"));
    m_step = new QPushButton(tr("Step"), box);
    m_step->setObjectName(QStringLiteral("step"));
    m_step->setToolTip(tr("Advance exactly one epoch"));
    m_reset = new QPushButton(tr("Reset"), box);
    m_reset->setObjectName(QStringLiteral("reset"));
    m_reset->setToolTip(tr("Back to epoch 0 at the same start"));
    for (QPushButton *button : {m_play, m_step, m_reset}) {
        button->setFont(plotstyle::font(14, true));
        button->setMinimumHeight(36);
    }
    m_play->setMinimumWidth(QFontMetrics(m_play->font()).horizontalAdvance(QStringLiteral("⏸ Pause")) + 24);
    m_speed = new QSlider(Qt::Horizontal, box);
    m_speed->setObjectName(QStringLiteral("speed"));
    m_speed->setRange(0, kSpeedPositions);
    m_speed->setValue(kDefaultSpeedPosition);
    m_speed->setToolTip(tr("Epochs per second while playing"));
    m_speedLabel = new QLabel(box);
    m_speedLabel->setMinimumWidth(QFontMetrics(m_speedLabel->font()).horizontalAdvance(QStringLiteral("1000 /s")));

    auto label = [box](const QString &text) { return new QLabel(text, box); };
    grid->addWidget(label(tr("Loss")), 0, 0);
    grid->addWidget(m_loss, 0, 1);
    grid->addWidget(m_zeroTemperature, 0, 2, 1, 2);
    grid->addWidget(label(tr("β")), 0, 4, Qt::AlignRight);
    grid->addWidget(m_beta, 0, 5);
    grid->addWidget(label(tr("Rate η")), 1, 0);
    grid->addWidget(m_learningRate, 1, 1);
    grid->addWidget(label(tr("Margin m")), 1, 2);
    grid->addWidget(m_margin, 1, 3);
    grid->addWidget(label(tr("Epochs")), 1, 4, Qt::AlignRight);
    grid->addWidget(m_epochs, 1, 5);
    grid->addWidget(label(tr("Negatives")), 2, 0);
    grid->addWidget(m_strategy, 2, 1);
    grid->addWidget(label(tr("per point")), 2, 2);
    grid->addWidget(m_negativeCount, 2, 3);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_play);
    buttons->addWidget(m_step);
    buttons->addWidget(m_reset);
    buttons->addSpacing(12);
    buttons->addWidget(label(tr("Speed")));
    buttons->addWidget(m_speed, 1);
    buttons->addWidget(m_speedLabel);
    grid->addLayout(buttons, 3, 0, 1, 6);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    grid->setColumnStretch(5, 1);

    connect(m_play, &QPushButton::clicked, this, &TrainingPanel::togglePlay);
    connect(m_step, &QPushButton::clicked, this, &TrainingPanel::stepOnce);
    connect(m_reset, &QPushButton::clicked, this, &TrainingPanel::resetRun);
    connect(m_speed, &QSlider::valueChanged, this, &TrainingPanel::applySpeed);
    connect(m_epochs, &QSpinBox::valueChanged, this, [this](int epochs) {
        m_epochLimit = epochs;
        m_worker->setEpochLimit(epochs);
    });
    connect(m_loss, &QComboBox::currentIndexChanged, this, &TrainingPanel::onSettingsChanged);
    connect(m_strategy, &QComboBox::currentIndexChanged, this, &TrainingPanel::onSettingsChanged);
    connect(m_zeroTemperature, &QCheckBox::toggled, this, &TrainingPanel::onSettingsChanged);
    connect(m_beta, &QDoubleSpinBox::valueChanged, this, &TrainingPanel::onSettingsChanged);
    connect(m_learningRate, &QDoubleSpinBox::valueChanged, this, &TrainingPanel::onSettingsChanged);
    connect(m_margin, &QDoubleSpinBox::valueChanged, this, &TrainingPanel::onSettingsChanged);
    connect(m_negativeCount, &QSpinBox::valueChanged, this, &TrainingPanel::onSettingsChanged);
    return box;
}

void TrainingPanel::setProblem(const std::vector<Vec2> &data, const LatentSpec &latents, const EllipseParams &start)
{
    m_data = data;
    m_config.latents = latents;
    m_config.init = start;
    m_haveProblem = true;
    m_playing = false;
    m_replayTimer->stop();
    clearTrace();
    m_worker->load(TrainingJob{m_data, m_config, m_epochLimit});
    updatePlayButton();
    startLandscape();
}

TrainingWorker *TrainingPanel::worker() const
{
    return m_worker;
}

int TrainingPanel::epochCount() const
{
    return int(m_trace.size());
}

QVector<double> TrainingPanel::lossCurve() const
{
    QVector<double> losses;
    for (auto it = m_lossGraph->data()->constBegin(); it != m_lossGraph->data()->constEnd(); ++it)
        losses.push_back(it->value);
    return losses;
}

int TrainingPanel::shownEpoch() const
{
    return m_timeline->value();
}

bool TrainingPanel::hasLandscape() const
{
    return m_landscapeShown != 0 && m_landscapeShown == m_landscapeToken;
}

QVector<double> TrainingPanel::landscapeValues() const
{
    return m_landscapeValues;
}

void TrainingPanel::togglePlay()
{
    if (!m_haveProblem)
        return;
    m_playing = !m_playing;
    if (m_playing) {
        m_replayTimer->stop();
        m_replay->setText(tr("Replay"));
        m_following = true;
        m_runState = TrainingState::Running; // until the worker says otherwise
        syncTimeline();
        m_worker->play();
    } else {
        m_worker->pause();
    }
    updatePlayButton();
}

void TrainingPanel::stepOnce()
{
    if (!m_haveProblem)
        return;
    m_playing = false;
    m_following = true;
    m_worker->step();
    updatePlayButton();
}

void TrainingPanel::resetRun()
{
    if (!m_haveProblem)
        return;
    m_playing = false;
    m_following = true;
    m_replayTimer->stop();
    m_worker->reset();
    updatePlayButton();
}

void TrainingPanel::clearTrace()
{
    m_trace.clear();
    m_traceGeneration = 0;
    m_runState = TrainingState::Paused;
    m_following = true;
    m_lossGraph->data()->clear();
    m_path->data()->clear();
    m_startMarker->data()->clear();
    m_currentMarker->data()->clear();
    m_lossMarker->data()->clear();
    syncTimeline();
}

void TrainingPanel::onProgress(const TrainingProgress &progress)
{
    // Progress of a replaced run (an older load or reset) is stale.
    if (progress.generation != m_worker->latestGeneration())
        return;
    if (progress.generation != m_traceGeneration) {
        clearTrace();
        m_traceGeneration = progress.generation;
    }
    for (const TracePoint &row : progress.rows) {
        if (row.epoch != int(m_trace.size()))
            continue; // rows arrive in order without gaps; anything else is not ours
        m_trace.push_back(row);
        m_lossGraph->addData(row.epoch, row.loss);
        appendToPath(m_path, row);
        if (row.epoch == 0)
            m_startMarker->setData({row.w.w1}, {row.w.w2});
    }
    if (m_trace.empty())
        return;

    // The loss axis: all epochs so far, and the losses' range with a little room.
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    bool found = false;
    const QCPRange valueRange = m_lossGraph->getValueRange(found);
    if (found) {
        lo = std::min(0.0, valueRange.lower);
        hi = valueRange.upper > lo ? valueRange.upper : lo + 1.0;
        m_lossPlot->yAxis->setRange(lo, hi + 0.05 * (hi - lo));
    }
    // A little room on the right so the marker of the newest epoch is not cut in half.
    const double lastEpoch = std::max(10, m_trace.back().epoch);
    m_lossPlot->xAxis->setRange(0, lastEpoch * 1.03);

    m_runState = progress.state;
    switch (progress.state) {
    case TrainingState::Running:
        break;
    case TrainingState::Paused:
        break;
    case TrainingState::Finished:
        if (m_playing)
            emit message(tr("Training stopped at the epoch limit (%1 epochs)").arg(m_trace.back().epoch));
        m_playing = false;
        break;
    case TrainingState::Diverged:
        m_playing = false;
        emit message(tr("Training diverged: %1 — try a smaller η").arg(progress.message));
        break;
    }
    updatePlayButton();
    syncTimeline();
    if (m_following) {
        std::vector<Vec2> data, negatives;
        for (const PairReport &pair : progress.pairs) {
            if (pair.dataIndex >= 0 && size_t(pair.dataIndex) < m_data.size()) {
                data.push_back(m_data[size_t(pair.dataIndex)]);
                negatives.push_back(pair.negative);
            }
        }
        emit pairsChanged(data, negatives);
    }
}

void TrainingPanel::onTrainingFailed(quint64 generation, const QString &text)
{
    Q_UNUSED(generation);
    m_playing = false;
    updatePlayButton();
    emit message(tr("Training refused: %1").arg(text));
}

void TrainingPanel::syncTimeline()
{
    const int last = std::max(0, int(m_trace.size()) - 1);
    {
        const QSignalBlocker blocker(m_timeline);
        m_timeline->setMaximum(last);
        if (m_following)
            m_timeline->setValue(last);
    }
    showEpoch(m_timeline->value(), m_following);
}

void TrainingPanel::onTimelineMoved(int epoch)
{
    // A person moved the timeline: the plane shows that epoch until play, step or the end of the timeline.
    m_following = epoch >= m_timeline->maximum() && !m_replayTimer->isActive();
    showEpoch(epoch, true);
}

void TrainingPanel::showEpoch(int epoch, bool emitParameters)
{
    const int last = int(m_trace.size()) - 1;
    m_timelineLabel->setText(QStringLiteral("%1 / %2").arg(std::max(0, epoch)).arg(std::max(0, last)));
    if (last < 0 || epoch > last || epoch < 0) {
        m_readout->setText(tr("epoch 0    w = (%1, %2)").arg(number(m_config.init.w1), number(m_config.init.w2)));
        m_lossPlot->replot(QCustomPlot::rpQueuedReplot);
        m_landscapePlot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const TracePoint &row = m_trace[size_t(epoch)];
    m_currentMarker->setData({row.w.w1}, {row.w.w2});
    m_lossMarker->setData({double(row.epoch)}, {row.loss});
    const bool scrubbed = epoch != last;
    m_lossEpochLine->setVisible(scrubbed);
    m_lossEpochLine->point1->setCoords(row.epoch, 0.0);
    m_lossEpochLine->point2->setCoords(row.epoch, 1.0);
    m_readout->setText(tr("epoch %1    w = (%2, %3)    L = %4%5")
                           .arg(row.epoch)
                           .arg(number(row.w.w1), number(row.w.w2), QString::number(row.loss, 'g', 5),
                                scrubbed ? tr("   (scrubbed)") : QString()));
    m_lossPlot->replot(QCustomPlot::rpQueuedReplot);
    m_landscapePlot->replot(QCustomPlot::rpQueuedReplot);
    if (emitParameters)
        emit parametersChanged(row.w);
}

void TrainingPanel::replayTick()
{
    const double eps = speedAt(m_speed->value());
    // At most one frame's worth of epochs per tick; at least one.
    const int advance = std::isinf(eps) ? 8 : std::max(1, int(std::lround(eps * 0.016)));
    static_assert(kSpeedPositions > 0);
    const int next = std::min(m_timeline->maximum(), m_timeline->value() + advance);
    m_timeline->setValue(next);
    if (next >= m_timeline->maximum()) {
        m_replayTimer->stop();
        m_replay->setText(tr("Replay"));
        m_following = true;
    } else if (!std::isinf(eps) && eps < 60.0) {
        m_replayTimer->setInterval(int(1000.0 / eps));
    } else {
        m_replayTimer->setInterval(16);
    }
}

void TrainingPanel::applySpeed()
{
    const double eps = speedAt(m_speed->value());
    m_speedLabel->setText(speedText(eps));
    m_worker->setSpeed(eps);
}

void TrainingPanel::updatePlayButton()
{
    m_play->setText(m_playing ? QStringLiteral("⏸ Pause") : QStringLiteral("▶ Play"));
}

void TrainingPanel::updateEnabledControls()
{
    const auto kind = LossKind(m_loss->currentData().toInt());
    m_beta->setEnabled(!m_zeroTemperature->isChecked());
    m_margin->setEnabled(lossUsesMargin(kind));
    m_strategy->setEnabled(lossUsesNegatives(kind));
    m_negativeCount->setEnabled(lossUsesNegatives(kind));
}

void TrainingPanel::onSettingsChanged()
{
    updateEnabledControls();
    TrainingConfig config = m_config;
    config.loss.kind = LossKind(m_loss->currentData().toInt());
    config.loss.beta = m_zeroTemperature->isChecked() ? kInfiniteBeta : m_beta->value();
    config.loss.margin = m_margin->value();
    config.learningRate = m_learningRate->value();
    config.negatives.strategy = NegativeStrategy(m_strategy->currentData().toInt());
    config.negatives.count = m_negativeCount->value();
    if (config == m_config)
        return;
    const bool landscapeChanged = config.loss != m_config.loss || config.negatives != m_config.negatives;
    m_config = config;
    if (!m_haveProblem)
        return;
    m_worker->setConfig(m_config);
    if (landscapeChanged)
        startLandscape();
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
        QtConcurrent::run(computeLandscape, m_landscapeToken, m_data, m_config, m_landscapeCancel));
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
