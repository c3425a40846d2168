#include "math/fastloss.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace ebm {

namespace {

using Eigen::ArrayXd;

// exp(-50) < 2e-22: beside a sum >= 1, such terms are below 1e-15 relative for up to 1e6 latents.
constexpr double kNegligibleExponent = 50.0;

// -(1/beta) log(mean weight), the reference's two forms (ellipseebm.cpp): log(mean) when the weights are small,
// log1p(mean expm1) when they are all near 1 (hot), where log(1 - tiny) would lose digits.
double softminOffset(const ArrayXd &weights, const ArrayXd &exponents, double sum, double beta)
{
    const double n = static_cast<double>(weights.size());
    if (sum / n < 0.5)
        return -std::log(sum / n) / beta;
    double expm1Sum = 0.0; // only in the hot regime: a second pass there, none in the usual one
    for (Eigen::Index k = 0; k < exponents.size(); ++k)
        expm1Sum += std::expm1(exponents[k]);
    return -std::log1p(expm1Sum / n) / beta;
}

//! Per latent k, over one axis of the candidate grid: min_i u_ik, sum_i exp(-beta (u_ik - min)) and
//! sum_i exp(-beta (u_ik - min)) dE/dw (the w component of that axis).
struct AxisSums
{
    explicit AxisSums(Eigen::Index n)
        : minimum(n)
        , mass(n)
        , grad(n)
    {
    }
    ArrayXd minimum, mass, grad;
};

} // namespace

//! Work arrays for one point's energies over the latents.
struct FastLoss::Scratch
{
    explicit Scratch(Eigen::Index n)
        : d1(n)
        , d2(n)
        , e(n)
        , x(n)
        , p(n)
    {
    }
    ArrayXd d1, d2, e, x, p;
};

namespace {

// Work arrays kept per thread: the Offending negatives rank hundreds of single points per epoch.
FastLoss::Scratch &scratchFor(Eigen::Index n)
{
    thread_local FastLoss::Scratch scratch(0);
    if (scratch.e.size() != n)
        scratch = FastLoss::Scratch(n);
    return scratch;
}

} // namespace

FastLoss::FastLoss(const LatentSpec &latents)
    : m_latents(latents)
    , m_cos(latents.count())
    , m_sin(latents.count())
{
    for (int k = 0; k < latents.count(); ++k) { // as EllipseEbm's tables, bit for bit
        m_cos[k] = std::cos(latents.angle(k));
        m_sin[k] = std::sin(latents.angle(k));
    }
}

FreeEnergyAt FastLoss::sampledAt(const EllipseParams &w, const Vec2 &y, double beta, bool gradient, Scratch &s) const
{
    // The reference's operations in its order: d1 * d1 + d2 * d2 with d = y - w * (cos, sin).
    s.d1 = y.x() - w.w1 * m_cos;
    s.d2 = y.y() - w.w2 * m_sin;
    s.e = s.d1.square() + s.d2.square();
    Eigen::Index kMin = 0;
    for (Eigen::Index k = 1; k < s.e.size(); ++k) {
        if (s.e[k] < s.e[kMin]) // strict: the first minimum, as std::min_element
            kMin = k;
    }
    const double eMin = s.e[kMin];
    FreeEnergyAt f;
    if (std::isinf(beta)) {
        f.value = eMin;
        f.gradW = {-2.0 * s.d1[kMin] * m_cos[kMin], -2.0 * s.d2[kMin] * m_sin[kMin]};
        return f;
    }
    s.x = (s.e - eMin) * -beta;
    // glibc's scalar exp (FMA-dispatched at run time) beat Eigen's SSE2 packet exp by ~2x here; terms below
    // exp(-50) < 2e-22 cannot move a sum that contains exp(0) = 1, so they are not computed.
    double sum = 0.0;
    for (Eigen::Index k = 0; k < s.x.size(); ++k) {
        s.p[k] = s.x[k] < -kNegligibleExponent ? 0.0 : std::exp(s.x[k]);
        sum += s.p[k];
    }
    f.value = eMin + softminOffset(s.p, s.x, sum, beta);
    if (gradient) {
        // dF/dw = sum_k P(z_k | y) grad_w E(y, z_k), grad_w E = (-2 d1 cos z, -2 d2 sin z)
        f.gradW = {-2.0 * (s.p * s.d1 * m_cos).sum() / sum, -2.0 * (s.p * s.d2 * m_sin).sum() / sum};
    }
    return f;
}

FreeEnergyAt FastLoss::freeEnergyAt(const EllipseParams &w, const Vec2 &y, double beta) const
{
    if (!(beta > 0.0))
        throw std::invalid_argument("the inverse temperature beta must be positive");
    if (m_latents.isContinuous())
        return ebm::freeEnergyAt(EllipseEbm(w, m_latents), y, beta);
    return sampledAt(w, y, beta, true, scratchFor(m_cos.size()));
}

