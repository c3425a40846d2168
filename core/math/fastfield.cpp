#include "math/fastfield.h"

#include "math/ellipsedistance.h"
#include "math/parallelblocks.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <stdexcept>

namespace ebm {

namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

// A table entry below exp(-345) ~ 1.4e-150 is stored as 0, so every nonzero product of two entries is a normal
// double (>= 2e-300): the product never meets subnormals, which are both inexact and ~100x slower on x86.
constexpr double kFlushExponent = 345.0;
// Below this S is not trusted: the flushed terms add up to at most N * 1.4e-150 <= 1.4e-144 (N <= 1e6), which is
// 1e-14 of S here, and every kept term is a normal double with full relative precision.
constexpr double kSmallestProduct = 1e-130;
// In the direct sum every term is exp(-x) with x >= 0 and the largest is 1: terms beyond x = 50 (< 2e-22 each)
// cannot move the sum by 1e-15 for N up to 1e6, so their exponentials are not worth computing.
constexpr double kNegligibleExponent = 50.0;
// Output columns per work item: contiguous in the column-major result, small enough for load balance.
constexpr int kBlockColumns = 32;

int blockCount(int columns)
{
    return (columns + kBlockColumns - 1) / kBlockColumns;
}

//! Squared coordinate distances to the sampled manifold: E(y_ij, z_k) = aSq(k, i) + bSq(k, j), bit for bit the
//! reference's d1 * d1 + d2 * d2 (the same decoder products, the same operations); for finite beta also their
//! shifted weights, the two factors of the product.
struct Tables
{
    int n = 0;
    double logN = 0.0;             // log N: F = eMin + log(N) / beta when one term carries the whole sum
    MatrixXd aSq, bSq;             // N x nx and N x ny: (y1_i - w1 cos z_k)^2 and (y2_j - w2 sin z_k)^2
    VectorXd aMin, bMin;           // their minima over k
    VectorXd aSpread, bSpread;     // max - min over k
    MatrixXd aExp, bExpT;          // N x nx and ny x N: exp(-beta (sq - min)), 0 below 1.4e-150
    MatrixXd aExpm1, bExpm1;       // N x nx and N x ny: expm1(-beta (sq - min)), made on demand (hot cells)
    VectorXd aExpm1Sum, bExpm1Sum; // their sums over k
};

//! \brief one column of a table, sq(k) given: its minimum and spread, and, when \a weights is given,
//! weights[k * stride] = exp(-beta (sq(k) - min))
void finishColumn(const double *sq, Eigen::Index n, double beta, double &minimum, double &spread, double *weights,
                  Eigen::Index stride)
{
    double lo = std::numeric_limits<double>::infinity(), hi = 0.0;
    for (Eigen::Index k = 0; k < n; ++k) {
        lo = std::min(lo, sq[k]);
        hi = std::max(hi, sq[k]);
    }
    minimum = lo;
    spread = hi - lo;
    for (Eigen::Index k = 0; k < n && weights; ++k) {
        const double x = beta * (sq[k] - lo);
        weights[k * stride] = x > kFlushExponent ? 0.0 : std::exp(-x);
    }
}

//! The tables (weights only for finite beta) from the two squared-distance tables, their columns shared out among the
//! threads; nothing when cancelled. \a fill(isA, i, sq) may write column i of aSq (isA) or bSq first.
template<typename Fill>
std::optional<Tables> makeTables(Eigen::Index n, Eigen::Index nx, Eigen::Index ny, double beta, int threads,
                                 const std::atomic<bool> *cancel, const Fill &fill)
{
    Tables t;
    t.n = static_cast<int>(n);
    t.logN = std::log(static_cast<double>(t.n));
    t.aSq.resize(n, nx);
    t.bSq.resize(n, ny);
    t.aMin.resize(nx);
    t.bMin.resize(ny);
    t.aSpread.resize(nx);
    t.bSpread.resize(ny);
    if (!std::isinf(beta)) {
        t.aExp.resize(n, nx);
        t.bExpT.resize(ny, n);
    }
    const int aBlocks = blockCount(static_cast<int>(nx)), bBlocks = blockCount(static_cast<int>(ny));
    double *const weights = t.aExp.size() ? t.aExp.data() : nullptr;
    double *const weightsT = t.bExpT.size() ? t.bExpT.data() : nullptr;
    const auto block = [&](int b) {
        const bool isA = b < aBlocks;
        const int first = (isA ? b : b - aBlocks) * kBlockColumns;
        const int last = static_cast<int>(std::min<Eigen::Index>(isA ? nx : ny, first + kBlockColumns));
        for (int i = first; i < last; ++i) {
            double *sq = isA ? &t.aSq(0, i) : &t.bSq(0, i);
            fill(isA, i, sq);
            if (isA)
                finishColumn(sq, n, beta, t.aMin[i], t.aSpread[i], weights ? weights + Eigen::Index(i) * n : nullptr,
                             1);
            else
                finishColumn(sq, n, beta, t.bMin[i], t.bSpread[i], weightsT ? weightsT + i : nullptr, ny);
        }
    };
    if (!parallelBlocks(aBlocks + bBlocks, threads, cancel, block))
        return std::nullopt;
    return t;
}

//! The field's tables: aSq(k, i) = (y1_i - w1 cos z_k)^2, bSq(k, j) = (y2_j - w2 sin z_k)^2.
std::optional<Tables> makeTables(const EllipseEbm &model, const Grid &grid, double beta, int threads,
                                 const std::atomic<bool> *cancel)
{
    const int n = model.latents().count();
    VectorXd c1(n), c2(n);
    for (int k = 0; k < n; ++k) {
        const double z = model.latents().angle(k);
        c1[k] = model.params().w1 * std::cos(z);
        c2[k] = model.params().w2 * std::sin(z);
    }
    return makeTables(n, grid.nx, grid.ny, beta, threads, cancel, [&](bool isA, int i, double *sq) {
        const VectorXd &c = isA ? c1 : c2;
        const double y = isA ? grid.y1At(i) : grid.y2At(i);
        for (int k = 0; k < n; ++k) {
            const double d = y - c[k];
            sq[k] = d * d;
        }
    });
}

//! \brief the expm1 tables of the hot cells: S - N = sum_k [(1 + a'_k)(1 + b'_k) - 1] = sum_k a'_k + sum_k b'_k +
//! sum_k a'_k b'_k, with a' = expm1(-beta (aSq - aMin)); every part is exact to a few ulps, and they cancel by at
//! most a factor 3 (|a' b'| <= min(|a'|, |b'|) for a', b' in [-1, 0]).
void makeExpm1Tables(Tables &t, double beta)
{
    const auto expm1Of = [&](const MatrixXd &sq, const VectorXd &minima) {
        MatrixXd out(sq.rows(), sq.cols());
        for (Eigen::Index i = 0; i < sq.cols(); ++i) {
            for (Eigen::Index k = 0; k < sq.rows(); ++k)
                out(k, i) = std::expm1(-(beta * (sq(k, i) - minima[i])));
        }
        return out;
    };
    t.aExpm1 = expm1Of(t.aSq, t.aMin);
    t.bExpm1 = expm1Of(t.bSq, t.bMin);
    t.aExpm1Sum = t.aExpm1.colwise().sum().transpose();
    t.bExpm1Sum = t.bExpm1.colwise().sum().transpose();
}

//! \brief F_beta(y_ij) = eMin - (1/beta) log mean_k exp(-beta (E_k - eMin)), the reference's log-sum-exp, skipping
//! the exponentials that cannot matter; scratch is a work vector of length N.
double directFreeEnergy(const Tables &t, int i, int j, double beta, VectorXd &scratch)
{
    scratch = t.aSq.col(i) + t.bSq.col(j);
    const double eMin = scratch.minCoeff();
    // Far from the manifold at large beta the minimum is usually alone within reach: then the sum is 1 + < 1e-15.
    // It is alone when the excesses below the reach add up to its own (a vectorised sum; Eigen's count() is not).
    const double reach = eMin + kNegligibleExponent / beta;
    if ((reach - scratch.array()).max(0.0).sum() <= reach - eMin)
        return eMin + t.logN / beta;
    double weight = 0.0;
    for (int k = 0; k < t.n; ++k) {
        if (scratch[k] < reach)
            weight += std::exp(-(beta * (scratch[k] - eMin)));
    }
    const double meanWeight = weight / t.n;
    if (meanWeight < 0.5)
        return eMin - std::log(meanWeight) / beta;
    // Hot: log(1 - tiny) would lose digits, so sum expm1 like the reference.
    double sumExpm1 = 0.0;
    for (int k = 0; k < t.n; ++k)
        sumExpm1 += std::expm1(-(beta * (scratch[k] - eMin)));
    return eMin - std::log1p(sumExpm1 / t.n) / beta;
}

//! \brief F_beta on sampled latents: F(j, i) = aMin_i + bMin_j - (1/beta) log(S(j, i) / N), S = bExpT aExp, one
//! GEMM per block of columns; hot cells (S >= N/2) through the expm1 tables, underflowed ones (S < 1e-130) directly
std::optional<MatrixXd> freeEnergySampled(Tables &t, double beta, int threads, const std::atomic<bool> *cancel,
                                          FastFieldStats &stats)
{
    const int nx = static_cast<int>(t.aSq.cols()), ny = static_cast<int>(t.bSq.cols()), n = t.n;
    const double invN = 1.0 / n, invBeta = 1.0 / beta, half = 0.5 * n;
    MatrixXd values(ny, nx);
    // Every cell is hot when every term is >= 1/2: then the expm1 product alone gives all of them.
    const bool allHot = beta * (t.aSpread.maxCoeff() + t.bSpread.maxCoeff()) <= std::log(2.0);
    std::once_flag expm1Once;
    if (allHot)
        makeExpm1Tables(t, beta);
    std::atomic<long long> productCells{0}, expm1Cells{0}, fallbackCells{0};
    const auto block = [&](int b) {
        const int c0 = b * kBlockColumns, width = std::min(kBlockColumns, nx - c0);
        if (allHot) {
            const MatrixXd m = t.bExpm1.transpose() * t.aExpm1.middleCols(c0, width);
            for (int c = 0; c < width; ++c) {
                const int i = c0 + c;
                for (int j = 0; j < ny; ++j) {
                    const double sumExpm1 = t.aExpm1Sum[i] + t.bExpm1Sum[j] + m(j, c);
                    values(j, i) = t.aMin[i] + t.bMin[j] - std::log1p(sumExpm1 * invN) * invBeta;
                }
            }
            expm1Cells += static_cast<long long>(width) * ny;
            return;
        }
        const MatrixXd s = t.bExpT * t.aExp.middleCols(c0, width);
        long long expm1 = 0, fallback = 0;
        VectorXd scratch(n);
        for (int c = 0; c < width; ++c) {
            const int i = c0 + c;
            // glibc's scalar log (FMA-dispatched at run time) beat Eigen's SSE2 packet log by 2x here.
            for (int j = 0; j < ny; ++j) {
                const double sum = s(j, c);
                if (sum >= kSmallestProduct && sum < half) {
                    values(j, i) = t.aMin[i] + t.bMin[j] - std::log(sum * invN) * invBeta;
                } else if (!(sum >= kSmallestProduct)) {
                    values(j, i) = directFreeEnergy(t, i, j, beta, scratch);
                    ++fallback;
                } else {
                    std::call_once(expm1Once, [&] { makeExpm1Tables(t, beta); });
                    const double sumExpm1 = t.aExpm1Sum[i] + t.bExpm1Sum[j] + t.bExpm1.col(j).dot(t.aExpm1.col(i));
                    values(j, i) = t.aMin[i] + t.bMin[j] - std::log1p(sumExpm1 * invN) * invBeta;
                    ++expm1;
                }
            }
        }
        productCells += static_cast<long long>(width) * ny - expm1 - fallback;
        expm1Cells += expm1;
        fallbackCells += fallback;
    };
    if (!parallelBlocks(blockCount(nx), threads, cancel, block))
        return std::nullopt;
    stats.productCells = productCells;
    stats.expm1Cells = expm1Cells;
    stats.fallbackCells = fallbackCells;
    return values;
}

//! \brief F_inf(y_ij) = min_k (aSq(k, i) + bSq(k, j)), vectorised over the rows j of one output column
std::optional<MatrixXd> zeroTemperatureSampled(const Tables &t, int threads, const std::atomic<bool> *cancel)
{
    const struct
    {
        int nx, ny;
    } grid{static_cast<int>(t.aSq.cols()), static_cast<int>(t.bSq.cols())};
    // Register tiles of kTileRows x kTileCols cells keep their running minima in registers over all k: one load of
    // bSqT per k feeds kTileCols columns, where a column at a time would reload and store every minimum N times.
    constexpr int kTileRows = 8, kTileCols = 4;
    using Tile = Eigen::Array<double, kTileRows, 1>;
    MatrixXd values(grid.ny, grid.nx);
    const MatrixXd bSqT = t.bSq.transpose(); // ny x N: column k contiguous over the output rows
    const int fullRows = grid.ny - grid.ny % kTileRows;
    const auto block = [&](int b) {
        const int c0 = b * kBlockColumns, c1 = std::min(grid.nx, c0 + kBlockColumns);
        int i = c0;
        for (; i + kTileCols <= c1; i += kTileCols) {
            for (int j = 0; j < fullRows; j += kTileRows) {
                Tile m[kTileCols];
                for (int c = 0; c < kTileCols; ++c)
                    m[c].setConstant(std::numeric_limits<double>::infinity());
                for (int k = 0; k < t.n; ++k) {
                    const Tile bk = Eigen::Map<const Tile>(&bSqT(j, k));
                    for (int c = 0; c < kTileCols; ++c)
                        m[c] = m[c].min(bk + t.aSq(k, i + c));
                }
                for (int c = 0; c < kTileCols; ++c)
                    values.col(i + c).segment<kTileRows>(j) = m[c].matrix();
            }
        }
        // The ragged edges: rows past the last full tile of every column, and columns past the last full tile.
        const auto column = [&](int col, int j0) {
            auto v = values.col(col).segment(j0, grid.ny - j0).array();
            v = bSqT.col(0).segment(j0, grid.ny - j0).array() + t.aSq(0, col);
            for (int k = 1; k < t.n; ++k)
                v = v.min(bSqT.col(k).segment(j0, grid.ny - j0).array() + t.aSq(k, col));
        };
        for (int col = c0; col < c1; ++col)
            column(col, col < i ? fullRows : 0);
    };
    if (!parallelBlocks(blockCount(grid.nx), threads, cancel, block))
        return std::nullopt;
    return values;
}

//! Eberly's frame for the distance to the ellipse: semi-axes e0 >= e1 along the point's coordinates (p0, p1) =
//! (|y1|, |y2|), swapped when |w2| > |w1|; r = (e0 / e1)^2 and rho = r - 1, formed without cancellation.
struct EllipseFrame
{
    double e0 = 0.0, e1 = 0.0, r = 1.0, rho = 0.0;
    double invE0 = 0.0, invE1 = 0.0;
    bool swap = false;
};

EllipseFrame ellipseFrame(const EllipseParams &w)
{
    EllipseFrame f;
    const double a = std::abs(w.w1), b = std::abs(w.w2);
    f.swap = a < b;
    f.e0 = std::max(a, b);
    f.e1 = std::min(a, b);
    f.r = (f.e0 / f.e1) * (f.e0 / f.e1);
    f.rho = (f.e0 - f.e1) * (f.e0 + f.e1) / (f.e1 * f.e1);
    f.invE0 = 1.0 / f.e0;
    f.invE1 = 1.0 / f.e1;
    return f;
}

using Lanes = Eigen::Array<double, 8, 1>;

//! \brief the squared distance from (p0, p1) > 0 to the ellipse: the root sigma of g(sigma) = (n0 / (sigma + rho))^2
//! + (z1 / sigma)^2 - 1 (z = p / e, n0 = r z0; Eberly's s = sigma - 1, shifted so that a root near s = -1, deep
//! inside, keeps its relative precision), then E = (sigma - 1)^2 [(p0 / (sigma + rho))^2 + (p1 / sigma)^2].
//! g is convex and decreasing, so Newton from a lower bound climbs monotonically to the root; false when a lane
//! did not settle (the caller then asks the reference).
bool ellipseDistanceSquared(const EllipseFrame &f, const Lanes &p0, const Lanes &p1, Lanes &energy)
{
    const Lanes z0 = p0 * f.invE0, z1 = p1 * f.invE1, n0 = f.r * z0;
    const Lanes n0sq = n0.square(), z1sq = z1.square();
    const Lanes h = (n0sq + z1sq).sqrt(), k = (z0.square() + z1sq).sqrt(), kr = f.r * k - f.rho;
    // Bounds of the root: g(z1), g(n0 - rho), g(h - rho) >= 0 >= g(h); sigma = k and r k - rho bracket it; inside
    // (k < 1) it is at most 1. Each is widened by its own rounding (the differences cancel near circles): a lower
    // bound a few ulps above the root would hold Newton there, since the steps only go up.
    constexpr double kSlack = 8.0 * std::numeric_limits<double>::epsilon();
    const Lanes krLo = kr - kSlack * (f.r * k + f.rho), krHi = kr + kSlack * (f.r * k + f.rho);
    const Lanes lo = z1.max(n0 - f.rho - kSlack * (n0 + f.rho))
                         .max(h - f.rho - kSlack * (h + f.rho))
                         .max((k * (1.0 - kSlack)).min(krLo));
    const Lanes hi = (k < 1.0).select(Lanes::Ones(), h * (1.0 + kSlack)).min((k * (1.0 + kSlack)).max(krHi));
    Lanes sigma = lo;
    // With a = sigma + rho and b = sigma, one division per step: g / g' = -(n0^2 b^2 + z1^2 a^2 - a^2 b^2) a b /
    // (2 (n0^2 b^3 + z1^2 a^3)); clamped to [sigma, hi], so rounding can neither turn it back nor past the bracket.
    const auto step = [&](const Lanes &b) -> Lanes { // a Lanes, not an expression of locals that die here
        const Lanes a = b + f.rho, a2 = a.square(), b2 = b.square();
        const Lanes num = n0sq * b2 + z1sq * a2 - a2 * b2, den = 2.0 * (n0sq * b2 * b + z1sq * a2 * a);
        return b.max((b + num * a * b / den).min(hi));
    };
    bool settled = false;
    for (int iteration = 0; iteration < 64 && !settled; ++iteration) {
        const Lanes next = step(sigma);
        // Quadratic convergence: once every step is below 1e-9 relative, one more step reaches the last bits.
        settled = ((next - sigma).abs() <= 1e-9 * sigma).all();
        sigma = settled ? step(next) : next;
    }
    const Lanes d0 = p0 / (sigma + f.rho), d1 = p1 / sigma;
    energy = (sigma - 1.0).square() * (d0.square() + d1.square());
    return settled && energy.allFinite();
}

//! \brief F_inf(y) = squared distance to the ellipse for the continuous latent, eight rows at a time; the reference
//! (closestPointOnEllipse) takes degenerate ellipses, points on an axis, and any lane that did not settle.
std::optional<MatrixXd> zeroTemperatureContinuous(const EllipseEbm &model, const Grid &grid, int threads,
                                                  const std::atomic<bool> *cancel, FastFieldStats &stats)
{
    const EllipseParams w = model.params();
    const EllipseFrame f = ellipseFrame(w);
    const double reach = std::max({std::abs(grid.x0), std::abs(grid.x1), std::abs(grid.y0), std::abs(grid.y1)}) / f.e1;
    // Keeps every intermediate (up to n0^2 b^3) far inside the double range; beyond, the reference is exact anyway.
    const bool vectorised = f.e1 > 0.0 && f.r <= 1e12 && reach <= 1e12;
    MatrixXd values(grid.ny, grid.nx);
    // |y2| of every row, padded to whole groups of lanes with the last row (Grid::y2At divides: not in the loop).
    constexpr int kLanes = Lanes::SizeAtCompileTime;
    VectorXd absY2((grid.ny + kLanes - 1) / kLanes * kLanes);
    for (Eigen::Index j = 0; j < absY2.size(); ++j)
        absY2[j] = std::abs(grid.y2At(static_cast<int>(std::min<Eigen::Index>(j, grid.ny - 1))));
    std::atomic<long long> fallbackCells{0};
    const auto block = [&](int b) {
        const int c0 = b * kBlockColumns, c1 = std::min(grid.nx, c0 + kBlockColumns);
        long long fallback = 0;
        const auto reference = [&](int i, int j) {
            values(j, i) = closestPointOnEllipse(Vec2(grid.y1At(i), grid.y2At(j)), w).energy;
            ++fallback;
        };
        for (int i = c0; i < c1; ++i) {
            const double y1 = std::abs(grid.y1At(i));
            for (int j0 = 0; j0 < grid.ny && vectorised; j0 += kLanes) {
                const int lanes = std::min(kLanes, grid.ny - j0);
                const Lanes y2 = absY2.segment<kLanes>(j0).array();
                // A zero coordinate is the reference's own special case: those lanes get a harmless point.
                const bool onAxis = y1 == 0.0 || (y2 == 0.0).any();
                const Lanes across = onAxis ? (y2 == 0.0).select(1.0, y2) : y2;
                const Lanes along = Lanes::Constant(y1 == 0.0 ? 1.0 : y1);
                Lanes energy;
                const bool settled =
                    ellipseDistanceSquared(f, f.swap ? across : along, f.swap ? along : across, energy);
                for (int l = 0; l < lanes; ++l) {
                    if (settled && y1 != 0.0 && y2[l] != 0.0)
                        values(j0 + l, i) = energy[l];
                    else
                        reference(i, j0 + l);
                }
            }
            for (int j = 0; j < grid.ny && !vectorised; ++j)
                reference(i, j);
        }
        fallbackCells += fallback;
    };
    if (!parallelBlocks(blockCount(grid.nx), threads, cancel, block))
        return std::nullopt;
    stats.fallbackCells = fallbackCells;
    return values;
}

//! Every cell by the reference's own per-point function, the threads sharing the columns.
std::optional<MatrixXd> perPoint(const EllipseEbm &model, const FieldRequest &request, const Grid &grid, int threads,
                                 const std::atomic<bool> *cancel)
{
    MatrixXd values(grid.ny, grid.nx);
    const auto block = [&](int b) {
        const int c0 = b * kBlockColumns, c1 = std::min(grid.nx, c0 + kBlockColumns);
        for (int i = c0; i < c1; ++i) {
            for (int j = 0; j < grid.ny; ++j) {
                if (cancel && cancel->load(std::memory_order_relaxed))
                    return;
                values(j, i) = fieldValue(model, request, Vec2(grid.y1At(i), grid.y2At(j)));
            }
        }
    };
    if (!parallelBlocks(blockCount(grid.nx), threads, cancel, block) ||
        (cancel && cancel->load(std::memory_order_relaxed)))
        return std::nullopt;
    return values;
}

} // namespace

