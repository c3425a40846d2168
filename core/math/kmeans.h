// K-means as a latent-variable EBM (MODEL.md §4): z one-hot over K, Dec(z) = W z with W the 2 x K centroids,
// E(y, k) = ||y - w_k||^2, F_inf = min_k E, F_beta = soft k-means, training by Lloyd steps. No Qt here.
#pragma once

#include "math/ellipse.h"

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace ebm {

//! The lecture's K-means: K = 15 centroids from 50 data points (the ellipse samples at x = 0, see familyData()).
constexpr int kLectureClusters = 15;

//! The nearest centroid of one point.
struct Assignment
{
    int k = 0;          //!< argmin_k ||y - w_k||^2, ties to the smaller k
    double value = 0.0; //!< F_inf(y) = ||y - w_k||^2
};

//! What one Lloyd step did.
struct LloydStep
{
    std::vector<int> assignments; //!< the assignment each point had before the means were taken
    int emptyClusters = 0;        //!< clusters with no point, whose centroids stayed put
    bool moved = false;           //!< whether any centroid changed
};

class KMeans
{
public:
    //! \brief the model with centroids W = \a centroids (2 x K, K >= 1)
    explicit KMeans(Eigen::Matrix2Xd centroids);
    //! \brief W = K distinct data points drawn by a seeded partial Fisher-Yates shuffle (the lecture's
    //! Y[randperm(len(Y))[:K]]); throws std::invalid_argument unless 1 <= K <= |data|
    static KMeans fromData(const std::vector<Vec2> &data, int k, std::uint64_t seed);

    int k() const { return static_cast<int>(m_w.cols()); }
    const Eigen::Matrix2Xd &centroids() const { return m_w; }
    //! \brief w_k = \a position (for dragging a centroid)
    void setCentroid(int k, const Vec2 &position);
    void setCentroids(const Eigen::Matrix2Xd &centroids);

    //! \brief E(y, k) = ||y - w_k||^2
    double energy(const Vec2 &y, int k) const { return (y - m_w.col(k)).squaredNorm(); }
    //! \brief E(y, k) for every k
    std::vector<double> energies(const Vec2 &y) const;
    //! \brief k_check = argmin_k E(y, k) (ties: smaller k) and F_inf(y) = E(y, k_check)
    Assignment assign(const Vec2 &y) const;
    //! \brief F_beta(y) = -(1/beta) log( (1/K) sum_k exp(-beta E(y, k)) ) (soft k-means); F_inf at beta = inf
    double freeEnergy(const Vec2 &y, double beta) const;
    //! \brief (1/K) sum_k E(y, k), the limit of F_beta as beta -> 0
    double meanEnergy(const Vec2 &y) const;
    //! \brief P_beta(k | y) = exp(-beta E_k) / sum_j exp(-beta E_j); at beta = inf the tied minima share
    std::vector<double> posterior(const Vec2 &y, double beta) const;
    //! \brief grad_y F_beta = 2 (y - sum_k P_beta(k|y) w_k); at beta = inf 2 (y - w_k_check)
    Vec2 gradY(const Vec2 &y, double beta) const;
    //! \brief dF_beta/dw_k = -2 P_beta(k|y) (y - w_k), column k; at beta = inf only column k_check is nonzero
    Eigen::Matrix2Xd gradCentroids(const Vec2 &y, double beta) const;

    //! \brief the nearest centroid of every data point
    std::vector<int> assignments(const std::vector<Vec2> &data) const;
    //! \brief L = (1/|Y|) sum_i F_inf(y_i), the energy loss at zero temperature
    double loss(const std::vector<Vec2> &data) const;
    //! \brief one Lloyd step: assign every point, then w_k = mean of its points (an empty cluster keeps w_k);
    //! never increases loss(data)
    LloydStep lloydStep(const std::vector<Vec2> &data);

private:
    Eigen::Matrix2Xd m_w;
};

} // namespace ebm
