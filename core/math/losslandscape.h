// The loss as a function of the decoder parameters, L(w1, w2), on a grid: the training panel's landscape.
#pragma once

#include "math/trainer.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace ebm {

//! values[j * cells + i] = L_0(w) at w = (lower + i h, lower + j h), h = (upper - lower) / (cells - 1).
struct LossLandscape
{
    std::uint64_t tag = 0; //!< the caller's, copied through (a generation to drop stale results)
    int nx = 0, ny = 0;
    double w1Lower = 0.0, w1Upper = 0.0, w2Lower = 0.0, w2Upper = 0.0;
    std::vector<double> values; //!< NaN where the loss is not finite
    bool cancelled = false;     //!< also set when the configuration cannot be trained on
};

//! \brief L_0(w) = the dataset loss with epoch 0's negatives, on a cells x cells grid over [lower, upper]^2, its rows
//! shared among \a threads threads (0: every hardware thread), each cell evaluated by \a path
LossLandscape lossLandscape(std::vector<Vec2> data, const TrainingConfig &config, double lower, double upper, int cells,
                            const std::atomic<bool> *cancel = nullptr, int threads = 0,
                            EvaluationPath path = EvaluationPath::Fast);

} // namespace ebm