std::optional<Eigen::MatrixXd> evaluateFieldFast(const EllipseEbm &model, const FieldRequest &request, const Grid &grid,
                                                 int threads, const std::atomic<bool> *cancel, FastFieldStats *stats)
{
    FastFieldStats local;
    FastFieldStats &s = stats ? *stats : local;
    s = {};
    s.threads = threads <= 0 ? hardwareThreads() : threads;
    const bool needsBeta = request.kind == FieldKind::FreeEnergy || request.kind == FieldKind::Posterior;
    if (needsBeta && !(request.beta > 0.0))
        throw std::invalid_argument("the inverse temperature beta must be positive");
    if (grid.nx <= 0 || grid.ny <= 0)
        return cancel && cancel->load() ? std::nullopt
                                        : std::optional<MatrixXd>(MatrixXd(std::max(0, grid.ny), std::max(0, grid.nx)));
    const bool sampled = !model.latents().isContinuous();
    const bool freeEnergy = request.kind == FieldKind::FreeEnergy && !std::isinf(request.beta);
    const bool zeroTemperature = request.kind == FieldKind::ZeroTemperature ||
                                 (request.kind == FieldKind::FreeEnergy && std::isinf(request.beta));
    if (sampled && (freeEnergy || zeroTemperature)) {
        std::optional<Tables> t = makeTables(model, grid, freeEnergy ? request.beta : kInfiniteBeta, s.threads, cancel);
        if (!t)
            return std::nullopt;
        return freeEnergy ? freeEnergySampled(*t, request.beta, s.threads, cancel, s)
                          : zeroTemperatureSampled(*t, s.threads, cancel);
    }
    if (zeroTemperature)
        return zeroTemperatureContinuous(model, grid, s.threads, cancel, s);
    return perPoint(model, request, grid, s.threads, cancel);
}

std::optional<Eigen::MatrixXd> splitFreeEnergy(const Eigen::MatrixXd &aSq, const Eigen::MatrixXd &bSq, double beta,
                                               int threads, const std::atomic<bool> *cancel, FastFieldStats *stats)
{
    if (!(beta > 0.0))
        throw std::invalid_argument("the inverse temperature beta must be positive");
    if (aSq.rows() != bSq.rows() || aSq.rows() == 0)
        throw std::invalid_argument("the two tables need the same, nonzero number of latents");
    FastFieldStats local;
    FastFieldStats &s = stats ? *stats : local;
    s = {};
    s.threads = threads <= 0 ? hardwareThreads() : threads;
    std::optional<Tables> t =
        makeTables(aSq.rows(), aSq.cols(), bSq.cols(), beta, s.threads, cancel, [&](bool isA, int i, double *sq) {
            const MatrixXd &from = isA ? aSq : bSq;
            std::copy(from.col(i).data(), from.col(i).data() + from.rows(), sq);
        });
    if (!t)
        return std::nullopt;
    return std::isinf(beta) ? zeroTemperatureSampled(*t, s.threads, cancel)
                            : freeEnergySampled(*t, beta, s.threads, cancel, s);
}

} // namespace ebm
