// Full-batch gradient descent on w = (w1, w2) for any loss of MODEL.md §3, keeping every epoch. No Qt here.
#pragma once

#include "math/losses.h"

#include <atomic>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ebm {

//! |w1| or |w2| beyond this counts as divergence, like a non-finite w: nothing in the lecture or on screen lives
//! there, and the continuous latent's quadrature is only trusted for moderate energies (MODEL.md §5).
constexpr double kDivergenceBound = 1e6;

struct TrainingConfig
{
    LossConfig loss;
    NegativeSpec negatives;
    LatentSpec latents = LatentSpec::sampled(48);
    double learningRate = 0.1;    //!< eta
    EllipseParams init{1.0, 1.0}; //!< w at epoch 0; the lecture starts from (1, 1)

    bool operator==(const TrainingConfig &) const = default;
};

//! \brief an empty string when \a config can be trained on, else what is wrong (beta <= 0, eta <= 0, ...)
std::string trainingConfigProblem(const TrainingConfig &config);

//! Thrown by the TrainingRun constructor when its cancel flag became true before row 0 was computed.
class TrainingCancelled : public std::runtime_error
{
public:
    TrainingCancelled()
        : std::runtime_error("training was cancelled")
    {
    }
};

//! One row of the trace: w after `epoch` steps and the loss there.
struct TracePoint
{
    int epoch = 0;
    EllipseParams w;
    double loss = 0.0;

    bool operator==(const TracePoint &) const = default;
};

//! A training run as a value: the data, the configuration and the trace so far.
//!
//! Row k of the trace holds w_k and L_k(w_k), where L_k is the loss with epoch k's negatives (drawn from the
//! seed and k alone); the step to row k + 1 is w_{k+1} = w_k - eta dL_k/dw (w_k). The first row is epoch 0, the
//! initial state. Deterministic: the same data and configuration give a bit-identical trace.
class TrainingRun
{
public:
    //! Computes row 0. Throws std::invalid_argument when the data are empty or trainingConfigProblem(config) is
    //! not empty, TrainingCancelled if *cancel became true meanwhile.
    TrainingRun(std::vector<Vec2> data, const TrainingConfig &config, const std::atomic<bool> *cancel = nullptr);

    const TrainingConfig &config() const { return m_config; }
    const std::vector<Vec2> &data() const { return m_data; }
    const std::vector<TracePoint> &trace() const { return m_trace; }
    const TracePoint &current() const { return m_trace.back(); }
    int epoch() const { return m_trace.back().epoch; }
    //! True once a step produced a non-finite loss or w; the state is then the last finite one.
    bool diverged() const { return !m_message.empty(); }
    //! Why training stopped (empty while it can go on).
    const std::string &message() const { return m_message; }
    //! The (data point, negative) pairs behind the current row's loss, for drawing pulls and pushes; empty for
    //! energy and NLL. After a setConfig they stay those of the row's own evaluation until the next step.
    const std::vector<PairReport> &currentPairs() const { return m_pairs; }

    //! \brief w_{k+1} = w_k - eta dL_k/dw (w_k), appending row k + 1; false (nothing appended) if it diverged
    //! (non-finite loss or gradient, |w| beyond kDivergenceBound), had diverged before, or *cancel became true
    bool step(const std::atomic<bool> *cancel = nullptr);
    //! \brief up to \a epochs steps; stops early on divergence or cancel; returns the number of steps taken
    int run(int epochs, const std::atomic<bool> *cancel = nullptr);
    //! \brief the trace back to its first row w_0 = init (of the current configuration), divergence cleared; false
    //! (the run as it was) if *cancel became true meanwhile
    bool reset(const std::atomic<bool> *cancel = nullptr);
    //! \brief continues a recorded run (a saved session): \a trace (epochs 0, 1, ... without gaps, finite) replaces
    //! the trace, and the next step descends from its last row w_k with epoch k's negatives, as if the run had got
    //! there itself; throws std::invalid_argument for an empty or gapped trace; false (the run as it was) if
    //! *cancel became true meanwhile
    bool resume(std::vector<TracePoint> trace, const std::atomic<bool> *cancel = nullptr);
    //! Takes effect at the next step (the rows already in the trace keep the loss they were computed with).
    //! Throws std::invalid_argument as the constructor does.
    void setConfig(const TrainingConfig &config);

    //! \brief L_k(w) and dL_k/dw with epoch k's negatives, the function the step from row k descends
    std::optional<DatasetLoss> evaluate(const EllipseParams &w, int epoch,
                                        const std::atomic<bool> *cancel = nullptr) const;

private:
    //! Row 0 from init (message set when its loss is not finite); false, nothing changed, if cancelled.
    bool start(const std::atomic<bool> *cancel);

    std::vector<Vec2> m_data;
    TrainingConfig m_config;
    std::vector<TracePoint> m_trace;
    //! dL_k/dw at the last row, kept from evaluating its loss so that each step evaluates once.
    std::optional<Vec2> m_gradient;
    std::vector<PairReport> m_pairs;
    std::string m_message;
};

} // namespace ebm
