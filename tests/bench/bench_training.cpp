// Training benchmark: microseconds per epoch (and epochs per second) for every loss, by the fast path (FastLoss)
// beside the reference functions of losses.h measured in the same run, and the loss landscape at 128^2.
// Prints a table with each target and ratio; exits 1 only when the two paths' traces disagree (performance is
// reported, never asserted: a loaded CI machine must not fail the build).
#include "math/dataset.h"
#include "math/losslandscape.h"
#include "math/parallelblocks.h"
#include "math/trainer.h"

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

using namespace ebm;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

//! CPU time of this thread in seconds: on a machine shared with other builds the wall time also counts the time
//! the scheduler gave to others; both are printed.
double threadCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

struct EpochTiming
{
    double us = 0.0;    //!< median over batches of the wall time per epoch
    double cpuUs = 0.0; //!< the same in this thread's CPU time
    double lossAt = 0;  //!< the loss after the timed epochs (to compare the paths)
    int epochs = 0;
};

//! Epochs of a fresh run, in batches, until \a budget seconds are spent; the median batch's time per epoch.
EpochTiming timeEpochs(const std::vector<Vec2> &data, const TrainingConfig &config, EvaluationPath path, double budget)
{
    TrainingRun run(data, config, nullptr, path);
    run.run(2); // warm-up: tables, scratch, caches
    std::vector<double> perEpoch, cpuPerEpoch;
    int batch = 1;
    const auto start = Clock::now();
    while (secondsSince(start) < budget || perEpoch.size() < 3) {
        const auto t = Clock::now();
        const double cpu = threadCpuSeconds();
        const int taken = run.run(batch);
        if (taken == 0) { // diverged: start again from the same w
            run.reset();
            continue;
        }
        const double s = secondsSince(t);
        perEpoch.push_back(s / taken * 1e6);
        cpuPerEpoch.push_back((threadCpuSeconds() - cpu) / taken * 1e6);
        if (s < 2e-3)
            batch *= 2;
        if (run.epoch() > 100000)
            run.reset(); // keeps the trace small
    }
    std::sort(perEpoch.begin(), perEpoch.end());
    std::sort(cpuPerEpoch.begin(), cpuPerEpoch.end());
    return {perEpoch[perEpoch.size() / 2], cpuPerEpoch[cpuPerEpoch.size() / 2], run.current().loss, run.epoch()};
}

struct Row
{
    std::string name;
    LossKind kind;
    double beta;
    LatentSpec latents;
    int dataCount = 24;
    NegativeStrategy strategy = NegativeStrategy::Uniform;
};

TrainingConfig configFor(const Row &row)
{
    TrainingConfig c;
    c.loss.kind = row.kind;
    c.loss.beta = row.beta;
    c.latents = row.latents;
    c.negatives.strategy = row.strategy;
    c.learningRate = 0.01;
    return c;
}

//! The first \a epochs rows of both paths' traces agree to 1e-8 relative (1e-9 per evaluation, compounded).
bool tracesAgree(const std::vector<Vec2> &data, const TrainingConfig &config, int epochs)
{
    TrainingRun fast(data, config), reference(data, config, nullptr, EvaluationPath::Reference);
    if (fast.run(epochs) != reference.run(epochs))
        return false;
    for (size_t k = 0; k < fast.trace().size(); ++k) {
        const TracePoint &a = fast.trace()[k], &b = reference.trace()[k];
        const double scale = std::max({std::abs(b.loss), 1e-12});
        if (std::abs(a.loss - b.loss) > 1e-8 * scale || std::abs(a.w.w1 - b.w.w1) > 1e-8 ||
            std::abs(a.w.w2 - b.w.w2) > 1e-8)
            return false;
    }
    return true;
}

