#include "math/losslandscape.h"

#include "math/fastfield.h"
#include "math/parallelblocks.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>

namespace ebm {

namespace {

using Eigen::MatrixXd;

//! The fast path for sampled latents and negatives that do not depend on w (all but Offending): with w on the grid
//! (ws_i, ws_j), F(y) over the whole grid is the field's split product with aSq(k, i) = (y1 - ws_i cos z_k)^2 and
//! bSq(k, j) = (y2 - ws_j sin z_k)^2 (splitFreeEnergy); the NLL's A(w) is the same product of the candidate axes'
//! own log-sum-exps U(k, i) = -(1/beta) log sum_x exp(-beta (x - ws_i cos z_k)^2) (min at beta = inf), since
//! sum_{y'} exp(-beta F(y')) = (1/N) sum_k exp(-beta U) exp(-beta V). Nothing when not applicable or cancelled.
std::optional<std::vector<double>> splitLandscape(const TrainingRun &run, double lower, double step, int cells,
                                                  int threads, const std::atomic<bool> *cancel)
{
    const TrainingConfig &config = run.config();
    const LossConfig &loss = config.loss;
    const bool contrastive = lossUsesNegatives(loss.kind);
    if (config.latents.isContinuous() || (contrastive && config.negatives.strategy == NegativeStrategy::Offending))
        return std::nullopt;
    const int n = config.latents.count();
    const double beta = loss.beta;
    Eigen::VectorXd cosZ(n), sinZ(n), ws(cells);
    for (int k = 0; k < n; ++k) { // as EllipseEbm's tables
        cosZ[k] = std::cos(config.latents.angle(k));
        sinZ[k] = std::sin(config.latents.angle(k));
    }
    for (int i = 0; i < cells; ++i)
        ws[i] = lower + i * step; // as the per-cell path
    // aSq(k, i) = (offset - ws_i trig_k)^2, the reference's y - w * cos z, then squared
    const auto table = [&](double offset, const Eigen::VectorXd &trig) {
        MatrixXd sq(n, cells);
        for (int i = 0; i < cells; ++i) {
            for (int k = 0; k < n; ++k) {
                const double d = offset - ws[i] * trig[k];
                sq(k, i) = d * d;
            }
        }
        return sq;
    };
    const auto fieldAt = [&](const Vec2 &y) {
        return splitFreeEnergy(table(y.x(), cosZ), table(y.y(), sinZ), beta, threads, cancel);
    };
    std::vector<std::vector<Vec2>> negatives;
    if (contrastive) // epoch 0's; Uniform and Noise never rank by F
        negatives = drawNegatives(
            config.negatives, loss.view, run.data(), [](const Vec2 &) { return 0.0; }, 0);
    MatrixXd total = MatrixXd::Zero(cells, cells); // (j, i): w = (ws_i, ws_j)
    std::optional<MatrixXd> partition;
    if (loss.kind == LossKind::Nll) {
        const auto axisTable = [&](const std::vector<double> &axis, const Eigen::VectorXd &trig) {
            MatrixXd u(n, cells);
            for (int i = 0; i < cells; ++i) {
                for (int k = 0; k < n; ++k) {
                    double lo = std::numeric_limits<double>::infinity();
                    for (double x : axis) {
                        const double d = x - ws[i] * trig[k];
                        lo = std::min(lo, d * d);
                    }
                    double sum = 0.0;
                    for (double x : axis) {
                        const double d = x - ws[i] * trig[k];
                        sum += std::isinf(beta) ? 0.0 : std::exp(-beta * (d * d - lo));
                    }
                    u(k, i) = std::isinf(beta) ? lo : lo - std::log(sum) / beta;
                }
            }
            return u;
        };
        partition = splitFreeEnergy(axisTable(nllAxis(loss.view.x0, loss.view.x1, loss.candidatesX), cosZ),
                                    axisTable(nllAxis(loss.view.y0, loss.view.y1, loss.candidatesY), sinZ), beta,
                                    threads, cancel);
        if (!partition)
            return std::nullopt;
    }
    const std::vector<Vec2> &data = run.data();
    for (size_t p = 0; p < data.size(); ++p) {
        const std::optional<MatrixXd> f = fieldAt(data[p]);
        if (!f)
            return std::nullopt;
        if (!contrastive) {
            total += loss.kind == LossKind::Nll ? MatrixXd(*f - *partition) : *f; // l = F + A, A = -that product
            continue;
        }
        const double perPair = 1.0 / static_cast<double>(negatives[p].size());
        for (const Vec2 &yHat : negatives[p]) {
            const std::optional<MatrixXd> g = fieldAt(yHat);
            if (!g)
                return std::nullopt;
            for (Eigen::Index c = 0; c < total.size(); ++c)
                total(c) +=
                    perPair * pairLoss(loss.kind, loss.margin, {(*f)(c), Vec2::Zero()}, {(*g)(c), Vec2::Zero()}).value;
        }
    }
    total /= static_cast<double>(data.size());
    std::vector<double> values(size_t(cells) * size_t(cells));
    for (int j = 0; j < cells; ++j) {
        for (int i = 0; i < cells; ++i) {
            const double v = total(j, i);
            values[size_t(j) * size_t(cells) + size_t(i)] =
                std::isfinite(v) ? v : std::numeric_limits<double>::quiet_NaN();
        }
    }
    return values;
}

} // namespace

LossLandscape lossLandscape(std::vector<Vec2> data, const TrainingConfig &config, double lower, double upper, int cells,
                            const std::atomic<bool> *cancel, int threads, EvaluationPath path)
{
    LossLandscape result;
    result.nx = result.ny = cells;
    result.w1Lower = result.w2Lower = lower;
    result.w1Upper = result.w2Upper = upper;
    const double step = (upper - lower) / (cells - 1);
    try {
        // The run only evaluates: L_0(w), the loss with epoch 0's negatives.
        const TrainingRun run(std::move(data), config, cancel, path);
        const int workers = threads > 0 ? threads : hardwareThreads();
        if (path == EvaluationPath::Fast && cells > 1) {
            if (std::optional<std::vector<double>> v = splitLandscape(run, lower, step, cells, workers, cancel)) {
                result.values = std::move(*v);
                return result;
            }
            if (cancel && cancel->load()) {
                result.cancelled = true;
                return result;
            }
        }
        result.values.resize(size_t(cells) * size_t(cells));
        // One row of w per work item; TrainingRun::evaluate is const and keeps its scratch per thread.
        std::atomic<bool> stopped{false};
        const bool finished = parallelBlocks(cells, workers, cancel, [&](int j) {
            for (int i = 0; i < cells && !stopped.load(std::memory_order_relaxed); ++i) {
                const EllipseParams w{lower + i * step, lower + j * step};
                const std::optional<DatasetLoss> l = run.evaluate(w, 0, cancel);
                if (!l) {
                    stopped = true;
                    return;
                }
                result.values[size_t(j) * size_t(cells) + size_t(i)] =
                    std::isfinite(l->value) ? l->value : std::numeric_limits<double>::quiet_NaN();
            }
        });
        if (!finished || stopped) {
            result.cancelled = true;
            return result;
        }
    } catch (const std::exception &) {
        result.cancelled = true; // cancelled, or a configuration the trainer refuses (the worker reports it)
        result.values.clear();
    }
    return result;
}

} // namespace ebm
