// The ellipse latent-variable EBM: inference at zero and finite temperature (MODEL.md §1).
#pragma once

#include "math/ellipse.h"
#include "math/latents.h"

#include <limits>
#include <vector>

namespace ebm {

constexpr double kInfiniteBeta = std::numeric_limits<double>::infinity();

struct ZeroTemperature
{
    double value = 0.0; //!< F_inf(y) = E(y, z_check)
    double z = 0.0;     //!< z_check, the minimising latent (ties: smallest k)
    int k = -1;         //!< its index in Z_N; -1 for the continuous latent
};

struct Inference
{
    double freeEnergy = 0.0; //!< F_beta(y); F_inf(y) when beta = inf
    ZeroTemperature zeroTemperature;
    Vec2 posteriorMean = Vec2::Zero(); //!< y_bar_beta = sum_z P(z|y) g(z); g(z_check) when beta = inf
    Vec2 gradY = Vec2::Zero();         //!< grad_y F_beta = 2 (y - y_bar_beta)
    Vec2 gradW = Vec2::Zero();         //!< grad_w F_beta = sum_z P(z|y) grad_w E(y, z)
};

class EllipseEbm
{
public:
    explicit EllipseEbm(EllipseParams w = {}, LatentSpec latents = LatentSpec::sampled(48));

    const EllipseParams &params() const { return m_w; }
    const LatentSpec &latents() const { return m_latents; }

    //! \brief E(y, z) = ||y - g(z)||^2
    double energy(const Vec2 &y, double z) const { return ebm::energy(y, z, m_w); }
    //! \brief F_inf(y) = min_z E(y, z) and z_check = argmin_z E(y, z)
    ZeroTemperature zeroTemperature(const Vec2 &y) const;
    //! \brief F_beta(y) = -(1/beta) log mean_z exp(-beta E(y, z)), by log-sum-exp; F_inf when beta = inf
    double freeEnergy(const Vec2 &y, double beta) const;
    //! \brief mean_z E(y, z), the hot limit beta -> 0
    double meanEnergy(const Vec2 &y) const;
    //! \brief F_beta with the posterior mean and the gradients with respect to y and w
    Inference infer(const Vec2 &y, double beta) const;
    //! \brief P_beta(z_k | y) = exp(-beta E_k) / sum_j exp(-beta E_j) for every sampled k (ties share at beta = inf)
    std::vector<double> posterior(const Vec2 &y, double beta) const;
    //! \brief P_beta(z | y): the probability of the sampled z nearest to z, or, for the continuous latent, the
    //! density with respect to dz on [0, 2 pi) (which needs beta < inf)
    double posteriorAt(const Vec2 &y, double beta, double z) const;

private:
    std::vector<double> sampledEnergies(const Vec2 &y) const;
    Inference inferSampled(const Vec2 &y, double beta) const;
    Inference inferContinuous(const Vec2 &y, double beta) const;

    EllipseParams m_w;
    LatentSpec m_latents;
    std::vector<double> m_cos, m_sin;
};

} // namespace ebm
