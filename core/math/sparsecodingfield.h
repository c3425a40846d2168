// Sparse coding's F_inf field by the exact lasso (math/exactlasso.h): one solver per grid row, each cell
// warm-started from its left neighbour's active set, rows shared among threads (math/parallelblocks.h).
#pragma once

#include "math/exactlasso.h"
#include "math/grid.h"

#include <Eigen/Core>

#include <atomic>
#include <optional>

namespace ebm {

//! \brief values(j, i) = F_inf(y) = E(y, z_check_2) at y = (grid.y1At(i), grid.y2At(j)), equal bit for bit to
//! coding.zeroTemperatureExact(y) and to the FISTA reference coding.zeroTemperature(y) to its tolerance; rows shared
//! among \a threads (<= 0: every hardware thread); nothing if *cancel became true. \a stats (optional) receives the
//! solvers' counts summed over the rows.
std::optional<Eigen::MatrixXd> sparseCodingField(const SparseCoding &coding, const Grid &grid, int threads = 1,
                                                 const std::atomic<bool> *cancel = nullptr,
                                                 ExactLasso::Stats *stats = nullptr);

} // namespace ebm
