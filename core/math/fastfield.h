// The fast field paths: the same numbers as evaluateField (the reference, kept as the oracle), at the cost of a
// matrix product for F_beta on sampled latents, vectorised minima for F_inf, and threads for everything else.
#pragma once

#include "math/ellipseebm.h"
#include "math/field.h"
#include "math/grid.h"
#include "math/parallelblocks.h" // hardwareThreads(): what threads <= 0 stands for

#include <Eigen/Core>

#include <atomic>
#include <optional>

namespace ebm {

//! What the fast path did, for tests and benchmarks: which cells it could not take through the product.
struct FastFieldStats
{
    long long productCells = 0;  //!< F_beta cells taken from S = B A, log branch
    long long expm1Cells = 0;    //!< F_beta cells taken from the expm1 product (hot: S/N >= 1/2)
    long long fallbackCells = 0; //!< F_beta cells recomputed by the direct log-sum-exp (S underflowed)
    int threads = 1;             //!< threads actually used
};

//! \brief values(j, i) = field at (grid.y1At(i), grid.y2At(j)), equal to evaluateField to 1e-9 relative;
//! F_beta on sampled latents via S(j, i) = sum_z B(j, z) A(z, i), A = exp(-beta ((y1_i - w1 cos z)^2 - aMin_i)),
//! B = exp(-beta ((y2_j - w2 sin z)^2 - bMin_j)), F = aMin_i + bMin_j - (1/beta) log(S / N).
//! \a threads <= 0 means every hardware thread; nothing if *cancel became true meanwhile. Throws
//! std::invalid_argument where the reference would (beta <= 0 for F_beta or the posterior).
std::optional<Eigen::MatrixXd> evaluateFieldFast(const EllipseEbm &model, const FieldRequest &request, const Grid &grid,
                                                 int threads = 1, const std::atomic<bool> *cancel = nullptr,
                                                 FastFieldStats *stats = nullptr);

//! \brief values(j, i) = -(1/beta) log mean_k exp(-beta (aSq(k, i) + bSq(k, j))), and min_k (aSq(k, i) + bSq(k, j))
//! at beta = inf: the sampled F_beta field's fast path (the same product, hot and underflow branches) for any energy
//! that splits into an N x nx and an N x ny table, such as F at a fixed y over a grid of w. Throws
//! std::invalid_argument for beta <= 0 or tables with different (or no) rows.
std::optional<Eigen::MatrixXd> splitFreeEnergy(const Eigen::MatrixXd &aSq, const Eigen::MatrixXd &bSq, double beta,
                                               int threads = 1, const std::atomic<bool> *cancel = nullptr,
                                               FastFieldStats *stats = nullptr);

} // namespace ebm
