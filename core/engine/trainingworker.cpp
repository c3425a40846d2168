#include "engine/trainingworker.h"

#include "math/parallelblocks.h"

#include <cmath>
#include <exception>

namespace ebm {

TrainingWorker::TrainingWorker(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<ebm::TrainingProgress>();
    m_thread = std::thread([this] {
        runBelowInteractivePriority(); // the window stays responsive while this thread computes
        loop();
    });
}

TrainingWorker::~TrainingWorker()
{
    {
        std::lock_guard lock(m_mutex);
        m_abort = true;
        m_cancel = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

quint64 TrainingWorker::load(const TrainingJob &job)
{
    quint64 generation;
    {
        std::lock_guard lock(m_mutex);
        generation = ++m_generation;
        m_pendingJob = job;
        // The job carries its own configuration and is newer than any queued change or step.
        m_commands.clear();
        m_pendingReset = false;
        m_pendingGeneration = generation;
        m_playing = false;
        m_epochLimit = job.epochs;
        m_cancel = true; // the epoch in progress belongs to a run nobody wants any more
    }
    m_wake.notify_one();
    return generation;
}

quint64 TrainingWorker::reset()
{
    quint64 generation;
    {
        std::lock_guard lock(m_mutex);
        generation = ++m_generation;
        m_pendingReset = true;
        // Queued steps belong to the old trace; the newest configuration still applies (before the reset).
        std::optional<TrainingConfig> newest;
        for (const auto &command : m_commands) {
            if (command)
                newest = command;
        }
        m_commands.clear();
        if (newest)
            m_commands.push_back(newest);
        m_pendingGeneration = generation;
        m_playing = false;
        m_cancel = true;
    }
    m_wake.notify_one();
    return generation;
}

void TrainingWorker::play()
{
    {
        std::lock_guard lock(m_mutex);
        m_playing = true;
        m_stateChanged = true;
    }
    m_wake.notify_one();
}

void TrainingWorker::pause()
{
    {
        std::lock_guard lock(m_mutex);
        m_playing = false;
        m_stateChanged = true;
    }
    m_wake.notify_one();
}

void TrainingWorker::step()
{
    {
        std::lock_guard lock(m_mutex);
        m_playing = false;
        m_commands.emplace_back(std::nullopt);
    }
    m_wake.notify_one();
}

void TrainingWorker::setConfig(const TrainingConfig &config)
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_commands.empty() && m_commands.back())
            m_commands.back() = config;
        else
            m_commands.emplace_back(config);
    }
    m_wake.notify_one();
}

void TrainingWorker::setEpochLimit(int epochs)
{
    {
        std::lock_guard lock(m_mutex);
        m_epochLimit = epochs;
        m_stateChanged = true;
    }
    m_wake.notify_one();
}

void TrainingWorker::setSpeed(double epochsPerSecond)
{
    {
        std::lock_guard lock(m_mutex);
        m_delay =
            epochsPerSecond > 0.0 && std::isfinite(epochsPerSecond)
                ? std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / epochsPerSecond))
                : Clock::duration::zero();
    }
    m_wake.notify_one();
}

bool TrainingWorker::apply(std::optional<TrainingJob> &job, std::optional<TrainingConfig> &config, bool resetRequested,
                           quint64 generation)
{
    bool changed = false;
    if (job) {
        m_unsent.clear();
        try {
            m_run.emplace(std::move(job->data), job->config, &m_cancel);
            if (!job->resume.empty() && !m_run->resume(std::move(job->resume), &m_cancel))
                throw TrainingCancelled();
            m_runGeneration = generation;
            m_unsent = m_run->trace();
        } catch (const TrainingCancelled &) {
            m_run.reset(); // a newer load or the destructor cancelled it: nothing to report
        } catch (const std::exception &e) {
            m_run.reset();
            emit trainingFailed(generation, QString::fromUtf8(e.what()));
        }
        changed = true;
    }
    if (config && m_run) {
        try {
            m_run->setConfig(*config);
        } catch (const std::exception &e) {
            emit trainingFailed(m_runGeneration, QString::fromUtf8(e.what()));
        }
    }
    // A cancelled reset keeps the run as it was; whatever cancelled it (a newer reset or load) comes next.
    if (resetRequested && m_run && m_run->reset(&m_cancel)) {
        m_runGeneration = generation;
        m_unsent.assign(1, m_run->current());
        changed = true;
    }
    return changed;
}