bool epochTable()
{
    const std::vector<Vec2> data24 = ellipseSamples(DatasetSpec{});
    DatasetSpec spec48;
    spec48.count = 48;
    const std::vector<Vec2> data48 = ellipseSamples(spec48);
    const LatentSpec n48 = LatentSpec::sampled(48), cont = LatentSpec::continuous();
    std::vector<Row> rows;
    for (const auto &[latents, label] : {std::pair{n48, "N=48"}, {cont, "continuous"}}) {
        for (LossKind kind : {LossKind::Energy, LossKind::Hinge, LossKind::Log, LossKind::Simple,
                              LossKind::SquareSquare, LossKind::Nll}) {
            for (double beta : {kInfiniteBeta, 1.0})
                rows.push_back(
                    {lossKindName(kind) + " " + label + (std::isinf(beta) ? " b=inf" : " b=1"), kind, beta, latents});
        }
    }
    rows.push_back({"hinge N=48 b=1 offending(K=16)", LossKind::Hinge, 1.0, n48, 24, NegativeStrategy::Offending});
    rows.push_back({"energy N=48 b=1, 48 data", LossKind::Energy, 1.0, n48, 48});
    rows.push_back({"hinge N=48 b=1, 48 data", LossKind::Hinge, 1.0, n48, 48});
    rows.push_back({"nll N=48 b=1, 48 data", LossKind::Nll, 1.0, n48, 48});

    std::printf("training epoch, full batch (24 data points unless stated, NLL over 21x21 candidates, 1 negative per "
                "point), single thread\n");
    std::printf(
        "  (us: wall-clock median per epoch, in brackets this thread's CPU time; ratio and target on CPU time)\n");
    std::printf("  %-34s %18s %22s %8s %10s %11s %6s\n", "loss, latents, beta", "fast us (cpu)", "reference us (cpu)",
                "ratio", "fast ep/s", "target", "agree");
    bool ok = true;
    for (const Row &row : rows) {
        const TrainingConfig config = configFor(row);
        const std::vector<Vec2> &data = row.dataCount == 48 ? data48 : data24;
        const EpochTiming fast = timeEpochs(data, config, EvaluationPath::Fast, 0.3);
        const EpochTiming reference = timeEpochs(data, config, EvaluationPath::Reference, 0.3);
        const bool agree = tracesAgree(data, config, row.latents.isContinuous() ? 3 : 10);
        ok = ok && agree;
        const bool targeted = !row.latents.isContinuous() && row.dataCount == 24;
        std::printf("  %-34s %9.2f (%6.2f) %11.2f (%8.2f) %7.1fx %10.0f %11s %6s\n", row.name.c_str(), fast.us,
                    fast.cpuUs, reference.us, reference.cpuUs, reference.cpuUs / fast.cpuUs, 1e6 / fast.us,
                    targeted ? (fast.cpuUs < 50.0 ? "<50 met" : "<50 MISSED") : "report", agree ? "yes" : "NO");
    }
    return ok;
}

double medianMs(int reps, const std::function<void()> &run)
{
    std::vector<double> ms;
    for (int r = 0; r < reps; ++r) {
        const auto start = Clock::now();
        run();
        ms.push_back(secondsSince(start) * 1e3);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

bool landscapeTable()
{
    // The reference path is too slow for 128^2 at every loss; it is timed on a 32^2 grid and scaled by 16 (the
    // cost is per cell), and the fast path's 32^2 values are compared with it.
    const std::vector<Vec2> data = ellipseSamples(DatasetSpec{});
    const int threads = hardwareThreads();
    std::printf("loss landscape L(w1, w2) over [0, 3]^2 (24 data points, N = 48): fast path on %d threads at 128^2, "
                "reference single thread timed at 32^2 x 16\n",
                threads);
    std::printf("  %-24s %12s %12s %14s %9s %10s %10s\n", "loss, beta", "fast 1 thr", "fast all", "reference(est)",
                "ratio", "target", "max rel");
    bool ok = true;
    for (const Row &row : std::vector<Row>{{"energy b=inf", LossKind::Energy, kInfiniteBeta, LatentSpec::sampled(48)},
                                           {"energy b=1", LossKind::Energy, 1.0, LatentSpec::sampled(48)},
                                           {"hinge b=1", LossKind::Hinge, 1.0, LatentSpec::sampled(48)},
                                           {"nll b=1", LossKind::Nll, 1.0, LatentSpec::sampled(48)},
                                           {"nll b=inf", LossKind::Nll, kInfiniteBeta, LatentSpec::sampled(48)}}) {
        const TrainingConfig config = configFor(row);
        LossLandscape fast;
        const double allMs = medianMs(5, [&] { fast = lossLandscape(data, config, 0.0, 3.0, 128, nullptr, threads); });
        const double oneMs = medianMs(3, [&] { lossLandscape(data, config, 0.0, 3.0, 128, nullptr, 1); });
        LossLandscape reference, fast32 = lossLandscape(data, config, 0.0, 3.0, 32, nullptr, 1);
        const double referenceMs =
            16.0 * medianMs(1, [&] {
                reference = lossLandscape(data, config, 0.0, 3.0, 32, nullptr, 1, EvaluationPath::Reference);
            });
        double worst = 0.0;
        for (size_t c = 0; c < reference.values.size(); ++c)
            worst = std::max(worst, std::abs(fast32.values[c] - reference.values[c]) /
                                        std::max(std::abs(reference.values[c]), 1e-12));
        ok = ok && worst <= 1e-9 && !fast.cancelled;
        std::printf("  %-24s %9.1f ms %9.1f ms %11.0f ms %8.0fx %10s %10.1e\n", row.name.c_str(), oneMs, allMs,
                    referenceMs, referenceMs / allMs, allMs < 100.0 ? "<100 met" : "<100 MISSED", worst);
    }
    return ok;
}

} // namespace

int main()
{
    const bool epochsOk = epochTable();
    const bool landscapeOk = landscapeTable();
    if (!epochsOk || !landscapeOk) {
        std::printf("FAILED: the fast path disagrees with the reference\n");
        return 1;
    }
    return 0;
}
