// The training losses' fast path: what losses.h computes point by point, batched with the latent tables built once,
// and the NLL's partition over the candidate grid factorised into per-axis sums. No Qt here.
#pragma once

#include "math/losses.h"

#include <Eigen/Core>

#include <atomic>
#include <optional>
#include <vector>

namespace ebm {

//! The fast path for one latent set: cos z_k and sin z_k computed once, no allocation per data point. Agrees with
//! the reference functions of losses.h (freeEnergyAt, logPartition, datasetLoss) to 1e-9 relative. The continuous
//! latent has no tables: its F and the NLL's partition go through the reference functions. Thread-safe (const).
class FastLoss
{
public:
    explicit FastLoss(const LatentSpec &latents = LatentSpec::sampled(48));

    const LatentSpec &latents() const { return m_latents; }

    //! \brief F_beta(y) and dF_beta/dw (F_inf at beta = inf), as freeEnergyAt(EllipseEbm(w, latents), y, beta)
    FreeEnergyAt freeEnergyAt(const EllipseParams &w, const Vec2 &y, double beta) const;
    //! \brief F_beta(y) alone (the Offending negatives' ranking)
    double freeEnergy(const EllipseParams &w, const Vec2 &y, double beta) const;

    //! \brief the NLL's A = (1/beta) log sum_{y' in grid} exp(-beta F_beta(y')) and dA/dw over the candidate grid
    //! of \a config. With y' = (x_i, y_j) and E = u_ik + v_jk, u_ik = (x_i - w1 cos z_k)^2, v_jk = (y_j - w2 sin
    //! z_k)^2: sum_{y'} exp(-beta F_beta(y')) = (1/N) sum_k [sum_i exp(-beta u_ik)] [sum_j exp(-beta v_jk)], and dA/dw
    //! = -E_q[grad_w E] under the joint softmax q(i, j, k) ~ exp(-beta E), whose first component depends on (i, k) only
    //! and second on (j, k) only: O((nx + ny) N) instead of O(nx ny N); each per-axis sum is shifted by its maximum and
    //! the sum over k by its own, so that nothing underflows to an empty sum. At beta = inf the limit -min F_inf(y')
    //! with its tie rule, scanned directly (no exponentials there).
    LogPartition gridLogPartition(const EllipseParams &w, const LossConfig &config) const;

    //! \brief datasetLoss(EllipseEbm(w, latents), config, data, negatives, cancel) by the fast path
    std::optional<DatasetLoss> datasetLoss(const EllipseParams &w, const LossConfig &config,
                                           const std::vector<Vec2> &data,
                                           const std::vector<std::vector<Vec2>> &negatives,
                                           const std::atomic<bool> *cancel = nullptr) const;

    struct Scratch; //!< work arrays (one set per thread)

private:
    FreeEnergyAt sampledAt(const EllipseParams &w, const Vec2 &y, double beta, bool gradient, Scratch &s) const;
    LogPartition coldGridPartition(const EllipseParams &w, const std::vector<double> &xs,
                                   const std::vector<double> &ys) const;

    LatentSpec m_latents;
    Eigen::ArrayXd m_cos, m_sin;
};

} // namespace ebm