void TrainingWorker::emitProgress(TrainingState state)
{
    if (!m_run)
        return;
    TrainingProgress p;
    p.generation = m_runGeneration;
    p.rows = std::move(m_unsent);
    m_unsent.clear();
    p.current = m_run->current();
    p.pairs = m_run->currentPairs();
    p.state = state;
    p.message = QString::fromStdString(m_run->message());
    bool post = false;
    {
        std::lock_guard lock(m_outboxMutex);
        if (m_outbox && m_outbox->generation == p.generation) // not taken yet: its rows come first
            p.rows.insert(p.rows.begin(), m_outbox->rows.begin(), m_outbox->rows.end());
        post = !m_outbox;
        m_outbox = std::move(p);
    }
    // One queued delivery at a time: when the receiver falls behind, the reports merge instead of piling up in its
    // event queue (a queue of them froze the window for seconds under a sanitizer).
    if (post)
        QMetaObject::invokeMethod(this, &TrainingWorker::deliverProgress, Qt::QueuedConnection);
}

void TrainingWorker::deliverProgress()
{
    std::optional<TrainingProgress> report;
    {
        std::lock_guard lock(m_outboxMutex);
        report.swap(m_outbox);
    }
    if (report)
        emit progress(*report);
}

void TrainingWorker::loop()
{
    // The next playing epoch is due m_delay after the previous one started, so a speed change applies to the wait
    // in progress and a slow epoch is not followed by a burst to catch up.
    Clock::time_point lastStart = Clock::time_point::min();
    Clock::time_point lastEmit = Clock::now();
    auto due = [&lastStart](Clock::duration delay) {
        return lastStart == Clock::time_point::min() ? lastStart : lastStart + delay;
    };
    for (;;) {
        std::optional<TrainingJob> job;
        std::optional<TrainingConfig> config;
        bool resetRequested = false, stepRequested = false, playing = false, changed = false;
        quint64 generation = 0;
        int limit = 0;
        Clock::duration delay{};
        {
            std::unique_lock lock(m_mutex);
            // m_run is only touched by this thread, so reading it under our own lock is safe.
            auto canPlay = [this] { return m_playing && m_run && !m_run->diverged() && m_run->epoch() < m_epochLimit; };
            auto ready = [&] {
                return m_abort || m_pendingJob || !m_commands.empty() || m_pendingReset || m_stateChanged ||
                       (canPlay() && Clock::now() >= due(m_delay));
            };
            while (!ready()) {
                if (canPlay())
                    m_wake.wait_until(lock, due(m_delay));
                else
                    m_wake.wait(lock);
            }
            if (m_abort)
                return;
            job.swap(m_pendingJob);
            // The changes queued before the first step, then that step.
            while (!m_commands.empty() && m_commands.front()) {
                config = m_commands.front();
                m_commands.pop_front();
            }
            if (!m_commands.empty()) {
                m_commands.pop_front();
                stepRequested = true;
            }
            std::swap(resetRequested, m_pendingReset);
            std::swap(changed, m_stateChanged);
            generation = m_pendingGeneration;
            playing = m_playing;
            limit = m_epochLimit;
            delay = m_delay;
            m_cancel = false;
        }
        changed = apply(job, config, resetRequested, generation) || changed;
        if (!playing)
            lastStart = Clock::time_point::min(); // the first epoch of a play is immediate
        const Clock::time_point now = Clock::now();
        bool stepped = false;
        if (m_run && !m_run->diverged() &&
            (stepRequested || (playing && m_run->epoch() < limit && now >= due(delay)))) {
            if (playing)
                lastStart = now;
            // A cancelled epoch leaves the run as it was; the command that cancelled it is applied next round.
            stepped = m_run->step(&m_cancel);
            if (stepped)
                m_unsent.push_back(m_run->current());
        }
        if (!m_run)
            continue;
        TrainingState state = TrainingState::Paused;
        if (m_run->diverged())
            state = TrainingState::Diverged;
        else if (m_run->epoch() >= limit)
            state = TrainingState::Finished;
        else if (playing)
            state = TrainingState::Running;
        const bool stopped = playing && state != TrainingState::Running;
        if (stopped) {
            std::lock_guard lock(m_mutex);
            if (!m_stateChanged) // a play or pause that arrived meanwhile decides for itself
                m_playing = false;
        }
        const bool frameDue = Clock::now() - lastEmit >= std::chrono::milliseconds(kEmitIntervalMs);
        if (changed || stepRequested || stopped ||
            (stepped && (frameDue || delay >= std::chrono::milliseconds(kEmitIntervalMs)))) {
            emitProgress(state);
            lastEmit = Clock::now();
        }
    }
}

} // namespace ebm
