#include "engine/locksteptraining.h"

#include <QTimer>

#include <algorithm>
#include <climits>
#include <cmath>

namespace ebm {

LockstepTraining::LockstepTraining(QObject *parent)
    : QObject(parent)
    , m_pace(new QTimer(this))
{
    m_pace->setSingleShot(true);
    connect(m_pace, &QTimer::timeout, this, [this] {
        m_paceDue = true;
        pump();
    });
    for (int i = 0; i < kSides; ++i) {
        auto *worker = new TrainingWorker(this);
        m_sides[size_t(i)].worker = worker;
        // The workers only ever step: this object decides when, so both advance together.
        connect(worker, &TrainingWorker::progress, this,
                [this, i](const TrainingProgress &progress) { onProgress(i, progress); });
        connect(worker, &TrainingWorker::trainingFailed, this, [this, i](quint64, const QString &text) {
            emit message(tr("Run %1 refused: %2").arg(QChar(u'A' + i)).arg(text));
        });
    }
}

void LockstepTraining::load(const std::vector<Vec2> &data, const LatentSpec &latents, const EllipseParams &start,
                            const std::array<TrainingConfig, kSides> &configs)
{
    setPlaying(false);
    m_data = data;
    m_loaded = true;
    clearSides();
    for (int i = 0; i < kSides; ++i) {
        Side &side = m_sides[size_t(i)];
        side.config = configs[size_t(i)];
        side.config.init = start; // the same start and latents on both sides: only the training differs
        side.config.latents = latents;
        side.generation = side.worker->load(TrainingJob{m_data, side.config, INT_MAX});
    }
    emit restarted();
}

void LockstepTraining::setConfig(int side, const TrainingConfig &config)
{
    Side &s = m_sides[size_t(side)];
    TrainingConfig c = config;
    c.init = s.config.init;
    c.latents = s.config.latents;
    if (c == s.config)
        return;
    s.config = c;
    if (!m_loaded)
        return;
    s.worker->setConfig(c);
    restart();
}

void LockstepTraining::setEpochLimit(int epochs)
{
    m_epochLimit = std::max(1, epochs);
    pump();
}

void LockstepTraining::setSpeed(double epochsPerSecond)
{
    m_speed = epochsPerSecond;
    m_pace->stop();
    m_paceDue = true;
    pump();
}

void LockstepTraining::play()
{
    if (!m_loaded)
        return;
    if (commonEpoch() >= m_epochLimit) {
        emit message(tr("Both runs are at the epoch limit (%1): raise it or reset").arg(m_epochLimit));
        return;
    }
    setPlaying(true);
}

void LockstepTraining::pause()
{
    setPlaying(false);
}

void LockstepTraining::step()
{
    if (!m_loaded)
        return;
    setPlaying(false);
    ++m_target;
    for (Side &side : m_sides) {
        if (!side.diverged)
            side.worker->step();
    }
}

void LockstepTraining::reset()
{
    if (!m_loaded)
        return;
    setPlaying(false);
    restart();
}

void LockstepTraining::restart()
{
    clearSides();
    for (Side &side : m_sides)
        side.generation = side.worker->reset();
    emit restarted();
    pump();
}

void LockstepTraining::clearSides()
{
    for (Side &side : m_sides) {
        side.trace.clear();
        side.pairs.clear();
        side.diverged = false;
        side.message.clear();
    }
    m_target = 0;
    m_shown = -1;
    m_pace->stop();
    m_paceDue = true;
}

int LockstepTraining::commonEpoch() const
{
    int common = INT_MAX, newest = -1;
    bool running = false;
    for (const Side &side : m_sides) {
        const int last = int(side.trace.size()) - 1;
        newest = std::max(newest, last);
        if (!side.diverged) {
            common = std::min(common, last);
            running = true;
        }
    }
    return running ? common : newest;
}

const std::vector<PairReport> &LockstepTraining::pairs(int side, int epoch) const
{
    static const std::vector<PairReport> none;
    const auto &byEpoch = m_sides[size_t(side)].pairs;
    return epoch >= 0 && size_t(epoch) < byEpoch.size() ? byEpoch[size_t(epoch)] : none;
}

void LockstepTraining::onProgress(int index, const TrainingProgress &progress)
{
    Side &side = m_sides[size_t(index)];
    if (progress.generation != side.generation)
        return; // a run replaced by a newer load or reset
    for (const TracePoint &row : progress.rows) {
        if (row.epoch == int(side.trace.size()))
            side.trace.push_back(row);
    }
    // The pairs belong to the newest row (batched rows before it have none we know of).
    if (!side.trace.empty() && progress.current.epoch == side.trace.back().epoch) {
        side.pairs.resize(side.trace.size());
        side.pairs.back() = progress.pairs;
    }
    if (progress.state == TrainingState::Diverged && !side.diverged) {
        side.diverged = true;
        side.message = progress.message;
        emit message(tr("Run %1 diverged after epoch %2 (%3): the other goes on")
                         .arg(QChar(u'A' + index))
                         .arg(side.trace.empty() ? 0 : side.trace.back().epoch)
                         .arg(progress.message));
    }
    const int common = commonEpoch();
    // Every common epoch in turn, also when the workers merged two reports for a window that was busy.
    while (m_shown < common)
        emit advanced(++m_shown);
    if (common < m_shown) { // a run restarted
        m_shown = common;
        emit advanced(common);
    }
    const bool allDiverged = std::all_of(m_sides.begin(), m_sides.end(), [](const Side &s) { return s.diverged; });
    if (m_playing && (allDiverged || common >= m_epochLimit)) {
        setPlaying(false);
        if (!allDiverged)
            emit message(tr("Both runs stopped at the epoch limit (%1 epochs)").arg(m_epochLimit));
    }
    pump();
}

void LockstepTraining::pump()
{
    if (!m_loaded || !m_playing)
        return;
    const int common = commonEpoch();
    if (common < 0)
        return; // row 0 is still on its way
    auto advance = [this] {
        ++m_target;
        for (Side &side : m_sides) {
            if (!side.diverged)
                side.worker->step();
        }
    };
    if (m_speed > 0.0 && std::isfinite(m_speed)) {
        // One epoch per beat, and only once both have the previous one: the slower sets the pace.
        if (!m_paceDue || m_target > common || m_target >= m_epochLimit)
            return;
        advance();
        m_paceDue = false;
        m_pace->start(std::max(1, int(std::lround(1000.0 / m_speed))));
    } else {
        while (m_target - common < kLookahead && m_target < m_epochLimit)
            advance();
    }
}

void LockstepTraining::setPlaying(bool playing)
{
    if (playing == m_playing)
        return;
    m_playing = playing;
    if (playing) {
        m_paceDue = true;
        pump();
    } else {
        m_pace->stop();
    }
    emit playingChanged(playing);
}

} // namespace ebm