double FastLoss::freeEnergy(const EllipseParams &w, const Vec2 &y, double beta) const
{
    if (!(beta > 0.0))
        throw std::invalid_argument("the inverse temperature beta must be positive");
    if (m_latents.isContinuous())
        return EllipseEbm(w, m_latents).freeEnergy(y, beta);
    return sampledAt(w, y, beta, false, scratchFor(m_cos.size())).value;
}

LogPartition FastLoss::coldGridPartition(const EllipseParams &w, const std::vector<double> &xs,
                                         const std::vector<double> &ys) const
{
    // F_inf(y') = min_k (u_ik + v_jk): no exponentials, so the direct scan is cheap, and it keeps the reference's
    // exact tie rule (every candidate whose F_inf equals the minimum bit for bit shares the weight).
    const Eigen::Index n = m_cos.size();
    const auto nx = static_cast<Eigen::Index>(xs.size()), ny = static_cast<Eigen::Index>(ys.size());
    Eigen::ArrayXXd d1(n, nx), d2(n, ny), u(n, nx), v(n, ny);
    for (Eigen::Index i = 0; i < nx; ++i)
        d1.col(i) = xs[size_t(i)] - w.w1 * m_cos;
    for (Eigen::Index j = 0; j < ny; ++j)
        d2.col(j) = ys[size_t(j)] - w.w2 * m_sin;
    u = d1.square();
    v = d2.square();
    Eigen::ArrayXXd f(nx, ny);
    for (Eigen::Index j = 0; j < ny; ++j) {
        for (Eigen::Index i = 0; i < nx; ++i)
            f(i, j) = (u.col(i) + v.col(j)).minCoeff();
    }
    const double fMin = f.minCoeff();
    LogPartition a;
    double ties = 0.0;
    for (Eigen::Index j = 0; j < ny; ++j) { // the reference's candidate order: y2 outer
        for (Eigen::Index i = 0; i < nx; ++i) {
            if (f(i, j) != fMin)
                continue;
            Eigen::Index k = 0;
            while (u(k, i) + v(k, j) != fMin) // the first minimiser, as EllipseEbm::infer
                ++k;
            a.gradW -= Vec2(-2.0 * d1(k, i) * m_cos[k], -2.0 * d2(k, j) * m_sin[k]);
            ties += 1.0;
        }
    }
    a.gradW /= ties;
    a.value = -fMin;
    return a;
}

LogPartition FastLoss::gridLogPartition(const EllipseParams &w, const LossConfig &config) const
{
    const double beta = config.beta;
    if (!(beta > 0.0))
        throw std::invalid_argument("the inverse temperature beta must be positive");
    if (m_latents.isContinuous()) {
        const EllipseEbm model(w, m_latents);
        std::vector<FreeEnergyAt> candidates;
        for (const Vec2 &y : nllCandidates(config))
            candidates.push_back(ebm::freeEnergyAt(model, y, beta));
        return logPartition(candidates, beta);
    }
    const std::vector<double> xs = nllAxis(config.view.x0, config.view.x1, config.candidatesX);
    const std::vector<double> ys = nllAxis(config.view.y0, config.view.y1, config.candidatesY);
    if (std::isinf(beta))
        return coldGridPartition(w, xs, ys);

    // Per axis and latent: the minimum over the axis, the shifted mass, its grad_w E-weighted mass, and (for the
    // hot regime) the sum of expm1 of the shifted exponents.
    const Eigen::Index n = m_cos.size();
    const ArrayXd xa = Eigen::Map<const ArrayXd>(xs.data(), Eigen::Index(xs.size()));
    const ArrayXd ya = Eigen::Map<const ArrayXd>(ys.data(), Eigen::Index(ys.size()));
    AxisSums x(n), y(n);
    const Eigen::Index longest = std::max(xa.size(), ya.size());
    ArrayXd d(longest), exponent(longest), weights(longest);
    auto axis = [&](const ArrayXd &coordinate, double wk, const ArrayXd &trig, AxisSums &sums) {
        const Eigen::Index m = coordinate.size();
        for (Eigen::Index k = 0; k < n; ++k) {
            d.head(m) = coordinate - wk * trig[k];
            exponent.head(m) = d.head(m).square();
            sums.minimum[k] = exponent.head(m).minCoeff();
            exponent.head(m) = (exponent.head(m) - sums.minimum[k]) * -beta;
            for (Eigen::Index i = 0; i < m; ++i)
                weights[i] = exponent[i] < -kNegligibleExponent ? 0.0 : std::exp(exponent[i]);
            sums.mass[k] = weights.head(m).sum(); // >= 1: the minimiser's weight is exp(0)
            sums.grad[k] = -2.0 * trig[k] * (weights.head(m) * d.head(m)).sum();
        }
    };
    axis(xa, w.w1, m_cos, x);
    axis(ya, w.w2, m_sin, y);
    // The joint minimum of E over (i, j, k) is min_k (minX + minY); shifting by it leaves a sum >= 1.
    const ArrayXd eMin = x.minimum + y.minimum;
    const double global = eMin.minCoeff();
    const ArrayXd omegaExponent = (eMin - global) * -beta;
    const ArrayXd omega = omegaExponent.exp();
    const double sum = (omega * x.mass * y.mass).sum();
    const double cells = static_cast<double>(xa.size()) * static_cast<double>(ya.size());
    LogPartition a;
    a.gradW = {-(omega * x.grad * y.mass).sum() / sum, -(omega * x.mass * y.grad).sum() / sum};
    // log(sum / N) = log(cells) + log(mean joint weight). When that mean is near 1 (hot), log(mean) is taken as
    // log1p(mean of expm1), as the reference does per candidate: with every weight = (1 + eo)(1 + ea)(1 + eb),
    // sum_ij (weight - 1) = cells eo + (1 + eo)(ny EA + nx EB + EA EB), EA = sum_i expm1(exponent), EB likewise.
    const double meanWeight = sum / (static_cast<double>(n) * cells);
    double logMean = std::log(meanWeight);
    if (meanWeight >= 0.5) {
        auto expm1Sums = [&](const ArrayXd &coordinate, double wk, const ArrayXd &trig, const ArrayXd &minimum) {
            ArrayXd sums(n);
            for (Eigen::Index k = 0; k < n; ++k) {
                double total = 0.0;
                for (Eigen::Index i = 0; i < coordinate.size(); ++i) {
                    const double di = coordinate[i] - wk * trig[k];
                    total += std::expm1(-beta * (di * di - minimum[k]));
                }
                sums[k] = total;
            }
            return sums;
        };
        const ArrayXd ea = expm1Sums(xa, w.w1, m_cos, x.minimum), eb = expm1Sums(ya, w.w2, m_sin, y.minimum);
        double expm1Total = 0.0;
        for (Eigen::Index k = 0; k < n; ++k) {
            const double eo = std::expm1(omegaExponent[k]);
            expm1Total +=
                cells * eo + (1.0 + eo) * (double(ya.size()) * ea[k] + double(xa.size()) * eb[k] + ea[k] * eb[k]);
        }
        logMean = std::log1p(expm1Total / (static_cast<double>(n) * cells));
    }
    a.value = -global + (std::log(cells) + logMean) / beta;
    return a;
}

