// Restoring a saved run into the training panel (a session being opened).
#include "trainingpanel.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QTimer>

#include <algorithm>
#include <cmath>

namespace ebm {

void TrainingPanel::restoreRun(const std::vector<Vec2> &data, const TrainingConfig &config,
                               const std::vector<TracePoint> &trace)
{
    m_replayTimer->stop();
    m_replay->setText(tr("Replay"));
    {
        // The controls show the configuration; they are not edits (m_config is set exactly, below).
        const QSignalBlocker loss(m_loss), zero(m_zeroTemperature), beta(m_beta), rate(m_learningRate),
            margin(m_margin), strategy(m_strategy), count(m_negativeCount);
        m_loss->setCurrentIndex(std::max(0, m_loss->findData(int(config.loss.kind))));
        m_zeroTemperature->setChecked(std::isinf(config.loss.beta));
        if (!std::isinf(config.loss.beta))
            m_beta->setValue(config.loss.beta);
        m_learningRate->setValue(config.learningRate);
        m_margin->setValue(config.loss.margin);
        m_strategy->setCurrentIndex(std::max(0, m_strategy->findData(int(config.negatives.strategy))));
        m_negativeCount->setValue(config.negatives.count);
    }
    updateEnabledControls();
    m_data = data;
    m_config = config;
    m_haveProblem = true;
    m_playing = false;
    clearTrace();

    // The worker continues the recorded run; its first progress repeats the rows shown here, which onProgress
    // skips (they are already in m_trace), so the display is complete now rather than a frame later.
    m_traceGeneration = m_worker->load(TrainingJob{m_data, m_config, m_epochLimit, trace});
    for (const TracePoint &row : trace) {
        m_trace.push_back(row);
        m_lossGraph->addData(row.epoch, row.loss);
        m_path->addData(row.epoch, row.w.w1, row.w.w2);
    }
    if (!trace.empty()) {
        m_startMarker->setData({trace.front().w.w1}, {trace.front().w.w2});
        double lo = 0.0, hi = 0.0;
        for (const TracePoint &row : trace) {
            lo = std::min(lo, row.loss);
            hi = std::max(hi, row.loss);
        }
        if (!(hi > lo))
            hi = lo + 1.0;
        m_lossPlot->yAxis->setRange(lo, hi + 0.05 * (hi - lo));
        m_lossPlot->xAxis->setRange(0, std::max(10, trace.back().epoch) * 1.03);
        // Not following: the plane keeps the restored w until play, step or the timeline moves.
        m_following = false;
        const QSignalBlocker blocker(m_timeline);
        m_timeline->setMaximum(int(trace.size()) - 1);
        m_timeline->setValue(int(trace.size()) - 1);
    }
    updatePlayButton();
    showEpoch(m_timeline->value(), false);
    // The landscape covers the restored path; for the same range the new settings still need their landscape.
    const WRange before = m_landscapeRange;
    fitLandscapeRange();
    if (m_landscapeRange == before)
        startLandscape();
}

} // namespace ebm
