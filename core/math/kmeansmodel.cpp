#include "math/kmeansmodel.h"

#include "math/parallelblocks.h"
#include "math/softmin.h"

#include <Eigen/Core>

#include <cmath>
#include <stdexcept>

namespace ebm {

namespace {

using Eigen::ArrayXd;

using Eigen::ArrayXXd;

// Columns of the result per work item (contiguous in the column-major result), small enough for load balance.
constexpr int kBlockColumns = 32;
// A weight below exp(-345) ~ 1.4e-150 is stored as 0 (so products of two never meet subnormals); below this S is
// not trusted and the cell is computed directly (the flushed terms are then at most 1e-14 of S).
constexpr double kFlushExponent = 345.0;
constexpr double kSmallestProduct = 1e-130;

double square(double d)
{
    return d * d;
}

//! \brief exp(x) elementwise, 0 below exp(-345) (Eigen's exp also saturates near exp(-709) instead of reaching 0)
template<typename Derived>
ArrayXXd flushedExp(const Eigen::ArrayBase<Derived> &x)
{
    return (x < -kFlushExponent).select(0.0, x.exp());
}

//! \brief F(j) = aMin + bMin_j - (1/beta) log(S_j / K) for a whole column; false (column untouched) when a cell's S
//! underflowed or its log would lose digits: hot (S/K >= 1/2) with an error 4 K eps / beta above 1e-10 of F
template<typename Column, typename Out>
bool productColumn(const Column &s, double aMin, const ArrayXd &bMin, double beta, int k, Out out)
{
    ArrayXd f(s.size());
    for (Eigen::Index j = 0; j < s.size(); ++j) {
        const double mean = s[j] / k;
        if (!(s[j] >= kSmallestProduct))
            return false;
        f[j] = aMin + bMin[j] - std::log(mean) / beta;
        if (mean >= 0.5 && 4.0 * k * 2.2e-16 / beta > 1e-10 * f[j])
            return false;
    }
    out = f.matrix();
    return true;
}

//! The cluster index z* names, or -1 when it is not a whole number in [0, K).
int clusterIndex(double z, int k)
{
    if (!(z >= 0.0) || z >= k || z != std::floor(z))
        return -1;
    return static_cast<int>(z);
}

} // namespace

void KMeansModel::setParameters(const Eigen::MatrixXd &parameters)
{
    if (parameters.rows() != 2 || parameters.cols() < 1 || !parameters.allFinite())
        throw std::invalid_argument("K-means takes a 2 x K matrix of finite centroids");
    m_kmeans.setCentroids(parameters);
}

LatentCode KMeansModel::infer(const Vec2 &y) const
{
    const Assignment a = m_kmeans.assign(y);
    LatentCode c;
    c.z = Eigen::VectorXd::Unit(m_kmeans.k(), a.k);
    c.index = a.k;
    c.decodedY = m_kmeans.centroids().col(a.k);
    c.decoded = c.decodedY;
    c.energy = a.value;
    return c;
}

void KMeansModel::trainStep(const std::vector<Vec2> &data, const TrainStepOptions &)
{
    if (data.empty())
        throw std::invalid_argument("training needs at least one data point");
    m_kmeans.lloydStep(data);
}

std::string KMeansModel::fieldProblem(const FieldRequest &request) const
{
    const bool needsBeta = request.kind == FieldKind::FreeEnergy || request.kind == FieldKind::Posterior;
    if (needsBeta && !(request.beta > 0.0))
        return "beta must be positive (or inf)";
    const bool needsIndex = request.kind == FieldKind::Energy || request.kind == FieldKind::Posterior;
    if (needsIndex && clusterIndex(request.z, m_kmeans.k()) < 0)
        return "z must be a cluster index 0.." + std::to_string(m_kmeans.k() - 1) + " for K-means";
    return {};
}

double KMeansModel::fieldValue(const FieldRequest &request, const Vec2 &y) const
{
    switch (request.kind) {
    case FieldKind::FreeEnergy:
        return m_kmeans.freeEnergy(y, request.beta);
    case FieldKind::ZeroTemperature:
        return m_kmeans.assign(y).value;
    case FieldKind::Energy:
        return m_kmeans.energy(y, clusterIndex(request.z, m_kmeans.k()));
    case FieldKind::Posterior:
        return m_kmeans.posterior(y, request.beta)[static_cast<size_t>(clusterIndex(request.z, m_kmeans.k()))];
    }
    return 0.0;
}

std::optional<Vec2> KMeansModel::fieldGradient(const FieldRequest &request, const Vec2 &y) const
{
    if (request.kind == FieldKind::Energy)
        return 2.0 * (y - m_kmeans.centroids().col(clusterIndex(request.z, m_kmeans.k())));
    return EnergyModel::fieldGradient(request, y);
}

std::optional<Eigen::MatrixXd> KMeansModel::evaluateField(const FieldRequest &request, const Grid &grid, int threads,
                                                          const std::atomic<bool> *cancel) const
{
    const Eigen::Matrix2Xd &w = m_kmeans.centroids();
    const int k = m_kmeans.k(), nx = grid.nx, ny = grid.ny;
    const double beta = request.beta;
    const bool cold = std::isinf(beta), freeEnergy = request.kind == FieldKind::FreeEnergy;
    const int index = clusterIndex(request.z, k);
    // b(j, c) = (y2_j - w2c)^2, column c contiguous over j, as the result's columns are: every inner loop runs over
    // a contiguous column. a(i, c) = (y1_i - w1c)^2. E = a + b in the reference's order of operations.
    ArrayXXd a(nx, k), b(ny, k);
    for (int c = 0; c < k; ++c) {
        for (int i = 0; i < nx; ++i)
            a(i, c) = square(grid.y1At(i) - w(0, c));
        for (int j = 0; j < ny; ++j)
            b(j, c) = square(grid.y2At(j) - w(1, c));
    }
    // F_beta: S(j, i) = sum_c B(j, c) A(i, c) with A = exp(-beta (a - aMin_i)), B = exp(-beta (b - bMin_j)), one
    // matrix product, and F = aMin_i + bMin_j - (1/beta) log(S / K).
    const bool product = (freeEnergy || request.kind == FieldKind::Posterior) && !cold;
    Eigen::MatrixXd weightsA, weightsB;
    ArrayXd aMin, bMin;
    if (product) {
        aMin = a.rowwise().minCoeff();
        bMin = b.rowwise().minCoeff();
        weightsA = flushedExp(-beta * (a.colwise() - aMin));
        weightsB = flushedExp(-beta * (b.colwise() - bMin));
    }
    Eigen::MatrixXd values(ny, nx);
    const int blocks = (nx + kBlockColumns - 1) / kBlockColumns;
    const bool done = parallelBlocks(blocks, threads <= 0 ? hardwareThreads() : threads, cancel, [&](int block) {
        const int first = block * kBlockColumns, last = std::min(nx, first + kBlockColumns);
        ArrayXd eMin(ny), sum(ny), target(ny);
        Eigen::MatrixXd s;
        if (product)
            s.noalias() = weightsB * weightsA.middleRows(first, last - first).transpose();
        for (int i = first; i < last; ++i) {
            const auto energy = [&](int c) { return b.col(c) + a(i, c); };
            if (request.kind == FieldKind::Energy) {
                values.col(i) = energy(index).matrix();
                continue;
            }
            if (product && request.kind == FieldKind::Posterior && s.col(i - first).minCoeff() >= kSmallestProduct) {
                // P(index | y) = A(i, index) B(j, index) / S(j, i): no cancellation anywhere.
                values.col(i) = (weightsB.col(index) * weightsA(i, index)).cwiseQuotient(s.col(i - first));
                continue;
            }
            if (product && freeEnergy && productColumn(s.col(i - first), aMin[i], bMin, beta, k, values.col(i)))
                continue;
            eMin = energy(0);
            for (int c = 1; c < k; ++c)
                eMin = eMin.min(energy(c));
            if (request.kind == FieldKind::ZeroTemperature || (freeEnergy && cold)) {
                values.col(i) = eMin.matrix();
                continue;
            }
            if (cold) { // the posterior at beta = inf: the tied minima share (as softArgMin does)
                sum.setZero();
                for (int c = 0; c < k; ++c)
                    sum += (energy(c) == eMin).cast<double>();
                values.col(i) = ((energy(index) == eMin).cast<double>() / sum).matrix();
                continue;
            }
            sum.setZero();
            for (int c = 0; c < k; ++c)
                sum += flushedExp(-beta * (energy(c) - eMin));
            if (request.kind == FieldKind::Posterior) {
                values.col(i) = (flushedExp(-beta * (energy(index) - eMin)) / sum).matrix();
                continue;
            }
            // F_beta cells the product could not take: log of the direct mean weight, or log1p of the mean expm1
            // (hot, where log(1 - tiny) would lose the digits).
            for (int j = 0; j < ny; ++j) {
                const double meanWeight = sum[j] / k;
                if (meanWeight < 0.5) {
                    values(j, i) = eMin[j] - std::log(meanWeight) / beta;
                } else {
                    std::vector<double> e(static_cast<size_t>(k));
                    for (int c = 0; c < k; ++c)
                        e[static_cast<size_t>(c)] = b(j, c) + a(i, c);
                    values(j, i) = softMin(e, beta);
                }
            }
        }
    });
    if (!done)
        return std::nullopt;
    return values;
}

} // namespace ebm