std::optional<DatasetLoss> FastLoss::datasetLoss(const EllipseParams &w, const LossConfig &config,
                                                 const std::vector<Vec2> &data,
                                                 const std::vector<std::vector<Vec2>> &negatives,
                                                 const std::atomic<bool> *cancel) const
{
    // The continuous latent has no tables: the reference does it all (with its cancel checks between candidates).
    if (m_latents.isContinuous())
        return ebm::datasetLoss(EllipseEbm(w, m_latents), config, data, negatives, cancel);
    // The reference's structure (losses.cpp) and order of summation; only F and A come from the fast path.
    if (data.empty())
        throw std::invalid_argument("the loss needs at least one data point");
    if (!(config.beta > 0.0))
        throw std::invalid_argument("the inverse temperature beta must be positive");
    const bool contrastive = lossUsesNegatives(config.kind);
    if (contrastive && negatives.size() != data.size())
        throw std::invalid_argument("a contrastive loss needs the negatives of every data point");
    auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
    LogPartition partition;
    if (config.kind == LossKind::Nll) {
        if (cancelled())
            return std::nullopt;
        partition = gridLogPartition(w, config);
    }
    Scratch &s = scratchFor(m_cos.size());
    auto at = [&](const Vec2 &y) { return sampledAt(w, y, config.beta, true, s); };
    DatasetLoss result;
    if (contrastive)
        result.pairs.reserve(data.size() * negatives.front().size());
    for (size_t i = 0; i < data.size(); ++i) {
        if (cancelled())
            return std::nullopt;
        const FreeEnergyAt f = at(data[i]);
        if (!contrastive) {
            const LossTerm t = config.kind == LossKind::Nll ? nllLoss(f, partition) : pairLoss(config.kind, 0.0, f, f);
            result.value += t.value;
            result.gradW += t.gradW;
            continue;
        }
        if (negatives[i].empty())
            throw std::invalid_argument("a contrastive loss needs at least one negative per data point");
        const double perPair = 1.0 / static_cast<double>(negatives[i].size());
        for (const Vec2 &yHat : negatives[i]) {
            const FreeEnergyAt g = at(yHat);
            const LossTerm t = pairLoss(config.kind, config.margin, f, g);
            result.value += perPair * t.value;
            result.gradW += perPair * t.gradW;
            result.pairs.push_back({static_cast<int>(i), yHat, f.value, g.value, t.satisfied});
        }
    }
    const double count = static_cast<double>(data.size());
    result.value /= count;
    result.gradW /= count;
    return result;
}

} // namespace ebm
