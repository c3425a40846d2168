// Two training runs side by side on the same data from the same start, advanced together epoch by epoch: what the
// compare view shows. Both run in their own model thread (a TrainingWorker each); the slower one sets the pace.
#pragma once

#include "engine/trainingworker.h"

#include <QObject>
#include <QString>

#include <array>
#include <vector>

class QTimer;

namespace ebm {

class LockstepTraining : public QObject
{
    Q_OBJECT
public:
    static constexpr int kSides = 2;
    //! Epochs a side may be asked for ahead of the slower one at full speed (keeps both threads busy).
    static constexpr int kLookahead = 2;

    explicit LockstepTraining(QObject *parent = nullptr);

    //! \brief both runs restart at epoch 0 on \a data from w_0 = \a start with the latents \a latents, paused;
    //! configs[i] gives side i its loss, beta, eta, negatives (its init and latents are replaced)
    void load(const std::vector<Vec2> &data, const LatentSpec &latents, const EllipseParams &start,
              const std::array<TrainingConfig, kSides> &configs);
    //! \brief side \a side trains with \a config from now on; both restart at epoch 0 (a comparison is of whole
    //! runs from the same start), still playing if they were
    void setConfig(int side, const TrainingConfig &config);
    //! \brief playing stops when both reach epoch \a epochs
    void setEpochLimit(int epochs);
    //! \brief at most \a epochsPerSecond common epochs per second; <= 0 or inf: as fast as the slower computes
    void setSpeed(double epochsPerSecond);

    void play();
    void pause();
    //! \brief pauses, then both sides advance exactly one epoch
    void step();
    //! \brief both back to epoch 0 from the same start, paused
    void reset();

    bool isPlaying() const { return m_playing; }
    //! The newest epoch both sides have (a diverged side does not hold the other back); -1 before row 0 arrives.
    int commonEpoch() const;
    //! The epoch both sides were asked to reach.
    int targetEpoch() const { return m_target; }
    int epochLimit() const { return m_epochLimit; }
    const std::vector<Vec2> &data() const { return m_data; }
    const TrainingConfig &config(int side) const { return m_sides[size_t(side)].config; }
    //! Side \a side's trace (may run up to kLookahead epochs past commonEpoch while playing).
    const std::vector<TracePoint> &trace(int side) const { return m_sides[size_t(side)].trace; }
    //! The (data point, negative) pairs of side \a side's loss at \a epoch (empty if none or not known).
    const std::vector<PairReport> &pairs(int side, int epoch) const;
    bool diverged(int side) const { return m_sides[size_t(side)].diverged; }
    QString divergence(int side) const { return m_sides[size_t(side)].message; }
    TrainingWorker *worker(int side) const { return m_sides[size_t(side)].worker; }

signals:
    //! commonEpoch() grew (or a restart brought it back to 0).
    void advanced(int commonEpoch);
    //! Both runs restarted: traces cleared.
    void restarted();
    void playingChanged(bool playing);
    //! Divergence, the epoch limit, a configuration the trainer refused.
    void message(const QString &text);

private:
    struct Side
    {
        TrainingWorker *worker = nullptr;
        TrainingConfig config;
        std::vector<TracePoint> trace;
        std::vector<std::vector<PairReport>> pairs; //!< by epoch
        quint64 generation = 0;
        bool diverged = false;
        QString message;
    };

    void onProgress(int side, const TrainingProgress &progress);
    void restart();
    //! Asks both sides for the next epoch when the pace allows it.
    void pump();
    void setPlaying(bool playing);
    void clearSides();

    std::array<Side, kSides> m_sides;
    std::vector<Vec2> m_data;
    bool m_loaded = false;
    bool m_playing = false;
    int m_target = 0; //!< both sides were asked to reach this epoch
    int m_shown = -1; //!< commonEpoch() at the last advanced()
    int m_epochLimit = 300;
    double m_speed = 20.0;
    QTimer *m_pace;
    bool m_paceDue = true; //!< the pace timer allows the next epoch
};

} // namespace ebm
