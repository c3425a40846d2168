#include "math/ellipseebm.h"

#include "math/ellipsedistance.h"
#include "math/quadrature.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ebm {

namespace {

// -(1/beta) log(mean weight) with both forms kept: log(mean) is exact when the weights are small
// (cold), log1p(mean expm1) when they are all near 1 (hot, where log(1 - tiny) would lose digits).
double softminOffset(double meanWeight, double meanExpm1, double beta)
{
    const double logMean = meanWeight < 0.5 ? std::log(meanWeight) : std::log1p(meanExpm1);
    return -logMean / beta;
}

} // namespace

EllipseEbm::EllipseEbm(EllipseParams w, LatentSpec latents)
    : m_w(w)
    , m_latents(latents)
{
    for (int k = 0; k < m_latents.count(); ++k) {
        m_cos.push_back(std::cos(m_latents.angle(k)));
        m_sin.push_back(std::sin(m_latents.angle(k)));
    }
}

std::vector<double> EllipseEbm::sampledEnergies(const Vec2 &y) const
{
    std::vector<double> e(m_cos.size());
    for (size_t k = 0; k < e.size(); ++k) {
        const double d1 = y.x() - m_w.w1 * m_cos[k], d2 = y.y() - m_w.w2 * m_sin[k];
        e[k] = d1 * d1 + d2 * d2;
    }
    return e;
}

ZeroTemperature EllipseEbm::zeroTemperature(const Vec2 &y) const
{
    if (m_latents.isContinuous()) {
        const ClosestPoint p = closestPointOnEllipse(y, m_w);
        return {p.energy, p.z, -1};
    }
    const std::vector<double> e = sampledEnergies(y);
    const auto k = static_cast<int>(std::min_element(e.begin(), e.end()) - e.begin()); // first minimum
    return {e[static_cast<size_t>(k)], m_latents.angle(k), k};
}

double EllipseEbm::freeEnergy(const Vec2 &y, double beta) const
{
    return infer(y, beta).freeEnergy;
}

double EllipseEbm::meanEnergy(const Vec2 &y) const
{
    if (m_latents.isContinuous()) // the means of cos z and sin z vanish, of cos^2 and sin^2 are 1/2
        return y.squaredNorm() + 0.5 * (m_w.w1 * m_w.w1 + m_w.w2 * m_w.w2);
    const std::vector<double> e = sampledEnergies(y);
    double sum = 0.0;
    for (double v : e)
        sum += v;
    return sum / static_cast<double>(e.size());
}

Inference EllipseEbm::infer(const Vec2 &y, double beta) const
{
    if (!(beta > 0.0))
        throw std::invalid_argument("the inverse temperature beta must be positive");
    return m_latents.isContinuous() ? inferContinuous(y, beta) : inferSampled(y, beta);
}

Inference EllipseEbm::inferSampled(const Vec2 &y, double beta) const
{
    const std::vector<double> e = sampledEnergies(y);
    const std::vector<double> p = posterior(y, beta);
    Inference r;
    const auto k = static_cast<int>(std::min_element(e.begin(), e.end()) - e.begin());
    r.zeroTemperature = {e[static_cast<size_t>(k)], m_latents.angle(k), k};
    const double eMin = r.zeroTemperature.value;
    if (std::isinf(beta)) {
        r.freeEnergy = eMin;
        r.posteriorMean = decode(m_w, r.zeroTemperature.z);
        r.gradW = energyGradW(y, r.zeroTemperature.z, m_w);
    } else {
        double meanWeight = 0.0, meanExpm1 = 0.0;
        for (double ek : e) {
            const double x = -beta * (ek - eMin);
            meanWeight += std::exp(x);
            meanExpm1 += std::expm1(x);
        }
        const double n = static_cast<double>(e.size());
        r.freeEnergy = eMin + softminOffset(meanWeight / n, meanExpm1 / n, beta);
        for (size_t j = 0; j < e.size(); ++j) {
            const Vec2 g(m_w.w1 * m_cos[j], m_w.w2 * m_sin[j]);
            r.posteriorMean += p[j] * g;
            r.gradW += p[j] * Vec2(-2.0 * (y.x() - g.x()) * m_cos[j], -2.0 * (y.y() - g.y()) * m_sin[j]);
        }
    }
    r.gradY = 2.0 * (y - r.posteriorMean);
    return r;
}

Inference EllipseEbm::inferContinuous(const Vec2 &y, double beta) const
{
    Inference r;
    const ClosestPoint closest = closestPointOnEllipse(y, m_w);
    r.zeroTemperature = {closest.energy, closest.z, -1};
    if (std::isinf(beta)) {
        r.freeEnergy = closest.energy;
        r.posteriorMean = decode(m_w, closest.z);
        r.gradW = energyGradW(y, closest.z, m_w);
    } else {
        const CircleMoments m = boltzmannMoments(y, m_w, beta, closest.energy, localMinimaOfEnergy(y, m_w, closest.z));
        r.freeEnergy = closest.energy + softminOffset(m.mass, m.meanExpm1, beta);
        const double meanCos = m.cosMass / m.mass, meanSin = m.sinMass / m.mass;
        r.posteriorMean = {m_w.w1 * meanCos, m_w.w2 * meanSin};
        r.gradW = {-2.0 * (y.x() * meanCos - m_w.w1 * m.cos2Mass / m.mass),
                   -2.0 * (y.y() * meanSin - m_w.w2 * m.sin2Mass / m.mass)};
    }
    r.gradY = 2.0 * (y - r.posteriorMean);
    return r;
}

std::vector<double> EllipseEbm::posterior(const Vec2 &y, double beta) const
{
    if (!(beta > 0.0))
        throw std::invalid_argument("the inverse temperature beta must be positive");
    std::vector<double> p = sampledEnergies(y);
    if (p.empty())
        return p;
    const double eMin = *std::min_element(p.begin(), p.end());
    double sum = 0.0;
    for (double &v : p) {
        v = std::isinf(beta) ? (v == eMin ? 1.0 : 0.0) : std::exp(-beta * (v - eMin));
        sum += v;
    }
    for (double &v : p)
        v /= sum;
    return p;
}

double EllipseEbm::posteriorAt(const Vec2 &y, double beta, double z) const
{
    if (!m_latents.isContinuous())
        return posterior(y, beta)[static_cast<size_t>(m_latents.nearestIndex(z))];
    if (!(beta > 0.0) || std::isinf(beta))
        throw std::invalid_argument("the posterior density of the continuous latent needs a finite beta > 0");
    const ClosestPoint closest = closestPointOnEllipse(y, m_w);
    const CircleMoments m = boltzmannMoments(y, m_w, beta, closest.energy, localMinimaOfEnergy(y, m_w, closest.z));
    const double weight = std::exp(-beta * std::max(0.0, energy(y, z) - closest.energy));
    return weight / (kTwoPi * m.mass);
}

} // namespace ebm
