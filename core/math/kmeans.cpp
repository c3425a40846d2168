#include "math/kmeans.h"

#include "math/rng.h"
#include "math/softmin.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace ebm {

namespace {

void checkBeta(double beta)
{
    if (!(beta > 0.0))
        throw std::invalid_argument("the inverse temperature beta must be positive");
}

} // namespace

KMeans::KMeans(Eigen::Matrix2Xd centroids)
    : m_w(std::move(centroids))
{
    if (m_w.cols() < 1)
        throw std::invalid_argument("K-means needs at least one centroid");
}

KMeans KMeans::fromData(const std::vector<Vec2> &data, int k, std::uint64_t seed)
{
    const int n = static_cast<int>(data.size());
    if (k < 1 || k > n)
        throw std::invalid_argument("K must lie between 1 and the number of data points");
    std::vector<int> order(data.size());
    std::iota(order.begin(), order.end(), 0);
    Rng rng(seed);
    Eigen::Matrix2Xd w(2, k);
    for (int i = 0; i < k; ++i) {
        // j uniform in [i, n): floor of a 53-bit uniform, clamped against the (impossible) rounding up to n.
        const int j = std::min(n - 1, i + static_cast<int>(rng.uniform() * (n - i)));
        std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(j)]);
        w.col(i) = data[static_cast<size_t>(order[static_cast<size_t>(i)])];
    }
    return KMeans(std::move(w));
}

void KMeans::setCentroid(int k, const Vec2 &position)
{
    if (k < 0 || k >= this->k())
        throw std::out_of_range("no such centroid");
    m_w.col(k) = position;
}

void KMeans::setCentroids(const Eigen::Matrix2Xd &centroids)
{
    if (centroids.cols() < 1)
        throw std::invalid_argument("K-means needs at least one centroid");
    m_w = centroids;
}

std::vector<double> KMeans::energies(const Vec2 &y) const
{
    std::vector<double> e(static_cast<size_t>(k()));
    for (int j = 0; j < k(); ++j) {
        const double d1 = y.x() - m_w(0, j), d2 = y.y() - m_w(1, j);
        e[static_cast<size_t>(j)] = d1 * d1 + d2 * d2;
    }
    return e;
}

Assignment KMeans::assign(const Vec2 &y) const
{
    const std::vector<double> e = energies(y);
    const auto best = std::min_element(e.begin(), e.end()); // the first minimum: ties to the smaller k
    return {static_cast<int>(best - e.begin()), *best};
}

double KMeans::freeEnergy(const Vec2 &y, double beta) const
{
    checkBeta(beta);
    return softMin(energies(y), beta);
}

double KMeans::meanEnergy(const Vec2 &y) const
{
    const std::vector<double> e = energies(y);
    return std::accumulate(e.begin(), e.end(), 0.0) / static_cast<double>(e.size());
}

std::vector<double> KMeans::posterior(const Vec2 &y, double beta) const
{
    checkBeta(beta);
    return softArgMin(energies(y), beta);
}

Vec2 KMeans::gradY(const Vec2 &y, double beta) const
{
    checkBeta(beta);
    if (std::isinf(beta)) // F_inf is the distance to one centroid (the first of tied ones)
        return 2.0 * (y - m_w.col(assign(y).k));
    const std::vector<double> p = posterior(y, beta);
    Vec2 mean = Vec2::Zero();
    for (int j = 0; j < k(); ++j)
        mean += p[static_cast<size_t>(j)] * m_w.col(j);
    return 2.0 * (y - mean);
}

Eigen::Matrix2Xd KMeans::gradCentroids(const Vec2 &y, double beta) const
{
    checkBeta(beta);
    Eigen::Matrix2Xd g = Eigen::Matrix2Xd::Zero(2, k());
    if (std::isinf(beta)) {
        const int best = assign(y).k;
        g.col(best) = -2.0 * (y - m_w.col(best));
        return g;
    }
    const std::vector<double> p = posterior(y, beta);
    for (int j = 0; j < k(); ++j)
        g.col(j) = -2.0 * p[static_cast<size_t>(j)] * (y - m_w.col(j));
    return g;
}

std::vector<int> KMeans::assignments(const std::vector<Vec2> &data) const
{
    std::vector<int> a;
    a.reserve(data.size());
    for (const Vec2 &y : data)
        a.push_back(assign(y).k);
    return a;
}

double KMeans::loss(const std::vector<Vec2> &data) const
{
    if (data.empty())
        throw std::invalid_argument("the loss needs at least one data point");
    double sum = 0.0;
    for (const Vec2 &y : data)
        sum += assign(y).value;
    return sum / static_cast<double>(data.size());
}

LloydStep KMeans::lloydStep(const std::vector<Vec2> &data)
{
    LloydStep step;
    step.assignments = assignments(data);
    Eigen::Matrix2Xd sums = Eigen::Matrix2Xd::Zero(2, k());
    std::vector<int> counts(static_cast<size_t>(k()), 0);
    for (size_t i = 0; i < data.size(); ++i) {
        sums.col(step.assignments[i]) += data[i];
        ++counts[static_cast<size_t>(step.assignments[i])];
    }
    for (int j = 0; j < k(); ++j) {
        if (counts[static_cast<size_t>(j)] == 0) {
            ++step.emptyClusters;
            continue;
        }
        const Vec2 mean = sums.col(j) / static_cast<double>(counts[static_cast<size_t>(j)]);
        step.moved = step.moved || mean != Vec2(m_w.col(j));
        m_w.col(j) = mean;
    }
    return step;
}

} // namespace ebm
