#include "math/sparsecodingfield.h"

#include "math/parallelblocks.h"

#include <mutex>

namespace ebm {

std::optional<Eigen::MatrixXd> sparseCodingField(const SparseCoding &coding, const Grid &grid, int threads,
                                                 const std::atomic<bool> *cancel, ExactLasso::Stats *stats)
{
    Eigen::MatrixXd values(grid.ny, grid.nx);
    std::mutex statsMutex;
    const bool done = parallelBlocks(grid.ny, threads <= 0 ? hardwareThreads() : threads, cancel, [&](int j) {
        // One solver per row: its warm start follows the row, its cache of factorisations serves the row.
        ExactLasso solver(coding);
        Eigen::VectorXd z(coding.atoms());
        const double y2 = grid.y2At(j);
        for (int i = 0; i < grid.nx; ++i) {
            const Vec3 yDot = lift(Vec2(grid.y1At(i), y2));
            solver.solve(yDot, z);
            values(j, i) = coding.refitEnergy(yDot, z);
        }
        if (stats) {
            const std::lock_guard lock(statsMutex);
            stats->zero += solver.stats().zero;
            stats->warm += solver.stats().warm;
            stats->homotopy += solver.stats().homotopy;
            stats->fallback += solver.stats().fallback;
        }
    });
    if (!done)
        return std::nullopt;
    return values;
}

} // namespace ebm
