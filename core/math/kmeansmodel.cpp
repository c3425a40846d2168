#include "math/kmeansmodel.h"

#include "math/parallelblocks.h"
#include "math/softmin.h"

#include <Eigen/Core>

#include <cmath>
#include <stdexcept>

namespace ebm {

namespace {

using Eigen::ArrayXd;

// Rows of the result per work item: a 512-wide row of K = 15 is ~10 us of work, so a few rows per block keep the
// hand-out cheap and the load balanced.
constexpr int kBlockRows = 8;

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
    const int k = m_kmeans.k(), nx = grid.nx;
    // a(i, c) = (y1_i - w1c)^2, column c contiguous over i: every inner loop below runs over a contiguous row.
    Eigen::ArrayXXd a(nx, k);
    for (int c = 0; c < k; ++c) {
        for (int i = 0; i < nx; ++i) {
            const double d = grid.y1At(i) - w(0, c);
            a(i, c) = d * d;
        }
    }
    const bool cold = std::isinf(request.beta);
    const int index = clusterIndex(request.z, k);
    Eigen::MatrixXd values(grid.ny, nx);
    const auto row = [&](int j, ArrayXd &eMin, ArrayXd &sum, ArrayXd &target) {
        const double y2 = grid.y2At(j);
        Eigen::ArrayXd b(k);
        for (int c = 0; c < k; ++c) {
            const double d = y2 - w(1, c);
            b[c] = d * d;
        }
        if (request.kind == FieldKind::Energy) {
            values.row(j) = (a.col(index) + b[index]).matrix().transpose();
            return;
        }
        eMin = a.col(0) + b[0];
        for (int c = 1; c < k; ++c)
            eMin = eMin.min(a.col(c) + b[c]);
        if (request.kind == FieldKind::ZeroTemperature || (request.kind == FieldKind::FreeEnergy && cold)) {
            values.row(j) = eMin.matrix().transpose();
            return;
        }
        if (cold) { // the posterior at beta = inf: the tied minima share (as softArgMin does)
            sum.setZero();
            for (int c = 0; c < k; ++c)
                sum += (a.col(c) + b[c] == eMin).cast<double>();
            target = (a.col(index) + b[index] == eMin).cast<double>();
            values.row(j) = (target / sum).matrix().transpose();
            return;
        }
        const double beta = request.beta;
        sum.setZero();
        for (int c = 0; c < k; ++c)
            sum += (-beta * (a.col(c) + b[c] - eMin)).exp();
        if (request.kind == FieldKind::Posterior) {
            // Eigen's exp saturates near exp(-709) instead of reaching 0 (PITFALLS): flush where std::exp would.
            target = -beta * (a.col(index) + b[index] - eMin);
            target = (target < -708.0).select(0.0, target.exp());
            values.row(j) = (target / sum).matrix().transpose();
            return;
        }
        for (int i = 0; i < nx; ++i) {
            const double meanWeight = sum[i] / k;
            if (meanWeight < 0.5) {
                values(j, i) = eMin[i] - std::log(meanWeight) / beta;
            } else { // hot: log1p of the mean expm1 keeps the digits that log(1 - tiny) would lose
                std::vector<double> e(static_cast<size_t>(k));
                for (int c = 0; c < k; ++c)
                    e[static_cast<size_t>(c)] = a(i, c) + b[c];
                values(j, i) = softMin(e, beta);
            }
        }
    };
    const int blocks = (grid.ny + kBlockRows - 1) / kBlockRows;
    const bool done = parallelBlocks(blocks, threads <= 0 ? hardwareThreads() : threads, cancel, [&](int block) {
        ArrayXd eMin(nx), sum(nx), target(nx);
        for (int j = block * kBlockRows; j < std::min(grid.ny, (block + 1) * kBlockRows); ++j)
            row(j, eMin, sum, target);
    });
    if (!done)
        return std::nullopt;
    return values;
}

} // namespace ebm
