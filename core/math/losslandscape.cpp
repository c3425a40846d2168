#include "math/losslandscape.h"

#include <cmath>
#include <exception>
#include <limits>

namespace ebm {

LossLandscape lossLandscape(std::vector<Vec2> data, const TrainingConfig &config, double lower, double upper, int cells,
                            const std::atomic<bool> *cancel)
{
    LossLandscape result;
    result.nx = result.ny = cells;
    result.w1Lower = result.w2Lower = lower;
    result.w1Upper = result.w2Upper = upper;
    const double step = (upper - lower) / (cells - 1);
    try {
        // The run only evaluates: L_0(w), the loss with epoch 0's negatives.
        const TrainingRun run(std::move(data), config, cancel);
        result.values.resize(size_t(cells) * size_t(cells));
        for (int j = 0; j < cells; ++j) {
            for (int i = 0; i < cells; ++i) {
                const EllipseParams w{lower + i * step, lower + j * step};
                const std::optional<DatasetLoss> l = run.evaluate(w, 0, cancel);
                if (!l) {
                    result.cancelled = true;
                    return result;
                }
                result.values[size_t(j) * size_t(cells) + size_t(i)] =
                    std::isfinite(l->value) ? l->value : std::numeric_limits<double>::quiet_NaN();
            }
        }
    } catch (const std::exception &) {
        result.cancelled = true; // cancelled, or a configuration the trainer refuses (the worker reports it)
        result.values.clear();
    }
    return result;
}

} // namespace ebm
