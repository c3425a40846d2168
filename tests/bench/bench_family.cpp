// The family's fields (issue #7): K-means at 512^2 with the lecture's K = 15 and sparse coding's F_inf, the model
// path (evaluateModelField) beside the point-by-point reference (fieldValue), measured in the same run. Sparse
// coding's model path is the exact lasso (math/exactlasso.h), its reference FISTA to 1e-12 per cell; a second line
// gives the exact solver cold in every cell (no warm start) and how the cells were solved. Prints the figures;
// exits 1 only when the two disagree beyond 1e-9 relative (speed is reported, never asserted).
#include "math/energymodel.h"
#include "math/kmeansmodel.h"
#include "math/parallelblocks.h"
#include "math/sparsecodingfield.h"
#include "math/sparsecodingmodel.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

#include <time.h>

using namespace ebm;

namespace {

using Clock = std::chrono::steady_clock;

double medianMs(int reps, const std::function<void()> &run)
{
    run(); // warm-up: the helper threads start here
    std::vector<double> ms;
    for (int r = 0; r < reps; ++r) {
        const auto start = Clock::now();
        run();
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

//! \brief one line of figures; false when the model path and the reference disagree beyond 1e-9 relative
bool report(const char *label, const EnergyModel &model, const FieldRequest &request, int side, int reps)
{
    const Grid grid{-3.0, 3.0, -3.0, 3.0, side, side};
    Eigen::MatrixXd reference(side, side), fast;
    const auto referenceRun = [&] {
        for (int j = 0; j < side; ++j) {
            for (int i = 0; i < side; ++i)
                reference(j, i) = model.fieldValue(request, Vec2(grid.y1At(i), grid.y2At(j)));
        }
    };
    const double referenceMs = medianMs(std::max(1, reps / 10), referenceRun);
    const double oneMs = medianMs(reps, [&] { fast = *evaluateModelField(model, request, grid, 1); });
    const int all = hardwareThreads();
    const double allMs = medianMs(reps, [&] { evaluateModelField(model, request, grid, all); });
    double worst = 0.0;
    for (int j = 0; j < side; ++j) {
        for (int i = 0; i < side; ++i)
            worst =
                std::max(worst, std::abs(fast(j, i) - reference(j, i)) / std::max(std::abs(reference(j, i)), 1e-300));
    }
    std::printf("%-28s %4dx%-4d reference %9.2f ms | 1 thread %8.2f ms (%6.1fx) | %d threads %8.2f ms | max rel %.1e\n",
                label, side, side, referenceMs, oneMs, referenceMs / oneMs, all, allMs, worst);
    return worst <= 1e-9;
}

double threadCpuMs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return 1e3 * static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_nsec);
}

//! \brief sparse coding's exact field on one thread: wall and thread-CPU medians, the exact solver cold in every
//! cell, the counts of how cells were solved; false when it differs from the cold exact path at all
bool reportSparseExact(const SparseCoding &coding, int side, int reps)
{
    const Grid grid{-3.0, 3.0, -3.0, 3.0, side, side};
    Eigen::MatrixXd cold(side, side), warm;
    const double coldMs = medianMs(1, [&] {
        for (int j = 0; j < side; ++j) {
            for (int i = 0; i < side; ++i)
                cold(j, i) = coding.zeroTemperatureExact(Vec2(grid.y1At(i), grid.y2At(j)));
        }
    });
    std::vector<double> cpu;
    const double wallMs = medianMs(reps, [&] {
        const double start = threadCpuMs();
        warm = *sparseCodingField(coding, grid, 1);
        cpu.push_back(threadCpuMs() - start);
    });
    std::sort(cpu.begin(), cpu.end());
    ExactLasso::Stats stats;
    sparseCodingField(coding, grid, 1, nullptr, &stats);
    std::printf("  exact lasso %4dx%-4d cold per cell %8.2f ms | warm rows %7.2f ms wall, %7.2f ms CPU (%5.0f ns/cell)"
                " | cells: %lld warm, %lld path, %lld zero, %lld FISTA fallback | identical %s\n",
                side, side, coldMs, wallMs, cpu[cpu.size() / 2], 1e6 * cpu[cpu.size() / 2] / (side * side), stats.warm,
                stats.homotopy, stats.zero, stats.fallback, warm == cold ? "yes" : "NO");
    return warm == cold;
}

} // namespace

int main()
{
    const std::vector<Vec2> data = familyData(0);
    KMeans kmeans = KMeans::fromData(data, kLectureClusters, 0);
    for (int step = 0; step < 10; ++step)
        kmeans.lloydStep(data);
    const KMeansModel kmeansModel(kmeans);
    SparseCoding coding = SparseCoding::random(kDefaultAtoms, kDefaultSparsity, 0);
    for (int step = 0; step < 50; ++step)
        coding.trainStep(data, 0.1);
    const SparseCodingModel codingModel(coding);
    bool ok = true;
    ok &= report("kmeans Finf K=15", kmeansModel, {FieldKind::ZeroTemperature, 1.0, 0.0}, 512, 30);
    ok &= report("kmeans F beta=1 K=15", kmeansModel, {FieldKind::FreeEnergy, 1.0, 0.0}, 512, 30);
    ok &= report("kmeans F beta=1e-4 (hot) K=15", kmeansModel, {FieldKind::FreeEnergy, 1e-4, 0.0}, 512, 10);
    ok &= report("kmeans posterior k=3 beta=5", kmeansModel, {FieldKind::Posterior, 5.0, 3.0}, 512, 30);
    // Sparse coding: reference = FISTA to 1e-12 in every cell; model path = the exact lasso, warm-started per row.
    ok &= report("sparse Finf d=8 (exact)", codingModel, {FieldKind::ZeroTemperature, 1.0, 0.0}, 128, 9);
    ok &= reportSparseExact(coding, 128, 9);
    ok &= report("sparse Finf d=8 (exact)", codingModel, {FieldKind::ZeroTemperature, 1.0, 0.0}, 512, 5);
    ok &= reportSparseExact(coding, 512, 5);
    const SparseCodingModel wideModel(SparseCoding::random(16, 0.05, 3));
    ok &= report("sparse Finf d=16 a=0.05", wideModel, {FieldKind::ZeroTemperature, 1.0, 0.0}, 256, 5);
    ok &= reportSparseExact(wideModel.coding(), 256, 5);
    std::printf(ok ? "family fields agree with their references\n" : "DISAGREEMENT beyond 1e-9\n");
    return ok ? 0 : 1;
}
