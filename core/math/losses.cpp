#include "math/losses.h"

#include "math/rng.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace ebm {

namespace {

constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

// log(1 + e^d) without overflow for large d and without losing digits for very negative d.
double softplus(double d)
{
    return std::max(d, 0.0) + std::log1p(std::exp(-std::abs(d)));
}

// 1 / (1 + e^-d), the derivative of softplus, from whichever side keeps exp from overflowing.
double logistic(double d)
{
    if (d >= 0.0)
        return 1.0 / (1.0 + std::exp(-d));
    const double e = std::exp(d);
    return e / (1.0 + e);
}

Vec2 uniformIn(Rng &rng, const ViewBox &view)
{
    const double u = rng.uniform(), v = rng.uniform();
    return {view.x0 + (view.x1 - view.x0) * u, view.y0 + (view.y1 - view.y0) * v};
}

bool farFromData(const Vec2 &y, const std::vector<Vec2> &data, double minDistance)
{
    const double d2 = minDistance * minDistance;
    return std::none_of(data.begin(), data.end(), [&](const Vec2 &p) { return (p - y).squaredNorm() < d2; });
}

Vec2 mostOffending(Rng &rng, const NegativeSpec &spec, const ViewBox &view, const std::vector<Vec2> &data,
                   const std::function<double(const Vec2 &)> &freeEnergy)
{
    const int k = std::max(1, spec.candidates);
    std::vector<Vec2> accepted, drawn;
    for (int attempt = 0; attempt < 64 * k && static_cast<int>(accepted.size()) < k; ++attempt) {
        const Vec2 y = uniformIn(rng, view);
        if (static_cast<int>(drawn.size()) < k)
            drawn.push_back(y);
        if (farFromData(y, data, spec.minDistance))
            accepted.push_back(y);
    }
    // The data may cover the whole view at this delta; ranking plain uniform draws still gives a negative.
    const std::vector<Vec2> &pool = accepted.empty() ? drawn : accepted;
    Vec2 best = pool.front();
    double bestF = std::numeric_limits<double>::infinity();
    for (const Vec2 &y : pool) {
        const double f = freeEnergy(y);
        if (f < bestF) { // strict: ties keep the earlier draw
            bestF = f;
            best = y;
        }
    }
    return best;
}

} // namespace

