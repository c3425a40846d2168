// The family's fields (issue #7): K-means at 512^2 with the lecture's K = 15 and sparse coding's F_inf, the model
// path (evaluateModelField) beside the point-by-point reference (fieldValue), measured in the same run. Prints the
// figures; exits 1 only when the two disagree beyond 1e-9 relative (speed is reported, never asserted).
#include "math/energymodel.h"
#include "math/kmeansmodel.h"
#include "math/parallelblocks.h"
#include "math/sparsecodingmodel.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <vector>

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
    ok &= report("sparse Finf d=8", codingModel, {FieldKind::ZeroTemperature, 1.0, 0.0}, 128, 3);
    ok &= report("sparse Finf d=8", codingModel, {FieldKind::ZeroTemperature, 1.0, 0.0}, 512, 3);
    std::printf(ok ? "family fields agree with their references\n" : "DISAGREEMENT beyond 1e-9\n");
    return ok ? 0 : 1;
}
