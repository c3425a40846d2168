// A model thread that trains w live: play, pause, single step, reset, speed and parameter changes while it runs.
#pragma once

#include "math/trainer.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace ebm {

//! Everything one run needs: plain values, copied into the worker.
struct TrainingJob
{
    std::vector<Vec2> data;
    TrainingConfig config;
    int epochs = 1000; //!< playing stops at this epoch (a single step may go past it)
    //! A recorded trace to continue from (TrainingRun::resume), e.g. a saved session's; empty: start at epoch 0.
    //! The first progress then carries all of its rows.
    std::vector<TracePoint> resume = {};
};

enum class TrainingState {
    Paused,   //!< waiting for play or step
    Running,  //!< playing
    Finished, //!< reached the epoch limit
    Diverged, //!< stopped at the last finite state; see the message
};

//! What the worker reports. Rows arrive in order and without gaps within one generation: the first progress of a
//! generation starts with row 0, each later one continues where the previous one stopped.
struct TrainingProgress
{
    quint64 generation = 0;
    std::vector<TracePoint> rows;  //!< the rows new since the previous progress of this generation (may be empty)
    TracePoint current;            //!< the newest row
    std::vector<PairReport> pairs; //!< TrainingRun::currentPairs() at the newest row
    TrainingState state = TrainingState::Paused;
    QString message; //!< why it stopped, when Diverged
};

class TrainingWorker : public QObject
{
    Q_OBJECT
public:
    explicit TrainingWorker(QObject *parent = nullptr);
    //! Aborts the epoch in progress and joins the thread: closing never waits for a run.
    ~TrainingWorker() override;

    //! \brief replaces the run by \a job at epoch 0, paused (the epoch in progress is abandoned); returns the new
    //! generation. An invalid job reports trainingFailed instead.
    quint64 load(const TrainingJob &job);
    //! \brief back to epoch 0 of the current data with the current configuration (w_0 = config.init), paused;
    //! returns the new generation
    quint64 reset();
    //! \brief plays from the current epoch, w_{k+1} = w_k - eta dL_k/dw, until the epoch limit, divergence or pause()
    void play();
    //! \brief stops after the epoch in progress (which completes and is reported)
    void pause();
    //! \brief pauses and advances exactly one epoch (queued: n calls give n epochs)
    void step();
    //! \brief eta, loss, beta, margin, negatives, latents for the next epoch, i.e. after the steps queued before
    //! this call (consecutive calls: the newest wins); init is used by the next reset(). An invalid configuration
    //! reports trainingFailed and keeps the previous one.
    void setConfig(const TrainingConfig &config);
    //! \brief playing stops (Finished) at epoch \a epochs
    void setEpochLimit(int epochs);
    //! \brief at most \a epochsPerSecond epochs per second while playing; <= 0 or inf: as fast as it computes
    void setSpeed(double epochsPerSecond);

    //! The generation of the newest load() or reset(): progress of older generations is stale.
    quint64 latestGeneration() const { return m_generation.load(); }

    //! While playing, rows are batched into one progress at most this often: a little faster than a 60 Hz display,
    //! so that every refresh finds a new epoch (at exactly 16 ms, timer jitter left some frames without one). A
    //! receiver slower than that gets merged reports, never a backlog.
    static constexpr qint64 kEmitIntervalMs = 12;

signals:
    //! Emitted in this object's thread. Reports the receiver has not taken yet are merged into one (rows
    //! concatenated, the newest state), so a busy receiver gets one report with every epoch instead of a backlog.
    void progress(const ebm::TrainingProgress &progress);
    //! A job or configuration the trainer refused, with the reason.
    void trainingFailed(quint64 generation, const QString &message);

private:
    using Clock = std::chrono::steady_clock;

    void loop();
    //! Applies the commands taken from the queue; returns true if anything changed that should be reported.
    bool apply(std::optional<TrainingJob> &job, std::optional<TrainingConfig> &config, bool resetRequested,
               quint64 generation);
    void emitProgress(TrainingState state);
    //! In this object's thread: emits the report waiting in m_outbox.
    void deliverProgress();

    std::mutex m_mutex;
    std::condition_variable m_wake;
    // Commands, guarded by m_mutex.
    std::optional<TrainingJob> m_pendingJob;
    //! Steps (no config) and configuration changes in the order they were asked for, consecutive changes merged
    //! (the newest wins): a change lands exactly between the steps queued before and after it.
    std::deque<std::optional<TrainingConfig>> m_commands;
    bool m_pendingReset = false;
    quint64 m_pendingGeneration = 0;
    bool m_playing = false;
    bool m_stateChanged = false;
    int m_epochLimit = 1000;
    Clock::duration m_delay{0};

    std::atomic<quint64> m_generation{0};
    std::atomic<bool> m_cancel{false};
    std::atomic<bool> m_abort{false};

    // Owned by the model thread alone.
    std::optional<TrainingRun> m_run;
    quint64 m_runGeneration = 0;
    std::vector<TracePoint> m_unsent;

    // The report on its way to this object's thread (at most one delivery queued), guarded by m_outboxMutex.
    std::mutex m_outboxMutex;
    std::optional<TrainingProgress> m_outbox;

    std::thread m_thread;
};

} // namespace ebm

Q_DECLARE_METATYPE(ebm::TrainingProgress)