std::optional<LossKind> lossKindFromName(const std::string &name)
{
    for (LossKind kind :
         {LossKind::Energy, LossKind::Hinge, LossKind::Log, LossKind::Simple, LossKind::SquareSquare, LossKind::Nll}) {
        if (lossKindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

std::string lossKindName(LossKind kind)
{
    switch (kind) {
    case LossKind::Energy:
        return "energy";
    case LossKind::Hinge:
        return "hinge";
    case LossKind::Log:
        return "log";
    case LossKind::Simple:
        return "simple";
    case LossKind::SquareSquare:
        return "square-square";
    case LossKind::Nll:
        return "nll";
    }
    return "energy";
}

bool lossUsesNegatives(LossKind kind)
{
    return kind == LossKind::Hinge || kind == LossKind::Log || kind == LossKind::Simple ||
           kind == LossKind::SquareSquare;
}

bool lossUsesMargin(LossKind kind)
{
    return kind == LossKind::Hinge || kind == LossKind::Simple || kind == LossKind::SquareSquare;
}

FreeEnergyAt freeEnergyAt(const EllipseEbm &model, const Vec2 &y, double beta)
{
    const Inference inf = model.infer(y, beta);
    return {inf.freeEnergy, inf.gradW};
}

LossTerm pairLoss(LossKind kind, double margin, const FreeEnergyAt &data, const FreeEnergyAt &negative)
{
    LossTerm t;
    switch (kind) {
    case LossKind::Energy:
        t.value = data.value;
        t.gradW = data.gradW;
        break;
    case LossKind::Hinge: {
        const double a = data.value - negative.value + margin;
        t.value = std::max(a, 0.0);
        if (a >= 0.0) // the homework's indicator: at a = 0 the gradient is kept
            t.gradW = data.gradW - negative.gradW;
        t.satisfied = a < 0.0;
        break;
    }
    case LossKind::Log: {
        const double d = data.value - negative.value;
        t.value = softplus(d);
        t.gradW = logistic(d) * (data.gradW - negative.gradW);
        t.satisfied = false;
        break;
    }
    case LossKind::Simple:
    case LossKind::SquareSquare: {
        const bool square = kind == LossKind::SquareSquare;
        const double pos = data.value, neg = margin - negative.value;
        if (pos >= 0.0) {
            t.value += square ? pos * pos : pos;
            t.gradW += (square ? 2.0 * pos : 1.0) * data.gradW;
        }
        if (neg >= 0.0) {
            t.value += square ? neg * neg : neg;
            t.gradW -= (square ? 2.0 * neg : 1.0) * negative.gradW;
        }
        t.satisfied = neg < 0.0;
        break;
    }
    case LossKind::Nll:
        throw std::invalid_argument("the NLL is not a pair loss: use nllLoss with the log-partition of Y'");
    }
    return t;
}

LogPartition logPartition(const std::vector<FreeEnergyAt> &candidates, double beta)
{
    if (candidates.empty())
        throw std::invalid_argument("the NLL needs at least one candidate y'");
    if (!(beta > 0.0))
        throw std::invalid_argument("the inverse temperature beta must be positive");
    double fMin = std::numeric_limits<double>::infinity();
    for (const FreeEnergyAt &c : candidates)
        fMin = std::min(fMin, c.value);
    LogPartition a;
    double sum = 0.0;
    for (const FreeEnergyAt &c : candidates) {
        // beta = inf: the weights become the indicator of the minimisers (the limit of the softmax).
        const double weight = std::isinf(beta) ? (c.value == fMin ? 1.0 : 0.0) : std::exp(-beta * (c.value - fMin));
        sum += weight;
        a.gradW -= weight * c.gradW;
    }
    a.gradW /= sum;
    // sum >= 1 (the minimiser contributes exp(0)), so the log is finite and the minimum is factored out.
    a.value = std::isinf(beta) ? -fMin : -fMin + std::log(sum) / beta;
    return a;
}

LossTerm nllLoss(const FreeEnergyAt &data, const LogPartition &partition)
{
    LossTerm t;
    t.value = data.value + partition.value;
    t.gradW = data.gradW + partition.gradW;
    return t;
}

std::vector<double> nllAxis(double lo, double hi, int n)
{
    n = std::max(1, n);
    std::vector<double> at(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        at[static_cast<size_t>(i)] = n == 1 ? 0.5 * (lo + hi) : lo + (hi - lo) * i / (n - 1);
    return at;
}

std::vector<Vec2> nllCandidates(const LossConfig &config)
{
    const ViewBox &v = config.view;
    const std::vector<double> xs = nllAxis(v.x0, v.x1, config.candidatesX);
    const std::vector<double> ys = nllAxis(v.y0, v.y1, config.candidatesY);
    std::vector<Vec2> candidates;
    candidates.reserve(xs.size() * ys.size());
    for (double y : ys) {
        for (double x : xs)
            candidates.emplace_back(x, y);
    }
    return candidates;
}

std::optional<NegativeStrategy> negativeStrategyFromName(const std::string &name)
{
    for (NegativeStrategy s : {NegativeStrategy::Uniform, NegativeStrategy::Noise, NegativeStrategy::Offending}) {
        if (negativeStrategyName(s) == name)
            return s;
    }
    return std::nullopt;
}

std::string negativeStrategyName(NegativeStrategy strategy)
{
    switch (strategy) {
    case NegativeStrategy::Uniform:
        return "uniform";
    case NegativeStrategy::Noise:
        return "noise";
    case NegativeStrategy::Offending:
        return "offending";
    }
    return "uniform";
}

std::vector<std::vector<Vec2>> drawNegatives(const NegativeSpec &spec, const ViewBox &view,
                                             const std::vector<Vec2> &data, const EllipseEbm &model, double beta,
                                             int epoch)
{
    return drawNegatives(
        spec, view, data, [&](const Vec2 &y) { return model.freeEnergy(y, beta); }, epoch);
}

std::vector<std::vector<Vec2>> drawNegatives(const NegativeSpec &spec, const ViewBox &view,
                                             const std::vector<Vec2> &data,
                                             const std::function<double(const Vec2 &)> &freeEnergy, int epoch)
{
    // One stream per epoch (Rng mixes its seed through splitmix64), consumed in data order then negative order.
    Rng rng(spec.seed + kGolden * static_cast<std::uint64_t>(epoch));
    std::vector<std::vector<Vec2>> negatives(data.size());
    const int count = std::max(1, spec.count);
    for (size_t i = 0; i < data.size(); ++i) {
        negatives[i].reserve(static_cast<size_t>(count));
        for (int c = 0; c < count; ++c) {
            switch (spec.strategy) {
            case NegativeStrategy::Uniform:
                negatives[i].push_back(uniformIn(rng, view));
                break;
            case NegativeStrategy::Noise: {
                const double e1 = spec.noise * rng.normal();
                const double e2 = spec.noise * rng.normal();
                negatives[i].push_back(data[i] + Vec2(e1, e2));
                break;
            }
            case NegativeStrategy::Offending:
                negatives[i].push_back(mostOffending(rng, spec, view, data, freeEnergy));
                break;
            }
        }
    }
    return negatives;
}

std::optional<DatasetLoss> datasetLoss(const EllipseEbm &model, const LossConfig &config, const std::vector<Vec2> &data,
                                       const std::vector<std::vector<Vec2>> &negatives, const std::atomic<bool> *cancel)
{
    if (data.empty())
        throw std::invalid_argument("the loss needs at least one data point");
    const bool contrastive = lossUsesNegatives(config.kind);
    if (contrastive && negatives.size() != data.size())
        throw std::invalid_argument("a contrastive loss needs the negatives of every data point");
    auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
    LogPartition partition;
    if (config.kind == LossKind::Nll) {
        std::vector<FreeEnergyAt> candidates;
        for (const Vec2 &y : nllCandidates(config)) {
            if (cancelled())
                return std::nullopt;
            candidates.push_back(freeEnergyAt(model, y, config.beta));
        }
        partition = logPartition(candidates, config.beta);
    }
    DatasetLoss result;
    for (size_t i = 0; i < data.size(); ++i) {
        if (cancelled())
            return std::nullopt;
        const FreeEnergyAt f = freeEnergyAt(model, data[i], config.beta);
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
            const FreeEnergyAt g = freeEnergyAt(model, yHat, config.beta);
            const LossTerm t = pairLoss(config.kind, config.margin, f, g);
            result.value += perPair * t.value;
            result.gradW += perPair * t.gradW;
            result.pairs.push_back({static_cast<int>(i), yHat, f.value, g.value, t.satisfied});
        }
    }
    const double n = static_cast<double>(data.size());
    result.value /= n;
    result.gradW /= n;
    return result;
}

} // namespace ebm
