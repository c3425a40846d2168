// The training panel: the run (play, pause, step, reset), the loss curve and the timeline that scrubs back
// through every epoch. The controls are in trainingcontrols.cpp, the loss landscape in traininglandscape.cpp.
#include "trainingpanel.h"
#include "repaintpacer.h"

#include "plotstyle.h"
#include "trainingchoices.h"

#include <qcustomplot.h>

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QSlider>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ebm {

namespace {

const QColor kLossColor(0x1b, 0x3a, 0x7a);
const QColor kCurrentColor(0xd6, 0x28, 0x28);

QString number(double v, int decimals = 4)
{
    return QString::number(v, 'f', decimals);
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
    // The controls read at the plots' size (the window font is smaller); presentation mode scales this font.
    setFont(trainingchoices::controlFont());

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);
    layout->addWidget(buildControls());
    buildLossPlot();
    layout->addWidget(m_lossPlot, 2);
    buildLandscapePlot();
    layout->addWidget(m_landscapePlot, 4);
    layout->addLayout(buildTimeline());
    m_readout = new QLabel(this);
    m_readout->setObjectName(QStringLiteral("readout"));
    m_readout->setFont(plotstyle::font(15));
    layout->addWidget(m_readout);

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

void TrainingPanel::buildLossPlot()
{
    // The loss curve: loss against epoch, with the shown epoch marked.
    m_lossPlot = new QCustomPlot(this);
    // A noisy loss of 10^4 epochs is a zigzag even after QCustomPlot's adaptive sampling, and Qt strokes the joins of a
    // wide polyline slowly (~0.2 s per replot at 3e4 epochs): drawn as segments it is a few ms.
    m_lossPlot->setPlottingHint(QCP::phFastPolylines, true);
    m_lossPlot->setObjectName(QStringLiteral("lossCurve"));
    trainingchoices::styleAxis(m_lossPlot->xAxis, QStringLiteral("epoch"));
    trainingchoices::styleAxis(m_lossPlot->yAxis, QStringLiteral("loss L"));
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
}

QLayout *TrainingPanel::buildTimeline()
{
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
    return timelineRow;
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
    m_landscapeRange = ebm::landscapeRange(m_data, {m_config.init});
    showLandscapeRange();
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

constexpr int kMaxPathPoints = 4000;

void TrainingPanel::appendRow(const TracePoint &row)
{
    if (m_trace.empty()) {
        m_lossLow = m_lossHigh = std::isfinite(row.loss) ? row.loss : 0.0;
    } else if (std::isfinite(row.loss)) {
        m_lossLow = std::min(m_lossLow, row.loss);
        m_lossHigh = std::max(m_lossHigh, row.loss);
    }
    m_trace.push_back(row);
    m_lossGraph->addData(row.epoch, row.loss); // a QCPGraph samples itself down to the pixels when drawn
    // A curve draws every point it holds, so the path keeps only steps of at least a thousandth of the landscape's
    // width (under a pixel); the current-epoch marker shows the exact w.
    const double resolution = 1e-3 * (m_landscapeRange.upper - m_landscapeRange.lower);
    if (m_path->dataCount() == 0 || std::hypot(row.w.w1 - m_pathEnd.w1, row.w.w2 - m_pathEnd.w2) >= resolution) {
        m_path->addData(row.epoch, row.w.w1, row.w.w2);
        m_pathEnd = row.w;
        // A run that jitters for ever (random negatives) still adds points: past the cap every other one goes.
        QCPCurveDataContainer &path = *m_path->data();
        if (path.size() > kMaxPathPoints) {
            QVector<QCPCurveData> kept;
            for (int i = 0; i < path.size() - 1; i += 2)
                kept.push_back(*(path.constBegin() + i));
            kept.push_back(*(path.constEnd() - 1)); // the newest stays, so the line reaches the current marker
            path.set(kept, true);
        }
    }
}

void TrainingPanel::onProgress(const TrainingProgress &progress)
{
    // Progress of a replaced run (an older load or reset) is stale.
    if (progress.generation != m_worker->latestGeneration())
        return;
    const bool newRun = progress.generation != m_traceGeneration;
    if (newRun) {
        clearTrace();
        m_traceGeneration = progress.generation;
    }
    for (const TracePoint &row : progress.rows) {
        if (row.epoch != int(m_trace.size()))
            continue; // rows arrive in order without gaps; anything else is not ours
        appendRow(row);
        if (row.epoch == 0)
            m_startMarker->setData({row.w.w1}, {row.w.w2});
    }
    if (m_trace.empty())
        return;
    // A reset starts from the problem's own range again; a path that leaves the range widens it.
    if (newRun || !m_landscapeRange.contains(m_trace.back().w))
        fitLandscapeRange();

    // The loss axis: all epochs so far, and the losses' range with a little room.
    // Kept up as rows arrive: scanning the whole curve at every progress made long runs ever slower.
    {
        const double lo = std::min(0.0, m_lossLow);
        const double hi = m_lossHigh > lo ? m_lossHigh : lo + 1.0;
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
        RepaintPacer::replot(m_lossPlot);
        RepaintPacer::replot(m_landscapePlot);
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
    RepaintPacer::replot(m_lossPlot);
    RepaintPacer::replot(m_landscapePlot);
    if (emitParameters)
        emit parametersChanged(row.w);
}

void TrainingPanel::replayTick()
{
    const double eps = trainingchoices::speedAt(m_speed->value());
    // At most one frame's worth of epochs per tick; at least one.
    const int advance = std::isinf(eps) ? 8 : std::max(1, int(std::lround(eps * 0.016)));
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

} // namespace ebm
